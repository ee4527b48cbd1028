"""Reporting a post, and a moderator's verdict on it from the review page.

A report joins the post's open queue item. A verdict acts on the post or its author, resolves the
item, and tells each reporter the outcome in words that never name another member's sanction.
Every verdict can be undone. Callers have checked the policies; nothing commits here.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member
from forum.auth.policies import can_ban, can_silence, can_suspend, can_warn, is_new_member
from forum.auth.viewer import Viewer
from forum.config import settings
from forum.core.forms import clean_text
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
from forum.moderation.audit import SYSTEM, record
from forum.moderation.models import QueueItem, Report, ReportReason, SanctionKind
from forum.moderation.queue import AT_RISK_PRIORITY, open_item
from forum.moderation.review_queries import (
    counting_reporters,
    open_item_of,
    open_report_by,
    post_audit,
    reporter_ids,
    resolution_audit,
    resolved_item,
    sanction_to_lift,
)
from forum.notifications.actions import notify
from forum.ratelimits.limits import hit, reports_per_member
from forum.threads.models import Post, State, Thread

HIDDEN_BY_REPORTS = "Hidden after reports from several members, until a moderator reviews it."
NOTE_MAX = 500
REASON_MAX = 500
# "Someone may be at risk" comes first on the form: it is the report that cannot wait.
REASON_ORDER = (
    ReportReason.AT_RISK,
    ReportReason.UNKIND,
    ReportReason.SPAM,
    ReportReason.OFF_TOPIC,
    ReportReason.OTHER,
)
_REASON_VALUES = frozenset(str(reason) for reason in ReportReason)


# Reporting


class ReportCreate(BaseModel):
    reason: ReportReason
    note: str = ""

    @field_validator("reason", mode="before")
    @classmethod
    def _known_reason(cls, value: Any) -> Any:
        if value not in _REASON_VALUES:
            raise ValueError("Choose what is wrong with the post.")
        return value

    @field_validator("note")
    @classmethod
    def _short_note(cls, value: str) -> str:
        value = clean_text(value).strip()
        if len(value) > NOTE_MAX:
            raise ValueError(
                f"Notes can be at most {NOTE_MAX} characters; this one has {len(value)}."
            )
        return value


class AlreadyReported(Exception):
    def __init__(self) -> None:
        super().__init__(
            "You have already reported this post. Moderators will look at it, "
            "and the outcome will arrive in your notices."
        )


@dataclass(frozen=True)
class ReportOutcome:
    item_id: int
    report_count: int
    post_hidden: bool


def report_refusal(viewer: Viewer, post: Post) -> str:
    """The sentence for a refused report; only asked when can_report() said no."""
    if post.author_id == viewer.member_id:
        return "You can't report your own post. You can edit it, or ask a moderator to remove it."
    if viewer.is_silenced:
        return "You can't send reports while you are silenced. Your notices say until when."
    return "This post is already with the moderators, so it can't be reported now."


async def has_open_report(session: AsyncSession, post_id: int, member_id: int) -> bool:
    return (await session.scalars(open_report_by(post_id, member_id))).first() is not None


async def report_post(
    session: AsyncSession, viewer: Viewer, post: Post, board_id: int, form: ReportCreate
) -> ReportOutcome:
    """Caller checked can_report(). Raises AlreadyReported, or RateLimited with nothing saved."""
    assert viewer.member_id is not None and post.id is not None
    if await has_open_report(session, post.id, viewer.member_id):
        raise AlreadyReported
    at_risk = form.reason == ReportReason.AT_RISK
    try:
        # One savepoint: a refused report (over the limit, or a double submit that lost the
        # race) leaves neither the report, nor its count on the item, nor a rate-limit hit.
        async with session.begin_nested():
            item_id = await open_item(
                session,
                post.id,
                board_id,
                reports=1,
                priority=AT_RISK_PRIORITY if at_risk else 0,
            )
            session.add(
                Report(
                    item_id=item_id,
                    post_id=post.id,
                    reporter_id=viewer.member_id,
                    reason=form.reason,
                    note=form.note,
                    counts_for_hiding=not is_new_member(viewer),
                )
            )
            await session.flush()
            await hit(session, reports_per_member(), viewer.member_id)
    except IntegrityError as lost_race:
        raise AlreadyReported from lost_race
    report_count = (
        await session.scalars(select(QueueItem.report_count).where(QueueItem.id == item_id))
    ).one()
    counting = (await session.scalars(counting_reporters(item_id))).one()
    if counting >= settings.reports_to_hide and post.state == State.VISIBLE:
        await hide_post(session, SYSTEM, post, HIDDEN_BY_REPORTS)
    return ReportOutcome(item_id, report_count, post.state == State.HIDDEN)


# A moderator's verdict


class Action(StrEnum):
    DISMISS = "dismiss"
    APPROVE = "approve"
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    RESTORE = "restore"
    WARN = "warn"
    SILENCE = "silence"
    SUSPEND = "suspend"
    BAN = "ban"


POST_ACTIONS = (
    Action.DISMISS,
    Action.APPROVE,
    Action.HIDE,
    Action.UNHIDE,
    Action.DELETE,
    Action.RESTORE,
)
SANCTIONS = {
    Action.WARN: SanctionKind.WARN,
    Action.SILENCE: SanctionKind.SILENCE,
    Action.SUSPEND: SanctionKind.SUSPEND,
    Action.BAN: SanctionKind.BAN,
}
DEFAULT_DAYS = {Action.SILENCE: 3, Action.SUSPEND: 7}
MAX_DAYS = 365
# What members will read: others see a hide reason in the post's place, authors their sanction's.
NEEDS_REASON = {
    Action.HIDE: "Give a reason: members see it in the post's place.",
    Action.DELETE: "Give a reason, for the record.",
    Action.WARN: "Give a reason: the member reads it in their notice.",
    Action.SILENCE: "Give a reason: the member reads it in their notice.",
    Action.SUSPEND: "Give a reason: the member reads it in their notice.",
    Action.BAN: "Give a reason: the member reads it in their notice.",
}
# Reporters learn what became of the post, never what happened to its author.
TO_REPORTERS = {
    Action.DISMISS: "decided it can stay",
    Action.APPROVE: "decided it can stay",
    Action.UNHIDE: "decided it can stay",
    Action.RESTORE: "decided it can stay",
    Action.HIDE: "hid it",
    Action.DELETE: "removed it",
    Action.WARN: "took action",
    Action.SILENCE: "took action",
    Action.SUSPEND: "took action",
    Action.BAN: "took action",
}
UNDONE_BY = "Undone from the review page."
# Words for the review page and the API's answers.
ACTION_LABELS = {
    Action.DISMISS: "Dismiss the reports",
    Action.APPROVE: "Approve",
    Action.HIDE: "Hide",
    Action.UNHIDE: "Show again",
    Action.DELETE: "Delete",
    Action.RESTORE: "Restore",
    Action.WARN: "Warn the author",
    Action.SILENCE: "Silence the author",
    Action.SUSPEND: "Suspend the author",
    Action.BAN: "Ban the author",
}
ACTION_HINTS = {
    Action.DISMISS: "The reports are unfounded. A post hidden by reports is shown again.",
    Action.APPROVE: "The post goes up and its author is told.",
    Action.HIDE: "Members read your reason in the post's place; the author still sees the words.",
    Action.UNHIDE: "Everyone can read the post again.",
    Action.DELETE: "Gone for members; moderators can restore it.",
    Action.RESTORE: "The post comes back as it was before it was deleted.",
    Action.WARN: "A private notice to the author, with your reason.",
    Action.SILENCE: "The author can read but not post, report or edit.",
    Action.SUSPEND: "The author is logged out everywhere and can't log in until it ends.",
    Action.BAN: "The author is logged out and can't log in again. It has no end.",
}
DONE = {
    Action.DISMISS: "Reports dismissed: the post stays.",
    Action.APPROVE: "Approved: the post is up, and its author was told.",
    Action.HIDE: "Hidden: members see your reason in its place.",
    Action.UNHIDE: "Shown again: everyone can read the post.",
    Action.DELETE: "Deleted: only moderators see it now.",
    Action.RESTORE: "Restored.",
    Action.WARN: "Warning sent: the author reads it in their notices.",
    Action.SILENCE: "Silenced: the author can read but not post.",
    Action.SUSPEND: "Suspended: the author is logged out and can't log in until it ends.",
    Action.BAN: "Banned: the author is logged out and can't log in.",
}
RESOLVED_AS = {
    Action.DISMISS: "Reports dismissed",
    Action.APPROVE: "Approved",
    Action.HIDE: "Hidden",
    Action.UNHIDE: "Shown again",
    Action.DELETE: "Deleted",
    Action.RESTORE: "Restored",
    Action.WARN: "Author warned",
    Action.SILENCE: "Author silenced",
    Action.SUSPEND: "Author suspended",
    Action.BAN: "Author banned",
}


class ActionForm(BaseModel):
    action: Action
    # Checked even when left out: some actions need a reason.
    reason: str = Field("", validate_default=True)
    days: int | None = None

    @field_validator("reason")
    @classmethod
    def _reason_when_needed(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(clean_text(value).split())
        if len(value) > REASON_MAX:
            raise ValueError(
                f"Reasons can be at most {REASON_MAX} characters; this one has {len(value)}."
            )
        action = info.data.get("action")
        if not value and action in NEEDS_REASON:
            raise ValueError(NEEDS_REASON[action])
        return value

    @field_validator("days", mode="before")
    @classmethod
    def _whole_days(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError("Give the number of days as a whole number, such as 3.")
        if not 1 <= int(value) <= MAX_DAYS:
            raise ValueError(f"Choose between 1 and {MAX_DAYS} days; a ban has no end.")
        return int(value)

    @property
    def length(self) -> int | None:
        """Days a silence or suspension lasts; warnings and bans have no end."""
        if self.action not in DEFAULT_DAYS:
            return None
        return self.days or DEFAULT_DAYS[self.action]


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
UNDONE = {
    Action.DISMISS: "Dismissal undone: the reports are open again.",
    Action.APPROVE: "Approval undone: the post waits again.",
    Action.HIDE: "Hiding undone: the post is back as it was.",
    Action.UNHIDE: "Undone: the post is hidden again.",
    Action.DELETE: "Deletion undone: the post is back.",
    Action.RESTORE: "Undone: the post is deleted again.",
    Action.WARN: "Warning withdrawn.",
    Action.SILENCE: "Silence lifted.",
    Action.SUSPEND: "Suspension lifted. Sessions it ended stay ended.",
    Action.BAN: "Ban lifted. Sessions it ended stay ended.",
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
