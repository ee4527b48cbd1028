"""Boards and categories over JSON: the lists and a board's threads, as on / and /b/{slug}, and
for administrators the same changes as the /admin/boards pages, through the same actions."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from forum.api.schemas import Out, ThreadOut
from forum.auth.policies import can_administer
from forum.auth.viewer import MemberDep, Viewer, ViewerDep
from forum.boards.actions import (
    BoardNotEmpty,
    NeedsConfirmation,
    archive_board,
    create_board,
    delete_board,
    edit_board,
    unarchive_board,
)
from forum.boards.admin_queries import (
    access_any_board,
    access_category,
    category_place_of,
    category_slug,
    place_of,
)
from forum.boards.category_actions import create_category, delete_category, edit_category
from forum.boards.forms import (
    BoardChanges,
    BoardCreate,
    BoardSettings,
    CategoryChanges,
    CategoryCreate,
    Reason,
)
from forum.boards.models import Board, Category
from forum.boards.queries import access_board, listed_boards, listed_categories
from forum.config import settings
from forum.core.csrf import verify_csrf
from forum.core.errors import ensure
from forum.db import SessionDep
from forum.threads.queries import board_threads, page_count

router = APIRouter(prefix="/api/v1", tags=["forum"], dependencies=[Depends(verify_csrf)])
ONLY_ADMINS = "Only administrators can change boards and categories."


class BoardOut(Out):
    slug: str
    name: str
    description: str
    # The category's address; null for a board in no category.
    category: str | None
    is_members_only: bool
    # Readable, but nobody can start, reply to or edit threads in it.
    is_archived: bool
    # Each member keeps one ongoing story thread here.
    is_story_board: bool
    thread_count: int
    post_count: int
    last_post_at: datetime | None

    @classmethod
    def of(cls, board: Board, category: str | None) -> "BoardOut":
        return cls.model_validate({**board.model_dump(), "category": category or None})


class BoardAdminOut(BoardOut):
    """What administrators see of a board, after a change."""

    # 1 for the top of its category.
    position: int
    approve_first_posts: int
    # Old addresses, which redirect to this board.
    former_slugs: list[str]


class BoardPage(BaseModel):
    board: BoardOut
    threads: list[ThreadOut]
    page: int
    pages: int


class CategoryOut(Out):
    slug: str
    name: str
    description: str
    position: int
    # How many of its boards the caller may see.
    board_count: int


class _Strict(BaseModel):
    # A misspelled field is named in the 422 rather than silently ignored.
    model_config = ConfigDict(extra="forbid")


class BoardIn(BoardCreate, _Strict):
    pass


class BoardPatch(BoardChanges, Reason, _Strict):
    # Making a members-only board public, or the reverse, answers 409 with the counts unless true.
    confirm_visibility_change: bool = False


class BoardSettingsIn(BoardSettings, Reason, _Strict):
    pass


class CategoryIn(CategoryCreate, _Strict):
    pass


class CategoryPatch(CategoryChanges, Reason, _Strict):
    pass


def _administer(viewer: Viewer) -> None:
    ensure(can_administer(viewer), ONLY_ADMINS)


def _needs_confirmation(needed: NeedsConfirmation, field: str) -> JSONResponse:
    body = {"error": "confirmation_needed", "message": str(needed), **needed.counts}
    return JSONResponse({**body, "fields": {field: str(needed)}}, status_code=409)


async def _admin_out(session: SessionDep, board: Board) -> BoardAdminOut:
    data = {
        **board.model_dump(),
        "category": await category_slug(session, board) or None,
        "position": await place_of(session, board),
    }
    return BoardAdminOut.model_validate(data)


# Reading


@router.get("/boards", response_model=list[BoardOut])
async def boards(session: SessionDep, viewer: ViewerDep) -> list[BoardOut]:
    """Boards the caller may see, in the forum's order (those in no category first)."""
    rows = (await session.execute(listed_boards(viewer))).all()
    return [BoardOut.of(board, category) for board, category in rows]


@router.get("/boards/{slug}/threads", response_model=BoardPage)
async def board_page(
    slug: str, session: SessionDep, viewer: ViewerDep, page: int = Query(1, ge=1)
) -> BoardPage:
    """A page of a board's threads: pinned first, then by last activity. A board's old
    address answers 301 with its new one."""
    board = await access_board(session, viewer, slug)
    threads = await board_threads(session, board.id, page)
    return BoardPage(
        board=BoardOut.of(board, await category_slug(session, board)),
        threads=[ThreadOut.of(t) for t in threads],
        page=page,
        pages=page_count(board.thread_count, settings.threads_per_page),
    )


@router.get("/categories", response_model=list[CategoryOut])
async def categories(session: SessionDep, viewer: ViewerDep) -> list[CategoryOut]:
    """Categories in home-page order: those with a board the caller may see (all of them, for
    administrators)."""
    rows = (await session.execute(listed_categories(viewer, every=can_administer(viewer)))).all()
    return [_category_out(c, n, place) for place, (c, n) in enumerate(rows, start=1)]


# Administering boards


