"""Administrators' pages for boards, under /admin/boards: the list of boards and categories,
and each board's page. Categories' own pages are in forum/boards/category_views.py.

Thin handlers: check can_administer(), parse the form, call forum.boards.actions, then
redirect, or show the form again with what was typed and each problem beside its field.
"""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.policies import can_administer
from forum.auth.viewer import MemberDep, Viewer
from forum.boards.actions import (
    BoardNotEmpty,
    NeedsConfirmation,
    archive_board,
    create_board,
    delete_board,
    edit_board,
    move_board,
    unarchive_board,
)
from forum.boards.admin_queries import (
    access_any_board,
    board_groups,
    categories_in_order,
    category_slug,
    place_of,
    thread_total,
)
from forum.boards.forms import BoardChanges, BoardCreate, Reason
from forum.boards.models import Board
from forum.config import settings
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure
from forum.core.forms import validate_form
from forum.core.templating import render
from forum.db import SessionDep

router = APIRouter(dependencies=[Depends(verify_csrf)])

ONLY_ADMINS = "Only administrators can change boards and categories."
# ?done= says what just happened: one of these (a dot, so never a board's address), or the
# address of the board just saved, marked "Saved." in its row.
DONE = {
    "board.created": "Board created.",
    "board.deleted": "Board deleted.",
    "category.created": "Category created.",
    "category.saved": "Category saved.",
    "category.deleted": "Category deleted; its boards are now in no category.",
}
Text = Annotated[str, Form()]


def administer(viewer: Viewer) -> None:
    ensure(can_administer(viewer), ONLY_ADMINS)


def back_to_list(anchor: str, done: str = "") -> RedirectResponse:
    query = f"?done={quote(done)}" if done else ""
    return RedirectResponse(f"/admin/boards{query}#{anchor}", status_code=303)


def _reason(text: str) -> tuple[str, dict[str, str]]:
    form, errors = validate_form(Reason, {"reason": text})
    return (form.reason if form else ""), errors


# The list


