"""Statements for the glossary: the list page, one term, and the pairs the annotator needs."""

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum.core.errors import not_found
from forum.glossary.models import GlossaryTerm


def glossary_terms() -> Select[tuple[GlossaryTerm]]:
    """Alphabetical ignoring case; "C" collation so the order is the same on every server,
    and the exact term then the id break ties ("H" before "h", always in one order)."""
    return select(GlossaryTerm).order_by(
        func.lower(GlossaryTerm.term).collate("C"),
        GlossaryTerm.term.collate("C"),
        GlossaryTerm.id,
    )


def term_meanings() -> Select[tuple[str, str]]:
    """Every (term, meaning) pair: the whole input of the post annotator."""
    return select(GlossaryTerm.term, GlossaryTerm.meaning)


async def access_term(session: AsyncSession, term_id: int) -> GlossaryTerm:
    """The term, or 404."""
    term = await session.get(GlossaryTerm, term_id)
    if term is None:
        not_found("term")
    return term


async def term_named(session: AsyncSession, text: str) -> GlossaryTerm | None:
    """The term spelled exactly so (case counts), if the glossary has it."""
    return (await session.scalars(select(GlossaryTerm).where(GlossaryTerm.term == text))).first()
