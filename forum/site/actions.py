"""Joining the forum under its registration mode, invitations, and moderators' decisions on
people who asked to join.

Every way in for a visitor goes through join() or join_by_invitation(), for pages and API
alike; both read the registration mode on the request's own session, never from the cache.
"""

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.actions import register_member
from forum.accounts.forms import Registration
from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.core.security import hash_secret, new_secret
from forum.core.time import MONTHS, utcnow
from forum.moderation.audit import record
from forum.notifications.actions import notify
from forum.site.forms import InvitationCreate, TurnDown
from forum.site.models import Invitation
from forum.site.queries import invitation_by_token
from forum.site.settings import RegistrationMode

INVITATION_ONLY = "Joining is by invitation only. Ask a member of staff for an invitation link."
REQUEST_SENT = "Thanks — a moderator will look at your request; you can log in once it's approved."
STILL_WAITING = (
    "Your request to join is waiting for a moderator. You can log in once it's approved."
)
NOT_AN_INVITATION = (
    "This invitation link isn't valid. Check that you copied all of it, "
    "or ask the member of staff who sent it for a new one."
)


class JoinRefused(Exception):
    """The registration mode or the invitation doesn't let this person join; says why."""


def short_date(moment: datetime) -> str:
    """'3 Dec 2026'."""
    return f"{moment.day} {MONTHS[moment.month - 1][:3]} {moment.year}"


# Joining


async def join(session: AsyncSession, form: Registration, mode: RegistrationMode) -> Member:
    """Register through the open door under `mode`, which the caller read with load_site() on
    this session: waiting for a moderator when joining needs approval, refused when it is by
    invitation only. Raises JoinRefused, or FieldErrors (the handle is taken)."""
    if mode == RegistrationMode.INVITATION:
        raise JoinRefused(INVITATION_ONLY)
    return await register_member(session, form, awaiting_approval=mode == RegistrationMode.APPROVAL)


def invitation_state(invitation: Invitation, now: datetime) -> str:
    """waiting, used, revoked or expired (a used link stays used whatever happens after)."""
    if invitation.used_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "waiting"


def invitation_problem(invitation: Invitation | None, now: datetime) -> str | None:
    """Why this link can't be used to join, naming who to ask; None if it can."""
    if invitation is None:
        return NOT_AN_INVITATION
    ask = (
        f"Ask {invitation.created_by_name} (who sent it) or another member of staff for a new one."
    )
    state = invitation_state(invitation, now)
    if state == "used":
        return f"This invitation has been used already: each link lets one person join. {ask}"
    if state == "revoked":
        return f"This invitation was withdrawn by the forum's staff. {ask}"
    if state == "expired":
        return f"This invitation expired on {short_date(invitation.expires_at)}. {ask}"
    return None


async def join_by_invitation(session: AsyncSession, token: str, form: Registration) -> Member:
    """Register through an invitation link, in any registration mode and without waiting for
    approval; the link is used up in the same transaction. Raises JoinRefused or FieldErrors."""
    invitation = await invitation_by_token(session, token, lock=True)
    now = utcnow()
    if problem := invitation_problem(invitation, now):
        raise JoinRefused(problem)
    assert invitation is not None
    member = await register_member(session, form)
    invitation.used_at = now
    invitation.used_by_id = member.id
    await session.flush()
    return member


# Invitations


async def create_invitation(
    session: AsyncSession, actor: Viewer, form: InvitationCreate
) -> tuple[Invitation, str]:
    """Caller checked can_invite() and the rate limit. Returns the invitation and its token,
    which exists only in this answer: the table keeps its hash."""
    token = new_secret()
    invitation = Invitation(
        token_hash=hash_secret(token),
        note=form.note,
        created_by_id=actor.member_id,
        created_by_name=actor.handle,
        expires_at=utcnow() + timedelta(days=form.days),
    )
    session.add(invitation)
    await session.flush()
    await record(
        session,
        actor,
        "invitation.create",
        target_kind="invitation",
        target_id=invitation.id,
        target_label=form.note,
        days=form.days,
    )
    return invitation, token


async def revoke_invitation(session: AsyncSession, actor: Viewer, invitation: Invitation) -> bool:
    """Caller checked can_invite(). Only a link still waiting can be revoked; True if it was."""
    if invitation_state(invitation, utcnow()) != "waiting":
        return False
    invitation.revoked_at = utcnow()
    await record(
        session,
        actor,
        "invitation.revoke",
        target_kind="invitation",
        target_id=invitation.id,
        target_label=invitation.note,
    )
    return True


# Requests to join


async def approve_member(session: AsyncSession, actor: Viewer, member: Member) -> None:
    """Caller checked can_review_join_requests() and locked the member (access_waiting_member).
    They can log in from now on, and a notice welcomes them when they do."""
    member.awaiting_approval = False
    await record(
        session,
        actor,
        "member.approve",
        target_kind="member",
        target_id=member.id,
        target_label=member.handle,
    )
    await notify(
        session,
        member.id,  # type: ignore[arg-type]
        "Welcome! A moderator approved your request to join. The community rules are worth "
        "a read before your first post.",
        "/rules",
    )
    await session.flush()


async def turn_down_member(
    session: AsyncSession, actor: Viewer, member: Member, form: TurnDown
) -> None:
    """Caller checked can_review_join_requests() and locked the member. The account was never
    used, so it goes entirely; the audit entry keeps the handle."""
    await record(
        session,
        actor,
        "member.turn_down",
        target_kind="member",
        target_id=None,
        target_label=member.handle,
        reason=form.reason,
    )
    await session.delete(member)
    await session.flush()
