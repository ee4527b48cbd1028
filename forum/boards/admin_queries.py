"""Statements for running boards and categories: every board, members-only and archived ones too.

Only administrators reach these (callers checked can_administer()); members read boards through
forum.boards.queries, which knows who may see what.
"""

from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from forum.boards.models import Board, Category
from forum.boards.queries import BoardMoved, had_address
from forum.core.errors import not_found
from forum.threads.models import Thread


@dataclass
class Group:
    """A category (None for the boards in none) and its boards, in order."""

    category: Category | None
    boards: list[Board] = field(default_factory=list)


def categories_in_order() -> Select[tuple[Category]]:
    return select(Category).order_by(Category.position, Category.id)


def boards_in_group(category_id: int | None) -> Select[tuple[Board]]:
    """A category's boards (or the uncategorised ones) in order, locked until commit, so two
    administrators reordering at once take turns."""
    where = Board.category_id.is_(None) if category_id is None else Board.category_id == category_id
    return select(Board).where(where).order_by(Board.position, Board.id).with_for_update()


def categories_locked() -> Select[tuple[Category]]:
    return categories_in_order().with_for_update()


async def board_groups(session: AsyncSession) -> list[Group]:
    """Every category in order, empty ones too, after the uncategorised boards: two queries."""
    groups = [Group(None)] + [Group(c) for c in await session.scalars(categories_in_order())]
    by_id = {g.category.id: g for g in groups if g.category is not None}
    boards = await session.scalars(select(Board).order_by(Board.position, Board.id))
    for board in boards:
        by_id.get(board.category_id, groups[0]).boards.append(board)  # type: ignore[arg-type]
    return groups


async def access_any_board(session: AsyncSession, slug: str) -> Board:
    """Any board by its address; an old address raises BoardMoved, which redirects."""
    board = (await session.scalars(select(Board).where(Board.slug == slug))).first()
    if board is not None:
        return board
    moved_to = await session.scalar(select(Board.slug).where(had_address(slug)))
    if moved_to is not None:
        raise BoardMoved(slug, moved_to)
    not_found("board")


async def access_category(session: AsyncSession, slug: str) -> Category:
    category = (await session.scalars(select(Category).where(Category.slug == slug))).first()
    if category is None:
        not_found("category")
    return category


async def category_by_slug(session: AsyncSession, slug: str) -> Category | None:
    return (await session.scalars(select(Category).where(Category.slug == slug))).first()


async def address_holder(session: AsyncSession, slug: str) -> Board | None:
    """The board that has this address now or had it before (old links still lead there)."""
    statement = select(Board).where(or_(Board.slug == slug, had_address(slug)))
    return (await session.scalars(statement)).first()


async def thread_total(session: AsyncSession, board_id: int) -> int:
    """Every thread in the board, hidden, waiting and deleted ones included."""
    statement = select(func.count()).select_from(Thread).where(Thread.board_id == board_id)
    return (await session.execute(statement)).scalar_one()


async def boards_in_category(session: AsyncSession, category_id: int) -> int:
    statement = select(func.count()).select_from(Board).where(Board.category_id == category_id)
    return (await session.execute(statement)).scalar_one()


async def place_of(session: AsyncSession, board: Board) -> int:
    """The board's place in its category (1 for the top), whatever its stored position says:
    boards made before the positions were kept compact may have gaps or repeats."""
    same_group = (
        Board.category_id.is_(None)
        if board.category_id is None
        else Board.category_id == board.category_id
    )
    ahead = tuple_(Board.position, Board.id) < tuple_(board.position, board.id)
    statement = select(func.count()).select_from(Board).where(same_group, ahead)
    return (await session.execute(statement)).scalar_one() + 1


async def category_place_of(session: AsyncSession, category: Category) -> int:
    """The category's place on the home page (1 for the first), as place_of for boards."""
    ahead = tuple_(Category.position, Category.id) < tuple_(category.position, category.id)
    statement = select(func.count()).select_from(Category).where(ahead)
    return (await session.execute(statement)).scalar_one() + 1


async def category_slug(session: AsyncSession, board: Board) -> str:
    """The address of the board's category, "" for none."""
    if board.category_id is None:
        return ""
    return (await session.get_one(Category, board.category_id)).slug
