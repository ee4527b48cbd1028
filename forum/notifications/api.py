"""The JSON API for a member's notices: the same list and "mark all read" as the page."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from forum.auth.viewer import MemberDep
from forum.core.csrf import verify_csrf
from forum.db import SessionDep
from forum.notifications.actions import mark_all_read
from forum.notifications.models import Notification
from forum.notifications.queries import PER_PAGE, member_notices, notice_count
from forum.threads.queries import page_count

router = APIRouter(prefix="/api/v1", tags=["notifications"], dependencies=[Depends(verify_csrf)])


class NoticeOut(BaseModel):
    id: int
    message: str
    link: str
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, notice: Notification) -> "NoticeOut":
        return cls(
            id=notice.id,  # type: ignore[arg-type]
            message=notice.message,
            link=notice.link,
            created_at=notice.created_at,
            read=notice.read_at is not None,
        )


class NoticePage(BaseModel):
    notices: list[NoticeOut]
    page: int
    pages: int


@router.get("/notifications", response_model=NoticePage)
async def notices(session: SessionDep, viewer: MemberDep, page: int = Query(1, ge=1)) -> NoticePage:
    """The caller's notices, newest first, 30 a page."""
    assert viewer.member_id is not None
    total = (await session.scalars(notice_count(viewer.member_id))).one()
    rows = (await session.scalars(member_notices(viewer.member_id, page))).all()
    return NoticePage(
        notices=[NoticeOut.of(n) for n in rows], page=page, pages=page_count(total, PER_PAGE)
    )


@router.post("/notifications/read")
async def read_all(session: SessionDep, viewer: MemberDep) -> dict[str, int]:
    """Mark every notice read."""
    assert viewer.member_id is not None
    await mark_all_read(session, viewer.member_id)
    return {"unread": 0}
