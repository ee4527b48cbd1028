"""Searching wisdom through the API: what the composer's "Cite wisdom" panel asks."""

from fastapi import APIRouter, Query
from pydantic import BaseModel

from forum.auth.viewer import ViewerDep
from forum.db import SessionDep
from forum.wisdom.search import MAX_RESULTS, Found, search_wisdom

router = APIRouter(prefix="/api/v1", tags=["wisdom"])


class WisdomFound(BaseModel):
    id: int
    title: str
    text: str
    author: str
    tags: list[str]
    citation_count: int
    url: str
    markdown: str

    @classmethod
    def of(cls, found: Found) -> "WisdomFound":
        return cls(
            id=found.id,
            title=found.title,
            text=found.text,
            author=found.author,
            tags=found.tags,
            citation_count=found.citation_count,
            url=found.url,
            markdown=found.markdown,
        )


class WisdomSearchOut(BaseModel):
    results: list[WisdomFound]


@router.get("/wisdom/search", response_model=WisdomSearchOut)
async def search(
    session: SessionDep,
    viewer: ViewerDep,
    q: str = Query("", max_length=200, description="Words, as for a web search."),
    author: str = Query("", max_length=30, description="The quoted member's handle."),
    tag: str = Query("", max_length=40),
    limit: int = Query(20, ge=1, le=MAX_RESULTS),
    public: bool = Query(False, description="Only wisdom that guests may read too."),
) -> WisdomSearchOut:
    """Approved wisdom, best match first, then the most cited. Put a result's `markdown`
    on its own line in a post to cite it."""
    found = await search_wisdom(session, viewer, q, author, tag, limit, public_only=public)
    return WisdomSearchOut(results=[WisdomFound.of(item) for item in found])
