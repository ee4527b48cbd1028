"""Statements for the boards a viewer may see, in the forum's order: by category, then board."""

import re
from collections.abc import Sequence
from itertools import groupby

from sqlalchemy import ColumnElement, Row, Select, String, any_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import URL
from starlette.exceptions import HTTPException

from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.boards.models import Board, Category
from forum.core.errors import not_found
from forum.db import fetch_rows
from forum.threads.models import Post, Thread

# Boards in no category come first, then each category by its position; boards by theirs.
FORUM_ORDER = (
    Category.position.asc().nulls_first(),
    Category.id.asc().nulls_first(),
    Board.position,
    Board.id,
)


class BoardMoved(HTTPException):
    """The board has a new address; old links and bookmarks follow it there."""

    def __init__(self, old_slug: str, new_slug: str) -> None:
        super().__init__(status_code=301, detail="This board has moved.")
        self.old_slug, self.new_slug = old_slug, new_slug

    def location(self, url: URL) -> str:
        """The same page at the board's new address: /b/old/new -> /b/new-name/new."""
        pattern = rf"^(/b|/api/v1/boards|/admin/boards)/{re.escape(self.old_slug)}(?=/|$)"
        path, count = re.subn(pattern, rf"\g<1>/{self.new_slug}", url.path)
        if not count:
            path = f"/b/{self.new_slug}"
        return f"{path}?{url.query}" if url.query else path


def had_address(slug: str) -> ColumnElement[bool]:
    """Boards whose former addresses include `slug`."""
    return literal(slug, String) == any_(Board.former_slugs)


def visible_boards(viewer: Viewer) -> Select[tuple[Board]]:
    statement = select(Board).order_by(Board.position, Board.id)
    if viewer.is_anonymous:
        statement = statement.where(Board.is_members_only.is_(False))
    return statement


def listed_boards(viewer: Viewer) -> Select[tuple[Board, str | None]]:
    """The boards the viewer may see, in the forum's order, each with its category's address."""
    return (
        visible_boards(viewer)
        .add_columns(Category.slug)
        .outerjoin(Category, Board.category_id == Category.id)
        .order_by(None)
        .order_by(*FORUM_ORDER)
    )


def listed_categories(viewer: Viewer, *, every: bool = False) -> Select[tuple[Category, int]]:
    """Categories in order, each with how many of its boards the viewer may see; only those
    with one, unless `every` (for administrators, who see empty ones too)."""
    counted = (
        visible_boards(viewer)
        .order_by(None)
        .with_only_columns(Board.category_id, func.count().label("boards"))
        .group_by(Board.category_id)
        .subquery()
    )
    statement = select(Category, func.coalesce(counted.c.boards, 0))
    joined = statement.outerjoin if every else statement.join
    return joined(counted, counted.c.category_id == Category.id).order_by(
        Category.position, Category.id
    )


HOME = (
    select(
        Board.slug,
        Board.name,
        Board.description,
        Board.is_members_only,
        Board.is_archived,
        Board.thread_count,
        Board.post_count,
        Board.last_post_id,
        Board.last_post_at,
        Thread.title.label("last_thread_title"),
        Member.handle.label("last_poster_handle"),
        Category.id.label("category_id"),
        Category.slug.label("category_slug"),
        Category.name.label("category_name"),
        Category.description.label("category_description"),
    )
    .outerjoin(Category, Board.category_id == Category.id)
    .outerjoin(Post, Board.last_post_id == Post.id)
    .outerjoin(Thread, Post.thread_id == Thread.id)
    .outerjoin(Member, Post.author_id == Member.id)
    .order_by(*FORUM_ORDER)
)
HOME_FOR_GUESTS = HOME.where(Board.is_members_only.is_(False))


async def boards_with_latest(session: AsyncSession, viewer: Viewer) -> Sequence[Row]:
    """The home page: each board the viewer may see, with its category and its latest post's
    thread and author, in the forum's order. One query, whatever the number of categories."""
    statement = HOME_FOR_GUESTS if viewer.is_anonymous else HOME
    return await fetch_rows(session, statement)


def by_category(rows: Sequence[Row]) -> list[tuple[Row | None, list[Row]]]:
    """The home page's rows in sections: (None, boards in no category) first, then
    (a row carrying the category, its boards) for each category with a board to show."""
    sections = []
    for category_id, boards in groupby(rows, key=lambda row: row.category_id):
        group = list(boards)
        sections.append((group[0] if category_id is not None else None, group))
    return sections


async def access_board(session: AsyncSession, viewer: Viewer, slug: str) -> Board:
    """The board, or 404 whether it is missing or members-only and the viewer a guest.

    A board's old address raises BoardMoved (a redirect to the new one), for those who may see it.
    """
    board = (await session.scalars(visible_boards(viewer).where(Board.slug == slug))).first()
    if board is not None:
        return board
    # Only a miss pays for this: a board renamed keeps its old addresses in former_slugs.
    moved = visible_boards(viewer).with_only_columns(Board.slug).where(had_address(slug))
    new_slug = (await session.execute(moved)).scalars().first()
    if new_slug is not None:
        raise BoardMoved(slug, new_slug)
    not_found("board")
