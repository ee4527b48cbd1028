"""Statements for a member's notices, newest first."""

from sqlalchemy import Select, func, select

from forum.notifications.models import Notification

PER_PAGE = 30


def member_notices(
    member_id: int, page: int, per_page: int = PER_PAGE
) -> Select[tuple[Notification]]:
    """One page of the member's notices; reads through ix_notifications_member_recent."""
    return (
        select(Notification)
        .where(Notification.member_id == member_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )


def notice_count(member_id: int) -> Select[tuple[int]]:
    return select(func.count()).where(Notification.member_id == member_id)
