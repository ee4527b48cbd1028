"""Atom feeds: valid Atom 1.0, public items only, whoever asks."""

import xml.etree.ElementTree as ET

import pytest

from forum.auth.viewer import Viewer
from forum.threads.models import Thread
from forum.threads.queries import access_post
from forum.wisdom.actions import add_item, approve_wisdom, create_collection, propose_wisdom
from forum.wisdom.forms import ApproveForm
from forum.wisdom.queries import access_collection, slug_taken

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def pinned(session, make_board, make_thread):
    async def make(author, curator, board, words):
        post = await make_thread(board, author, title=f"On {words[:10]}", body=words)
        viewer = Viewer.of(curator)
        wisdom = await propose_wisdom(
            session, viewer, await access_post(session, viewer, post.id), passage=words
        )
        if not await slug_taken(session, "kept"):
            await create_collection(session, viewer, title="Kept")
        await approve_wisdom(session, viewer, wisdom, ApproveForm(collections=["kept"]))
        return wisdom

    return make


def _parse(response):
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, built in this test
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "author/" + ATOM + "name", "content"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}content").get("type") == "text"
        assert entry.find(f"{ATOM}link").get("href").startswith("http://test/")
    return feed


async def test_wisdom_feed_has_newly_pinned_public_quotes_only(
    client, user, moderator, log_in, make_board, pinned
):
    public, private = await make_board("my-story"), await make_board("standing", members_only=True)
    await pinned(user, moderator, public, "Sit back & listen <calmly>.")
    await pinned(user, moderator, private, "Said among members only.")
    await log_in(client, user)  # even a member's feed reader gets the public feed
    feed = _parse(await client.get("/wisdom/feed.atom"))
    contents = [e.find(f"{ATOM}content").text for e in feed.findall(f"{ATOM}entry")]
    assert contents == ["Sit back & listen <calmly>."]
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Harbor_Light"


async def test_collection_feed_lists_its_public_items_newest_first(
    client, session, user, moderator, make_board, make_thread, pinned
):
    public, private = await make_board("my-story"), await make_board("standing", members_only=True)
    await pinned(user, moderator, public, "First words kept.")
    await pinned(user, moderator, private, "Private words kept.")
    await pinned(user, moderator, public, "Second words kept.")
    story = await make_thread(public, user, title="How we came through")
    collection = await access_collection(session, "kept")
    await add_item(
        session,
        Viewer.of(moderator),
        collection,
        thread=await session.get_one(Thread, story.thread_id),
        note="The whole story.",
    )
    feed = _parse(await client.get(f"/resources/{collection.slug}/feed.atom"))
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "How we came through"
    contents = " ".join(e.find(f"{ATOM}content").text for e in feed.findall(f"{ATOM}entry"))
    assert "Private words kept." not in contents
    assert contents.index("Second words kept.") < contents.index("First words kept.")
    assert (await client.get("/resources/nothing/feed.atom")).status_code == 404
