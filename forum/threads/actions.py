"""Verbs that change threads and posts. Callers have checked the policies; nothing commits here."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.markdown import quoted_post_ids, render_markdown
from forum.core.time import utcnow
from forum.threads.models import Post, Thread
from forum.threads.queries import quoted_authors


async def _render(session: AsyncSession, viewer: Viewer, source: str) -> str:
    ids = quoted_post_ids(source)
    authors = dict((await session.execute(quoted_authors(viewer, ids))).all()) if ids else {}
    return render_markdown(source, authors)


async def start_thread(
    session: AsyncSession, viewer: Viewer, board: Board, *, title: str, body: str
) -> Post:
    """Caller has checked can_start_thread(); returns the opening post."""
    assert viewer.member_id is not None
    thread = Thread(board_id=board.id, author_id=viewer.member_id, title=title)
    session.add(thread)
    await session.flush()
    await session.execute(
        update(Board).where(Board.id == board.id).values(thread_count=Board.thread_count + 1)
    )
    return await reply_to_thread(session, viewer, thread, body=body)


async def reply_to_thread(
    session: AsyncSession, viewer: Viewer, thread: Thread, *, body: str
) -> Post:
    """Caller has checked can_reply(). Counters move in SQL so concurrent replies stay exact."""
    assert viewer.member_id is not None
    html = await _render(session, viewer, body)
    now = utcnow()
    # The UPDATE locks the thread row until commit, so positions are handed out one at a time.
    position = (
        await session.execute(
            update(Thread)
            .where(Thread.id == thread.id)
            .values(post_count=Thread.post_count + 1, last_post_at=now)
            .returning(Thread.post_count)
        )
    ).scalar_one()
    post = Post(
        thread_id=thread.id,
        author_id=viewer.member_id,
        position=position,
        source=body,
        html=html,
        created_at=now,
    )
    session.add(post)
    await session.flush()
    await session.execute(update(Thread).where(Thread.id == thread.id).values(last_post_id=post.id))
    await session.execute(
        update(Board)
        .where(Board.id == thread.board_id)
        .values(post_count=Board.post_count + 1, last_post_id=post.id, last_post_at=now)
    )
    await session.execute(
        update(Member).where(Member.id == viewer.member_id).values(post_count=Member.post_count + 1)
    )
    return post


async def edit_post(session: AsyncSession, viewer: Viewer, post: Post, *, body: str) -> Post:
    """Caller has checked can_edit_post(). The Markdown source is kept for the next edit."""
    if body == post.source:
        return post
    post.html = await _render(session, viewer, body)
    post.source = body
    post.edited_at = utcnow()
    await session.flush()
    return post
