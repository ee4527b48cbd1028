"""Statements for threads and posts a viewer may see; pages are position ranges, never OFFSET."""

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.config import settings
from forum.core.errors import not_found
from forum.threads.models import Post, Thread


def visible_threads(viewer: Viewer) -> Select[tuple[Thread]]:
    statement = select(Thread).join(Board, Thread.board_id == Board.id)
    if viewer.is_anonymous:
        statement = statement.where(Board.is_members_only.is_(False))
    return statement


def visible_posts(viewer: Viewer) -> Select[tuple[Post]]:
    statement = (
        select(Post)
        .join(Thread, Post.thread_id == Thread.id)
        .join(Board, Thread.board_id == Board.id)
    )
    if viewer.is_anonymous:
        statement = statement.where(Board.is_members_only.is_(False))
    return statement


async def access_thread(session: AsyncSession, viewer: Viewer, thread_id: int) -> Thread:
    """The thread with board and author, or the same 404 whether it is missing or hidden from the viewer."""
    thread = (
        await session.scalars(
            visible_threads(viewer)
            .options(joinedload(Thread.board), joinedload(Thread.author))
            .where(Thread.id == thread_id)
        )
    ).first()
    if thread is None:
        not_found("thread")
    return thread


async def access_post(session: AsyncSession, viewer: Viewer, post_id: int) -> Post:
    """The post with its thread, board and author, or 404."""
    post = (
        await session.scalars(
            visible_posts(viewer)
            .options(
                joinedload(Post.thread).joinedload(Thread.board),
                joinedload(Post.author),
            )
            .where(Post.id == post_id)
        )
    ).first()
    if post is None:
        not_found("post")
    return post


def page_count(post_count: int, per_page: int | None = None) -> int:
    per_page = per_page or settings.posts_per_page
    return max(1, -(-post_count // per_page))


def page_of_position(position: int) -> int:
    return (position - 1) // settings.posts_per_page + 1


def thread_page_posts(thread_id: int, page: int) -> Select[tuple[Post]]:
    """One page of a thread: a range of positions, so page 800 costs what page 1 does."""
    first = (page - 1) * settings.posts_per_page + 1
    return (
        select(Post)
        .options(joinedload(Post.author))
        .where(
            Post.thread_id == thread_id,
            Post.position >= first,
            Post.position < first + settings.posts_per_page,
        )
        .order_by(Post.position)
    )


def board_threads(board_id: int, page: int) -> Select[tuple[Thread]]:
    """Threads of a board, pinned first then by last activity, with starter and last poster."""
    per_page = settings.threads_per_page
    return (
        select(Thread)
        .options(
            joinedload(Thread.author),
            selectinload(Thread.last_post).joinedload(Post.author),
        )
        .where(Thread.board_id == board_id)
        .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )


def recent_threads_by(viewer: Viewer, member_id: int, limit: int = 10) -> Select[tuple[Thread]]:
    return (
        visible_threads(viewer)
        .options(joinedload(Thread.board))
        .where(Thread.author_id == member_id)
        .order_by(Thread.created_at.desc())
        .limit(limit)
    )


def quoted_authors(viewer: Viewer, post_ids: set[int]) -> Select[tuple[int, str]]:
    """Handles of the quoted posts the writer can see; others render without attribution."""
    return (
        visible_posts(viewer)
        .with_only_columns(Post.id, Member.handle)
        .join(Member, Post.author_id == Member.id)
        .where(Post.id.in_(post_ids))
    )
