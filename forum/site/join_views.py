"""Invitations (/admin/invitations), the link an invitee opens (/invite/<token>), and the join
requests moderators decide (/review/registrations)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.actions import start_session
from forum.accounts.forms import Registration
from forum.accounts.views import logged_in_redirect
from forum.auth.policies import can_invite, can_review_join_requests
from forum.auth.viewer import MemberDep, Viewer, ViewerDep
from forum.config import settings
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure
from forum.core.forms import validate_form
from forum.core.templating import render
from forum.core.time import utcnow
from forum.db import SessionDep
from forum.ratelimits.limits import RateLimited, hit, invitations_per_member
from forum.site.actions import (
    JoinRefused,
    approve_member,
    create_invitation,
    invitation_problem,
    invitation_state,
    join_by_invitation,
    revoke_invitation,
    turn_down_member,
)
from forum.site.cache import current_site
from forum.site.forms import DEFAULT_DAYS, MAX_DAYS, NOTE_MAX, InvitationCreate, TurnDown
from forum.site.queries import (
    access_invitation,
    access_waiting_member,
    invitation_by_token,
    invitation_rows,
    waiting_members,
)
from forum.site.settings import REGISTRATION_CHOICES, RegistrationMode

router = APIRouter(dependencies=[Depends(verify_csrf)])

ONLY_STAFF_INVITE = "Only moderators and administrators can invite people."
ONLY_STAFF_DECIDE = "Only moderators and administrators decide who may join."
DONE = {
    "revoked": "Invitation revoked: the link no longer works.",
    "approved": "Approved. They can log in now, and a notice welcomes them.",
    "turned-down": "Turned down. The account is gone; the audit log keeps the handle.",
}


def invitation_link(request: Request, token: str) -> str:
    """The address to send, as members reach the forum (FORUM_BASE_URL behind a proxy)."""
    base = settings.base_url or str(request.base_url)
    return f"{base.rstrip('/')}/invite/{token}"


# Invitations, for staff


async def _invitations_page(
    request: Request,
    session: AsyncSession,
    *,
    new_link: str = "",
    done: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    now = utcnow()
    rows = (await session.execute(invitation_rows())).all()
    invitations = [(row.Invitation, invitation_state(row.Invitation, now), row) for row in rows]
    context = {
        "invitations": invitations,
        "new_link": new_link,
        "done": DONE.get(done, ""),
        "values": values or {"days": str(DEFAULT_DAYS)},
        "errors": errors or {},
        "max_days": MAX_DAYS,
        "note_max": NOTE_MAX,
        "mode": current_site(request).registration,
        "mode_label": REGISTRATION_CHOICES[current_site(request).registration][0],
    }
    return render(request, "site/invitations.html", context, status_code=status_code)


@router.get("/admin/invitations", name="site.invitations")
async def invitations_page(
    request: Request, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    ensure(can_invite(viewer), ONLY_STAFF_INVITE)
    return await _invitations_page(request, session, done=done)


@router.post("/admin/invitations")
async def new_invitation(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    note: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
) -> Response:
    ensure(can_invite(viewer), ONLY_STAFF_INVITE)
    values = {"note": note, "days": days}
    form, errors = validate_form(InvitationCreate, values)
    if form is None:
        return await _invitations_page(
            request, session, values=values, errors=errors, status_code=422
        )
    try:
        await hit(session, invitations_per_member(), viewer.member_id)  # type: ignore[arg-type]
    except RateLimited as refused:
        # Shown on the page with what was typed, and committed: the attempt still counts.
        response = await _invitations_page(
            request, session, values=values, errors={"form": str(refused)}, status_code=429
        )
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    _, token = await create_invitation(session, viewer, form)
    # Shown in this response only: afterwards just its hash exists.
    link = invitation_link(request, token)
    return await _invitations_page(request, session, new_link=link)


@router.post("/admin/invitations/{invitation_id}/revoke")
async def revoke(invitation_id: int, session: SessionDep, viewer: MemberDep) -> Response:
    ensure(can_invite(viewer), ONLY_STAFF_INVITE)
    invitation = await access_invitation(session, invitation_id)
    await revoke_invitation(session, viewer, invitation)
    return RedirectResponse("/admin/invitations?done=revoked", status_code=303)


# The invitation link, for the person invited


def _invite_page(
    request: Request,
    token: str,
    inviter: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "token": token,
        "inviter": inviter,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "site/invite.html", context, status_code=status_code)


def _invite_refused(request: Request, problem: str, known: bool) -> Response:
    # 404 for a link that never existed; 410 for one that did and has gone.
    status = 410 if known else 404
    return render(request, "site/invite_refused.html", {"problem": problem}, status_code=status)


@router.get("/invite/{token}", name="site.invite")
async def invite(request: Request, token: str, session: SessionDep, viewer: ViewerDep) -> Response:
    invitation = await invitation_by_token(session, token)
    if problem := invitation_problem(invitation, utcnow()):
        return _invite_refused(request, problem, invitation is not None)
    assert invitation is not None
    return _invite_page(request, token, invitation.created_by_name)


@router.post("/invite/{token}")
async def join_through_invitation(
    request: Request,
    token: str,
    session: SessionDep,
    handle: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    invitation = await invitation_by_token(session, token)
    if problem := invitation_problem(invitation, utcnow()):
        return _invite_refused(request, problem, invitation is not None)  # before the fields
    assert invitation is not None
    inviter = invitation.created_by_name
    values = {"handle": handle, "email": email}
    data = {"handle": handle, "password": password, "email": email}
    form, errors = validate_form(Registration, data)
    if form is not None:
        try:
            member = await join_by_invitation(session, token, form)
        except JoinRefused as refused:
            # Someone else used the link between the page loading and this submission.
            return _invite_refused(request, str(refused), True)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            # Not counted against registrations per address: each link admits one person.
            secret = await start_session(session, member, request.headers.get("user-agent", ""))
            return logged_in_redirect(request, secret, "/")
    return _invite_page(request, token, inviter, values, errors, 422)


# Join requests, for moderators


def _decide(viewer: Viewer) -> None:
    ensure(can_review_join_requests(viewer), ONLY_STAFF_DECIDE)


@router.get("/review/registrations", name="site.registrations")
async def registrations_page(
    request: Request, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    _decide(viewer)
    mode = current_site(request).registration
    context = {
        "members": (await session.scalars(waiting_members())).all(),
        "done": DONE.get(done, ""),
        "needs_approval": mode == RegistrationMode.APPROVAL,
        "mode_label": REGISTRATION_CHOICES[mode][0],
    }
    return render(request, "site/registrations.html", context)


@router.post("/review/registrations/{handle}/approve")
async def approve(handle: str, session: SessionDep, viewer: MemberDep) -> Response:
    _decide(viewer)
    member = await access_waiting_member(session, handle)
    await approve_member(session, viewer, member)
    return RedirectResponse("/review/registrations?done=approved", status_code=303)


@router.post("/review/registrations/{handle}/reject")
async def turn_down(
    handle: str,
    session: SessionDep,
    viewer: MemberDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    _decide(viewer)
    member = await access_waiting_member(session, handle)
    form, _ = validate_form(TurnDown, {"reason": reason})
    await turn_down_member(session, viewer, member, form or TurnDown())
    return RedirectResponse("/review/registrations?done=turned-down", status_code=303)
