"""Moderators' verbs on the glossary. Callers checked moderates_any(); no commits.

Each writes an audit row (target_kind "glossary") in the same transaction as its change, and
makes this process read the glossary afresh, so posts show the change on the next page view.
"""

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import Viewer
from forum.core.errors import FieldErrors
from forum.core.time import utcnow
from forum.glossary.annotate import forget_glossary
from forum.glossary.forms import TermForm
from forum.glossary.models import GlossaryTerm
from forum.glossary.queries import term_named
from forum.moderation.audit import record


def _taken(term: str) -> FieldErrors:
    return FieldErrors({"term": f"The glossary already has “{term}”: edit that entry instead."})


def _forget_after_commit(session: AsyncSession) -> None:
    # Forget now, and again once committed: a page read in between would cache the old glossary.
    forget_glossary()
    event.listen(session.sync_session, "after_commit", lambda _: forget_glossary(), once=True)


async def add_term(session: AsyncSession, actor: Viewer, form: TermForm) -> GlossaryTerm:
    """Raises FieldErrors naming `term` if the glossary has it already, spelled exactly so."""
    if await term_named(session, form.term) is not None:
        raise _taken(form.term)
    # Two moderators adding the same term at once: the second finds it taken here.
    statement = (
        insert(GlossaryTerm)
        .values(term=form.term, meaning=form.meaning, created_by_name=actor.handle)
        .on_conflict_do_nothing(index_elements=[GlossaryTerm.term])
        .returning(GlossaryTerm.id)
    )
    term_id = (await session.execute(statement)).scalar_one_or_none()
    if term_id is None:
        raise _taken(form.term)
    term = await session.get_one(GlossaryTerm, term_id)
    await record(
        session,
        actor,
        "glossary.add",
        target_kind="glossary",
        target_id=term_id,
        target_label=form.term,
        meaning=form.meaning,
    )
    _forget_after_commit(session)
    return term


async def edit_term(
    session: AsyncSession, actor: Viewer, term: GlossaryTerm, form: TermForm
) -> GlossaryTerm:
    """Rename or re-explain a term; raises FieldErrors naming `term` if the new spelling is taken."""
    before = {"term": term.term, "meaning": term.meaning}
    after = {"term": form.term, "meaning": form.meaning}
    if before == after:
        return term
    if form.term != term.term and await term_named(session, form.term) is not None:
        raise _taken(form.term)
    try:
        # A savepoint, so a rename racing another moderator's leaves the request usable.
        async with session.begin_nested():
            term.term, term.meaning, term.updated_at = form.term, form.meaning, utcnow()
            await session.flush()
    except IntegrityError:
        await session.refresh(term)
        raise _taken(form.term) from None
    await record(
        session,
        actor,
        "glossary.edit",
        target_kind="glossary",
        target_id=term.id,
        target_label=form.term,
        before=before,
        after=after,
    )
    _forget_after_commit(session)
    return term


async def remove_term(
    session: AsyncSession, actor: Viewer, term: GlossaryTerm, reason: str = ""
) -> None:
    """Posts stop explaining the term; the audit row keeps what it meant."""
    await session.delete(term)
    await session.flush()
    await record(
        session,
        actor,
        "glossary.remove",
        target_kind="glossary",
        target_id=term.id,
        target_label=term.term,
        reason=reason,
        meaning=term.meaning,
    )
    _forget_after_commit(session)
