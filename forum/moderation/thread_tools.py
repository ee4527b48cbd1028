"""Moderators' thread tools: pin, lock, move, merge, split, delete, restore.

Callers have checked can_manage_thread() and that the actor moderates every board involved;
nothing commits here. Each verb checks its input before it writes anything, then writes one
audit row with the reason. Board counters keep one rule, the one forum.threads.actions follows:
thread_count counts a board's visible threads, post_count the published (not pending) posts in them.
"""

from collections.abc import Sequence
from typing import Literal

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.errors import FieldErrors
from forum.moderation.audit import record
from forum.moderation.models import QueueItem
from forum.moderation.thread_tool_forms import thread_label
from forum.notifications.actions import notify
from forum.threads.models import Post, State, Thread

# Counters and latest posts


async def _lock_threads(session: AsyncSession, *threads: Thread) -> None:
    """Lock the threads' rows in id order (as replies take them: thread, then board) and reload
    them, so the state, board and post count the verb reads stay true until commit."""
    for thread in sorted(threads, key=lambda t: t.id or 0):
        await session.refresh(
            thread, attribute_names=_THREAD_COLUMNS, with_for_update={"key_share": True}
        )


async def _lock_boards(session: AsyncSession, *board_ids: int) -> None:
    await session.execute(
        select(Board.id)
        .where(Board.id.in_(board_ids))
        .order_by(Board.id)
        .with_for_update(key_share=True)
    )


async def _published_posts(session: AsyncSession, statement: Select) -> int:
    """How many of the selected posts count toward their board (the published ones)."""
    counted = select(func.count()).select_from(
        statement.where(Post.state != State.PENDING).subquery()
    )
    return (await session.execute(counted)).scalar_one()


async def _shift_board(session: AsyncSession, board_id: int, threads: int, posts: int) -> None:
    if threads or posts:
        await session.execute(
            update(Board)
            .where(Board.id == board_id)
            .values(thread_count=Board.thread_count + threads, post_count=Board.post_count + posts)
            .execution_options(synchronize_session="fetch")
        )


async def _refresh_thread_latest(session: AsyncSession, thread_id: int) -> None:
    """The thread's latest post is its newest visible one; with none, it dates from its start."""
    latest = (
        select(Post.id, Post.created_at)
        .where(Post.thread_id == thread_id, Post.state == State.VISIBLE)
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(1)
    )
    row = (await session.execute(latest)).first()
    values = (
        {"last_post_id": row.id, "last_post_at": row.created_at}
        if row
        else {"last_post_id": None, "last_post_at": Thread.created_at}
    )
    await session.execute(
        update(Thread)
        .where(Thread.id == thread_id)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )


async def _refresh_board_latest(session: AsyncSession, *board_ids: int) -> None:
    """Each board's latest post is the latest of its visible threads'. Caller holds the board lock."""
    for board_id in sorted(set(board_ids)):
        latest = (
            select(Thread.last_post_id, Thread.last_post_at)
            .where(
                Thread.board_id == board_id,
                Thread.state == State.VISIBLE,
                Thread.last_post_id.is_not(None),
            )
            .order_by(Thread.last_post_at.desc(), Thread.id.desc())
            .limit(1)
        )
        row = (await session.execute(latest)).first()
        await session.execute(
            update(Board)
            .where(Board.id == board_id)
            .values(
                last_post_id=row.last_post_id if row else None,
                last_post_at=row.last_post_at if row else None,
            )
            .execution_options(synchronize_session="fetch")
        )


async def _queue_follows(session: AsyncSession, post_ids: Select, board_id: int) -> None:
    """Open review items go with their posts, so the right board's moderators see them."""
    await session.execute(
        update(QueueItem)
        .where(QueueItem.is_open, QueueItem.post_id.in_(post_ids))
        .values(board_id=board_id)
        .execution_options(synchronize_session="fetch")
    )


async def _reload(session: AsyncSession, *threads: Thread) -> None:
    """Bring loaded threads up to date after changes made in SQL."""
    for thread in threads:
        await session.refresh(thread, attribute_names=_THREAD_COLUMNS)


_THREAD_COLUMNS = [
    "board_id",
    "title",
    "post_count",
    "is_pinned",
    "is_locked",
    "state",
    "merged_into_id",
    "last_post_id",
    "last_post_at",
]


async def _tell_author(session: AsyncSession, actor: Viewer, thread: Thread, message: str) -> None:
    # Moderating one's own thread needs no notice.
    if thread.author_id != actor.member_id:
        await notify(session, thread.author_id, message, f"/t/{thread.id}")


# Pin and lock


async def _set_flag(
    session: AsyncSession,
    actor: Viewer,
    thread: Thread,
    flag: Literal["is_pinned", "is_locked"],
    value: bool,
    action: str,
    reason: str,
) -> bool:
    """Idempotent: a second click changes nothing and records nothing."""
    await _lock_threads(session, thread)
    if getattr(thread, flag) == value:
        return False
    setattr(thread, flag, value)
    await session.flush()
    await record(
        session,
        actor,
        action,
        target_kind="thread",
        target_id=thread.id,
        target_label=thread_label(thread),
        board_id=thread.board_id,
        reason=reason,
    )
    return True


