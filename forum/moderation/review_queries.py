"""Statements for the review queue and for one post's review page.

Callers have checked moderates_any() or can_moderate_post(); every queue statement is narrowed to
the boards the viewer moderates, so a board moderator never lists another board's items.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from forum.accounts.models import Member
from forum.auth.policies import can_moderate_post, can_see_post, can_see_thread, is_staff
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.errors import ensure, not_found
from forum.core.markdown import excerpt
from forum.core.time import utcnow
from forum.moderation.models import REASON_LABELS, AuditEntry, QueueItem, Report, Sanction
from forum.moderation.queue import AT_RISK_PRIORITY, open_items_for
from forum.threads.models import Post, State, Thread
from forum.threads.queries import visible_posts

Show = Literal["all", "reported", "held"]
QUEUE_LIMIT = 100
RESOLVED_LIMIT = 20


def _narrowed(statement: Select, viewer: Viewer) -> Select:
    if is_staff(viewer):
        return statement
    return statement.where(QueueItem.board_id.in_(viewer.moderated_boards))


# The queue


def queue_counts(viewer: Viewer) -> Select:
    """One row: open items with reports, posts waiting for approval, and at-risk items."""
    statement = select(
        func.count().filter(QueueItem.report_count > 0).label("reported"),
        func.count().filter(QueueItem.is_held).label("held"),
        func.count().filter(QueueItem.priority >= AT_RISK_PRIORITY).label("at_risk"),
    ).where(QueueItem.is_open)
    return _narrowed(statement, viewer)


def queue_listing(viewer: Viewer, *, show: Show = "all", board_slug: str = "") -> Select:
    """Open items with their post, thread, board and author, at-risk first; plain rows."""
    statement = (
        open_items_for(viewer, is_staff=is_staff(viewer))
        .join(Post, QueueItem.post_id == Post.id)
        .join(Thread, Post.thread_id == Thread.id)
        .join(Board, QueueItem.board_id == Board.id)
        .join(Member, Post.author_id == Member.id)
        .add_columns(
            Post.html,
            Post.state.label("post_state"),
            Post.state_reason,
            Post.position,
            Thread.id.label("thread_id"),
            Thread.title.label("thread_title"),
            Board.slug.label("board_slug"),
            Board.name.label("board_name"),
            Member.handle.label("author_handle"),
        )
        .limit(QUEUE_LIMIT)
    )
    if show == "reported":
        statement = statement.where(QueueItem.report_count > 0)
    elif show == "held":
        statement = statement.where(QueueItem.is_held)
    if board_slug:
        statement = statement.where(Board.slug == board_slug)
    return statement


def reason_counts(item_ids: Sequence[int]) -> Select:
    """Reasons grouped per item, for every listed item in one query."""
    return (
        select(Report.item_id, Report.reason, func.count().label("count"))
        .where(Report.item_id.in_(item_ids))
        .group_by(Report.item_id, Report.reason)
        .order_by(Report.item_id, func.count().desc(), Report.reason)
    )


async def reasons_by_item(
    session: AsyncSession, item_ids: Sequence[int]
) -> dict[int, list[tuple[str, str, int]]]:
    """{item id: [(reason, its label, count), …]}, most frequent reason first."""
    grouped: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    if item_ids:
        for item_id, reason, count in (await session.execute(reason_counts(item_ids))).all():
            grouped[item_id].append((reason, REASON_LABELS.get(reason, reason), count))
    return grouped


def recently_resolved(viewer: Viewer, limit: int = RESOLVED_LIMIT) -> Select:
    statement = (
        select(
            QueueItem,
            Thread.title.label("thread_title"),
            Board.name.label("board_name"),
        )
        .join(Post, QueueItem.post_id == Post.id)
        .join(Thread, Post.thread_id == Thread.id)
        .join(Board, QueueItem.board_id == Board.id)
        .where(~QueueItem.is_open)
        .order_by(QueueItem.resolved_at.desc().nulls_last(), QueueItem.id.desc())
        .limit(limit)
    )
    return _narrowed(statement, viewer)


def moderated_boards(viewer: Viewer) -> Select[tuple[Board]]:
    """Boards for the queue's filter: all of them for staff, else the viewer's own."""
    statement = select(Board).order_by(Board.position, Board.id)
    if is_staff(viewer):
        return statement
    return statement.where(Board.id.in_(viewer.moderated_boards))


# One post in context


def post_for_review(viewer: Viewer, post_id: int) -> Select[tuple[Post]]:
    """The post in any state, with thread, board and author; its board must be visible."""
    return (
        visible_posts(viewer)
        .options(joinedload(Post.thread).joinedload(Thread.board), joinedload(Post.author))
        .where(Post.id == post_id)
    )


def neighbours(post: Post) -> Select:
    """The posts just before and after, with their authors' handles."""
    return (
        select(Post.id, Post.position, Post.html, Post.state, Member.handle.label("author_handle"))
        .join(Member, Post.author_id == Member.id)
        .where(
            Post.thread_id == post.thread_id,
            Post.position.in_((post.position - 1, post.position + 1)),
        )
        .order_by(Post.position)
    )


