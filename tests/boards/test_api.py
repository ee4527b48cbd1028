"""Boards and categories through the JSON API: the same rules and actions as the pages."""

import pytest
from sqlalchemy import select

from forum.boards.models import Board, Category
from forum.moderation.models import AuditEntry


@pytest.fixture
async def admin_auth(admin, bearer):
    return await bearer(admin)


async def audit_actions(session) -> list[str]:
    return (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()


async def test_the_board_list_says_category_archived_and_story_in_the_forums_order(
    client, session, make_board, set_board
):
    grief = Category(slug="grief", name="Grief", position=1)
    session.add(grief)
    await session.flush()
    await set_board(await make_board("in-grief"), category_id=grief.id, is_story_board=True)
    await set_board(await make_board("welcome"), is_archived=True, position=5)
    await make_board("standing", members_only=True)
    boards = (await client.get("/api/v1/boards")).json()
    assert [(b["slug"], b["category"], b["is_archived"], b["is_story_board"]) for b in boards] == [
        ("welcome", None, True, False),
        ("in-grief", "grief", False, True),
    ]
    categories = (await client.get("/api/v1/categories")).json()
    assert categories == [
        {"slug": "grief", "name": "Grief", "description": "", "position": 1, "board_count": 1}
    ]
    page = (await client.get("/api/v1/boards/in-grief/threads")).json()
    assert page["board"]["category"] == "grief" and page["board"]["is_story_board"] is True


async def test_administrators_create_boards_and_others_are_refused(
    client, session, user, moderator, bearer, admin_auth
):
    category = await client.post(
        "/api/v1/categories", json={"name": "Separation"}, headers=admin_auth
    )
    assert category.status_code == 201 and category.json()["slug"] == "separation"
    created = await client.post(
        "/api/v1/boards",
        json={"name": "Co-parenting", "category": "separation", "is_members_only": True},
        headers=admin_auth,
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["slug"], body["category"], body["is_members_only"], body["position"]) == (
        "co-parenting", "separation", True, 1,
    )  # fmt: skip
    for member in (user, moderator):
        refused = await client.post(
            "/api/v1/boards", json={"name": "Mine"}, headers=await bearer(member)
        )
        assert refused.status_code == 403
        assert refused.json()["message"] == "Only administrators can change boards and categories."
    guest = await client.post("/api/v1/boards", json={"name": "Mine"})
    assert guest.status_code == 401
    assert await audit_actions(session) == ["category.create", "board.create"]


async def test_bad_board_fields_are_named_one_by_one(client, session, admin_auth, make_board):
    await make_board("my-story")
    bad = await client.post(
        "/api/v1/boards",
        json={"name": "", "slug": "API", "approve_first_posts": 99, "category": "nope"},
        headers=admin_auth,
    )
    assert bad.status_code == 422
    assert bad.json()["fields"] == {
        "name": "Give it a name.",
        "slug": "Use lowercase letters only: “api”.",
        "approve_first_posts": "Write a whole number from 0 to 20.",
    }
    taken = await client.post(
        "/api/v1/boards", json={"name": "Again", "slug": "my-story"}, headers=admin_auth
    )
    assert taken.status_code == 422
    assert taken.json()["fields"] == {"slug": "The board “My story” has that address already."}
    misspelt = await client.patch(
        "/api/v1/boards/my-story", json={"nmae": "Typo"}, headers=admin_auth
    )
    assert misspelt.status_code == 422 and "nmae" in misspelt.json()["fields"]
    unknown = await client.patch(
        "/api/v1/boards/my-story", json={"category": "nope"}, headers=admin_auth
    )
    assert unknown.status_code == 422
    assert unknown.json()["fields"] == {"category": "No category has the address “nope”."}


async def test_a_visibility_change_answers_409_with_counts_until_confirmed(
    client, session, user, admin_auth, make_board, make_thread
):
    board = await make_board("standing", members_only=True)
    await make_thread(board, user, title="One", replies=1)
    asked = await client.patch(
        "/api/v1/boards/standing", json={"is_members_only": False}, headers=admin_auth
    )
    assert asked.status_code == 409
    message = (
        "1 thread and 2 posts become readable by anyone, including search engines if "
        "indexing is on (it is off now)."
    )
    assert asked.json() == {
        "error": "confirmation_needed",
        "message": message,
        "threads": 1,
        "posts": 2,
        "fields": {"confirm_visibility_change": message},
    }
    confirmed = await client.patch(
        "/api/v1/boards/standing",
        json={"is_members_only": False, "confirm_visibility_change": True, "reason": "Open up"},
        headers=admin_auth,
    )
    assert confirmed.status_code == 200 and confirmed.json()["is_members_only"] is False
    entry = (await session.scalars(select(AuditEntry))).one()
    assert (entry.action, entry.reason) == ("board.edit", "Open up")
    assert entry.details["threads_affected"] == 1 and entry.details["posts_affected"] == 2


async def test_patch_changes_only_the_fields_sent_and_keeps_the_old_address(
    client, session, admin_auth, make_board, set_board
):
    category = Category(slug="grief", name="Grief", position=1)
    session.add(category)
    await session.flush()
    board = await set_board(
        await make_board("my-story"), description="Kept as is.", category_id=category.id
    )
    changed = await client.patch(
        "/api/v1/boards/my-story",
        json={"slug": "our-stories", "category": None, "approve_first_posts": 3},
        headers=admin_auth,
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["slug"], body["category"], body["approve_first_posts"]) == ("our-stories", None, 3)
    assert (body["description"], body["former_slugs"]) == ("Kept as is.", ["my-story"])
    await session.refresh(board)
    assert board.category_id is None
    old = await client.patch("/api/v1/boards/my-story", json={"name": "x"}, headers=admin_auth)
    assert (old.status_code, old.headers["location"]) == (308, "/api/v1/boards/our-stories")


async def test_archive_unarchive_and_delete_through_the_api(
    client, session, user, admin_auth, make_board, make_thread
):
    used = await make_board("used")
    await make_thread(used, user, title="Something")
    await make_board("empty")
    archived = await client.post("/api/v1/boards/used/archive", headers=admin_auth)
    assert archived.status_code == 200 and archived.json()["is_archived"] is True
    refused = await client.delete("/api/v1/boards/used", headers=admin_auth)
    assert refused.status_code == 409
    assert refused.json()["error"] == "board_not_empty" and refused.json()["threads"] == 1
    unarchived = await client.post(
        "/api/v1/boards/used/unarchive", json={"reason": "Back"}, headers=admin_auth
    )
    assert unarchived.json()["is_archived"] is False
    assert (await client.delete("/api/v1/boards/empty", headers=admin_auth)).status_code == 204
    assert (await client.delete("/api/v1/boards/empty", headers=admin_auth)).status_code == 404
    slugs = (await session.scalars(select(Board.slug))).all()
    assert slugs == ["used"]
    assert await audit_actions(session) == ["board.archive", "board.unarchive", "board.delete"]


async def test_position_reorders_boards_within_their_category(
    client, session, admin_auth, make_board
):
    for slug in ("one", "two", "three"):
        created = await client.post(
            "/api/v1/boards", json={"name": slug.title(), "slug": slug}, headers=admin_auth
        )
        assert created.json()["position"] == ["one", "two", "three"].index(slug) + 1
    moved = await client.patch("/api/v1/boards/three", json={"position": 1}, headers=admin_auth)
    assert moved.json()["position"] == 1
    listed = [b["slug"] for b in (await client.get("/api/v1/boards")).json()]
    assert listed == ["three", "one", "two"]


async def test_categories_through_the_api_and_deleting_one_with_boards_needs_confirm(
    client, session, admin_auth, make_board
):
    for name in ("Grief", "Separation"):
        await client.post("/api/v1/categories", json={"name": name}, headers=admin_auth)
    await client.post(
        "/api/v1/boards", json={"name": "Loss", "category": "grief"}, headers=admin_auth
    )
    edited = await client.patch(
        "/api/v1/categories/separation",
        json={"name": "Separation and divorce", "position": 1},
        headers=admin_auth,
    )
    assert edited.status_code == 200
    assert (edited.json()["name"], edited.json()["position"]) == ("Separation and divorce", 1)
    duplicate = await client.post("/api/v1/categories", json={"name": "Grief"}, headers=admin_auth)
    assert duplicate.status_code == 422
    assert duplicate.json()["fields"] == {"slug": "The category “Grief” has that address already."}

    asked = await client.delete("/api/v1/categories/grief", headers=admin_auth)
    assert asked.status_code == 409 and asked.json()["boards"] == 1
    assert "1 board in “Grief” will be in no category" in asked.json()["message"]
    deleted = await client.delete("/api/v1/categories/grief?confirm=true", headers=admin_auth)
    assert deleted.status_code == 204
    boards = (await client.get("/api/v1/boards")).json()
    assert [(b["slug"], b["category"]) for b in boards] == [("loss", None)]
    listed = (await client.get("/api/v1/categories", headers=admin_auth)).json()
    assert [(c["slug"], c["board_count"]) for c in listed] == [("separation", 0)]
