"""Citing wisdom in posts: what a `[wisdom=N]` line may show, and which posts cite what.

A citation renders from the database when the post is written, so nobody can put words in
another member's mouth by typing `[wisdom=N]` next to their own text.
"""

from collections.abc import Iterable

from sqlalchemy import Select, delete, false, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.markdown import CitedWisdom
from forum.db import fetch_rows
from forum.threads.models import Post, State, Thread
from forum.wisdom.models import Wisdom, WisdomCitation, WisdomStatus
from forum.wisdom.queries import attribution, members_only

_SourceBoard, _CurrentBoard = aliased(Board), aliased(Board)


def with_source(statement: Select) -> Select:  # type: ignore[type-arg]
    """Join the wisdom's source post and thread (either may be gone) and both boards."""
    return (
        statement.outerjoin(Post, Wisdom.post_id == Post.id)
        .outerjoin(Thread, Post.thread_id == Thread.id)
        .outerjoin(_SourceBoard, Wisdom.board_id == _SourceBoard.id)
        .outerjoin(_CurrentBoard, Thread.board_id == _CurrentBoard.id)
    )


def readable_by(statement: Select, for_guests: bool) -> Select:  # type: ignore[type-arg]
    """Approved wisdom only; for guests, none from a members-only board.

    The board the passage was taken from decides, as on the wisdom page (unknown counts as
    members-only), and so does the board its thread has moved to since, if that is stricter.
    """
    statement = statement.where(Wisdom.status == WisdomStatus.APPROVED)
    if for_guests:
        statement = statement.where(
            members_only(_SourceBoard).is_(False),
            func.coalesce(_CurrentBoard.is_members_only, false()).is_(False),
        )
    return statement


async def citable_wisdom(
    session: AsyncSession, viewer: Viewer, ids: Iterable[int], *, public_post: bool
) -> dict[int, CitedWisdom]:
    """The cited quotes this writer may show, by id; the rest render as typed.

    A post on a public board shows members-only wisdom to nobody: guests would read it there.
    """
    wanted = set(ids)
    if not wanted:
        return {}
    statement = with_source(
        select(
            Wisdom.id,
            Wisdom.text,
            Wisdom.author_id,
            Wisdom.author_name,
            Wisdom.post_id,
            Post.state.label("post_state"),
            Thread.state.label("thread_state"),
        )
    ).where(Wisdom.id.in_(wanted))
    statement = readable_by(statement, viewer.is_anonymous or public_post)
    cited = {}
    for row in await fetch_rows(session, statement):
        source_is_up = row.post_state == State.VISIBLE and row.thread_state == State.VISIBLE
        cited[row.id] = CitedWisdom(
            text=row.text,
            by=attribution(row.author_id, row.author_name),
            post_id=row.post_id if source_is_up else None,
        )
    return cited


async def record_citations(session: AsyncSession, post_id: int, wisdom_ids: set[int]) -> None:
    """Make the post's citation rows exactly `wisdom_ids`.

    Counts move by the rows actually deleted or inserted, so an edit that keeps a citation,
    or two edits racing, never counts one twice.
    """
    removed = (
        await session.scalars(
            delete(WisdomCitation)
            .where(WisdomCitation.post_id == post_id, WisdomCitation.wisdom_id.not_in(wisdom_ids))
            .returning(WisdomCitation.wisdom_id)
        )
    ).all()
    added: list[int] = []
    if wisdom_ids:
        added = list(
            (
                await session.scalars(
                    insert(WisdomCitation)
                    .values([{"post_id": post_id, "wisdom_id": w} for w in sorted(wisdom_ids)])
                    .on_conflict_do_nothing()
                    .returning(WisdomCitation.wisdom_id)
                )
            ).all()
        )
    for ids, step in ((removed, -1), (added, 1)):
        if ids:
            await session.execute(
                update(Wisdom)
                .where(Wisdom.id.in_(ids))
                .values(citation_count=Wisdom.citation_count + step)
            )
