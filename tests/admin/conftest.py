"""Personas and helpers for member administration, the audit log and the admin pages."""

from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from support import PASSWORD, csrf

from forum.accounts.models import Member
from forum.boards.models import Board
from forum.moderation.models import BoardModerator

PostForm = Callable[..., Awaitable[httpx.Response]]


async def _post_form(client: httpx.AsyncClient, url: str, **data: object) -> httpx.Response:
    return await client.post(url, data={**data, "csrf_token": csrf(client)})


@pytest.fixture
def post_form() -> PostForm:
    """POST a page form with its CSRF token: post_form(client, url, field=value, ...)."""
    return _post_form


@pytest.fixture
def log_in_by_form() -> Callable[[httpx.AsyncClient, Member], Awaitable[httpx.Response]]:
    """Log in through the page, as a member would (the trust rules run there)."""

    async def log_in(client: httpx.AsyncClient, member: Member) -> httpx.Response:
        return await _post_form(client, "/login", handle=member.handle, password=PASSWORD)

    return log_in


@pytest.fixture
def sign_in(
    session: AsyncSession, log_in: Callable[[httpx.AsyncClient, Member], Awaitable[None]]
) -> Callable[[httpx.AsyncClient, Member], Awaitable[None]]:
    """log_in, after reloading the member: a refused request rolls back and expires objects."""

    async def sign_in_as(client: httpx.AsyncClient, member: Member) -> None:
        await session.refresh(member)
        await log_in(client, member)

    return sign_in_as


@pytest.fixture
def make_board_moderator(
    session: AsyncSession, make_member: Callable[..., Awaitable[Member]]
) -> Callable[..., Awaitable[Member]]:
    async def make(handle: str, *boards: Board) -> Member:
        """A plain member who moderates the given boards."""
        member = await make_member(handle)
        for board in boards:
            session.add(BoardModerator(member_id=member.id, board_id=board.id))  # type: ignore[arg-type]
        await session.flush()
        return member

    return make
