"""Administrators' pages for categories, under /admin/categories; they are listed, with their
boards, on /admin/boards (forum/boards/admin_views.py)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from forum.auth.viewer import MemberDep
from forum.boards.actions import NeedsConfirmation
from forum.boards.admin_queries import access_category, boards_in_category, category_place_of
from forum.boards.admin_views import Text, administer, back_to_list
from forum.boards.category_actions import (
    create_category,
    delete_category,
    edit_category,
    move_category,
)
from forum.boards.forms import CategoryChanges, CategoryCreate
from forum.boards.models import Category
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors
from forum.core.forms import validate_form
from forum.core.templating import render
from forum.db import SessionDep

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/admin/categories", include_in_schema=False)
async def categories_page(viewer: MemberDep) -> Response:
    administer(viewer)
    return RedirectResponse("/admin/boards#categories", status_code=303)


async def _category_form(
    request: Request,
    *,
    category: Category | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    boards: int = 0,
    status: int = 200,
) -> Response:
    context = {"category": category, "values": values, "errors": errors or {}, "boards": boards}
    return render(request, "boards/admin/category_form.html", context, status_code=status)


@router.get("/admin/categories/new", name="boards.admin_new_category")
async def new_category_page(request: Request, viewer: MemberDep) -> Response:
    administer(viewer)
    return await _category_form(request, category=None, values={})


@router.post("/admin/categories/new")
async def new_category(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    name: Text = "",
    slug: Text = "",
    description: Text = "",
    position: Text = "",
) -> Response:
    administer(viewer)
    values = {"name": name, "slug": slug, "description": description, "position": position}
    form, errors = validate_form(CategoryCreate, values)
    if form is not None:
        try:
            category = await create_category(session, viewer, form)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return back_to_list(f"category-{category.slug}", "category.created")
    return await _category_form(request, category=None, values=values, errors=errors, status=422)


@router.get("/admin/categories/{slug}", name="boards.admin_edit_category")
async def edit_category_page(
    request: Request, slug: str, session: SessionDep, viewer: MemberDep
) -> Response:
    administer(viewer)
    category = await access_category(session, slug)
    values = {
        "name": category.name,
        "slug": category.slug,
        "description": category.description,
        "position": str(await category_place_of(session, category)),
    }
    boards = await boards_in_category(session, category.id)  # type: ignore[arg-type]
    return await _category_form(request, category=category, values=values, boards=boards)


@router.post("/admin/categories/{slug}")
async def save_category(
    request: Request,
    slug: str,
    session: SessionDep,
    viewer: MemberDep,
    name: Text = "",
    new_slug: Annotated[str, Form(alias="slug")] = "",
    description: Text = "",
    position: Text = "",
) -> Response:
    administer(viewer)
    category = await access_category(session, slug)
    values = {"name": name, "slug": new_slug, "description": description, "position": position}
    changes, errors = validate_form(CategoryChanges, values)
    if changes is not None:
        try:
            await edit_category(session, viewer, category, changes)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return back_to_list(f"category-{category.slug}", "category.saved")
    boards = await boards_in_category(session, category.id)  # type: ignore[arg-type]
    return await _category_form(
        request, category=category, values=values, errors=errors, boards=boards, status=422
    )


@router.post("/admin/categories/{slug}/move")
async def move_category_form(
    slug: str, session: SessionDep, viewer: MemberDep, direction: Text = ""
) -> Response:
    administer(viewer)
    category = await access_category(session, slug)
    if direction in ("up", "down"):
        await move_category(session, viewer, category, direction)  # type: ignore[arg-type]
    return back_to_list(f"category-{category.slug}")


async def _category_delete_page(
    request: Request, category: Category, boards: int, error: str = "", status: int = 200
) -> Response:
    context = {"category": category, "boards": boards, "error": error}
    return render(request, "boards/admin/category_delete.html", context, status_code=status)


@router.get("/admin/categories/{slug}/delete", name="boards.admin_delete_category")
async def delete_category_page(
    request: Request, slug: str, session: SessionDep, viewer: MemberDep
) -> Response:
    administer(viewer)
    category = await access_category(session, slug)
    boards = await boards_in_category(session, category.id)  # type: ignore[arg-type]
    return await _category_delete_page(request, category, boards)


@router.post("/admin/categories/{slug}/delete")
async def delete_category_form(
    request: Request,
    slug: str,
    session: SessionDep,
    viewer: MemberDep,
    confirm: Text = "",
) -> Response:
    administer(viewer)
    category = await access_category(session, slug)
    try:
        await delete_category(session, viewer, category, confirmed=bool(confirm))
    except NeedsConfirmation as needed:
        error = f"{needed} Tick the box to go ahead."
        return await _category_delete_page(
            request, category, needed.counts["boards"], error, status=409
        )
    return back_to_list("top", "category.deleted")
