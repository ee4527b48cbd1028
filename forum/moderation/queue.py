"""The review queue: one open item per post gathers its reports, holds and flags."""

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import Viewer
from forum.moderation.models import QueueItem

AT_RISK_PRIORITY = 10


async def open_item(
    session: AsyncSession,
    post_id: int,
    board_id: int,
    *,
    held: bool = False,
    flagged_words: str = "",
    priority: int = 0,
    reports: int = 0,
) -> int:
    """The post's open item, created or added to in one statement so concurrent reports join it."""
    statement = insert(QueueItem).values(
        post_id=post_id,
        board_id=board_id,
        is_open=True,
        priority=priority,
        report_count=reports,
        is_held=held,
        flagged_words=flagged_words,
        resolution="",
        resolution_note="",
        resolved_by_name="",
    )
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[QueueItem.post_id],
        index_where=QueueItem.is_open,
        set_={
            "priority": func.greatest(QueueItem.priority, excluded.priority),
            "report_count": QueueItem.report_count + excluded.report_count,
            "is_held": QueueItem.is_held | excluded.is_held,
            "flagged_words": func.coalesce(
                func.nullif(QueueItem.flagged_words, ""), excluded.flagged_words
            ),
        },
    ).returning(QueueItem.id)
    return (await session.execute(statement)).scalar_one()


def open_items_for(viewer: Viewer, *, is_staff: bool):  # noqa: ANN201 - a Select of QueueItem
    """Open items the viewer moderates, most urgent first."""
    statement = (
        select(QueueItem)
        .where(QueueItem.is_open)
        .order_by(QueueItem.priority.desc(), QueueItem.created_at, QueueItem.id)
    )
    if not is_staff:
        statement = statement.where(QueueItem.board_id.in_(viewer.moderated_boards))
    return statement
