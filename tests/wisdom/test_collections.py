"""Collections: curators create and order them, mix quotes and threads, and pin them."""

import re

import pytest
from sqlalchemy import select
from support import csrf

from forum.auth.viewer import Viewer
from forum.moderation.models import AuditEntry
from forum.threads.queries import access_post
from forum.wisdom.actions import approve_wisdom, create_collection, propose_wisdom
from forum.wisdom.forms import ApproveForm
from forum.wisdom.models import Collection, CollectionItem


@pytest.fixture
def approved(session, make_board, make_thread):
    """A quote of `body` approved into the collection `slug` (made if need be)."""

    boards = []

    async def make(author, curator, *, body="Sit back and listen.", slug="", board=None):
        if board is None:
            boards.append(board := await make_board(f"board-{len(boards) + 1}"))
        post = await make_thread(board, author, body=body, title=f"About {body[:20]}")
        viewer = Viewer.of(curator)
        loaded = await access_post(session, viewer, post.id)
        wisdom = await propose_wisdom(session, viewer, loaded, passage=body)
        form = ApproveForm(
            collections=[slug] if slug else [], new_collection="" if slug else "Kept"
        )
        await approve_wisdom(session, viewer, wisdom, form)
        return wisdom

    return make


def _order(text: str) -> list[str]:
    return re.findall(r'<blockquote class="wisdom-text">([^<]+)</blockquote>', text)


async def test_curator_creates_a_collection_with_a_slug_from_its_title(
    client, session, moderator, log_in
):
    await log_in(client, moderator)
    response = await client.post(
        "/resources/new",
        data={
            "title": "First months after separation",
            "intro": "Start *here*.",
            "tags": "Separation, first months",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/resources/first-months-after-separation/edit"
    again = await client.post(
        "/resources/new",
        data={"title": "First months after separation", "csrf_token": csrf(client)},
    )
    assert again.headers["location"] == "/resources/first-months-after-separation-2/edit"
    page = await client.get("/resources/first-months-after-separation")
    assert "<em>here</em>" in page.text and "first months" in page.text
    entries = (await session.scalars(select(AuditEntry.action))).all()
    assert entries.count("collection.create") == 2


async def test_a_collection_without_a_title_comes_back_with_the_intro_kept(
    client, moderator, log_in
):
    await log_in(client, moderator)
    response = await client.post(
        "/resources/new",
        data={"title": " ", "intro": "My careful intro.", "csrf_token": csrf(client)},
    )
    assert response.status_code == 422
    assert "Give the collection a title." in response.text
    assert "My careful intro." in response.text


async def test_items_keep_the_curators_order_and_move_up_and_down(
    client, session, user, moderator, log_in, approved
):
    first = await approved(user, moderator, body="One: sit back and listen.")
    await approved(user, moderator, body="Two: detach with love.", slug="kept")
    third = await approved(user, moderator, body="Three: you are not the cause.", slug="kept")
    page = await client.get("/resources/kept")
    assert _order(page.text) == [
        "One: sit back and listen.",
        "Two: detach with love.",
        "Three: you are not the cause.",
    ]
    items = {i.wisdom_id: i.id for i in (await session.scalars(select(CollectionItem))).all()}
    await log_in(client, moderator)
    moved = await client.post(
        f"/resources/kept/items/{items[third.id]}/move",
        data={"direction": "up", "csrf_token": csrf(client)},
    )
    assert moved.status_code == 303
    await client.post(
        f"/resources/kept/items/{items[first.id]}/move",
        data={"direction": "down", "csrf_token": csrf(client)},
    )
    page = await client.get("/resources/kept")
    assert _order(page.text) == [
        "Three: you are not the cause.",
        "One: sit back and listen.",
        "Two: detach with love.",
    ]
    moves = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "collection.move_item"))
    ).all()
    assert len(moves) == 2


async def test_a_whole_thread_joins_by_its_address_with_a_note(
    client, session, user, moderator, log_in, make_board, make_thread, approved
):
    await approved(user, moderator, body="Sit back and listen.")
    story = await make_thread(await make_board("stories"), user, title="How we came through")
    await log_in(client, moderator)
    response = await client.post(
        "/resources/kept/items",
        data={
            "kind": "wisdom",
            "ref": f"http://test/t/{story.thread_id}?page=1#p{story.id}",
            "note": "Read the whole story: it ends well.",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 303
    page = await client.get("/resources/kept")
    assert f'href="/t/{story.thread_id}">How we came through</a>' in page.text
    assert "Read the whole story: it ends well." in page.text
    twice = await client.post(
        "/resources/kept/items",
        data={"kind": "thread", "ref": str(story.thread_id), "csrf_token": csrf(client)},
    )
    assert twice.status_code == 422
    assert "That is in this collection already." in twice.text
    nothing = await client.post(
        "/resources/kept/items",
        data={"kind": "thread", "ref": "not a link", "csrf_token": csrf(client)},
    )
    assert nothing.status_code == 422
    assert 'value="not a link"' in nothing.text


async def test_members_only_items_are_hidden_from_guests(
    client, session, user, moderator, log_in, make_board, approved
):
    await approved(user, moderator, body="Said in public.")
    private = await make_board("standing", members_only=True)
    await approved(user, moderator, body="Said among members.", slug="kept", board=private)
    guest = await client.get("/resources/kept")
    assert _order(guest.text) == ["Said in public."]
    listing = await client.get("/resources")
    assert "1 item" in listing.text
    await log_in(client, user)
    member = await client.get("/resources/kept")
    assert _order(member.text) == ["Said in public.", "Said among members."]
    assert "2 items" in (await client.get("/resources")).text


async def test_pins_show_the_collection_on_its_board_and_the_home_page(
    client, session, user, moderator, log_in, make_board, approved
):
    board = await make_board("my-story")
    await approved(user, moderator, body="Sit back and listen.", board=board)
    await log_in(client, moderator)
    response = await client.post(
        "/resources/kept/pins", data={"board": "my-story", "home": "1", "csrf_token": csrf(client)}
    )
    assert response.status_code == 303
    collection = (await session.scalars(select(Collection))).one()
    await session.refresh(collection)
    assert (collection.pinned_board_id, collection.pinned_home) == (board.id, True)
    client.cookies.clear()
    for path in ("/", "/b/my-story"):
        page = await client.get(path)
        assert 'href="/resources/kept">Kept</a>' in page.text, path
    other = await make_board("other")
    assert "/resources/kept" not in (await client.get(f"/b/{other.slug}")).text
    [entry] = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "collection.pin"))
    ).all()
    assert entry.details["after"] == {"board_id": board.id, "home": True}


async def test_editing_a_collection_keeps_its_slug_and_is_audited(
    client, session, moderator, user, log_in
):
    await create_collection(session, Viewer.of(moderator), title="Grief")
    await log_in(client, moderator)
    response = await client.post(
        "/resources/grief/edit",
        data={
            "title": "Grief and loss",
            "intro": "For the hardest days.",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 303
    page = await client.get("/resources/grief")
    assert "Grief and loss" in page.text and "For the hardest days." in page.text
    [entry] = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "collection.edit"))
    ).all()
    assert entry.details["changed"] == ["title", "intro"]
    await session.refresh(user)
    await log_in(client, user)
    refused = await client.post(
        "/resources/grief/edit", data={"title": "Mine now", "csrf_token": csrf(client)}
    )
    assert refused.status_code == 403
    assert (await client.get("/resources/grief/edit")).status_code == 403
