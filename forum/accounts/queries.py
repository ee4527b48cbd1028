"""Looking members up, and what the account page lists."""

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.handles import handle_key
from forum.accounts.models import Member
from forum.auth.models import ApiToken, LoginSession
from forum.core.errors import not_found
from forum.core.time import utcnow


async def member_by_handle(session: AsyncSession, handle: str) -> Member | None:
    key = handle_key(handle)
    return (await session.scalars(select(Member).where(Member.handle_key == key))).first()


async def access_member(session: AsyncSession, handle: str) -> Member:
    member = await member_by_handle(session, handle)
    if member is None:
        not_found("member")
    return member


def member_sessions(member_id: int) -> Select[tuple[LoginSession]]:
    return (
        select(LoginSession)
        .where(LoginSession.member_id == member_id, LoginSession.expires_at > utcnow())
        .order_by(LoginSession.last_seen_at.desc())
    )


def member_tokens(member_id: int) -> Select[tuple[ApiToken]]:
    return select(ApiToken).where(ApiToken.member_id == member_id).order_by(ApiToken.created_at)
