"""Administrators' verbs on watched words. Callers checked can_administer(); no commits.

Each writes an audit row in the same transaction as its change.
"""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from forum.admin.forms import WatchedWordCreate
from forum.auth.viewer import Viewer
from forum.core.errors import FieldErrors
from forum.moderation.audit import record
from forum.moderation.models import WatchedWordRow


def _duplicate(existing: WatchedWordRow) -> FieldErrors:
    return FieldErrors(
        {
            "phrase": f"The list already has that phrase, as “{existing.phrase}” "
            f"({existing.action}). Remove it first to change what it does."
        }
    )


async def add_watched_word(
    session: AsyncSession, actor: Viewer, form: WatchedWordCreate
) -> WatchedWordRow:
    """Raises FieldErrors naming `phrase` if the list has it already, in any case or width."""
    existing = (
        await session.scalars(select(WatchedWordRow).where(WatchedWordRow.phrase_key == form.key))
    ).first()
    if existing is not None:
        raise _duplicate(existing)
    # Two administrators adding the same phrase at once: the second finds it taken here.
    statement = (
        insert(WatchedWordRow)
        .values(
            phrase=form.phrase,
            phrase_key=form.key,
            action=form.action,
            created_by_name=actor.handle,
        )
        .on_conflict_do_nothing(index_elements=[WatchedWordRow.phrase_key])
        .returning(WatchedWordRow.id)
    )
    word_id = (await session.execute(statement)).scalar_one_or_none()
    if word_id is None:
        raise FieldErrors({"phrase": "Someone added that phrase a moment ago."})
    word = await session.get_one(WatchedWordRow, word_id)
    await record(
        session,
        actor,
        "watched_word.add",
        target_kind="watched_word",
        target_id=word_id,
        target_label=form.phrase,
        watched_action=str(form.action),
    )
    return word


async def remove_watched_word(session: AsyncSession, actor: Viewer, word: WatchedWordRow) -> None:
    await session.delete(word)
    await session.flush()
    await record(
        session,
        actor,
        "watched_word.remove",
        target_kind="watched_word",
        target_id=word.id,
        target_label=word.phrase,
        watched_action=word.action,
    )
