"""Administrators' verbs on boards. Callers checked can_administer(); no commits.

Each verb checks its input before writing, then writes one audit row in the same transaction.
Positions are 1, 2, 3... within each category (and among the boards in none), renumbered on
every change so they stay compact. Verbs that reorder lock the rows they renumber first.
Categories have their verbs in forum/boards/category_actions.py.
"""

from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import Viewer
from forum.boards.admin_queries import (
    address_holder,
    boards_in_group,
    category_by_slug,
    category_slug,
    place_of,
    thread_total,
)
from forum.boards.forms import BoardChanges, BoardCreate
from forum.boards.models import Board
from forum.config import settings
from forum.core.errors import FieldErrors
from forum.core.templating import count_of
from forum.moderation.audit import record

Direction = Literal["up", "down"]


class NeedsConfirmation(Exception):
    """The change would surprise people, so it waits for the administrator to confirm it.

    The message names the consequence; `counts` says how much it touches.
    """

    def __init__(self, message: str, **counts: int) -> None:
        super().__init__(message)
        self.counts = counts


class BoardNotEmpty(Exception):
    """Only a board that never had a thread can be deleted; the others can be archived."""

    def __init__(self, board: Board, threads: int) -> None:
        super().__init__(
            f"“{board.name}” has {count_of(threads, 'thread')}, counting hidden and deleted "
            "ones, so it can't be deleted. Archive it instead: it stays readable, and nothing "
            "new can be posted in it."
        )
        self.threads = threads


def visibility_warning(board: Board, members_only: bool) -> NeedsConfirmation:
    """What opening a members-only board to everyone, or closing a public one, would do."""
    amount = f"{count_of(board.thread_count, 'thread')} and {count_of(board.post_count, 'post')}"
    if members_only:
        message = f"{amount} become visible to members only; guests and feeds lose them."
    else:
        indexing = "it is on" if settings.allow_indexing else "it is off now"
        message = (
            f"{amount} become readable by anyone, including search engines if indexing "
            f"is on ({indexing})."
        )
    return NeedsConfirmation(message, threads=board.thread_count, posts=board.post_count)


# Positions


def placed(items: list, item: object, position: int | None) -> list:
    """The items with `item` at `position` (1 is the top; None, or past the end, is the bottom)."""
    others = [other for other in items if other is not item]
    index = len(others) if position is None else min(position - 1, len(others))
    return [*others[:index], item, *others[index:]]


def renumber(items: list) -> None:
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number


async def _group(session: AsyncSession, category_id: int | None) -> list[Board]:
    return list(await session.scalars(boards_in_group(category_id)))


async def _place_board(
    session: AsyncSession, board: Board, category_id: int | None, position: int | None
) -> None:
    """Put the board at `position` in the category (None: no category), closing the gap it
    leaves in the one it came from."""
    before = board.category_id
    board.category_id = category_id
    if before != category_id and board.id is not None:
        renumber([b for b in await _group(session, before) if b is not board])
    renumber(placed(await _group(session, category_id), board, position))


async def _category_id(session: AsyncSession, slug: str) -> int | None:
    """The category's id for an address, None for "", or FieldErrors naming `category`."""
    if not slug:
        return None
    category = await category_by_slug(session, slug)
    if category is None:
        raise FieldErrors({"category": f"No category has the address “{slug}”."})
    return category.id


async def _check_address(session: AsyncSession, slug: str, board: Board | None = None) -> None:
    """Raises FieldErrors naming `slug` if another board has (or had) this address."""
    holder = await address_holder(session, slug)
    if holder is None or holder is board:
        return
    if holder.slug == slug:
        raise FieldErrors({"slug": f"The board “{holder.name}” has that address already."})
    raise FieldErrors(
        {
            "slug": f"“{holder.name}” used to have that address, and old links to it still lead there."
        }
    )


async def flush_address(session: AsyncSession, slug: str) -> None:
    """Flush, turning a board created with the same address a moment ago into a field error."""
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise FieldErrors({"slug": f"Another board took “{slug}” a moment ago."}) from None


# Boards


async def create_board(session: AsyncSession, actor: Viewer, form: BoardCreate) -> Board:
    """Raises FieldErrors naming `slug` or `category`."""
    await _check_address(session, form.slug)
    category_id = await _category_id(session, form.category)
    group = await _group(session, category_id)
    board = Board(
        category_id=category_id,
        slug=form.slug,
        name=form.name,
        description=form.description,
        is_members_only=form.is_members_only,
        is_story_board=form.is_story_board,
        approve_first_posts=form.approve_first_posts,
    )
    session.add(board)
    renumber(placed(group, board, form.position))
    await flush_address(session, form.slug)
    await record(
        session,
        actor,
        "board.create",
        target_kind="board",
        target_id=board.id,
        target_label=board.name,
        board_id=board.id,
        slug=board.slug,
        category=form.category or None,
        members_only=board.is_members_only,
    )
    return board