async def pin_thread(session: AsyncSession, actor: Viewer, thread: Thread, reason: str) -> bool:
    """Pinned threads lead their board's list."""
    return await _set_flag(session, actor, thread, "is_pinned", True, "thread.pin", reason)


async def unpin_thread(session: AsyncSession, actor: Viewer, thread: Thread, reason: str) -> bool:
    return await _set_flag(session, actor, thread, "is_pinned", False, "thread.unpin", reason)


async def lock_thread(session: AsyncSession, actor: Viewer, thread: Thread, reason: str) -> bool:
    """A locked thread takes replies from its moderators only (can_reply)."""
    return await _set_flag(session, actor, thread, "is_locked", True, "thread.lock", reason)


async def unlock_thread(session: AsyncSession, actor: Viewer, thread: Thread, reason: str) -> bool:
    return await _set_flag(session, actor, thread, "is_locked", False, "thread.unlock", reason)


# Move


async def move_thread(
    session: AsyncSession, actor: Viewer, thread: Thread, board: Board, reason: str
) -> None:
    """Caller checked the actor moderates both boards. Counts and open review items follow."""
    assert thread.id is not None and board.id is not None
    await _lock_threads(session, thread)
    source = thread.board_id
    if board.id == source:
        raise FieldErrors({"board": "The thread is already in that board."})
    await _lock_boards(session, source, board.id)
    counted = thread.state == State.VISIBLE
    in_thread = select(Post.id).where(Post.thread_id == thread.id)
    posts = await _published_posts(session, select(Post).where(Post.thread_id == thread.id))
    posts = posts if counted else 0
    await _queue_follows(session, in_thread, board.id)
    thread.board = board
    await session.flush()
    await _shift_board(session, source, -int(counted), -posts)
    await _shift_board(session, board.id, int(counted), posts)
    await _refresh_board_latest(session, source, board.id)
    await record(
        session,
        actor,
        "thread.move",
        target_kind="thread",
        target_id=thread.id,
        target_label=thread_label(thread),
        board_id=source,
        reason=reason,
        to_board_id=board.id,
        to_board=board.slug,
    )
    await _tell_author(
        session, actor, thread, f"A moderator moved your thread “{thread.title}” to {board.name}."
    )


# Merge


