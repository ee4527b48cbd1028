"""Story boards: each member keeps one ongoing story there and posts updates to it."""

import pytest
from sqlalchemy import func, select

from forum.threads.models import Thread

STORY_EXISTS = "You already have a story here: post an update to it."


@pytest.fixture
async def story_board(make_board, set_board):
    board = await make_board("my-story")
    return await set_board(board, is_story_board=True)


async def test_a_member_without_a_story_is_invited_to_start_one(client, user, log_in, story_board):
    await log_in(client, user)
    page = (await client.get("/b/my-story")).text
    assert ">Start your story</a>" in page
    assert 'href="/b/my-story/new"' in page
    form = await client.get("/b/my-story/new")
    assert form.status_code == 200 and "Start your story in My story" in form.text


async def test_a_member_with_a_story_is_offered_an_update_and_taken_to_it(
    client, user, log_in, story_board, make_thread
):
    opening = await make_thread(story_board, user, title="Week one")
    await log_in(client, user)
    page = (await client.get("/b/my-story")).text
    assert f'href="/t/{opening.thread_id}#reply">Update your story</a>' in page

    new = await client.get("/b/my-story/new")
    assert new.status_code == 303
    assert new.headers["location"] == f"/t/{opening.thread_id}?story=exists#reply"
    story = await client.get(new.headers["location"])
    assert STORY_EXISTS in story.text
    assert "Post an update" in story.text


async def test_starting_a_second_story_is_refused_with_a_link_and_the_words_kept(
    client, session, user, sign_in, post_form, story_board, make_thread
):
    opening = await make_thread(story_board, user, title="Week one")
    await sign_in(client, user)
    second = await post_form(
        client, "/b/my-story/new", title="Week two", body="Things got harder today."
    )
    assert second.status_code == 409
    assert STORY_EXISTS in second.text
    assert f'href="/t/{opening.thread_id}#reply"' in second.text
    assert "Things got harder today." in second.text and 'value="Week two"' in second.text
    count = await session.scalar(select(func.count()).select_from(Thread))
    assert count == 1


async def test_the_api_refuses_a_second_story_and_points_at_the_first(
    client, session, user, bearer, story_board, make_thread
):
    opening = await make_thread(story_board, user, title="Week one")
    response = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "Week two", "body": "Things got harder."},
        headers=await bearer(user),
    )
    assert response.status_code == 409
    assert response.json() == {
        "error": "story_exists",
        "message": STORY_EXISTS,
        "thread_id": opening.thread_id,
        "url": f"/t/{opening.thread_id}",
    }


async def test_a_story_removed_by_moderators_no_longer_counts(
    client, session, user, bearer, story_board, make_thread
):
    opening = await make_thread(story_board, user, title="Week one")
    thread = await session.get_one(Thread, opening.thread_id)
    thread.state = "deleted"
    await session.flush()
    response = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "Starting again", "body": "A fresh start."},
        headers=await bearer(user),
    )
    assert response.status_code == 201


async def test_moderators_start_as_many_threads_as_they_need_in_a_story_board(
    client, moderator, bearer, log_in, story_board, make_thread
):
    await make_thread(story_board, moderator, title="How this board works")
    await log_in(client, moderator)
    page = (await client.get("/b/my-story")).text
    assert ">New thread</a>" in page
    assert (await client.get("/b/my-story/new")).status_code == 200
    second = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "Posting guidelines", "body": "Be kind."},
        headers=await bearer(moderator),
    )
    assert second.status_code == 201


async def test_ordinary_boards_take_any_number_of_threads_from_a_member(
    client, user, bearer, make_board, make_thread
):
    board = await make_board("living-room")
    await make_thread(board, user, title="First")
    second = await client.post(
        "/api/v1/boards/living-room/threads",
        json={"title": "Second", "body": "Another topic."},
        headers=await bearer(user),
    )
    assert second.status_code == 201


async def test_a_story_in_one_story_board_does_not_block_a_story_in_another(
    client, user, bearer, story_board, make_board, make_thread, set_board
):
    await make_thread(story_board, user, title="Week one")
    other = await set_board(await make_board("grief-stories"), is_story_board=True)
    response = await client.post(
        f"/api/v1/boards/{other.slug}/threads",
        json={"title": "Losing Dad", "body": "It has been a month."},
        headers=await bearer(user),
    )
    assert response.status_code == 201


async def test_a_story_waiting_for_approval_counts_so_a_newcomer_makes_no_duplicate(
    client, session, newcomer, bearer, log_in, story_board, set_board
):
    await set_board(story_board, approve_first_posts=2)
    auth = await bearer(newcomer)
    first = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "Week one", "body": "It started on a Tuesday."},
        headers=auth,
    )
    assert first.status_code == 201 and first.json()["state"] == "pending"
    again = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "Week one (again?)", "body": "Did my story get lost?"},
        headers=auth,
    )
    assert again.status_code == 409
    assert again.json()["message"] == (
        "You already have a story here, waiting for a moderator's approval: "
        "you can post updates to it once it is up."
    )
    await log_in(client, newcomer)
    page = (await client.get("/b/my-story")).text
    assert "Your story (waiting for approval)" in page
    count = await session.scalar(select(func.count()).select_from(Thread))
    assert count == 1