@router.post("/boards", response_model=BoardAdminOut, status_code=201)
async def post_board(data: BoardIn, session: SessionDep, viewer: MemberDep) -> BoardAdminOut:
    """Create a board. `slug` is made from the name if left out; `category` is a category's
    address; `position` 1 puts it at the top of its category (default: the bottom)."""
    _administer(viewer)
    board = await create_board(session, viewer, data)
    return await _admin_out(session, board)


@router.patch("/boards/{slug}", response_model=BoardAdminOut)
async def patch_board(
    slug: str, data: BoardPatch, session: SessionDep, viewer: MemberDep
) -> BoardAdminOut:
    """Change the fields sent, and only those; `category: null` takes it out of its category.
    A new `slug` keeps the old address working (it redirects). Turning `is_members_only` either
    way answers 409 with the message and the `threads` and `posts` affected, unless
    `confirm_visibility_change` is true."""
    _administer(viewer)
    board = await access_any_board(session, slug)
    try:
        await edit_board(
            session,
            viewer,
            board,
            data,
            confirm_visibility_change=data.confirm_visibility_change,
            reason=data.reason,
        )
    except NeedsConfirmation as needed:
        return _needs_confirmation(needed, "confirm_visibility_change")  # type: ignore[return-value]
    return await _admin_out(session, board)


@router.put("/boards/{slug}/settings", response_model=BoardAdminOut)
async def put_board_settings(
    slug: str, data: BoardSettingsIn, session: SessionDep, viewer: MemberDep
) -> BoardAdminOut:
    """How many first posts of a plain member wait for approval in this board (0 to 20); the
    same as PATCH with `approve_first_posts` alone."""
    _administer(viewer)
    board = await access_any_board(session, slug)
    changes = BoardChanges(approve_first_posts=data.approve_first_posts)
    await edit_board(session, viewer, board, changes, reason=data.reason)
    return await _admin_out(session, board)


@router.post("/boards/{slug}/archive", response_model=BoardAdminOut)
async def post_archive(
    slug: str, session: SessionDep, viewer: MemberDep, data: Reason | None = None
) -> BoardAdminOut:
    """Make the board read-only: still listed and readable, but nobody can start, reply to,
    edit or move threads into it. Archiving twice changes nothing."""
    _administer(viewer)
    board = await access_any_board(session, slug)
    await archive_board(session, viewer, board, data.reason if data else "")
    return await _admin_out(session, board)


@router.post("/boards/{slug}/unarchive", response_model=BoardAdminOut)
async def post_unarchive(
    slug: str, session: SessionDep, viewer: MemberDep, data: Reason | None = None
) -> BoardAdminOut:
    _administer(viewer)
    board = await access_any_board(session, slug)
    await unarchive_board(session, viewer, board, data.reason if data else "")
    return await _admin_out(session, board)


@router.delete("/boards/{slug}", status_code=204)
async def delete_board_api(slug: str, session: SessionDep, viewer: MemberDep) -> Response:
    """Delete a board that never had a thread. Otherwise 409 with `threads` (hidden and
    deleted ones count): archive it instead."""
    _administer(viewer)
    board = await access_any_board(session, slug)
    try:
        await delete_board(session, viewer, board)
    except BoardNotEmpty as refused:
        body = {"error": "board_not_empty", "message": str(refused), "threads": refused.threads}
        return JSONResponse(body, status_code=409)
    return Response(status_code=204)


# Administering categories


def _category_out(category: Category, boards: int, place: int) -> CategoryOut:
    data = {**category.model_dump(), "board_count": boards, "position": place}
    return CategoryOut.model_validate(data)


@router.post("/categories", response_model=CategoryOut, status_code=201)
async def post_category(data: CategoryIn, session: SessionDep, viewer: MemberDep) -> CategoryOut:
    """Create a category (a heading on the home page); `position` 1 puts it first."""
    _administer(viewer)
    category = await create_category(session, viewer, data)
    return _category_out(category, 0, await category_place_of(session, category))


@router.patch("/categories/{slug}", response_model=CategoryOut)
async def patch_category(
    slug: str, data: CategoryPatch, session: SessionDep, viewer: MemberDep
) -> CategoryOut:
    """Change the name, address, description or position sent."""
    _administer(viewer)
    category = await access_category(session, slug)
    await edit_category(session, viewer, category, data, data.reason)
    rows = (await session.execute(listed_categories(viewer, every=True))).all()
    return next(
        _category_out(c, n, place)
        for place, (c, n) in enumerate(rows, start=1)
        if c.id == category.id
    )


@router.delete("/categories/{slug}", status_code=204)
async def delete_category_api(
    slug: str, session: SessionDep, viewer: MemberDep, confirm: bool = False
) -> Response:
    """Delete a category; its boards stay, in no category. A category with boards answers 409
    with `boards` (how many) unless `?confirm=true`."""
    _administer(viewer)
    category = await access_category(session, slug)
    try:
        await delete_category(session, viewer, category, confirmed=confirm)
    except NeedsConfirmation as needed:
        return _needs_confirmation(needed, "confirm")
    return Response(status_code=204)
