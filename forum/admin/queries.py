"""Statements for member administration, the audit log and watched words.

Board moderators who are not global moderators see moderation records of their own boards
only: every statement here that reads such records narrows them with `_their_boards`.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Row, Select, and_, func, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forum.accounts.handles import handle_key
from forum.accounts.models import Member
from forum.admin.forms import AuditFilters
from forum.auth.policies import is_staff
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.errors import FieldErrors, not_found
from forum.db import fetch_rows
from forum.moderation.models import (
    AuditEntry,
    BoardModerator,
    Report,
    Sanction,
    WatchedWordRow,
)
from forum.threads.models import Post, State, Thread

AUDIT_PAGE_SIZE = 50
SEARCH_LIMIT = 50


def _like_prefix(value: str) -> str:
    # Handles may hold "_", which LIKE would read as "any character".
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def member_search(query: str) -> Select[tuple[Member]]:
    """Members whose handle starts with the query (any case or width), else the newest."""
    key = handle_key(query)
    statement = select(Member).limit(SEARCH_LIMIT)
    if key:
        return statement.where(Member.handle_key.like(_like_prefix(key), escape="\\")).order_by(
            Member.handle_key
        )
    return statement.order_by(Member.created_at.desc(), Member.id.desc())


def all_boards() -> Select[tuple[Board]]:
    return select(Board).order_by(Board.position, Board.id)


def boards_moderated_by(member_id: int) -> Select[tuple[Board]]:
    return (
        all_boards()
        .join(BoardModerator, BoardModerator.board_id == Board.id)
        .where(BoardModerator.member_id == member_id)
    )


def filter_boards(viewer: Viewer) -> Select[tuple[Board]]:
    """Boards the viewer may narrow moderation records to: theirs, or all for moderators."""
    statement = all_boards()
    if not is_staff(viewer):
        statement = statement.where(Board.id.in_(viewer.moderated_boards))
    return statement


async def board_ids_for(session: AsyncSession, slugs: Sequence[str], field: str) -> set[int]:
    """The boards' ids, or FieldErrors naming `field` for an address no board has."""
    wanted = set(slugs)
    found = dict(
        (await session.execute(select(Board.slug, Board.id).where(Board.slug.in_(wanted)))).all()
    )
    missing = sorted(wanted - found.keys())
    if missing:
        raise FieldErrors({field: f"No board has the address “{missing[0]}”."})
    return set(found.values())


def _their_boards(viewer: Viewer, board_column):  # noqa: ANN001, ANN202 - a SQL condition
    if is_staff(viewer):
        return true()
    return board_column.in_(viewer.moderated_boards)


def member_sanctions(member_id: int) -> Select[tuple[Sanction]]:
    return (
        select(Sanction)
        .where(Sanction.member_id == member_id)
        .order_by(Sanction.created_at.desc(), Sanction.id.desc())
    )


async def access_sanction(session: AsyncSession, sanction_id: int) -> Sanction:
    sanction = await session.get(Sanction, sanction_id)
    if sanction is None:
        not_found("sanction")
    return sanction


def member_posts(viewer: Viewer, member_id: int, limit: int = 20) -> Select:
    """The member's latest posts in every state the viewer moderates; elsewhere, published ones."""
    statement = (
        select(
            Post.id,
            Post.position,
            Post.state,
            Post.created_at,
            func.left(Post.source, 160).label("excerpt"),
            Thread.id.label("thread_id"),
            Thread.title.label("thread_title"),
            Board.name.label("board_name"),
        )
        .join(Thread, Post.thread_id == Thread.id)
        .join(Board, Thread.board_id == Board.id)
        .where(Post.author_id == member_id)
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    )
    if not is_staff(viewer):
        published = and_(Post.state == State.VISIBLE, Thread.state == State.VISIBLE)
        statement = statement.where(or_(Thread.board_id.in_(viewer.moderated_boards), published))
    return statement


def reports_received(viewer: Viewer, member_id: int) -> Select[tuple[str, int]]:
    """How many reports the member's posts drew, by reason, most first."""
    count = func.count().label("count")
    return (
        select(Report.reason, count)
        .join(Post, Report.post_id == Post.id)
        .join(Thread, Post.thread_id == Thread.id)
        .where(Post.author_id == member_id, _their_boards(viewer, Thread.board_id))
        .group_by(Report.reason)
        .order_by(count.desc(), Report.reason)
    )


