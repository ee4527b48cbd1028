"""A member's notices: what became of their reports, warnings, posts approved."""

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from forum.auth.viewer import MemberDep
from forum.core.csrf import verify_csrf
from forum.core.templating import render
from forum.db import SessionDep
from forum.notifications.actions import mark_all_read
from forum.notifications.queries import PER_PAGE, member_notices, notice_count
from forum.threads.queries import page_count

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/notifications", name="notifications.list")
async def notices(
    request: Request, session: SessionDep, viewer: MemberDep, page: int = Query(1, ge=1)
) -> Response:
    assert viewer.member_id is not None
    total = (await session.scalars(notice_count(viewer.member_id))).one()
    pages = page_count(total, PER_PAGE)
    if page > pages:
        return RedirectResponse(f"/notifications?page={pages}", status_code=303)
    context = {
        "notices": (await session.scalars(member_notices(viewer.member_id, page))).all(),
        "page": page,
        "pages": pages,
    }
    return render(request, "notifications/list.html", context)


@router.post("/notifications/read", name="notifications.read")
async def read_all(session: SessionDep, viewer: MemberDep) -> Response:
    assert viewer.member_id is not None
    await mark_all_read(session, viewer.member_id)
    return RedirectResponse("/notifications", status_code=303)
