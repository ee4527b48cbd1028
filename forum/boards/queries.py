"""Statements for the boards a viewer may see."""

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.errors import not_found
from forum.threads.models import Post, Thread


def visible_boards(viewer: Viewer) -> Select[tuple[Board]]:
    statement = select(Board).order_by(Board.position, Board.id)
    if viewer.is_anonymous:
        statement = statement.where(Board.is_members_only.is_(False))
    return statement


def boards_with_latest(viewer: Viewer) -> Select[tuple[Board]]:
    """The home page: each board with its latest post, that post's thread and author."""
    return visible_boards(viewer).options(
        joinedload(Board.last_post).joinedload(Post.thread).load_only(Thread.id, Thread.title),
        joinedload(Board.last_post).joinedload(Post.author),
    )


async def access_board(session: AsyncSession, viewer: Viewer, slug: str) -> Board:
    """The board, or 404 whether it is missing or members-only and the viewer a guest."""
    board = (await session.scalars(visible_boards(viewer).where(Board.slug == slug))).first()
    if board is None:
        not_found("board")
    return board
