"""Archived boards are read-only but readable: nothing new goes in, for anyone, pages and API."""

import pytest
from sqlalchemy import select

from forum.threads.models import Post, State, Thread

ARCHIVED = "This board is archived: read-only."


@pytest.fixture
async def archived(session, user, make_board, make_thread, set_board):
    """Harbor_Light's thread with a reply, in a board archived since."""
    board = await make_board("old-stories")
    opening = await make_thread(board, user, title="Year one", replies=1)
    await set_board(board, is_archived=True)
    return {"board": board, "thread_id": opening.thread_id, "post_id": opening.id}


async def test_an_archived_board_reads_as_before_but_says_it_is_read_only(client, archived):
    page = await client.get("/b/old-stories")
    assert page.status_code == 200
    assert "Year one" in page.text
    assert ARCHIVED in page.text
    assert "Log in to post" not in page.text

    thread = await client.get(f"/t/{archived['thread_id']}")
    assert thread.status_code == 200
    assert "Update number 2." in thread.text
    assert ARCHIVED in thread.text


@pytest.mark.parametrize("who", ["user", "moderator", "admin"])
async def test_nobody_gets_a_composer_in_an_archived_board(
    client, user, moderator, admin, log_in, archived, who
):
    await log_in(client, {"user": user, "moderator": moderator, "admin": admin}[who])
    board = (await client.get("/b/old-stories")).text
    assert "New thread" not in board and "/b/old-stories/new" not in board
    thread = (await client.get(f"/t/{archived['thread_id']}")).text
    assert "Post reply" not in thread
    assert "/quote" not in thread and f"/p/{archived['post_id']}/edit" not in thread


@pytest.mark.parametrize("who", ["user", "moderator", "admin"])
async def test_pages_refuse_new_threads_replies_and_edits_in_an_archived_board(
    client, session, user, moderator, admin, sign_in, post_form, archived, who
):
    await sign_in(client, {"user": user, "moderator": moderator, "admin": admin}[who])
    thread_id, post_id = archived["thread_id"], archived["post_id"]
    refusals = [
        await client.get("/b/old-stories/new"),
        await post_form(client, "/b/old-stories/new", title="Another", body="More words."),
        await post_form(client, f"/t/{thread_id}/reply", body="A late reply."),
        await client.get(f"/p/{post_id}/quote"),
        await client.get(f"/p/{post_id}/edit"),
        await post_form(client, f"/p/{post_id}/edit", body="Rewritten."),
    ]
    assert [r.status_code for r in refusals] == [403] * 6
    assert all(ARCHIVED in r.text for r in refusals)
    threads = (await session.scalars(select(Thread.title))).all()
    assert threads == ["Year one"]
    post = await session.get_one(Post, post_id)
    await session.refresh(post)
    assert post.source == "First update."


async def test_the_api_refuses_writes_to_an_archived_board_with_a_clear_message(
    client, session, admin, user, bearer, archived
):
    for member in (user, admin):
        auth = await bearer(member)
        writes = [
            await client.post(
                "/api/v1/boards/old-stories/threads",
                json={"title": "Another", "body": "More words."},
                headers=auth,
            ),
            await client.post(
                f"/api/v1/threads/{archived['thread_id']}/posts",
                json={"body": "A late reply."},
                headers=auth,
            ),
            await client.patch(
                f"/api/v1/posts/{archived['post_id']}", json={"body": "Rewritten."}, headers=auth
            ),
        ]
        assert [w.status_code for w in writes] == [403, 403, 403]
        assert {w.json()["message"] for w in writes} == {ARCHIVED}
        assert {w.json()["error"] for w in writes} == {"forbidden"}
    read = await client.get(f"/api/v1/threads/{archived['thread_id']}")
    assert read.status_code == 200 and len(read.json()["posts"]) == 2


async def test_moderators_still_hide_posts_and_delete_threads_in_an_archived_board(
    client, session, moderator, sign_in, post_form, archived
):
    await sign_in(client, moderator)
    hid = await post_form(client, f"/review/p/{archived['post_id']}/hide", reason="Names a child.")
    assert hid.status_code == 303
    deleted = await post_form(
        client, f"/t/{archived['thread_id']}/tools/delete", reason="The author asked."
    )
    assert deleted.status_code == 303
    thread = await session.get_one(Thread, archived["thread_id"])
    post = await session.get_one(Post, archived["post_id"])
    await session.refresh(thread)
    await session.refresh(post)
    assert (thread.state, post.state) == (State.DELETED, State.HIDDEN)


async def test_threads_cannot_be_moved_merged_or_split_into_an_archived_board(
    client,
    session,
    moderator,
    user,
    sign_in,
    post_form,
    bearer,
    make_board,
    make_thread,
    archived,
):
    live = await make_board("living-room")
    live_id = live.id
    thread_id = (await make_thread(live, user, title="This week", replies=1)).thread_id
    await sign_in(client, moderator)
    tools = (await client.get(f"/t/{thread_id}/tools")).text
    assert 'value="old-stories"' not in tools  # not offered as a destination

    moved = await post_form(
        client, f"/t/{thread_id}/tools/move", board="old-stories", reason="Tidy"
    )
    assert moved.status_code == 422
    assert "That board is archived: read-only" in moved.text
    merged = await client.post(
        f"/api/v1/threads/{thread_id}/actions",
        json={"action": "merge", "into": str(archived["thread_id"]), "reason": "Same story"},
        headers=await bearer(moderator),
    )
    assert merged.status_code == 422
    assert merged.json()["fields"]["into"].startswith("That board is archived")
    thread = await session.get_one(Thread, thread_id)
    await session.refresh(thread)
    assert thread.board_id == live_id and thread.state == State.VISIBLE
