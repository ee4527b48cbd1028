"""Statements for threads and posts a viewer may see; thread pages are position ranges."""

from collections.abc import Sequence

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from forum.accounts.models import Member
from forum.auth.policies import can_see_post, can_see_thread, keeps_one_story
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.config import settings
from forum.core.errors import not_found
from forum.db import fetch_rows
from forum.threads.models import Post, State, Thread


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
    """The thread with its board, or the same 404 whether it is missing or hidden from the viewer."""
    thread = (
        await session.scalars(
            visible_threads(viewer).options(joinedload(Thread.board)).where(Thread.id == thread_id)
        )
    ).first()
    if thread is None or not can_see_thread(viewer, thread):
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
    if post is None or not can_see_thread(viewer, post.thread):
        not_found("post")
    if not can_see_post(viewer, post, post.thread.board_id):
        not_found("post")
    return post


def page_count(post_count: int, per_page: int | None = None) -> int:
    per_page = per_page or settings.posts_per_page
    return max(1, -(-post_count // per_page))


def page_of_position(position: int) -> int:
    return (position - 1) // settings.posts_per_page + 1


# Hot pages read plain rows, not ORM objects: building instances cost more than the query.
# Statements are built once; only their parameters change per request.
THREAD_HEADER = (
    select(
        Thread.id,
        Thread.board_id,
        Thread.author_id,
        Thread.title,
        Thread.post_count,
        Thread.is_locked,
        Thread.is_pinned,
        Thread.state,
        Thread.merged_into_id,
        Thread.created_at,
        Thread.last_post_at,
        Member.handle.label("author_handle"),
        Board.slug.label("board_slug"),
        Board.name.label("board_name"),
        Board.is_members_only,
        Board.is_archived.label("board_is_archived"),
    )
    .join(Board, Thread.board_id == Board.id)
    .join(Member, Thread.author_id == Member.id)
    .where(Thread.id == bindparam("thread_id"))
)
THREAD_HEADER_FOR_GUESTS = THREAD_HEADER.where(Board.is_members_only.is_(False))

_POST_COLUMNS = (
    Post.id,
    Post.thread_id,
    Post.position,
    Post.html,
    Post.state,
    Post.state_reason,
    Post.created_at,
    Post.edited_at,
    Post.author_id,
    Member.handle.label("author_handle"),
    Member.role.label("author_role"),
    Member.created_at.label("author_since"),
    Member.post_count.label("author_posts"),
)
PAGE_POSTS = (
    select(*_POST_COLUMNS)
    .join(Member, Post.author_id == Member.id)
    .where(
        Post.thread_id == bindparam("thread_id"),
        Post.position >= bindparam("first"),
        Post.position < bindparam("end"),
    )
    .order_by(Post.position)
)
# One post with its source, for the API after a write or a lookup.
POST_WITH_SOURCE = (
    select(*_POST_COLUMNS, Post.source)
    .join(Member, Post.author_id == Member.id)
    .where(Post.id == bindparam("post_id"))
)
# OFFSET skips index entries only: the page's thread ids come first, then their details.
_BOARD_PAGE_IDS = (
    select(Thread.id)
    .where(Thread.board_id == bindparam("board_id"), Thread.state == State.VISIBLE)
    .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
    .subquery()
)
_Starter, _LastPoster = aliased(Member), aliased(Member)
_LastPost = aliased(Post)
BOARD_THREADS = (
    select(
        Thread.id,
        Thread.title,
        Thread.created_at,
        Thread.last_post_at,
        Thread.last_post_id,
        Thread.post_count,
        Thread.is_pinned,
        Thread.is_locked,
        _Starter.handle.label("author_handle"),
        _LastPoster.handle.label("last_poster_handle"),
    )
    .join(_BOARD_PAGE_IDS, _BOARD_PAGE_IDS.c.id == Thread.id)
    .join(_Starter, Thread.author_id == _Starter.id)
    .outerjoin(_LastPost, Thread.last_post_id == _LastPost.id)
    .outerjoin(_LastPoster, _LastPost.author_id == _LastPoster.id)
    .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
)


async def thread_header(session: AsyncSession, viewer: Viewer, thread_id: int) -> Row | int:
    """The thread page's heading row (with its board), or 404 as access_thread gives.

    A thread merged into another gives that thread's id instead, for everyone who may see its
    board: old links follow the posts. One query either way.
    """
    statement = THREAD_HEADER_FOR_GUESTS if viewer.is_anonymous else THREAD_HEADER
    rows = await fetch_rows(session, statement, {"thread_id": thread_id})
    if rows and rows[0].merged_into_id is not None:
        return rows[0].merged_into_id
    if not rows or not can_see_thread(viewer, rows[0]):
        not_found("thread")
    return rows[0]


async def thread_page_posts(
    session: AsyncSession, viewer: Viewer, thread: Row, page: int
) -> list[Row]:
    """One page of a thread: a range of positions, so page 800 costs what page 1 does.

    Posts the viewer may not see leave a gap; hidden ones stay, for their reason to show.
    """
    first = (page - 1) * settings.posts_per_page + 1
    params = {"thread_id": thread.id, "first": first, "end": first + settings.posts_per_page}
    rows = await fetch_rows(session, PAGE_POSTS, params)
    return [row for row in rows if can_see_post(viewer, row, thread.board_id)]


async def post_with_source(session: AsyncSession, post_id: int) -> Row:
    """Caller has checked the post is visible (access_post)."""
    return (await fetch_rows(session, POST_WITH_SOURCE, {"post_id": post_id}))[0]


async def board_threads(session: AsyncSession, board_id: int, page: int) -> Sequence[Row]:
    """Threads of a board, pinned first then by last activity, with starter and last poster."""
    per_page = settings.threads_per_page
    params = {"board_id": board_id, "limit": per_page, "offset": (page - 1) * per_page}
    return await fetch_rows(session, BOARD_THREADS, params)


def recent_threads_by(viewer: Viewer, member_id: int, limit: int = 10) -> Select[tuple[Thread]]:
    return (
        visible_threads(viewer)
        .options(joinedload(Thread.board))
        .where(Thread.author_id == member_id, Thread.state == State.VISIBLE)
        .order_by(Thread.created_at.desc())
        .limit(limit)
    )


def quoted_authors(viewer: Viewer, post_ids: set[int]) -> Select[tuple[int, str]]:
    """Handles of the quoted posts the writer can see; others render without attribution."""
    return (
        visible_posts(viewer)
        .with_only_columns(Post.id, Member.handle)
        .join(Member, Post.author_id == Member.id)
        .where(Post.id.in_(post_ids), Post.state == State.VISIBLE, Thread.state == State.VISIBLE)
    )


# A story waiting for approval counts too: starting another would only make a duplicate.
OWN_STORY = (
    select(Thread.id, Thread.state)
    .where(
        Thread.author_id == bindparam("author_id"),
        Thread.board_id == bindparam("board_id"),
        Thread.state.in_((State.VISIBLE, State.PENDING)),
    )
    .order_by((Thread.state == State.VISIBLE).desc(), Thread.created_at.desc())
    .limit(1)
)


async def own_story(
    session: AsyncSession, viewer: Viewer, board: Board, *, lock: bool = False
) -> Row | None:
    """The viewer's story (id and state: published, or waiting for approval) in a board where
    keeps_one_story() holds; else None. Hidden and deleted threads don't count.

    With `lock`, first holds the member's row until commit, so that a double submit can't start
    two stories: the second request waits, then finds the first one's thread.
    """
    if viewer.is_anonymous or not keeps_one_story(viewer, board):
        return None
    if lock:
        await session.execute(
            select(Member.id).where(Member.id == viewer.member_id).with_for_update(key_share=True)
        )
    params = {"author_id": viewer.member_id, "board_id": board.id}
    rows = await fetch_rows(session, OWN_STORY, params)
    return rows[0] if rows else None
