"""The home page and board pages."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from forum.auth.policies import can_start_thread, keeps_one_story
from forum.auth.viewer import ViewerDep
from forum.boards.queries import BoardMoved, access_board, boards_with_latest, by_category
from forum.config import settings
from forum.core.middleware import flags
from forum.core.templating import render
from forum.db import SessionDep
from forum.threads.queries import board_threads, own_story, page_count
from forum.wisdom.queries import pinned_collections

router = APIRouter()


@router.get("/", name="boards.home")
async def home(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    boards = await boards_with_latest(session, viewer)
    flags(request).indexable = True
    # The wisdom library's collections pinned on the home page: one query, a list of links.
    pinned = await pinned_collections(session, home=True)
    context = {"boards": boards, "sections": by_category(boards), "pinned": pinned}
    return render(request, "boards/home.html", context)


@router.get("/b/{slug}", name="boards.detail")
async def board(
    request: Request,
    slug: str,
    session: SessionDep,
    viewer: ViewerDep,
    page: int = Query(1, ge=1),
) -> Response:
    board = await access_board(session, viewer, slug)
    threads = await board_threads(session, board.id, page)
    flags(request).indexable = not board.is_members_only
    context = {
        "board": board,
        "threads": threads,
        "page": page,
        "pages": page_count(board.thread_count, settings.threads_per_page),
        "can_start": can_start_thread(viewer, board),
        # Story boards: "Start your story", or "Update your story" once the member has one.
        "one_story": keeps_one_story(viewer, board),
        "story": await own_story(session, viewer, board),
        "pinned": await pinned_collections(session, board_id=board.id),
    }
    return render(request, "boards/detail.html", context)


async def board_moved(request: Request, exc: BoardMoved) -> Response:
    """A renamed board's old address: 301 to the new one for reads; 308 for writes, which
    keeps the method and body."""
    status = 301 if request.method in ("GET", "HEAD") else 308
    return RedirectResponse(exc.location(request.url), status_code=status)
