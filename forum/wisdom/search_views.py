"""The wisdom search page: find a quote and the line that cites it, no script needed."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from forum.auth.viewer import ViewerDep
from forum.core.templating import render
from forum.db import SessionDep
from forum.wisdom.search import search_wisdom

router = APIRouter()


@router.get("/wisdom/search", name="wisdom.search")
async def search_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: str = Query("", max_length=200),
    author: str = Query("", max_length=30),
    tag: str = Query("", max_length=40),
) -> Response:
    searched = bool(q.strip() or author.strip() or tag.strip())
    # With nothing asked yet, the most cited wisdom is a fair place to start reading.
    results = await search_wisdom(session, viewer, q, author, tag)
    context = {
        "values": {"q": q, "author": author, "tag": tag},
        "searched": searched,
        "results": results,
    }
    return render(request, "wisdom/search.html", context)
