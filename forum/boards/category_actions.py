"""Administrators' verbs on categories, the headings that group boards on the home page.

Callers checked can_administer(); no commits. As for boards (forum/boards/actions.py), each
verb checks its input, then writes one audit row; positions stay 1, 2, 3... in order.
"""

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import Viewer
from forum.boards.actions import NeedsConfirmation, flush_address, placed, renumber
from forum.boards.admin_queries import (
    boards_in_category,
    boards_in_group,
    categories_locked,
    category_by_slug,
    category_place_of,
)
from forum.boards.forms import CategoryChanges, CategoryCreate
from forum.boards.models import Category
from forum.core.errors import FieldErrors
from forum.core.templating import count_of
from forum.moderation.audit import record


async def _check_category_address(
    session: AsyncSession, slug: str, category: Category | None = None
) -> None:
    holder = await category_by_slug(session, slug)
    if holder is not None and holder is not category:
        raise FieldErrors({"slug": f"The category “{holder.name}” has that address already."})


async def _categories(session: AsyncSession) -> list[Category]:
    return list(await session.scalars(categories_locked()))


async def create_category(session: AsyncSession, actor: Viewer, form: CategoryCreate) -> Category:
    """Raises FieldErrors naming `slug` if another category has that address."""
    await _check_category_address(session, form.slug)
    categories = await _categories(session)
    category = Category(slug=form.slug, name=form.name, description=form.description)
    session.add(category)
    renumber(placed(categories, category, form.position))
    await flush_address(session, form.slug)
    await record(
        session,
        actor,
        "category.create",
        target_kind="category",
        target_id=category.id,
        target_label=category.name,
        slug=category.slug,
    )
    return category


async def edit_category(
    session: AsyncSession,
    actor: Viewer,
    category: Category,
    changes: CategoryChanges,
    reason: str = "",
) -> bool:
    """Change what `changes` names; False if nothing changed. FieldErrors name `slug`."""
    wanted = changes.given()
    fields = ("name", "slug", "description")
    place = await category_place_of(session, category)
    before = {**{name: getattr(category, name) for name in fields}, "position": place}
    if wanted.get("slug", category.slug) != category.slug:
        await _check_category_address(session, wanted["slug"], category)  # type: ignore[arg-type]
    if wanted.get("position", place) != place:
        renumber(placed(await _categories(session), category, wanted["position"]))  # type: ignore[arg-type]
        place = await category_place_of(session, category)
    for name in fields:
        setattr(category, name, wanted.get(name, getattr(category, name)))
    after = {**{name: getattr(category, name) for name in fields}, "position": place}
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return False
    await flush_address(session, category.slug)
    await record(
        session,
        actor,
        "category.edit",
        target_kind="category",
        target_id=category.id,
        target_label=category.name,
        reason=reason,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return True


async def move_category(
    session: AsyncSession, actor: Viewer, category: Category, direction: Literal["up", "down"]
) -> bool:
    """One place up or down on the home page; False at the top or bottom already."""
    categories = await _categories(session)
    before = categories.index(category) + 1
    after = before - 1 if direction == "up" else before + 1
    renumber(categories)
    if not 1 <= after <= len(categories):
        await session.flush()
        return False
    renumber(placed(categories, category, after))
    await session.flush()
    await record(
        session,
        actor,
        "category.move",
        target_kind="category",
        target_id=category.id,
        target_label=category.name,
        before={"position": before},
        after={"position": after},
    )
    return True


def deletion_warning(category: Category, boards: int) -> NeedsConfirmation:
    return NeedsConfirmation(
        f"{count_of(boards, 'board')} in “{category.name}” will be in no category: they stay as "
        "they are, listed first on the home page.",
        boards=boards,
    )


async def delete_category(
    session: AsyncSession,
    actor: Viewer,
    category: Category,
    *,
    confirmed: bool = False,
    reason: str = "",
) -> int:
    """Delete the category; its boards join the uncategorised ones, after them. Returns how many
    boards it had. With boards and without `confirmed`, raises NeedsConfirmation."""
    assert category.id is not None
    count = await boards_in_category(session, category.id)
    if count and not confirmed:
        raise deletion_warning(category, count)
    uncategorised = list(await session.scalars(boards_in_group(None)))
    for board in list(await session.scalars(boards_in_group(category.id))):
        board.category_id = None
        uncategorised.append(board)
    renumber(uncategorised)
    await session.delete(category)
    await session.flush()
    renumber([c for c in await _categories(session) if c is not category])
    await session.flush()
    await record(
        session,
        actor,
        "category.delete",
        target_kind="category",
        target_id=category.id,
        target_label=category.name,
        reason=reason,
        slug=category.slug,
        boards=count,
    )
    return count
