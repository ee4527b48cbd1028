"""A moderator's verdict on a reported or held post, from the review page, and its undo.

A verdict acts on the post or its author, resolves the item, and tells each reporter the outcome in
words that never name another member's sanction. Every verdict can be undone. Callers have checked
the policies; nothing commits here.
"""

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member
from forum.auth.policies import can_ban, can_silence, can_suspend, can_warn
from forum.auth.viewer import Viewer
from forum.core.time import utcnow
from forum.moderation.actions import (
    apply_sanction,
    approve_post,
    delete_post,
    hide_post,
    lift_sanction,
    post_label,
    post_link,
    restore_post,
    unapprove_post,
    unhide_post,
)
from forum.moderation.audit import record
from forum.moderation.models import QueueItem
from forum.moderation.queue import open_item
from forum.moderation.reports import HIDDEN_BY_REPORTS
from forum.moderation.review_queries import (
    open_item_of,
    post_audit,
    reporter_ids,
    resolution_audit,
    resolved_item,
    sanction_to_lift,
)
from forum.moderation.verdict_forms import (
    POST_ACTIONS,
    SANCTIONS,
    TO_REPORTERS,
    UNDONE,
    Action,
    ActionForm,
)
from forum.notifications.actions import notify
from forum.threads.models import Post, State, Thread

UNDONE_BY = "Undone from the review page."


def refusal(
    viewer: Viewer,
    action: Action,
    post: Post,
    author: Member,
    board_id: int,
    item: QueueItem | None,
) -> str | None:
    """Why this action can't be taken now, or None. Caller checked can_moderate_post()."""
    state = post.state
    if action == Action.DISMISS:
        if item is None:
            return "There are no open reports on this post to dismiss."
        if state == State.PENDING:
            return "This post is waiting for approval: approve it or delete it instead."
    elif action == Action.APPROVE and state != State.PENDING:
        return "Only a post waiting for approval can be approved."
    elif action == Action.HIDE and state not in (State.VISIBLE, State.HIDDEN):
        return "Only a published post can be hidden."
    elif action == Action.UNHIDE and state != State.HIDDEN:
        return "This post isn't hidden."
    elif action == Action.DELETE and state == State.DELETED:
        return "This post is deleted already."
    elif action == Action.RESTORE and state != State.DELETED:
        return "Only a deleted post can be restored."
    elif action == Action.WARN and not can_warn(viewer, author, board_id):
        return "You can warn only members below your rank, and never yourself."
    elif action == Action.SILENCE and not can_silence(viewer, author, board_id):
        return "You can silence only members below your rank, and never yourself."
    elif action == Action.SUSPEND and not can_suspend(viewer, author):
        return "Only global moderators suspend members, and only members below their rank."
    elif action == Action.BAN and not can_ban(viewer, author):
        return "Only global moderators ban members, and only members below their rank."
    return None


def offered(
    viewer: Viewer, post: Post, author: Member, board_id: int, item: QueueItem | None
) -> list[Action]:
    """The actions the review page shows for this post and this moderator."""
    return [a for a in Action if refusal(viewer, a, post, author, board_id, item) is None]


@dataclass(frozen=True)
class ActionOutcome:
    action: Action
    post_state: str
    # The queue item this verdict resolved, and the sanction it gave: what an undo reverses.
    item_id: int | None
    sanction_id: int | None
    reporters_told: int


