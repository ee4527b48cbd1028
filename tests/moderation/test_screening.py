"""New members' first posts wait for approval, and new members start few threads a day."""

from sqlalchemy import select
from support import csrf

from forum.accounts.actions import create_api_token
from forum.boards.models import Board
from forum.moderation.models import QueueItem
from forum.threads.models import Post, Thread


async def test_a_newcomers_first_reply_waits_and_only_they_can_read_it(
    client, session, user, newcomer, log_in, make_board, make_thread
):
    board = await make_board()
    opening = await make_thread(board, user)
    board.approve_first_posts = 2
    await log_in(client, newcomer)
    response = await client.post(
        f"/t/{opening.thread_id}/reply",
        data={"body": "I am new here and scared.", "csrf_token": csrf(client)},
    )
    assert response.status_code == 303
    mine = await client.get(response.headers["location"])
    assert "I am new here and scared." in mine.text
    assert "Waiting for a moderator's approval" in mine.text

    client.cookies.clear()
    guest = await client.get(f"/t/{opening.thread_id}")
    assert "I am new here and scared." not in guest.text
    post = (await session.scalars(select(Post).where(Post.author_id == newcomer.id))).one()
    item = (await session.scalars(select(QueueItem).where(QueueItem.post_id == post.id))).one()
    assert post.state == "pending" and item.is_held and item.is_open
    await session.refresh(newcomer)
    await session.refresh(board)
    assert newcomer.post_count == 0 and board.post_count == 1


async def test_a_newcomers_first_thread_stays_off_the_board_until_approved(
    client, session, newcomer, log_in, make_board
):
    board = await make_board(approve_first_posts=2)
    await log_in(client, newcomer)
    response = await client.post(
        "/b/my-story/new",
        data={"title": "Day one", "body": "Where do I start?", "csrf_token": csrf(client)},
    )
    assert response.status_code == 303
    assert "Day one" in (await client.get(response.headers["location"])).text
    assert "Day one" not in (await client.get("/b/my-story")).text

    client.cookies.clear()
    thread = (await session.scalars(select(Thread).where(Thread.title == "Day one"))).one()
    await session.refresh(board)
    assert thread.state == "pending" and board.thread_count == 0
    assert (await client.get(f"/t/{thread.id}")).status_code == 404


async def test_members_past_the_boards_threshold_and_seniors_post_straight_away(
    client, session, user, make_member, log_in, make_board, make_thread
):
    board = await make_board()
    opening = await make_thread(board, user, replies=1)  # two posts up: past the threshold
    board.approve_first_posts = 2
    senior = await make_member("Job.Listens", role="senior", joined_days_ago=0)
    for member, words in ((user, "Same here."), (senior, "Welcome.")):
        await log_in(client, member)
        response = await client.post(
            f"/t/{opening.thread_id}/reply", data={"body": words, "csrf_token": csrf(client)}
        )
        assert response.status_code == 303
    states = await session.scalars(
        select(Post.state).where(Post.thread_id == opening.thread_id).order_by(Post.position)
    )
    assert states.all() == ["visible"] * 4


async def test_the_api_says_a_newcomers_post_is_pending(client, session, newcomer, make_board):
    await make_board(approve_first_posts=2)
    token = await create_api_token(session, newcomer.id, "phone")
    created = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "Hello", "body": "First words."},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201
    assert created.json()["state"] == "pending"
    assert created.json()["html"] == "<p>First words.</p>\n"


async def test_a_new_member_starts_three_threads_a_day_and_is_told_when_to_try_again(
    client, session, newcomer, log_in, make_board
):
    await make_board()
    await log_in(client, newcomer)
    for number in range(3):
        response = await client.post(
            "/b/my-story/new",
            data={"title": f"Thread {number}", "body": "Words.", "csrf_token": csrf(client)},
        )
        assert response.status_code == 303
    refused = await client.post(
        "/b/my-story/new",
        data={"title": "One more", "body": "These words stay.", "csrf_token": csrf(client)},
    )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3600
    assert "New members can start 3 threads a day" in refused.text
    assert "These words stay." in refused.text
    board = (await session.scalars(select(Board))).one()
    await session.refresh(board)
    assert board.thread_count == 3
