"""Finding approved wisdom by its words, its author or its tags."""

from dataclasses import dataclass

from sqlalchemy import Row, func, or_, select
from sqlalchemy.dialects.postgresql import array_agg
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.handles import handle_key
from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.db import fetch_rows
from forum.wisdom.citations import readable_by, with_source
from forum.wisdom.models import Wisdom, WisdomTag
from forum.wisdom.queries import attribution

MAX_RESULTS = 50


@dataclass(frozen=True)
class Found:
    """One search result, ready for a page or the API."""

    id: int
    title: str
    text: str
    author: str
    tags: list[str]
    citation_count: int

    @property
    def url(self) -> str:
        return f"/wisdom/{self.id}"

    @property
    def markdown(self) -> str:
        """The line a member pastes on its own line to cite this."""
        return f"[wisdom={self.id}]"


def _clean(term: str, length: int) -> str:
    # PostgreSQL text can't hold NUL, and a search needs no more than a sentence or two.
    return term.replace("\x00", "").strip()[:length]


async def search_wisdom(
    session: AsyncSession,
    viewer: Viewer,
    q: str = "",
    author: str = "",
    tag: str = "",
    limit: int = 20,
    *,
    public_only: bool = False,
) -> list[Found]:
    """Approved wisdom the viewer may read, best match first, then the most cited.

    `q` is read as a web search ("sit back" -listen); `public_only` keeps to wisdom from
    boards guests can read, for citing in a public thread.
    """
    q, author, tag = _clean(q, 200), _clean(author, 30), _clean(tag, 40)
    tags = (
        select(array_agg(WisdomTag.tag.distinct()))
        .where(WisdomTag.wisdom_id == Wisdom.id)
        .scalar_subquery()
    )
    statement = with_source(
        select(
            Wisdom.id,
            Wisdom.title,
            Wisdom.text,
            Wisdom.author_id,
            Wisdom.author_name,
            Wisdom.citation_count,
            tags.label("tags"),
        )
    )
    statement = readable_by(statement, viewer.is_anonymous or public_only)
    order = [Wisdom.citation_count.desc(), Wisdom.pinned_at.desc().nulls_last(), Wisdom.id.desc()]
    if q:
        query = func.websearch_to_tsquery("english", q)
        statement = statement.where(Wisdom.search.op("@@")(query))
        order.insert(0, func.ts_rank(Wisdom.search, query).desc())
    if author:
        by_handle = select(Member.id).where(Member.handle_key == handle_key(author))
        statement = statement.where(
            or_(
                Wisdom.author_id.in_(by_handle.scalar_subquery()),
                func.lower(Wisdom.author_name) == author.lower(),
            )
        )
    if tag:
        tagged = select(WisdomTag.wisdom_id).where(func.lower(WisdomTag.tag) == tag.lower())
        statement = statement.where(Wisdom.id.in_(tagged.scalar_subquery()))
    statement = statement.order_by(*order).limit(max(1, min(limit, MAX_RESULTS)))
    return [_found(row) for row in await fetch_rows(session, statement)]


def _found(row: Row) -> Found:  # type: ignore[type-arg]
    return Found(
        id=row.id,
        title=row.title,
        text=row.text,
        author=attribution(row.author_id, row.author_name),
        tags=sorted(row.tags or []),
        citation_count=row.citation_count,
    )