def open_item_of(post_id: int, *, lock: bool = False) -> Select[tuple[QueueItem]]:
    statement = select(QueueItem).where(QueueItem.post_id == post_id, QueueItem.is_open)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return statement


def item_reports(item_id: int) -> Select:
    """(Report, reporter handle), oldest first."""
    return (
        select(Report, Member.handle.label("reporter_handle"))
        .join(Member, Report.reporter_id == Member.id)
        .where(Report.item_id == item_id)
        .order_by(Report.created_at, Report.id)
    )


def open_report_by(post_id: int, member_id: int) -> Select[tuple[int]]:
    """The member's report on the post's open item, if they have made one."""
    return (
        select(Report.id)
        .join(QueueItem, Report.item_id == QueueItem.id)
        .where(Report.post_id == post_id, Report.reporter_id == member_id, QueueItem.is_open)
        .limit(1)
    )


def latest_report_by(post_id: int, member_id: int) -> Select[tuple[Report]]:
    return (
        select(Report)
        .where(Report.post_id == post_id, Report.reporter_id == member_id)
        .order_by(Report.id.desc())
        .limit(1)
    )


def reporter_ids(item_id: int) -> Select[tuple[int]]:
    return select(Report.reporter_id).where(Report.item_id == item_id).order_by(Report.id)


def counting_reporters(item_id: int) -> Select[tuple[int]]:
    """How many distinct members whose reports count toward hiding reported through this item."""
    return select(func.count(func.distinct(Report.reporter_id))).where(
        Report.item_id == item_id, Report.counts_for_hiding
    )


def earlier_items(post_id: int) -> Select[tuple[QueueItem]]:
    return (
        select(QueueItem)
        .where(QueueItem.post_id == post_id, ~QueueItem.is_open)
        .order_by(QueueItem.resolved_at.desc().nulls_last(), QueueItem.id.desc())
    )


def resolved_item(post_id: int, item_id: int | None, resolution: str) -> Select[tuple[QueueItem]]:
    """The item an action resolved: the one named, or else the post's latest with that outcome."""
    statement = (
        select(QueueItem)
        .where(
            QueueItem.post_id == post_id,
            ~QueueItem.is_open,
            QueueItem.resolution == resolution,
        )
        .order_by(QueueItem.id.desc())
        .limit(1)
        .with_for_update(key_share=True)
    )
    if item_id is not None:
        statement = statement.where(QueueItem.id == item_id)
    return statement


def active_sanctions(member_id: int, now: datetime) -> Select[tuple[Sanction]]:
    """Sanctions in force: not lifted, and without an end or ending later."""
    return (
        select(Sanction)
        .where(
            Sanction.member_id == member_id,
            Sanction.lifted_at.is_(None),
            (Sanction.ends_at.is_(None)) | (Sanction.ends_at > now),
        )
        .order_by(Sanction.created_at.desc())
    )


def sanction_to_lift(
    member_id: int, post_id: int, kind: str, sanction_id: int | None
) -> Select[tuple[Sanction]]:
    """The unlifted sanction given over this post: the one named, or else the latest of its kind."""
    statement = (
        select(Sanction)
        .where(
            Sanction.member_id == member_id,
            Sanction.post_id == post_id,
            Sanction.kind == kind,
            Sanction.lifted_at.is_(None),
        )
        .order_by(Sanction.id.desc())
        .limit(1)
    )
    if sanction_id is not None:
        statement = statement.where(Sanction.id == sanction_id)
    return statement