# The audit log

_Target = aliased(Member)
_AUDIT_ROWS = (
    select(
        AuditEntry,
        Board.slug.label("board_slug"),
        Board.name.label("board_name"),
        # Members' pages are found by today's handle, whatever the row copied at the time.
        _Target.handle.label("target_handle"),
    )
    .outerjoin(Board, AuditEntry.board_id == Board.id)
    .outerjoin(
        _Target, and_(AuditEntry.target_kind == "member", AuditEntry.target_id == _Target.id)
    )
    .order_by(AuditEntry.id.desc())
)


def audit_about(viewer: Viewer, kind: str, target_id: int, limit: int = 30) -> Select:
    return _AUDIT_ROWS.where(
        AuditEntry.target_kind == kind,
        AuditEntry.target_id == target_id,
        _their_boards(viewer, AuditEntry.board_id),
    ).limit(limit)


async def audit_page(
    session: AsyncSession, viewer: Viewer, filters: AuditFilters
) -> tuple[Sequence[Row], int | None]:
    """One page of entries, newest first, and the id to continue before (None on the last page).

    Raises FieldErrors naming `board` for an address no board has.
    """
    statement = _AUDIT_ROWS.where(_their_boards(viewer, AuditEntry.board_id))
    if filters.actor:
        actor_id = (
            await session.scalars(
                select(Member.id).where(Member.handle_key == handle_key(filters.actor))
            )
        ).first()
        # The forum itself ("system") and deleted accounts are found by the name copied.
        statement = statement.where(
            AuditEntry.actor_id == actor_id
            if actor_id is not None
            else func.lower(AuditEntry.actor_name) == filters.actor.lower()
        )
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.target_kind:
        statement = statement.where(AuditEntry.target_kind == filters.target_kind)
    if filters.board:
        (board_id,) = await board_ids_for(session, [filters.board], "board")
        statement = statement.where(AuditEntry.board_id == board_id)
    if filters.since:
        statement = statement.where(
            AuditEntry.created_at >= datetime.combine(filters.since, time(), UTC)
        )
    if filters.until:
        end = datetime.combine(filters.until, time(), UTC) + timedelta(days=1)
        statement = statement.where(AuditEntry.created_at < end)
    if filters.before:
        statement = statement.where(AuditEntry.id < filters.before)
    rows = (await session.execute(statement.limit(AUDIT_PAGE_SIZE + 1))).all()
    if len(rows) > AUDIT_PAGE_SIZE:
        rows = rows[:AUDIT_PAGE_SIZE]
        return rows, rows[-1].AuditEntry.id
    return rows, None


# Distinct values by skipping through the index, one step per value, not one per row.
_DISTINCT = """
WITH RECURSIVE v AS (
    (SELECT {column} AS value FROM audit_log ORDER BY {column} LIMIT 1)
    UNION ALL
    SELECT (SELECT {column} FROM audit_log WHERE {column} > v.value ORDER BY {column} LIMIT 1)
    FROM v WHERE v.value IS NOT NULL
)
SELECT value FROM v WHERE value IS NOT NULL
"""
_AUDIT_ACTIONS = text(_DISTINCT.format(column="action"))
_AUDIT_TARGET_KINDS = text(_DISTINCT.format(column="target_kind"))


async def audit_choices(session: AsyncSession) -> tuple[list[str], list[str]]:
    """The actions and target kinds the log holds, for the filters' menus."""
    actions = [row.value for row in await fetch_rows(session, _AUDIT_ACTIONS)]
    kinds = [row.value for row in await fetch_rows(session, _AUDIT_TARGET_KINDS)]
    return actions, kinds


# Watched words


def watched_word_rows() -> Select[tuple[WatchedWordRow]]:
    return select(WatchedWordRow).order_by(WatchedWordRow.phrase_key)


async def access_watched_word(session: AsyncSession, word_id: int) -> WatchedWordRow:
    word = await session.get(WatchedWordRow, word_id)
    if word is None:
        not_found("watched word")
    return word
