"""The JSON API for reports and the review queue: the pages' verbs and policies."""

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from forum.auth.policies import can_report, moderates_any
from forum.auth.viewer import MemberDep
from forum.core.csrf import verify_csrf
from forum.core.errors import ensure
from forum.db import SessionDep
from forum.moderation.models import REASON_LABELS, QueueItem, Sanction
from forum.moderation.queue import AT_RISK_PRIORITY
from forum.moderation.reports import AlreadyReported, ReportCreate, report_post, report_refusal
from forum.moderation.review_queries import (
    QueueEntry,
    Show,
    access_review_post,
    open_item_of,
    post_review,
    queue_counts,
    queue_entries,
)
from forum.moderation.verdict_forms import DONE, SANCTIONS, Action, ActionForm
from forum.moderation.verdicts import UndoRefused, offered, refusal, take_action, undo_action
from forum.threads.queries import access_post

router = APIRouter(prefix="/api/v1", tags=["moderation"], dependencies=[Depends(verify_csrf)])

NOT_A_MODERATOR = "Only moderators can open the review queue."


def _conflict(error: str, message: str) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=409)


# Shapes


class ReportOut(BaseModel):
    item_id: int
    report_count: int
    post_hidden: bool


class ReasonCount(BaseModel):
    reason: str
    label: str
    count: int


class QueueItemOut(BaseModel):
    item_id: int
    post_id: int
    post_state: str
    excerpt: str
    author: str
    thread_id: int
    thread_title: str
    board_slug: str
    at_risk: bool
    is_held: bool
    held_because: str
    flagged_words: str
    report_count: int
    reasons: list[ReasonCount]
    opened_at: datetime
    url: str

    @classmethod
    def of(cls, entry: QueueEntry) -> "QueueItemOut":
        item = entry.item
        return cls(
            item_id=item.id,  # type: ignore[arg-type]
            post_id=item.post_id,
            post_state=entry.post_state,
            excerpt=entry.excerpt,
            author=entry.author_handle,
            thread_id=entry.thread_id,
            thread_title=entry.thread_title,
            board_slug=entry.board_slug,
            at_risk=entry.at_risk,
            is_held=item.is_held,
            held_because=entry.held_because,
            flagged_words=item.flagged_words,
            report_count=item.report_count,
            reasons=[ReasonCount(reason=r, label=label, count=n) for r, label, n in entry.reasons],
            opened_at=item.created_at,
            url=f"/review/p/{item.post_id}",
        )


class QueueCounts(BaseModel):
    reported: int
    held: int
    at_risk: int


class ReviewOut(BaseModel):
    counts: QueueCounts
    items: list[QueueItemOut]


class ReportDetail(BaseModel):
    reporter: str
    reason: str
    label: str
    note: str
    counts_for_hiding: bool
    created_at: datetime


class ItemOut(BaseModel):
    id: int
    is_open: bool
    is_held: bool
    at_risk: bool
    flagged_words: str
    report_count: int
    created_at: datetime
    resolution: str
    resolution_note: str
    resolved_by: str
    resolved_at: datetime | None

    @classmethod
    def of(cls, item: QueueItem) -> "ItemOut":
        return cls(
            id=item.id,  # type: ignore[arg-type]
            is_open=item.is_open,
            is_held=item.is_held,
            at_risk=item.priority >= AT_RISK_PRIORITY,
            flagged_words=item.flagged_words,
            report_count=item.report_count,
            created_at=item.created_at,
            resolution=item.resolution,
            resolution_note=item.resolution_note,
            resolved_by=item.resolved_by_name,
            resolved_at=item.resolved_at,
        )


class SanctionOut(BaseModel):
    id: int
    kind: str
    reason: str
    ends_at: datetime | None
    given_by: str

    @classmethod
    def of(cls, sanction: Sanction) -> "SanctionOut":
        return cls(
            id=sanction.id,  # type: ignore[arg-type]
            kind=sanction.kind,
            reason=sanction.reason,
            ends_at=sanction.ends_at,
            given_by=sanction.created_by_name,
        )


class ReviewAuthor(BaseModel):
    handle: str
    role: str
    post_count: int
    member_since: datetime
    sanctions: list[SanctionOut]


class ReviewPost(BaseModel):
    id: int
    thread_id: int
    thread_title: str
    board_slug: str
    position: int
    state: str
    state_reason: str
    html: str
    source: str
    created_at: datetime


class PostReviewOut(BaseModel):
    """A post as its moderators see it, in any state, with its open item and earlier verdicts."""

    post: ReviewPost
    author: ReviewAuthor
    item: ItemOut | None
    reports: list[ReportDetail]
    earlier: list[ItemOut]
    actions: list[Action]


class UndoIn(BaseModel):
    action: Action
    # From the action's answer: the queue item it resolved and the sanction it gave.
    item_id: int | None = None
    sanction_id: int | None = None


class ActionOut(BaseModel):
    action: Action
    post_state: str
    item_id: int | None
    sanction_id: int | None
    reporters_told: int
    message: str


