"""Atom 1.0 feeds: newly pinned wisdom, and each collection's newest items.

Feeds are read by programs that carry no login, so they hold public items only, whoever asks.
The XML is built with ElementTree, which escapes every member's words.
"""

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from forum.core.markdown import excerpt
from forum.core.time import utcnow
from forum.db import SessionDep
from forum.site.cache import current_site
from forum.wisdom.models import Wisdom
from forum.wisdom.queries import (
    access_collection,
    attribution,
    newest_public_items,
    newly_pinned_public,
)

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
ET.register_namespace("", ATOM)

router = APIRouter()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def build_feed(
    *, feed_id: str, title: str, self_url: str, page_url: str, entries: Sequence[dict[str, Any]]
) -> bytes:
    """An Atom document; each entry needs id, title, link, author, content and updated."""
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    newest = max((entry["updated"] for entry in entries), default=utcnow())
    _sub(feed, "updated", _stamp(newest))
    _sub(feed, "link", rel="self", href=self_url, type=MEDIA_TYPE)
    _sub(feed, "link", rel="alternate", href=page_url, type="text/html")
    # Atom wants an author for every entry or the feed; every entry names its own.
    for entry in entries:
        item = _sub(feed, "entry")
        _sub(item, "id", entry["id"])
        _sub(item, "title", entry["title"])
        _sub(item, "updated", _stamp(entry["updated"]))
        _sub(item, "link", rel="alternate", href=entry["link"], type="text/html")
        author = _sub(item, "author")
        _sub(author, "name", entry["author"])
        _sub(item, "content", entry["content"], type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _wisdom_entry(base: str, wisdom: Wisdom, author: str, updated: datetime) -> dict[str, Any]:
    url = f"{base}/wisdom/{wisdom.id}"
    return {
        "id": url,
        "title": wisdom.title or excerpt(wisdom.text, 80),
        "link": url,
        "author": author,
        "content": wisdom.text,
        "updated": updated,
    }


def _atom(body: bytes) -> Response:
    return Response(body, media_type=f"{MEDIA_TYPE}; charset=utf-8")


@router.get("/wisdom/feed.atom", name="wisdom.feed")
async def wisdom_feed(request: Request, session: SessionDep) -> Response:
    base = str(request.base_url).rstrip("/")
    entries = [
        _wisdom_entry(base, w, attribution(w.author_id, w.author_name), w.pinned_at or w.created_at)
        for w in await newly_pinned_public(session)
    ]
    body = build_feed(
        feed_id=f"{base}/wisdom/feed.atom",
        title=f"Newly pinned wisdom · {current_site(request).title}",
        self_url=f"{base}/wisdom/feed.atom",
        page_url=f"{base}/resources",
        entries=entries,
    )
    return _atom(body)


@router.get("/resources/{slug}/feed.atom", name="wisdom.collection_feed")
async def collection_feed(request: Request, slug: str, session: SessionDep) -> Response:
    base = str(request.base_url).rstrip("/")
    collection = await access_collection(session, slug)
    entries = []
    for row in await newest_public_items(session, collection.id):  # type: ignore[arg-type]
        item = row.CollectionItem
        if row.Wisdom is not None:
            wisdom = row.Wisdom
            author = attribution(wisdom.author_id, row.author_handle or wisdom.author_name)
            entry = _wisdom_entry(base, wisdom, author, item.created_at)
            if item.note:
                entry["content"] = f"{wisdom.text}\n\n{item.note}"
        else:
            url = f"{base}/t/{item.thread_id}"
            entry = {
                "id": url,
                "title": row.thread_title,
                "link": url,
                "author": row.thread_author,
                "content": item.note or row.thread_title,
                "updated": item.created_at,
            }
        entries.append(entry)
    page_url = f"{base}/resources/{collection.slug}"
    body = build_feed(
        feed_id=page_url,
        title=f"{collection.title} · {current_site(request).title}",
        self_url=f"{page_url}/feed.atom",
        page_url=page_url,
        entries=entries,
    )
    return _atom(body)
