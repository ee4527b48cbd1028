"""Boards over JSON: the board list and a board's page of threads, as on / and /b/{slug}."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from forum.api.schemas import Out, ThreadOut
from forum.auth.viewer import ViewerDep
from forum.boards.queries import access_board, visible_boards
from forum.config import settings
from forum.core.csrf import verify_csrf
from forum.db import SessionDep
from forum.threads.queries import board_threads, page_count

router = APIRouter(prefix="/api/v1", tags=["forum"], dependencies=[Depends(verify_csrf)])


class BoardOut(Out):
    slug: str
    name: str
    description: str
    is_members_only: bool
    thread_count: int
    post_count: int
    last_post_at: datetime | None


class BoardPage(BaseModel):
    board: BoardOut
    threads: list[ThreadOut]
    page: int
    pages: int


@router.get("/boards", response_model=list[BoardOut])
async def boards(session: SessionDep, viewer: ViewerDep) -> list[BoardOut]:
    """Boards the caller may see, in the forum's order."""
    return [BoardOut.model_validate(b) for b in (await session.scalars(visible_boards(viewer)))]


@router.get("/boards/{slug}/threads", response_model=BoardPage)
async def board_page(
    slug: str, session: SessionDep, viewer: ViewerDep, page: int = Query(1, ge=1)
) -> BoardPage:
    """A page of a board's threads: pinned first, then by last activity."""
    board = await access_board(session, viewer, slug)
    threads = await board_threads(session, board.id, page)
    return BoardPage(
        board=BoardOut.model_validate(board),
        threads=[ThreadOut.of(t) for t in threads],
        page=page,
        pages=page_count(board.thread_count, settings.threads_per_page),
    )
