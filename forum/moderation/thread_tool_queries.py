"""What the thread tools' pages and API read: boards, headers, split candidates, deleted threads."""

from collections.abc import Sequence

from sqlalchemy import Row, Select, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member
from forum.auth.policies import is_staff
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.config import settings
from forum.db import fetch_rows
from forum.moderation.models import AuditEntry
from forum.threads.models import Post, State, Thread


def moderated_boards(viewer: Viewer) -> Select[tuple[Board]]:
    """Boards the viewer may move threads into: all for moderators, their own for board moderators;
    never archived ones (can_move_thread_into)."""
    statement = select(Board).where(Board.is_archived.is_(False)).order_by(Board.position, Board.id)
    if not is_staff(viewer):
        statement = statement.where(Board.id.in_(viewer.moderated_boards))
    return statement


SPLIT_CANDIDATES = (
    select(
        Post.id,
        Post.position,
        Post.state,
        Post.created_at,
        func.left(Post.source, 180).label("excerpt"),
        Member.handle.label("author_handle"),
    )
    .join(Member, Post.author_id == Member.id)
    .order_by(Post.position)
)


async def split_candidates(session: AsyncSession, thread_id: int, page: int) -> Sequence[Row]:
    """One page of the thread (a position range), each post with the start of its text."""
    first = (page - 1) * settings.posts_per_page + 1
    statement = SPLIT_CANDIDATES.where(
        Post.thread_id == thread_id,
        Post.position >= first,
        Post.position < first + settings.posts_per_page,
    )
    return await fetch_rows(session, statement)


DELETED_PER_PAGE = 30


async def deleted_threads(
    session: AsyncSession, board_id: int, page: int = 1, limit: int = DELETED_PER_PAGE
) -> Sequence[Row]:
    """A board's deleted threads, latest deletion first, with who deleted or merged them and why."""
    last_entry = (
        select(AuditEntry.actor_name, AuditEntry.reason, AuditEntry.created_at)
        .where(
            AuditEntry.target_kind == "thread",
            AuditEntry.target_id == Thread.id,
            AuditEntry.action.in_(("thread.delete", "thread.merge")),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
        .lateral()
    )
    statement = (
        select(
            Thread.id,
            Thread.title,
            Thread.post_count,
            Thread.merged_into_id,
            Member.handle.label("author_handle"),
            last_entry.c.actor_name,
            last_entry.c.reason,
            last_entry.c.created_at.label("deleted_at"),
        )
        .join(Member, Thread.author_id == Member.id)
        .outerjoin(last_entry, true())
        .where(Thread.board_id == board_id, Thread.state == State.DELETED)
        .order_by(last_entry.c.created_at.desc().nulls_last(), Thread.id.desc())
        .limit(limit)
        .offset((page - 1) * limit)
    )
    return await fetch_rows(session, statement)


async def deleted_thread_count(session: AsyncSession, board_id: int) -> int:
    statement = select(func.count()).where(
        Thread.board_id == board_id, Thread.state == State.DELETED
    )
    return (await session.execute(statement)).scalar_one()


MANAGED_THREADS = select(
    Thread.id,
    Thread.title,
    Thread.state,
    Thread.is_pinned,
    Thread.is_locked,
    Thread.post_count,
    Thread.merged_into_id,
    Thread.last_post_id,
    Thread.last_post_at,
    Board.slug.label("board_slug"),
).join(Board, Thread.board_id == Board.id)


async def managed_thread(session: AsyncSession, thread_id: int) -> Row:
    """A thread as the tools left it, for the API's answer. Caller has access to it."""
    return (await fetch_rows(session, MANAGED_THREADS.where(Thread.id == thread_id)))[0]
