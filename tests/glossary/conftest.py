"""Glossary fixtures: a fresh in-process glossary for every test, and terms put straight in."""

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from forum.glossary.annotate import forget_glossary
from forum.glossary.models import GlossaryTerm

# The shorthand of the issue, as a moderator would first enter it.
COMMON_TERMS = {
    "H": "Husband",
    "W": "Wife",
    "M": "Marriage",
    "R": "Reconciliation",
    "MLC": "Mid-life crisis",
    "MLCer": "Someone in a mid-life crisis",
    "BS": "Betrayed spouse",
    "OW": "Other woman",
    "LC": "Limited contact",
}


@pytest.fixture
def common_terms() -> dict[str, str]:
    return dict(COMMON_TERMS)


@pytest.fixture
def add_terms(session: AsyncSession) -> Callable[..., Awaitable[list[GlossaryTerm]]]:
    async def add(terms: dict[str, str] | None = None) -> list[GlossaryTerm]:
        """Terms as stored rows, without the audit trail: the setup of tests about reading."""
        rows = [
            GlossaryTerm(term=term, meaning=meaning, created_by_name="Quiet.Keeper")
            for term, meaning in (COMMON_TERMS if terms is None else terms).items()
        ]
        session.add_all(rows)
        await session.flush()
        forget_glossary()
        return rows

    return add