async def merge_thread(
    session: AsyncSession, actor: Viewer, thread: Thread, into: Thread, reason: str
) -> int:
    """Append the thread's posts to `into`, in their order; returns how many moved.

    Caller checked the actor moderates both boards. The emptied thread stays, deleted, pointing
    at `into`, so its old links lead there.
    """
    assert thread.id is not None and into.id is not None
    if into.id == thread.id:
        raise FieldErrors({"into": "A thread can't be merged into itself; choose another."})
    await _lock_threads(session, thread, into)
    if thread.state != State.VISIBLE:
        raise FieldErrors({"action": "Only a published thread can be merged into another."})
    if into.state != State.VISIBLE:
        raise FieldErrors({"into": "That thread isn't published; merge into a visible thread."})
    await _lock_boards(session, thread.board_id, into.board_id)
    # Read under the lock: positions are handed out from post_count, so B's are all at or below it.
    base = into.post_count
    from_thread = select(Post).where(Post.thread_id == thread.id)
    published = await _published_posts(session, from_thread)
    moved = (
        await session.execute(select(func.count()).where(Post.thread_id == thread.id))
    ).scalar_one()
    await _queue_follows(session, select(Post.id).where(Post.thread_id == thread.id), into.board_id)
    # One statement: the new range (base+1 .. base+moved) meets no position B already uses,
    # so uq_posts_thread_position holds row by row.
    ranked = (
        select(Post.id, func.row_number().over(order_by=Post.position).label("rank"))
        .where(Post.thread_id == thread.id)
        .subquery()
    )
    await session.execute(
        update(Post)
        .where(Post.id == ranked.c.id)
        .values(thread_id=into.id, position=base + ranked.c.rank)
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(
        update(Thread)
        .where(Thread.id == into.id)
        .values(post_count=Thread.post_count + moved)
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(state=State.DELETED, merged_into_id=into.id, last_post_id=None)
        .execution_options(synchronize_session="fetch")
    )
    await _refresh_thread_latest(session, into.id)
    await _shift_board(session, thread.board_id, -1, -published)
    await _shift_board(session, into.board_id, 0, published)
    await _refresh_board_latest(session, thread.board_id, into.board_id)
    await _reload(session, thread, into)
    await record(
        session,
        actor,
        "thread.merge",
        target_kind="thread",
        target_id=thread.id,
        target_label=thread_label(thread),
        board_id=thread.board_id,
        reason=reason,
        into_thread_id=into.id,
        into_title=into.title,
        into_board_id=into.board_id,
        posts=moved,
    )
    await _tell_author(
        session,
        actor,
        thread,
        f"A moderator joined your thread “{thread.title}” to “{into.title}”; "
        "your posts are there now.",
    )
    return moved


# Split


async def split_thread(
    session: AsyncSession,
    actor: Viewer,
    thread: Thread,
    post_ids: Sequence[int],
    *,
    title: str,
    board: Board,
    reason: str,
) -> Thread:
    """Chosen replies become a new visible thread in `board`, numbered 1..k in their old order.

    Caller checked the actor moderates `board`. The old thread keeps gaps where they were: pages
    are position ranges, and positions are never handed out twice.
    """
    assert thread.id is not None and board.id is not None
    await _lock_threads(session, thread)
    chosen = (
        await session.execute(
            select(Post.id, Post.position, Post.author_id, Post.created_at)
            .where(Post.thread_id == thread.id, Post.id.in_(set(post_ids)))
            .order_by(Post.position)
        )
    ).all()
    if len(chosen) != len(set(post_ids)):
        raise FieldErrors({"post_ids": "Choose posts from this thread only."})
    if any(post.position == 1 for post in chosen):
        raise FieldErrors(
            {"post_ids": "The opening post stays with its thread; choose replies only."}
        )
    await _lock_boards(session, thread.board_id, board.id)
    first = chosen[0]
    new = Thread(
        board_id=board.id,
        author_id=first.author_id,
        title=title,
        state=State.VISIBLE,
        post_count=len(chosen),
        created_at=first.created_at,
        last_post_at=first.created_at,
    )
    session.add(new)
    await session.flush()
    assert new.id is not None
    ids = [post.id for post in chosen]
    published = await _published_posts(session, select(Post).where(Post.id.in_(ids)))
    await _queue_follows(session, select(Post.id).where(Post.id.in_(ids)), board.id)
    ranked = (
        select(Post.id, func.row_number().over(order_by=Post.position).label("rank"))
        .where(Post.id.in_(ids))
        .subquery()
    )
    await session.execute(
        update(Post)
        .where(Post.id == ranked.c.id)
        .values(thread_id=new.id, position=ranked.c.rank)
        .execution_options(synchronize_session="fetch")
    )
    await _refresh_thread_latest(session, thread.id)
    await _refresh_thread_latest(session, new.id)
    if thread.state == State.VISIBLE:
        await _shift_board(session, thread.board_id, 0, -published)
    await _shift_board(session, board.id, 1, published)
    await _refresh_board_latest(session, thread.board_id, board.id)
    await _reload(session, thread, new)
    await record(
        session,
        actor,
        "thread.split",
        target_kind="thread",
        target_id=thread.id,
        target_label=thread_label(thread),
        board_id=thread.board_id,
        reason=reason,
        new_thread_id=new.id,
        new_title=new.title,
        new_board_id=board.id,
        post_ids=ids,
    )
    return new


# Delete and restore


async def delete_thread(session: AsyncSession, actor: Viewer, thread: Thread, reason: str) -> bool:
    """Soft delete: gone from its board for members, kept for moderators to restore."""
    assert thread.id is not None
    await _lock_threads(session, thread)
    if thread.state == State.DELETED:
        return False
    await _lock_boards(session, thread.board_id)
    before = thread.state
    if before == State.VISIBLE:
        posts = await _published_posts(session, select(Post).where(Post.thread_id == thread.id))
        await _shift_board(session, thread.board_id, -1, -posts)
    thread.state = State.DELETED
    await session.flush()
    await _refresh_board_latest(session, thread.board_id)
    await record(
        session,
        actor,
        "thread.delete",
        target_kind="thread",
        target_id=thread.id,
        target_label=thread_label(thread),
        board_id=thread.board_id,
        reason=reason,
        before=before,
    )
    await _tell_author(
        session,
        actor,
        thread,
        f"A moderator removed your thread “{thread.title}”. Reason: {reason}",
    )
    return True


async def restore_thread(
    session: AsyncSession, actor: Viewer, thread: Thread, reason: str = ""
) -> bool:
    """Back to its board; a thread whose opening post still waits goes back to waiting."""
    assert thread.id is not None
    await _lock_threads(session, thread)
    if thread.state != State.DELETED:
        return False
    if thread.merged_into_id is not None:
        raise FieldErrors(
            {"action": "This thread was merged into another and its posts live there now."}
        )
    await _lock_boards(session, thread.board_id)
    opening = (
        await session.execute(
            select(Post.state).where(Post.thread_id == thread.id, Post.position == 1)
        )
    ).scalar_one_or_none()
    thread.state = State.PENDING if opening == State.PENDING else State.VISIBLE
    await session.flush()
    if thread.state == State.VISIBLE:
        posts = await _published_posts(session, select(Post).where(Post.thread_id == thread.id))
        await _shift_board(session, thread.board_id, 1, posts)
    await _refresh_thread_latest(session, thread.id)
    await _refresh_board_latest(session, thread.board_id)
    await _reload(session, thread)
    await record(
        session,
        actor,
        "thread.restore",
        target_kind="thread",
        target_id=thread.id,
        target_label=thread_label(thread),
        board_id=thread.board_id,
        reason=reason,
        after=thread.state,
    )
    await _tell_author(
        session, actor, thread, f"A moderator restored your thread “{thread.title}”."
    )
    return True