def _state(board: Board, category: str, place: int) -> dict[str, object]:
    return {
        "name": board.name,
        "slug": board.slug,
        "description": board.description,
        "category": category or None,  # reads "None" in the audit log, not a blank
        "is_members_only": board.is_members_only,
        "is_story_board": board.is_story_board,
        "approve_first_posts": board.approve_first_posts,
        "position": place,
    }


async def edit_board(
    session: AsyncSession,
    actor: Viewer,
    board: Board,
    changes: BoardChanges,
    *,
    confirm_visibility_change: bool = False,
    reason: str = "",
) -> bool:
    """Change what `changes` names; False if that changed nothing (and nothing is recorded).

    A members-only board made public, or the reverse, raises NeedsConfirmation unless confirmed.
    Raises FieldErrors naming `slug` or `category` before anything is written.
    """
    wanted = changes.given()
    current_category = await category_slug(session, board)
    place = await place_of(session, board)
    before = _state(board, current_category, place)
    slug = wanted.get("slug", board.slug)
    if slug != board.slug:
        await _check_address(session, slug, board)  # type: ignore[arg-type]
    category = wanted.get("category", current_category)
    category_id = await _category_id(session, category)  # type: ignore[arg-type]
    members_only = wanted.get("is_members_only", board.is_members_only)
    turned = members_only != board.is_members_only
    if turned and not confirm_visibility_change:
        raise visibility_warning(board, members_only)  # type: ignore[arg-type]
    counts = {"threads": board.thread_count, "posts": board.post_count} if turned else {}
    # Reordering reads the category's boards: before the address changes, which the read would
    # otherwise flush outside _flush_address.
    if category_id != board.category_id or wanted.get("position", place) != place:
        await _place_board(session, board, category_id, wanted.get("position"))  # type: ignore[arg-type]
        place = await place_of(session, board)
    for name in ("name", "description", "is_members_only", "is_story_board"):
        setattr(board, name, wanted.get(name, getattr(board, name)))
    board.approve_first_posts = wanted.get("approve_first_posts", board.approve_first_posts)  # type: ignore[assignment]
    if slug != board.slug:
        # Old links keep working: the old address redirects here (and is never reused).
        former = [old for old in board.former_slugs if old != slug]
        board.former_slugs = [*former, board.slug]
        board.slug = slug  # type: ignore[assignment]
    after = _state(board, category, place)  # type: ignore[arg-type]
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return False
    await flush_address(session, board.slug)
    await record(
        session,
        actor,
        "board.edit",
        target_kind="board",
        target_id=board.id,
        target_label=board.name,
        board_id=board.id,
        reason=reason,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        **{f"{name}_affected": count for name, count in counts.items()},
    )
    return True


async def move_board(
    session: AsyncSession, actor: Viewer, board: Board, direction: Direction
) -> bool:
    """One place up or down within its category; False at the top or bottom already."""
    group = await _group(session, board.category_id)
    before = group.index(board) + 1
    after = before - 1 if direction == "up" else before + 1
    renumber(group)
    if not 1 <= after <= len(group):
        await session.flush()
        return False
    renumber(placed(group, board, after))
    await session.flush()
    await record(
        session,
        actor,
        "board.move",
        target_kind="board",
        target_id=board.id,
        target_label=board.name,
        board_id=board.id,
        before={"position": before},
        after={"position": after},
    )
    return True


async def _set_archived(
    session: AsyncSession, actor: Viewer, board: Board, archived: bool, reason: str
) -> bool:
    if board.is_archived == archived:
        return False
    board.is_archived = archived
    await session.flush()
    await record(
        session,
        actor,
        "board.archive" if archived else "board.unarchive",
        target_kind="board",
        target_id=board.id,
        target_label=board.name,
        board_id=board.id,
        reason=reason,
    )
    return True


async def archive_board(
    session: AsyncSession, actor: Viewer, board: Board, reason: str = ""
) -> bool:
    """Read-only from now on (the policies refuse new threads, replies, edits and moves);
    False if it was archived already."""
    return await _set_archived(session, actor, board, True, reason)


async def unarchive_board(
    session: AsyncSession, actor: Viewer, board: Board, reason: str = ""
) -> bool:
    return await _set_archived(session, actor, board, False, reason)


async def delete_board(
    session: AsyncSession, actor: Viewer, board: Board, reason: str = ""
) -> None:
    """Raises BoardNotEmpty if any thread was ever started there (hidden and deleted ones count).

    The audit log keeps the board's name; its moderators' assignments go with it.
    """
    assert board.id is not None
    threads = await thread_total(session, board.id)
    if threads:
        raise BoardNotEmpty(board, threads)
    await session.delete(board)
    await session.flush()
    renumber([b for b in await _group(session, board.category_id) if b is not board])
    await session.flush()
    await record(
        session,
        actor,
        "board.delete",
        target_kind="board",
        target_id=board.id,
        target_label=board.name,
        board_id=board.id,
        reason=reason,
        slug=board.slug,
    )
