"""Thread tools and edit history through the JSON API: the pages' verbs, policies and messages."""

from sqlalchemy import func, select
from support import csrf

from forum.accounts.actions import create_api_token
from forum.accounts.models import Member
from forum.boards.models import Board
from forum.moderation.models import AuditEntry, BoardModerator
from forum.threads.models import Post, State, Thread


async def bearer(session, member):
    return {"Authorization": f"Bearer {await create_api_token(session, member.id, 'script')}"}


async def act(client, thread_id, headers, **body):
    return await client.post(f"/api/v1/threads/{thread_id}/actions", json=body, headers=headers)


async def fresh(session, model, key):
    return await session.get(model, key, populate_existing=True)


async def board_counts(session, board_id):
    board = await fresh(session, Board, board_id)
    return board.thread_count, board.post_count, board.last_post_id


async def test_moderator_pins_and_locks_by_token_and_gets_the_thread_back(
    client, session, user, moderator, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    auth = await bearer(session, moderator)
    pinned = await act(client, opening.thread_id, auth, action="pin", reason="Read this first")
    assert pinned.status_code == 200
    answer = pinned.json()
    assert answer["action"] == "pin" and answer["result"] is None
    assert answer["thread"]["is_pinned"] is True and answer["thread"]["board"] == "my-story"
    locked = await act(client, opening.thread_id, auth, action="lock", reason="Cooling off")
    assert locked.json()["thread"]["is_locked"] is True
    reasons = (await session.scalars(select(AuditEntry.reason).order_by(AuditEntry.id))).all()
    assert reasons == ["Read this first", "Cooling off"]


async def test_cookie_sessions_send_the_csrf_header(
    client, session, user, moderator, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    await log_in(client, moderator)
    refused = await act(client, opening.thread_id, {}, action="pin")
    assert refused.status_code == 403
    allowed = await act(client, opening.thread_id, {"X-CSRF-Token": csrf(client)}, action="pin")
    assert allowed.status_code == 200


async def test_move_by_api_carries_the_counts(
    client, session, user, moderator, make_board, make_thread
):
    source, target = await make_board("my-story"), await make_board("co-parenting")
    opening = await make_thread(source, user, replies=2)
    auth = await bearer(session, moderator)
    moved = await act(
        client, opening.thread_id, auth, action="move", board="co-parenting", reason="Parenting"
    )
    assert moved.status_code == 200
    assert moved.json()["thread"]["board"] == "co-parenting"
    assert await board_counts(session, source.id) == (0, 0, None)
    thread = await fresh(session, Thread, opening.thread_id)
    assert await board_counts(session, target.id) == (1, 3, thread.last_post_id)


async def test_merge_by_api_takes_a_link_and_the_old_address_points_on(
    client, session, user, other_user, moderator, make_board, make_thread
):
    board = await make_board()
    into = await make_thread(board, user, title="Our story", replies=1)
    merged = await make_thread(board, other_user, title="Same story", replies=1)
    into_id, merged_id = into.thread_id, merged.thread_id
    auth = await bearer(session, moderator)
    response = await act(
        client, merged_id, auth, action="merge", into=f"/t/{into_id}", reason="Duplicate"
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["thread"]["state"] == "deleted" and answer["thread"]["merged_into"] == into_id
    assert answer["result"]["id"] == into_id and answer["result"]["post_count"] == 4
    pointer = await client.get(f"/api/v1/threads/{merged_id}", headers=auth)
    assert pointer.status_code == 308
    assert pointer.headers["location"] == f"/api/v1/threads/{into_id}"
    assert pointer.json() == {"merged_into": into_id, "url": f"/api/v1/threads/{into_id}"}
    followed = await client.get(pointer.headers["location"], headers=auth)
    assert [p["position"] for p in followed.json()["posts"]] == [1, 2, 3, 4]
    assert await board_counts(session, board.id) == (1, 4, answer["result"]["last_post_id"])


async def test_split_by_api_numbers_the_new_thread_from_one(
    client, session, user, moderator, make_board, make_thread
):
    board = await make_board()
    opening = await make_thread(board, user, replies=3)
    chosen = (
        await session.scalars(
            select(Post.id).where(Post.thread_id == opening.thread_id, Post.position >= 3)
        )
    ).all()
    auth = await bearer(session, moderator)
    response = await act(
        client,
        opening.thread_id,
        auth,
        action="split",
        post_ids=list(chosen),
        title="The weeks after",
        reason="A new chapter",
    )
    assert response.status_code == 200
    new = response.json()["result"]
    assert (new["title"], new["post_count"], new["board"], new["state"]) == (
        "The weeks after",
        2,
        "my-story",
        "visible",
    )
    positions = (
        await session.scalars(
            select(Post.position).where(Post.thread_id == new["id"]).order_by(Post.position)
        )
    ).all()
    assert positions == [1, 2]
    assert response.json()["thread"]["post_count"] == 4
    assert (await board_counts(session, board.id))[:2] == (2, 4)


async def test_split_by_api_refuses_the_opening_post_naming_the_field(
    client, session, user, moderator, make_board, make_thread
):
    opening = await make_thread(await make_board(), user, replies=1)
    auth = await bearer(session, moderator)
    response = await act(
        client,
        opening.thread_id,
        auth,
        action="split",
        post_ids=[opening.id],
        title="Start again",
        reason="Trying",
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "post_ids": "The opening post stays with its thread; choose replies only."
    }
    count = (await session.execute(select(func.count()).select_from(Thread))).scalar_one()
    assert count == 1


async def test_missing_and_unknown_fields_are_named(
    client, session, user, moderator, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    thread_id = opening.thread_id
    auth = await bearer(session, moderator)
    missing = await act(client, thread_id, auth, action="move")
    assert missing.status_code == 422
    assert missing.json()["fields"] == {
        "reason": "Say why, in a sentence: it is kept in the moderation log.",
        "board": "Choose the board to move the thread to.",
    }
    unknown = await act(client, thread_id, auth, action="explode", reason="x")
    assert unknown.status_code == 422 and "action" in unknown.json()["fields"]
    nowhere = await act(client, thread_id, auth, action="merge", into=999999, reason="Duplicate")
    assert nowhere.json()["fields"] == {"into": "We couldn't find thread 999999."}


async def test_delete_and_restore_by_api(
    client, session, user, other_user, moderator, make_board, make_thread
):
    board = await make_board()
    opening = await make_thread(board, user, replies=1)
    thread_id = opening.thread_id
    auth = await bearer(session, moderator)
    deleted = await act(client, thread_id, auth, action="delete", reason="Personal details")
    assert deleted.json()["thread"]["state"] == "deleted"
    assert await board_counts(session, board.id) == (0, 0, None)
    member_auth = await bearer(session, other_user)
    assert (
        await client.get(f"/api/v1/threads/{thread_id}", headers=member_auth)
    ).status_code == 404
    assert (await client.get(f"/api/v1/threads/{thread_id}", headers=auth)).status_code == 200
    restored = await act(client, thread_id, auth, action="restore")
    assert restored.json()["thread"]["state"] == "visible"
    thread = await fresh(session, Thread, thread_id)
    assert await board_counts(session, board.id) == (1, 2, thread.last_post_id)


async def test_members_and_other_boards_moderators_are_refused_and_hidden_threads_not_found(
    client, session, user, make_member, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    thread_id = opening.thread_id
    warden = await make_member("Board.Warden")
    session.add(BoardModerator(member_id=warden.id, board_id=(await make_board("elsewhere")).id))
    await session.flush()
    headers = [await bearer(session, member) for member in (user, warden)]
    for auth in headers:
        refused = await act(client, thread_id, auth, action="delete", reason="Not mine")
        assert refused.status_code == 403
        assert refused.json() == {
            "error": "forbidden",
            "message": "Only moderators of this thread's board can use its thread tools.",
        }
    assert (await act(client, 999999, headers[0], action="pin")).status_code == 404
    guest = await act(client, thread_id, {"X-CSRF-Token": csrf(client)}, action="pin")
    assert guest.status_code == 401
    assert (await fresh(session, Thread, thread_id)).state == State.VISIBLE


async def test_history_by_api_for_the_author_and_moderators_only(
    client, session, user, other_user, moderator, make_board, make_thread
):
    opening = await make_thread(await make_board(), user, body="We talked calmly today.")
    post_id = opening.id
    author = await bearer(session, user)
    edited = await client.patch(
        f"/api/v1/posts/{post_id}", json={"body": "We talked very calmly."}, headers=author
    )
    assert edited.status_code == 200
    mine = await client.get(f"/api/v1/posts/{post_id}/history", headers=author)
    assert mine.status_code == 200
    [current, original] = mine.json()["versions"]
    assert (current["number"], current["is_current"], current["source"]) == (
        2,
        True,
        "We talked very calmly.",
    )
    assert original["changes"] == [] and original["by"] == "Harbor_Light"
    [line] = current["changes"]
    assert {"kind": "added", "text": "very "} in line["segments"]
    assert {"kind": "removed", "text": " today"} in line["segments"]
    moderators = await client.get(
        f"/api/v1/posts/{post_id}/history", headers=await bearer(session, moderator)
    )
    assert moderators.status_code == 200
    others = await client.get(
        f"/api/v1/posts/{post_id}/history",
        headers=await bearer(session, await session.get(Member, other_user.id)),
    )
    assert others.status_code == 403
    assert others.json()["error"] == "forbidden"