async def take_action(
    session: AsyncSession,
    actor: Viewer,
    post: Post,
    item: QueueItem | None,
    form: ActionForm,
) -> ActionOutcome:
    """Caller checked refusal() is None; `item` is the post's open item, locked, or None.

    A post still waiting for approval keeps its item open: only approving or deleting ends the wait.
    """
    thread: Thread = post.thread
    action = form.action
    shown_again = False
    sanction_id = None
    if action == Action.DISMISS:
        if post.state == State.HIDDEN and post.state_reason == HIDDEN_BY_REPORTS:
            await unhide_post(session, actor, post, form.reason)
            shown_again = True
    elif action == Action.APPROVE:
        await approve_post(session, actor, post, form.reason)
    elif action == Action.HIDE:
        await hide_post(session, actor, post, form.reason)
    elif action == Action.UNHIDE:
        await unhide_post(session, actor, post, form.reason)
    elif action == Action.DELETE:
        await delete_post(session, actor, post, form.reason)
    elif action == Action.RESTORE:
        await _restore(session, actor, post, form.reason)
    else:
        sanction = await apply_sanction(
            session,
            actor,
            post.author,
            SANCTIONS[action],
            form.reason,
            days=form.length,
            post_id=post.id,
            board_id=thread.board_id,
        )
        sanction_id = sanction.id
    if item is None or post.state == State.PENDING:
        return ActionOutcome(action, post.state, None, sanction_id, 0)
    told = await _resolve(session, actor, post, item, action, form.reason, shown_again)
    return ActionOutcome(action, post.state, item.id, sanction_id, told)


async def _resolve(
    session: AsyncSession,
    actor: Viewer,
    post: Post,
    item: QueueItem,
    action: Action,
    reason: str,
    shown_again: bool,
) -> int:
    """Close the item, record it, and tell each reporter the outcome; returns how many."""
    item.is_open = False
    item.resolution = action
    item.resolution_note = reason
    item.resolved_by_id = actor.member_id
    item.resolved_by_name = actor.handle
    item.resolved_at = utcnow()
    await session.flush()
    await record(
        session,
        actor,
        "queue.resolve",
        target_kind="post",
        target_id=post.id,
        target_label=post_label(post),
        board_id=item.board_id,
        reason=reason,
        item_id=item.id,
        resolution=str(action),
        reports=item.report_count,
        shown_again=shown_again,
    )
    reporters = (await session.scalars(reporter_ids(item.id))).all()  # type: ignore[arg-type]
    message = (
        f"Thanks for your report about a post in “{post.thread.title}”. "
        f"A moderator reviewed it and {TO_REPORTERS[action]}."
    )
    # A removed post is gone for its reporters too: their link leads to the thread instead.
    link = f"/t/{post.thread_id}" if post.state == State.DELETED else post_link(post)
    for reporter_id in reporters:
        await notify(session, reporter_id, message, link)
    return len(reporters)


async def _restore(session: AsyncSession, actor: Viewer, post: Post, reason: str) -> None:
    """A post deleted while it waited for approval goes back to waiting, in the queue again."""
    deleted = (await session.scalars(post_audit(post.id, "post.delete"))).first()  # type: ignore[arg-type]
    if deleted is None or deleted.details.get("before") != State.PENDING:
        await restore_post(session, actor, post, reason)
        return
    await _back_to_waiting(session, actor, post, reason)


async def _back_to_waiting(session: AsyncSession, actor: Viewer, post: Post, reason: str) -> None:
    """A deleted post that was never published waits again, without touching published counts."""
    before = post.state
    post.state = State.PENDING
    await session.flush()
    await record(
        session,
        actor,
        "post.restore",
        target_kind="post",
        target_id=post.id,
        target_label=post_label(post),
        board_id=post.thread.board_id,
        reason=reason,
        before=before,
        after=State.PENDING,
    )
    # Joins the item an undo has just reopened, or holds the post in a new one.
    await open_item(session, post.id, post.thread.board_id, held=True)  # type: ignore[arg-type]


# Undo


class UndoRefused(Exception):
    """The post or its queue moved on since the action; nothing was changed."""


# The state each post action leaves behind: anything else means someone acted since.
LEAVES = {
    Action.APPROVE: (State.VISIBLE,),
    Action.HIDE: (State.HIDDEN,),
    Action.UNHIDE: (State.VISIBLE,),
    Action.DELETE: (State.DELETED,),
    Action.RESTORE: (State.VISIBLE, State.PENDING),
}


