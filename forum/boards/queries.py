"""Statements for the boards a viewer may see."""

from collections.abc import Sequence

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.errors import not_found
from forum.db import fetch_rows
from forum.threads.models import Post, Thread


def visible_boards(viewer: Viewer) -> Select[tuple[Board]]:
    statement = select(Board).order_by(Board.position, Board.id)
    if viewer.is_anonymous:
        statement = statement.where(Board.is_members_only.is_(False))
    return statement


HOME = (
    select(
        Board.slug,
        Board.name,
        Board.description,
        Board.is_members_only,
        Board.thread_count,
        Board.post_count,
        Board.last_post_id,
        Board.last_post_at,
        Thread.title.label("last_thread_title"),
        Member.handle.label("last_poster_handle"),
    )
    .outerjoin(Post, Board.last_post_id == Post.id)
    .outerjoin(Thread, Post.thread_id == Thread.id)
    .outerjoin(Member, Post.author_id == Member.id)
    .order_by(Board.position, Board.id)
)
HOME_FOR_GUESTS = HOME.where(Board.is_members_only.is_(False))


async def boards_with_latest(session: AsyncSession, viewer: Viewer) -> Sequence[Row]:
    """The home page: each board the viewer may see, with its latest post's thread and author."""
    statement = HOME_FOR_GUESTS if viewer.is_anonymous else HOME
    return await fetch_rows(session, statement)


async def access_board(session: AsyncSession, viewer: Viewer, slug: str) -> Board:
    """The board, or 404 whether it is missing or members-only and the viewer a guest."""
    board = (await session.scalars(visible_boards(viewer).where(Board.slug == slug))).first()
    if board is None:
        not_found("board")
    return board
