"""Telling members what happened: written with the change, read on their notifications page."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from forum.core.time import utcnow
from forum.notifications.models import Notification


async def notify(session: AsyncSession, member_id: int, message: str, link: str = "") -> None:
    session.add(Notification(member_id=member_id, message=message[:1000], link=link))


async def mark_all_read(session: AsyncSession, member_id: int) -> None:
    await session.execute(
        update(Notification)
        .where(Notification.member_id == member_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