async def undo_action(
    session: AsyncSession,
    actor: Viewer,
    post: Post,
    action: Action,
    *,
    item_id: int | None = None,
    sanction_id: int | None = None,
) -> str:
    """Reverse a verdict and reopen the item it closed; returns what the banner says.

    Caller checked can_moderate_post() and, for sanctions, the policy that gives them.
    Raises UndoRefused before changing anything when the post has moved on since.
    """
    assert post.id is not None
    item = None
    if action == Action.DISMISS or item_id is not None:
        item = (await session.scalars(resolved_item(post.id, item_id, action))).first()
        if item is None and action == Action.DISMISS:
            raise UndoRefused("There is no dismissal of reports on this post to undo.")
    if item is not None and (await session.scalars(open_item_of(post.id))).first() is not None:
        raise UndoRefused(
            "New reports or a new hold arrived for this post since, so this can't be undone "
            "here. Decide on the open item instead."
        )
    if action in LEAVES and post.state not in LEAVES[action]:
        raise UndoRefused("The post has changed since, so nothing was undone.")
    sanction = None
    if action in SANCTIONS:
        sanction = (
            await session.scalars(
                sanction_to_lift(post.author_id, post.id, SANCTIONS[action], sanction_id)
            )
        ).first()
        if sanction is None:
            raise UndoRefused("That sanction has been lifted already.")
    # Reopen first: an item reopened by a concurrent undo turns this one away unchanged.
    if item is not None:
        await _reopen(session, actor, post, item)
    if action == Action.APPROVE:
        await unapprove_post(session, actor, post, UNDONE_BY)
    elif action == Action.DISMISS:
        if (
            item is not None
            and post.state == State.VISIBLE
            and await _dismissal_showed(session, post, item)
        ):
            await hide_post(session, actor, post, HIDDEN_BY_REPORTS)
    elif action in POST_ACTIONS:
        await _put_back(session, actor, post, f"post.{action}")
    elif sanction is not None:
        await lift_sanction(session, actor, sanction, UNDONE_BY)
    return UNDONE[action]


async def _reopen(session: AsyncSession, actor: Viewer, post: Post, item: QueueItem) -> None:
    undone = item.resolution
    try:
        async with session.begin_nested():
            item.is_open = True
            item.resolution = ""
            item.resolution_note = ""
            item.resolved_by_id = None
            item.resolved_by_name = ""
            item.resolved_at = None
            await session.flush()
    except IntegrityError as lost_race:
        raise UndoRefused(
            "Another item for this post opened just now; nothing was undone."
        ) from lost_race
    await record(
        session,
        actor,
        "queue.reopen",
        target_kind="post",
        target_id=post.id,
        target_label=post_label(post),
        board_id=item.board_id,
        reason=UNDONE_BY,
        item_id=item.id,
        undone=undone,
    )


async def _dismissal_showed(session: AsyncSession, post: Post, item: QueueItem) -> bool:
    row = (await session.scalars(resolution_audit(post.id, item.id))).first()  # type: ignore[arg-type]
    return bool(row and row.details.get("shown_again"))


async def _put_back(session: AsyncSession, actor: Viewer, post: Post, audit_action: str) -> None:
    """Return the post to the state it had before its latest `audit_action`, with that state's reason."""
    assert post.id is not None
    row = (await session.scalars(post_audit(post.id, audit_action))).first()
    before = row.details.get("before") if row else None
    if before in (State.HIDDEN, State.DELETED):
        kind = "post.hide" if before == State.HIDDEN else "post.delete"
        earlier = (
            await session.scalars(post_audit(post.id, kind, before_id=row.id if row else None))
        ).first()
        reason = earlier.reason if earlier and earlier.reason else UNDONE_BY
        verb = hide_post if before == State.HIDDEN else delete_post
        await verb(session, actor, post, reason)
    elif before == State.PENDING:
        await _back_to_waiting(session, actor, post, UNDONE_BY)
    elif post.state == State.HIDDEN:
        await unhide_post(session, actor, post, UNDONE_BY)
    else:
        await restore_post(session, actor, post, UNDONE_BY)
