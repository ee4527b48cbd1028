"""Invitations, people waiting to join, and what the administration hub needs to know."""

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forum.accounts.handles import handle_key
from forum.accounts.models import Member
from forum.boards.models import Board
from forum.core.errors import not_found
from forum.core.security import hash_secret
from forum.site.models import Invitation

# The invitations page lists this many, newest first; older ones stay in the table.
INVITATIONS_LISTED = 100

_USED_BY = aliased(Member)


def invitation_rows(limit: int = INVITATIONS_LISTED) -> Select:
    """Newest first, with the handle of whoever joined through each (if they still exist)."""
    return (
        select(Invitation, _USED_BY.handle.label("used_by_handle"))
        .outerjoin(_USED_BY, _USED_BY.id == Invitation.used_by_id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(limit)
    )


async def access_invitation(session: AsyncSession, invitation_id: int) -> Invitation:
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None:
        not_found("invitation")
    return invitation


async def invitation_by_token(
    session: AsyncSession, token: str, *, lock: bool = False
) -> Invitation | None:
    """The invitation behind a link, found by the token's hash; locked for a registration, so
    two people submitting one link at once can't both join through it."""
    statement = select(Invitation).where(Invitation.token_hash == hash_secret(token))
    if lock:
        statement = statement.with_for_update()
    return (await session.scalars(statement)).first()


def waiting_members() -> Select[tuple[Member]]:
    """People who asked to join, oldest first (the partial index on created_at holds them)."""
    return select(Member).where(Member.awaiting_approval).order_by(Member.created_at, Member.id)


async def access_waiting_member(session: AsyncSession, handle: str) -> Member:
    """Locked: two moderators deciding at once find the second decision already made."""
    member = (
        await session.scalars(
            select(Member)
            .where(Member.handle_key == handle_key(handle), Member.awaiting_approval)
            .with_for_update()
        )
    ).first()
    if member is None:
        not_found("request to join; another moderator may have decided it already")
    return member


async def waiting_count(session: AsyncSession) -> int:
    statement = select(func.count()).select_from(Member).where(Member.awaiting_approval)
    return (await session.execute(statement)).scalar_one()


async def has_boards(session: AsyncSession) -> bool:
    return bool(await session.scalar(select(exists().where(Board.id.is_not(None)))))