class UndoOut(BaseModel):
    action: Action
    post_state: str
    message: str


# Reports


@router.post(
    "/posts/{post_id}/reports",
    response_model=ReportOut,
    status_code=201,
    responses={409: {"description": "You have reported this post already."}},
)
async def create_report(
    post_id: int, data: ReportCreate, session: SessionDep, viewer: MemberDep
) -> Any:
    """Report a post to its moderators; a second report on the same open item answers 409."""
    post = await access_post(session, viewer, post_id)
    ensure(can_report(viewer, post), report_refusal(viewer, post))
    try:
        outcome = await report_post(session, viewer, post, post.thread.board_id, data)
    except AlreadyReported as repeat:
        return _conflict("already_reported", str(repeat))
    return ReportOut(
        item_id=outcome.item_id,
        report_count=outcome.report_count,
        post_hidden=outcome.post_hidden,
    )


# The queue


@router.get("/review", response_model=ReviewOut)
async def review_queue(
    session: SessionDep,
    viewer: MemberDep,
    show: Show = Query("all"),
    board: str = Query(""),
) -> ReviewOut:
    """Open items the caller moderates, at-risk first, with their reasons counted."""
    ensure(moderates_any(viewer), NOT_A_MODERATOR)
    counts = (await session.execute(queue_counts(viewer))).one()
    entries = await queue_entries(session, viewer, show=show, board_slug=board)
    return ReviewOut(
        counts=QueueCounts(reported=counts.reported, held=counts.held, at_risk=counts.at_risk),
        items=[QueueItemOut.of(entry) for entry in entries],
    )


@router.get("/review/posts/{post_id}", response_model=PostReviewOut)
async def review_post(post_id: int, session: SessionDep, viewer: MemberDep) -> PostReviewOut:
    """One post for its moderators: the post in full, its open item's reports, its author."""
    post = await access_review_post(session, viewer, post_id)
    review = await post_review(session, post)
    thread, author = post.thread, post.author
    return PostReviewOut(
        post=ReviewPost(
            id=post.id,  # type: ignore[arg-type]
            thread_id=thread.id,  # type: ignore[arg-type]
            thread_title=thread.title,
            board_slug=thread.board.slug,
            position=post.position,
            state=post.state,
            state_reason=post.state_reason,
            html=post.html,
            source=post.source,
            created_at=post.created_at,
        ),
        author=ReviewAuthor(
            handle=author.handle,
            role=author.role,
            post_count=author.post_count,
            member_since=author.created_at,
            sanctions=[SanctionOut.of(s) for s in review.sanctions],
        ),
        item=ItemOut.of(review.item) if review.item else None,
        reports=[
            ReportDetail(
                reporter=row.reporter_handle,
                reason=row.Report.reason,
                label=REASON_LABELS.get(row.Report.reason, row.Report.reason),  # type: ignore[call-overload]
                note=row.Report.note,
                counts_for_hiding=row.Report.counts_for_hiding,
                created_at=row.Report.created_at,
            )
            for row in review.reports
        ],
        earlier=[ItemOut.of(item) for item in review.earlier],
        actions=offered(viewer, post, author, thread.board_id, review.item),
    )


@router.post("/review/posts/{post_id}/actions", response_model=ActionOut)
async def act(post_id: int, data: ActionForm, session: SessionDep, viewer: MemberDep) -> ActionOut:
    """Act on a post or its author with a reason; resolves the post's open item and tells
    its reporters. Keep `item_id` and `sanction_id` from the answer to undo it."""
    post = await access_review_post(session, viewer, post_id)
    item = (await session.scalars(open_item_of(post_id, lock=True))).first()
    why = refusal(viewer, data.action, post, post.author, post.thread.board_id, item)
    ensure(why is None, why or "")
    outcome = await take_action(session, viewer, post, item, data)
    return ActionOut(
        action=outcome.action,
        post_state=outcome.post_state,
        item_id=outcome.item_id,
        sanction_id=outcome.sanction_id,
        reporters_told=outcome.reporters_told,
        message=DONE[outcome.action],
    )


@router.post(
    "/review/posts/{post_id}/undo",
    response_model=UndoOut,
    responses={409: {"description": "The post has moved on since; nothing was undone."}},
)
async def undo(post_id: int, data: UndoIn, session: SessionDep, viewer: MemberDep) -> Any:
    """Reverse an action and reopen the queue item it resolved."""
    post = await access_review_post(session, viewer, post_id)
    if data.action in SANCTIONS:
        why = refusal(viewer, data.action, post, post.author, post.thread.board_id, None)
        ensure(why is None, why or "")
    try:
        message = await undo_action(
            session,
            viewer,
            post,
            data.action,
            item_id=data.item_id,
            sanction_id=data.sanction_id,
        )
    except UndoRefused as refused:
        return _conflict("undo_refused", str(refused))
    return UndoOut(action=data.action, post_state=post.state, message=message)