def post_audit(post_id: int, action: str, *, before_id: int | None = None) -> Select:
    """The latest audit row of one action on a post, optionally written before another row."""
    statement = (
        select(AuditEntry)
        .where(
            AuditEntry.target_kind == "post",
            AuditEntry.target_id == post_id,
            AuditEntry.action == action,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if before_id is not None:
        statement = statement.where(AuditEntry.id < before_id)
    return statement


def resolution_audit(post_id: int, item_id: int) -> Select[tuple[AuditEntry]]:
    """The queue.resolve row written when this item was closed."""
    return (
        select(AuditEntry)
        .where(
            AuditEntry.target_kind == "post",
            AuditEntry.target_id == post_id,
            AuditEntry.action == "queue.resolve",
            AuditEntry.details["item_id"].as_integer() == item_id,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


# Loaders the pages and the API share


@dataclass(frozen=True)
class QueueEntry:
    """One open item as the queue lists it."""

    item: QueueItem
    excerpt: str
    post_state: str
    held_because: str
    thread_id: int
    thread_title: str
    board_slug: str
    board_name: str
    author_handle: str
    reasons: list[tuple[str, str, int]]

    @property
    def at_risk(self) -> bool:
        return self.item.priority >= AT_RISK_PRIORITY


async def queue_entries(
    session: AsyncSession, viewer: Viewer, *, show: Show = "all", board_slug: str = ""
) -> list[QueueEntry]:
    """Two queries whatever the length: the items with their posts, then all their reasons."""
    rows = (await session.execute(queue_listing(viewer, show=show, board_slug=board_slug))).all()
    reasons = await reasons_by_item(session, [row.QueueItem.id for row in rows])
    return [
        QueueEntry(
            item=row.QueueItem,
            excerpt=excerpt(row.html),
            post_state=row.post_state,
            held_because=row.state_reason if row.post_state == State.PENDING else "",
            thread_id=row.thread_id,
            thread_title=row.thread_title,
            board_slug=row.board_slug,
            board_name=row.board_name,
            author_handle=row.author_handle,
            reasons=reasons.get(row.QueueItem.id, []),
        )
        for row in rows
    ]


async def access_review_post(session: AsyncSession, viewer: Viewer, post_id: int) -> Post:
    """The post in any state for its board's moderators; 404 as for a missing post otherwise,
    or 403 for a member who can see the post but does not moderate its board."""
    post = (await session.scalars(post_for_review(viewer, post_id))).first()
    if post is None:
        not_found("post")
    board_id = post.thread.board_id
    if can_moderate_post(viewer, board_id):
        return post
    if not (can_see_thread(viewer, post.thread) and can_see_post(viewer, post, board_id)):
        not_found("post")
    ensure(False, "Only this board's moderators can review its posts.")
    raise AssertionError("unreachable")  # ensure(False, …) always raises


@dataclass(frozen=True)
class Nearby:
    """A neighbouring post, as a short excerpt."""

    id: int
    position: int
    author_handle: str
    state: str
    excerpt: str


@dataclass(frozen=True)
class PostReview:
    """Everything the review page shows around one post."""

    post: Post
    before: Nearby | None
    after: Nearby | None
    item: QueueItem | None
    reports: list[Row]
    earlier: list[QueueItem]
    sanctions: list[Sanction]


async def post_review(session: AsyncSession, post: Post) -> PostReview:
    assert post.id is not None
    around = {
        row.position: Nearby(
            row.id, row.position, row.author_handle, row.state, excerpt(row.html, 160)
        )
        for row in (await session.execute(neighbours(post))).all()
    }
    item = (await session.scalars(open_item_of(post.id))).first()
    reports = list((await session.execute(item_reports(item.id))).all()) if item and item.id else []
    earlier = list((await session.scalars(earlier_items(post.id))).all())
    sanctions = list((await session.scalars(active_sanctions(post.author_id, utcnow()))).all())
    return PostReview(
        post=post,
        before=around.get(post.position - 1),
        after=around.get(post.position + 1),
        item=item,
        reports=reports,
        earlier=earlier,
        sanctions=sanctions,
    )
