"""Reporting a post: a report joins the post's open queue item.

A moderator's verdict on it is in forum.moderation.verdicts. Callers have checked the policies;
nothing commits here.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.policies import is_new_member
from forum.auth.viewer import Viewer
from forum.config import settings
from forum.core.forms import clean_text
from forum.moderation.actions import hide_post
from forum.moderation.audit import SYSTEM
from forum.moderation.models import QueueItem, Report, ReportReason
from forum.moderation.queue import AT_RISK_PRIORITY, open_item
from forum.moderation.review_queries import counting_reporters, open_report_by
from forum.ratelimits.limits import hit, reports_per_member
from forum.threads.models import Post, State

HIDDEN_BY_REPORTS = "Hidden after reports from several members, until a moderator reviews it."
NOTE_MAX = 500
# "Someone may be at risk" comes first on the form: it is the report that cannot wait.
REASON_ORDER = (
    ReportReason.AT_RISK,
    ReportReason.UNKIND,
    ReportReason.SPAM,
    ReportReason.OFF_TOPIC,
    ReportReason.OTHER,
)
_REASON_VALUES = frozenset(str(reason) for reason in ReportReason)


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
