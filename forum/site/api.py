"""The site settings, invitations and join requests over JSON, with the pages' rules.

The same policies and actions as forum.site.views and forum.site.join_views, so both refuse
alike.
"""

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel
from sqlalchemy import Row

from forum.auth.policies import can_change_site_settings, can_invite, can_review_join_requests
from forum.auth.viewer import MemberDep
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure
from forum.core.forms import validate_form
from forum.core.time import utcnow
from forum.db import SessionDep
from forum.ratelimits.limits import hit, invitations_per_member
from forum.site.actions import (
    approve_member,
    create_invitation,
    invitation_state,
    revoke_invitation,
    turn_down_member,
)
from forum.site.cache import current_site, remember_when_committed
from forum.site.forms import InvitationCreate, TurnDown
from forum.site.join_views import ONLY_STAFF_DECIDE, ONLY_STAFF_INVITE, invitation_link
from forum.site.models import Invitation
from forum.site.queries import (
    access_invitation,
    access_waiting_member,
    invitation_rows,
    waiting_members,
)
from forum.site.settings import SiteSettings, SiteSettingsForm, load_site, save_site
from forum.site.views import ONLY_ADMINS

router = APIRouter(prefix="/api/v1", tags=["site"], dependencies=[Depends(verify_csrf)])


class SiteOut(BaseModel):
    title: str
    description: str
    rules: str  # Markdown, as written
    rules_html: str  # sanitised HTML; empty until the rules are written
    registration: str  # open, approval or invitation

    @classmethod
    def of(cls, site: SiteSettings) -> "SiteOut":
        return cls(**site.model_dump(exclude={"version"}))


class SiteUpdate(BaseModel):
    """Fields left out keep their current value."""

    title: Any = None
    description: Any = None
    rules: Any = None
    registration: Any = None


class InvitationOut(BaseModel):
    id: int
    note: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    state: str  # waiting, used, expired or revoked
    used_by: str | None  # the handle of whoever joined through it, while they are a member
    used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, invitation: Invitation, used_by: str | None = None) -> "InvitationOut":
        return cls(
            id=invitation.id,  # type: ignore[arg-type]
            note=invitation.note,
            created_by=invitation.created_by_name,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            state=invitation_state(invitation, utcnow()),
            used_by=used_by,
            used_at=invitation.used_at,
            revoked_at=invitation.revoked_at,
        )


class InvitationCreatedOut(InvitationOut):
    link: str  # in this answer only: the forum keeps just a hash of it


class JoinRequestOut(BaseModel):
    handle: str
    created_at: datetime


@router.get("/site", response_model=SiteOut)
async def get_site(request: Request) -> SiteOut:
    """The forum's title, description, rules and how people join. Public."""
    return SiteOut.of(current_site(request))


@router.put("/site", response_model=SiteOut)
async def put_site(
    data: SiteUpdate, request: Request, session: SessionDep, viewer: MemberDep
) -> SiteOut:
    """Administrators. Send the fields to change; `registration` is open, approval or
    invitation. A 422 names each field to fix in `fields`."""
    ensure(can_change_site_settings(viewer), ONLY_ADMINS)
    current = await load_site(session)
    merged = {
        name: getattr(current, name) if value is None else value
        for name, value in data.model_dump().items()
    }
    form, errors = validate_form(SiteSettingsForm, merged)
    if form is None:
        raise FieldErrors(errors)
    saved = await save_site(session, viewer, form)
    remember_when_committed(session, request, saved)
    return SiteOut.of(saved)


@router.get("/invitations", response_model=list[InvitationOut])
async def list_invitations(session: SessionDep, viewer: MemberDep) -> list[InvitationOut]:
    """Moderators and administrators: the newest 100, with their state."""
    ensure(can_invite(viewer), ONLY_STAFF_INVITE)
    rows: list[Row] = list((await session.execute(invitation_rows())).all())
    return [InvitationOut.of(row.Invitation, row.used_by_handle) for row in rows]


@router.post("/invitations", response_model=InvitationCreatedOut, status_code=201)
async def post_invitation(
    data: InvitationCreate, request: Request, session: SessionDep, viewer: MemberDep
) -> InvitationCreatedOut:
    """Moderators and administrators: a single-use link for `note` (who it's for, 1 to 200
    characters, seen by staff only), working `days` days (1 to 30, default 7). 20 an hour."""
    ensure(can_invite(viewer), ONLY_STAFF_INVITE)
    await hit(session, invitations_per_member(), viewer.member_id)  # type: ignore[arg-type]
    invitation, token = await create_invitation(session, viewer, data)
    out = InvitationOut.of(invitation)
    return InvitationCreatedOut(**out.model_dump(), link=invitation_link(request, token))


@router.delete("/invitations/{invitation_id}", status_code=204, response_class=Response)
async def delete_invitation(invitation_id: int, session: SessionDep, viewer: MemberDep) -> Response:
    """Revoke a waiting invitation; revoking twice changes nothing. 409 if it was used or has
    expired."""
    ensure(can_invite(viewer), ONLY_STAFF_INVITE)
    invitation = await access_invitation(session, invitation_id)
    if not await revoke_invitation(session, viewer, invitation):
        state = invitation_state(invitation, utcnow())
        if state != "revoked":
            raise HTTPException(
                409, f"Only a waiting invitation can be revoked; this one is {state}."
            )
    return Response(status_code=204)


@router.get("/registrations", response_model=list[JoinRequestOut])
async def list_join_requests(session: SessionDep, viewer: MemberDep) -> list[JoinRequestOut]:
    """Moderators and administrators: people waiting to join, oldest first."""
    ensure(can_review_join_requests(viewer), ONLY_STAFF_DECIDE)
    members = (await session.scalars(waiting_members())).all()
    return [JoinRequestOut(handle=m.handle, created_at=m.created_at) for m in members]


@router.post("/registrations/{handle}/approve", status_code=204, response_class=Response)
async def approve_join_request(handle: str, session: SessionDep, viewer: MemberDep) -> Response:
    """They can log in from now on. 404 if nobody with that handle is waiting."""
    ensure(can_review_join_requests(viewer), ONLY_STAFF_DECIDE)
    await approve_member(session, viewer, await access_waiting_member(session, handle))
    return Response(status_code=204)


@router.post("/registrations/{handle}/reject", status_code=204, response_class=Response)
async def reject_join_request(
    handle: str, session: SessionDep, viewer: MemberDep, data: TurnDown | None = None
) -> Response:
    """Turn the request down: the never-used account is deleted; the audit log keeps the
    handle and the optional `reason`."""
    ensure(can_review_join_requests(viewer), ONLY_STAFF_DECIDE)
    member = await access_waiting_member(session, handle)
    await turn_down_member(session, viewer, member, data or TurnDown())
    return Response(status_code=204)