@router.get("/admin/boards", name="boards.admin")
async def boards_page(
    request: Request, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    administer(viewer)
    context = {"groups": await board_groups(session), "done": done[:60], "messages": DONE}
    return render(request, "boards/admin/list.html", context)


# Boards: create and edit


def _board_values(board: Board, category: str, place: int) -> dict[str, Any]:
    return {
        "name": board.name,
        "slug": board.slug,
        "description": board.description,
        "category": category,
        "position": str(place),
        "is_members_only": board.is_members_only,
        "is_story_board": board.is_story_board,
        "approve_first_posts": str(board.approve_first_posts),
    }


async def _board_form(
    request: Request,
    session: AsyncSession,
    *,
    board: Board | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    warning: NeedsConfirmation | None = None,
    status: int = 200,
) -> Response:
    context = {
        "board": board,
        "categories": (await session.scalars(categories_in_order())).all(),
        "values": values,
        "errors": errors or {},
        "warning": warning,
    }
    return render(request, "boards/admin/board_form.html", context, status_code=status)


def _typed(
    name: str,
    slug: str,
    description: str,
    category: str,
    position: str,
    is_members_only: str,
    is_story_board: str,
    approve_first_posts: str,
    reason: str = "",
) -> dict[str, Any]:
    return {
        "name": name,
        "slug": slug,
        "description": description,
        "category": category,
        "position": position,
        "is_members_only": bool(is_members_only),
        "is_story_board": bool(is_story_board),
        "approve_first_posts": approve_first_posts,
        "reason": reason,
    }


@router.get("/admin/boards/new", name="boards.admin_new")
async def new_board_page(
    request: Request, session: SessionDep, viewer: MemberDep, category: str = ""
) -> Response:
    administer(viewer)
    values = {"category": category[:60], "approve_first_posts": str(settings.approve_first_posts)}
    return await _board_form(request, session, board=None, values=values)


@router.post("/admin/boards/new")
async def new_board(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    name: Text = "",
    slug: Text = "",
    description: Text = "",
    category: Text = "",
    position: Text = "",
    is_members_only: Text = "",
    is_story_board: Text = "",
    approve_first_posts: Text = "",
) -> Response:
    administer(viewer)
    values = _typed(
        name, slug, description, category, position, is_members_only, is_story_board,
        approve_first_posts,
    )  # fmt: skip
    form, errors = validate_form(BoardCreate, values)
    if form is not None:
        try:
            board = await create_board(session, viewer, form)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return back_to_list(f"board-{board.slug}", "board.created")
    return await _board_form(request, session, board=None, values=values, errors=errors, status=422)


@router.get("/admin/boards/{slug}", name="boards.admin_edit")
async def edit_board_page(
    request: Request, slug: str, session: SessionDep, viewer: MemberDep
) -> Response:
    administer(viewer)
    board = await access_any_board(session, slug)
    values = _board_values(
        board, await category_slug(session, board), await place_of(session, board)
    )
    return await _board_form(request, session, board=board, values=values)


@router.post("/admin/boards/{slug}")
async def save_board(
    request: Request,
    slug: str,
    session: SessionDep,
    viewer: MemberDep,
    name: Text = "",
    new_slug: Annotated[str, Form(alias="slug")] = "",
    description: Text = "",
    category: Text = "",
    position: Text = "",
    is_members_only: Text = "",
    is_story_board: Text = "",
    approve_first_posts: Text = "",
    reason: Text = "",
    confirm_visibility_change: Text = "",
) -> Response:
    administer(viewer)
    board = await access_any_board(session, slug)
    values = _typed(
        name, new_slug, description, category, position, is_members_only, is_story_board,
        approve_first_posts, reason,
    )  # fmt: skip
    changes, errors = validate_form(BoardChanges, values)
    why, reason_errors = _reason(reason)
    errors |= reason_errors
    warning = None
    if changes is not None and not errors:
        try:
            await edit_board(
                session,
                viewer,
                board,
                changes,
                confirm_visibility_change=bool(confirm_visibility_change),
                reason=why,
            )
        except FieldErrors as problem:
            errors = problem.fields
        except NeedsConfirmation as needed:
            warning = needed
        else:
            return back_to_list(f"board-{board.slug}", board.slug)
    status = 409 if warning else 422
    return await _board_form(
        request, session, board=board, values=values, errors=errors, warning=warning, status=status
    )


# Boards: order, archive, delete


@router.post("/admin/boards/{slug}/move")
async def move_board_form(
    slug: str, session: SessionDep, viewer: MemberDep, direction: Text = ""
) -> Response:
    administer(viewer)
    board = await access_any_board(session, slug)
    if direction in ("up", "down"):
        await move_board(session, viewer, board, direction)  # type: ignore[arg-type]
    return back_to_list(f"board-{board.slug}")


@router.post("/admin/boards/{slug}/archive")
async def archive_form(
    slug: str, session: SessionDep, viewer: MemberDep, reason: Text = ""
) -> Response:
    administer(viewer)
    board = await access_any_board(session, slug)
    why, _ = _reason(reason[:500])
    await archive_board(session, viewer, board, why)
    return back_to_list(f"board-{board.slug}", board.slug)


@router.post("/admin/boards/{slug}/unarchive")
async def unarchive_form(
    slug: str, session: SessionDep, viewer: MemberDep, reason: Text = ""
) -> Response:
    administer(viewer)
    board = await access_any_board(session, slug)
    why, _ = _reason(reason[:500])
    await unarchive_board(session, viewer, board, why)
    return back_to_list(f"board-{board.slug}", board.slug)


async def _delete_page(
    request: Request, board: Board, threads: int, refusal: str = "", status: int = 200
) -> Response:
    context = {"board": board, "threads": threads, "refusal": refusal}
    return render(request, "boards/admin/board_delete.html", context, status_code=status)


@router.get("/admin/boards/{slug}/delete", name="boards.admin_delete")
async def delete_board_page(
    request: Request, slug: str, session: SessionDep, viewer: MemberDep
) -> Response:
    administer(viewer)
    board = await access_any_board(session, slug)
    threads = await thread_total(session, board.id)  # type: ignore[arg-type]
    refusal = str(BoardNotEmpty(board, threads)) if threads else ""
    return await _delete_page(request, board, threads, refusal)


@router.post("/admin/boards/{slug}/delete")
async def delete_board_form(
    request: Request, slug: str, session: SessionDep, viewer: MemberDep, reason: Text = ""
) -> Response:
    administer(viewer)
    board = await access_any_board(session, slug)
    why, _ = _reason(reason[:500])
    try:
        await delete_board(session, viewer, board, why)
    except BoardNotEmpty as refused:
        return await _delete_page(request, board, refused.threads, str(refused), status=409)
    return back_to_list("top", "board.deleted")
