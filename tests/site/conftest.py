"""Helpers for the site settings, invitations and join requests."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from support import PASSWORD, csrf

from forum.accounts.actions import create_api_token, register_member
from forum.accounts.forms import Registration
from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.core.time import utcnow
from forum.site.actions import create_invitation
from forum.site.forms import InvitationCreate
from forum.site.models import Invitation
from forum.site.settings import SiteSettings, SiteSettingsForm, load_site, save_site

PostForm = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def post_form() -> PostForm:
    """POST a page form with its CSRF token: post_form(client, url, field=value, ...)."""

    async def post(client: httpx.AsyncClient, url: str, **data: object) -> httpx.Response:
        return await client.post(url, data={**data, "csrf_token": csrf(client)})

    return post


@pytest.fixture
def set_site(session: AsyncSession, admin: Member) -> Callable[..., Awaitable[SiteSettings]]:
    """Save site settings as the administrator would (straight to the database, as another
    process would: no app's cache hears of it)."""

    async def set_(**fields: object) -> SiteSettings:
        current = (await load_site(session)).model_dump()
        form = SiteSettingsForm.model_validate({**current, **fields})
        return await save_site(session, Viewer.of(admin), form)

    return set_


@pytest.fixture
def invite(
    session: AsyncSession, admin: Member
) -> Callable[..., Awaitable[tuple[Invitation, str]]]:
    async def make(
        note: str = "Sam from the Tuesday group",
        *,
        by: Member | None = None,
        days: int = 7,
        expired_days_ago: int | None = None,
    ) -> tuple[Invitation, str]:
        """An invitation and its token, made by the administrator unless `by` says who."""
        invitation, token = await create_invitation(
            session, Viewer.of(by or admin), InvitationCreate(note=note, days=days)
        )
        if expired_days_ago is not None:
            invitation.expires_at = utcnow() - timedelta(days=expired_days_ago)
            await session.flush()
        return invitation, token

    return make


@pytest.fixture
def waiting_member(session: AsyncSession) -> Callable[..., Awaitable[Member]]:
    async def make(handle: str = "Asking.Gently") -> Member:
        """Someone who registered while joining needed a moderator's approval."""
        return await register_member(
            session, Registration(handle=handle, password=PASSWORD), awaiting_approval=True
        )

    return make


@pytest.fixture
def bearer(session: AsyncSession) -> Callable[[Member], Awaitable[dict[str, str]]]:
    async def headers(member: Member) -> dict[str, str]:
        """Authorization for the member through a personal API token."""
        await session.refresh(member)  # a refused request rolls back and expires loaded rows
        return {"Authorization": f"Bearer {await create_api_token(session, member.id, 'api')}"}

    return headers
