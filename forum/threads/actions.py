"""Verbs that change threads and posts. Callers have checked the policies; nothing commits here.

Every new post is screened first: a blocked word refuses it, and a held post (a new member's
first posts, a held word) takes its place in the thread but waits in the review queue.
"""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.markdown import cited_wisdom_ids, quoted_post_ids, render_markdown
from forum.core.time import utcnow
from forum.moderation.audit import record
from forum.moderation.models import PostRevision
from forum.moderation.queue import open_item
from forum.moderation.screening import Screening, screen_post
from forum.threads.models import Post, State, Thread
from forum.threads.queries import quoted_authors
from forum.wisdom.citations import citable_wisdom, record_citations


async def _render(
    session: AsyncSession, viewer: Viewer, source: str, board_id: int
) -> tuple[str, set[int]]:
    """The post's HTML, and the wisdom it cites (those the writer could show there)."""
    ids = quoted_post_ids(source)
    authors = dict((await session.execute(quoted_authors(viewer, ids))).all()) if ids else {}
    board = await session.get_one(Board, board_id)  # loaded with the thread: no query
    cited = await citable_wisdom(
        session, viewer, cited_wisdom_ids(source), public_post=not board.is_members_only
    )
    return render_markdown(source, authors, cited), set(cited)


async def start_thread(
    session: AsyncSession, viewer: Viewer, board: Board, *, title: str, body: str
) -> Post:
    """Caller has checked can_start_thread(); returns the opening post.

    Raises FieldErrors for a blocked word.
    """
    assert viewer.member_id is not None and board.id is not None
    screening = await screen_post(
        session, viewer, board.id, board.approve_first_posts, title=title, body=body
    )
    thread = Thread(
        board_id=board.id,
        author_id=viewer.member_id,
        title=title,
        state=State.PENDING if screening.held else State.VISIBLE,
    )
    session.add(thread)
    await session.flush()
    if not screening.held:
        await session.execute(
            update(Board).where(Board.id == board.id).values(thread_count=Board.thread_count + 1)
        )
    return await _add_post(session, viewer, thread, body, screening)


async def reply_to_thread(
    session: AsyncSession, viewer: Viewer, thread: Thread, *, body: str
) -> Post:
    """Caller has checked can_reply(). Raises FieldErrors for a blocked word."""
    assert viewer.member_id is not None
    board = await session.get_one(Board, thread.board_id)  # loaded with the thread: no query
    screening = await screen_post(
        session, viewer, thread.board_id, board.approve_first_posts, body=body
    )
    return await _add_post(session, viewer, thread, body, screening)


async def _add_post(
    session: AsyncSession, viewer: Viewer, thread: Thread, body: str, screening: Screening
) -> Post:
    html, cited = await _render(session, viewer, body, thread.board_id)
    # The UPDATE locks the thread row until commit, so positions are handed out one at a time.
    position = (
        await session.execute(
            update(Thread)
            .where(Thread.id == thread.id)
            .values(post_count=Thread.post_count + 1)
            .returning(Thread.post_count)
        )
    ).scalar_one()
    post = Post(
        thread_id=thread.id,
        author_id=viewer.member_id,
        position=position,
        source=body,
        html=html,
        state=State.PENDING if screening.held else State.VISIBLE,
        state_reason=screening.held_because,
        created_at=utcnow(),
    )
    session.add(post)
    await session.flush()
    if cited:  # a new post has no citation rows to clear
        await record_citations(session, post.id, cited)  # type: ignore[arg-type]
    if not screening.held:
        await count_published(session, post, thread.board_id)
    if screening.held or screening.flagged:
        await open_item(
            session,
            post.id,  # type: ignore[arg-type]
            thread.board_id,
            held=screening.held,
            flagged_words=", ".join(screening.flagged)[:500],
        )
    return post


async def count_published(session: AsyncSession, post: Post, board_id: int) -> None:
    """A post going up moves its thread's and board's latest post and its author's count.

    Counters move in SQL so concurrent replies stay exact.
    """
    await session.execute(
        update(Thread)
        .where(Thread.id == post.thread_id, Thread.last_post_at <= post.created_at)
        .values(last_post_id=post.id, last_post_at=post.created_at)
    )
    await session.execute(
        update(Board)
        .where(Board.id == board_id)
        .values(post_count=Board.post_count + 1, last_post_id=post.id, last_post_at=post.created_at)
    )
    await session.execute(
        update(Member).where(Member.id == post.author_id).values(post_count=Member.post_count + 1)
    )


async def publish_post(session: AsyncSession, post: Post) -> None:
    """A waiting post goes up, and its thread with it if it was the opening post."""
    thread = await session.get_one(Thread, post.thread_id)
    if thread.state == State.PENDING and post.position == 1:
        thread.state = State.VISIBLE
        await session.execute(
            update(Board)
            .where(Board.id == thread.board_id)
            .values(thread_count=Board.thread_count + 1)
        )
    post.state = State.VISIBLE
    post.state_reason = ""
    await session.flush()
    await count_published(session, post, thread.board_id)


async def edit_post(session: AsyncSession, viewer: Viewer, post: Post, *, body: str) -> Post:
    """Caller has checked can_edit_post(). The text before the edit is kept as a revision."""
    if body == post.source:
        return post
    if viewer.member_id == post.author_id:
        # An author can't edit a blocked word in; edits are never held (no board threshold).
        await screen_post(session, viewer, 0, 0, body=body)
    session.add(
        PostRevision(
            post_id=post.id,  # type: ignore[arg-type]
            source=post.source,
            editor_id=viewer.member_id,
            editor_name=viewer.handle,
        )
    )
    thread = await session.get_one(Thread, post.thread_id)
    post.html, cited = await _render(session, viewer, body, thread.board_id)
    post.source = body
    post.edited_at = utcnow()
    await session.flush()
    await record_citations(session, post.id, cited)  # type: ignore[arg-type]
    if viewer.member_id != post.author_id:
        # A moderator changed someone else's words: the record says who, where and when.
        await record(
            session,
            viewer,
            "post.edit",
            target_kind="post",
            target_id=post.id,
            target_label=f"post #{post.position} in thread {post.thread_id}",
            board_id=thread.board_id,
        )
    return post
