"""Thread tools through the pages: pin, lock, move, merge, split, delete and restore.

After every tool the boards' and threads' counters must equal counts made from scratch.
"""

import html
import re

from sqlalchemy import func, select
from support import csrf

from forum.accounts.models import Member
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.moderation.models import AuditEntry, BoardModerator, QueueItem
from forum.moderation.queue import open_item
from forum.notifications.models import Notification
from forum.threads.actions import reply_to_thread
from forum.threads.models import Post, State, Thread


async def board_moderator_of(session, make_member, board, handle="Board.Warden"):
    member = await make_member(handle)
    session.add(BoardModerator(member_id=member.id, board_id=board.id))
    await session.flush()
    return member


async def fresh(session, model, key):
    return await session.get(model, key, populate_existing=True)


async def assert_counts_exact(session, *boards):
    """Each board's and its threads' counters equal what a count from scratch gives."""
    for board in boards:
        board = await fresh(session, Board, board.id)
        visible = (Thread.board_id == board.id, Thread.state == State.VISIBLE)
        threads = (await session.execute(select(func.count()).where(*visible))).scalar_one()
        posts = (
            await session.execute(
                select(func.count())
                .select_from(Post)
                .join(Thread, Post.thread_id == Thread.id)
                .where(*visible, Post.state != State.PENDING)
            )
        ).scalar_one()
        latest = (
            await session.execute(
                select(Thread.last_post_id)
                .where(*visible, Thread.last_post_id.is_not(None))
                .order_by(Thread.last_post_at.desc(), Thread.id.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
        assert (board.thread_count, board.post_count, board.last_post_id) == (
            threads,
            posts,
            latest,
        ), board.slug
        for thread in (await session.scalars(select(Thread).where(*visible))).all():
            await session.refresh(thread)
            newest = (
                await session.execute(
                    select(Post.id)
                    .where(Post.thread_id == thread.id, Post.state == State.VISIBLE)
                    .order_by(Post.created_at.desc(), Post.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            assert thread.last_post_id == newest, thread.title


async def positions(session, thread_id):
    rows = await session.execute(
        select(Post.position, Post.source)
        .where(Post.thread_id == thread_id)
        .order_by(Post.position)
    )
    return [tuple(row) for row in rows]


async def audit(session, action, target_id):
    return (
        await session.scalars(
            select(AuditEntry).where(AuditEntry.action == action, AuditEntry.target_id == target_id)
        )
    ).all()


def shows(response, words):
    """The page says these words (apostrophes and quotes come escaped in HTML)."""
    return words in html.unescape(response.text)


async def use(client, thread_id, action, **fields):
    return await client.post(
        f"/t/{thread_id}/tools/{action}", data={**fields, "csrf_token": csrf(client)}
    )


# The tools page and who may use it


async def test_moderator_sees_a_form_for_every_tool(
    client, user, moderator, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user, replies=2)
    opening_thread = opening.thread_id
    await make_board("co-parenting")
    await log_in(client, moderator)
    page = await client.get(f"/t/{opening_thread}/tools")
    assert page.status_code == 200
    assert "<title>Thread tools: My story" in page.text
    for action in ("pin", "lock", "move", "merge", "split", "delete"):
        assert f'action="/t/{opening_thread}/tools/{action}"' in page.text, action
    assert '<option value="co-parenting"' in page.text
    assert page.text.count('name="post_ids"') == 3
    assert re.search(rf'value="{opening.id}" disabled', page.text)


async def test_members_and_moderators_of_other_boards_are_refused_the_tools(
    client, session, user, other_user, make_member, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    opening_thread = opening.thread_id
    elsewhere = await board_moderator_of(session, make_member, await make_board("co-parenting"))
    for member_id in (user.id, other_user.id, elsewhere.id):
        # A refused request rolls back, and that expires what the test had loaded.
        await log_in(client, await session.get(Member, member_id))
        page = await client.get(f"/t/{opening_thread}/tools")
        assert page.status_code == 403
        assert shows(page, "Only moderators of this thread's board can use its thread tools.")
        refused = await use(client, opening_thread, "delete", reason="Not mine to do")
        assert refused.status_code == 403
    thread = await fresh(session, Thread, opening_thread)
    assert thread.state == State.VISIBLE
    assert await audit(session, "thread.delete", thread.id) == []


async def test_guests_are_sent_to_log_in_and_hidden_threads_are_not_found(
    client, session, user, make_member, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board("standing", members_only=True), user)
    opening_thread = opening.thread_id
    response = await client.get(f"/t/{opening_thread}/tools")
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/t/{opening_thread}/tools"
    await log_in(client, user)
    assert (await client.get("/t/999999/tools")).status_code == 404
    thread = await fresh(session, Thread, opening_thread)
    thread.state = State.PENDING
    await session.flush()
    await log_in(client, await make_member("SteadyOak"))
    assert (await client.get(f"/t/{opening_thread}/tools")).status_code == 404


async def test_board_moderator_uses_the_tools_of_their_own_board(
    client, session, user, make_member, log_in, make_board, make_thread
):
    board = await make_board()
    opening = await make_thread(board, user)
    opening_thread = opening.thread_id
    warden = await board_moderator_of(session, make_member, board)
    await log_in(client, warden)
    assert (await client.get(f"/t/{opening_thread}/tools")).status_code == 200
    response = await use(client, opening_thread, "pin")
    assert response.status_code == 303


# Pin and lock


async def test_pinned_thread_leads_its_board_and_the_pin_is_recorded(
    client, session, user, moderator, log_in, make_board, make_thread
):
    board = await make_board()
    older = await make_thread(board, user, title="An older story")
    older_thread = older.thread_id
    await make_thread(board, user, title="A newer story")
    await log_in(client, moderator)
    response = await use(client, older_thread, "pin", reason="Worth reading first")
    assert response.status_code == 303
    assert response.headers["location"] == f"/t/{older_thread}"
    page = await client.get(response.headers["location"])
    assert '<span class="tag">Pinned</span>' in page.text
    listing = (await client.get("/b/my-story")).text
    assert listing.index("An older story") < listing.index("A newer story")
    [entry] = await audit(session, "thread.pin", older_thread)
    assert (entry.actor_name, entry.reason, entry.board_id) == (
        "Quiet.Keeper",
        "Worth reading first",
        board.id,
    )
    again = await use(client, older_thread, "unpin")
    assert again.status_code == 303
    assert not (await fresh(session, Thread, older_thread)).is_pinned


async def test_locked_thread_takes_replies_from_moderators_only(
    client, session, user, moderator, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    opening_thread = opening.thread_id
    await log_in(client, moderator)
    response = await use(client, opening_thread, "lock", reason="Heated; cooling off")
    assert response.status_code == 303
    page = await client.get(f"/t/{opening_thread}")
    assert '<span class="tag muted">Locked</span>' in page.text
    reply = await client.post(
        f"/t/{opening_thread}/reply",
        data={"body": "A note from the moderators.", "csrf_token": csrf(client)},
    )
    assert reply.status_code == 303
    await log_in(client, user)
    refused = await client.post(
        f"/t/{opening_thread}/reply", data={"body": "One more thing", "csrf_token": csrf(client)}
    )
    assert refused.status_code == 403
    [entry] = await audit(session, "thread.lock", opening_thread)
    assert entry.reason == "Heated; cooling off"


async def test_a_lock_without_a_reason_is_refused_beside_the_field(
    client, session, user, moderator, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    opening_thread = opening.thread_id
    await log_in(client, moderator)
    response = await use(client, opening_thread, "lock", reason="   ")
    assert response.status_code == 422
    assert "Say why, in a sentence: it is kept in the moderation log." in response.text
    assert 'id="lock-reason" name="reason"' in response.text
    assert 'aria-describedby="lock-reason-error"' in response.text
    assert not (await fresh(session, Thread, opening_thread)).is_locked


# Move


async def test_move_carries_counts_latest_posts_and_open_review_items_across(
    client, session, user, other_user, moderator, log_in, make_board, make_thread
):
    source, target = await make_board("my-story"), await make_board("co-parenting")
    moving = await make_thread(source, user, title="About the children", replies=2)
    moving_thread = moving.thread_id
    staying = await make_thread(source, other_user, title="Week one")
    await make_thread(target, other_user, title="Handovers")
    item = await open_item(session, moving.id, source.id, reports=1)
    # The moving thread has the source board's latest post until it leaves.
    await reply_to_thread(
        session,
        Viewer.of(user),
        await fresh(session, Thread, moving_thread),
        body="Latest news.",
    )
    await log_in(client, moderator)
    response = await use(
        client, moving_thread, "move", board="co-parenting", reason="About parenting"
    )
    assert response.status_code == 303
    page = await client.get(f"/t/{moving_thread}")
    assert '<a href="/b/co-parenting">Co parenting</a>' in page.text
    source, target = await fresh(session, Board, source.id), await fresh(session, Board, target.id)
    assert (source.thread_count, source.post_count) == (1, 1)
    assert (target.thread_count, target.post_count) == (2, 5)
    assert source.last_post_id == staying.id
    await assert_counts_exact(session, source, target)
    assert (await fresh(session, QueueItem, item)).board_id == target.id
    [entry] = await audit(session, "thread.move", moving_thread)
    assert entry.details["to_board"] == "co-parenting" and entry.reason == "About parenting"
    notice = (
        await session.scalars(select(Notification).where(Notification.member_id == user.id))
    ).one()
    assert "moved your thread “About the children” to Co parenting" in notice.message


async def test_board_moderator_cannot_move_a_thread_into_a_board_they_dont_moderate(
    client, session, user, make_member, log_in, make_board, make_thread
):
    board = await make_board()
    await make_board("co-parenting")
    opening = await make_thread(board, user)
    opening_thread = opening.thread_id
    warden = await board_moderator_of(session, make_member, board)
    await log_in(client, warden)
    page = await client.get(f"/t/{opening_thread}/tools")
    assert "You moderate no other board to move it to." in page.text
    response = await use(
        client, opening_thread, "move", board="co-parenting", reason="Belongs there"
    )
    assert response.status_code == 422
    assert shows(response, "You don't moderate that board, so threads can't go there.")
    assert (await fresh(session, Thread, opening_thread)).board_id == board.id


# Merge


async def test_merge_appends_the_posts_in_order_and_old_links_follow(
    client, session, user, other_user, moderator, log_in, make_board, make_thread
):
    board = await make_board()
    target = await make_thread(board, user, title="Our story", body="B one", replies=2)
    target_thread = target.thread_id
    merged = await make_thread(board, other_user, title="Also our story", body="A one", replies=2)
    merged_thread = merged.thread_id
    await log_in(client, moderator)
    response = await use(
        client,
        merged_thread,
        "merge",
        into=f"https://forum.example/t/{target_thread}?page=1",
        reason="The same story twice",
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/t/{target_thread}"
    assert await positions(session, target_thread) == [
        (1, "B one"),
        (2, "Update number 2."),
        (3, "Update number 3."),
        (4, "A one"),
        (5, "Update number 2."),
        (6, "Update number 3."),
    ]
    into = await fresh(session, Thread, target_thread)
    assert into.post_count == 6
    gone = await fresh(session, Thread, merged_thread)
    assert (gone.state, gone.merged_into_id) == (State.DELETED, into.id)
    board = await fresh(session, Board, board.id)
    assert (board.thread_count, board.post_count) == (1, 6)
    await assert_counts_exact(session, board)
    await log_in(client, user)
    old_link = await client.get(f"/t/{merged_thread}?page=1")
    assert old_link.status_code == 303
    assert old_link.headers["location"] == f"/t/{target_thread}"
    permalink = await client.get(f"/p/{merged.id}")
    assert permalink.headers["location"] == f"/t/{target_thread}?page=1#p{merged.id}"
    [entry] = await audit(session, "thread.merge", merged_thread)
    assert entry.reason == "The same story twice"
    assert entry.details["into_thread_id"] == target_thread and entry.details["posts"] == 3


async def test_merge_into_another_board_moves_counts_and_review_items(
    client, session, user, other_user, moderator, log_in, make_board, make_thread
):
    source, target = await make_board("my-story"), await make_board("co-parenting")
    merged = await make_thread(source, user, title="Handover trouble", replies=1)
    merged_thread = merged.thread_id
    into = await make_thread(target, other_user, title="Handovers", replies=3)
    into_thread = into.thread_id
    item = await open_item(session, merged.id, source.id, reports=1)
    await log_in(client, moderator)
    response = await use(client, merged_thread, "merge", into=str(into_thread), reason="Same topic")
    assert response.status_code == 303
    source, target = await fresh(session, Board, source.id), await fresh(session, Board, target.id)
    assert (source.thread_count, source.post_count, source.last_post_id) == (0, 0, None)
    assert (target.thread_count, target.post_count) == (1, 6)
    await assert_counts_exact(session, source, target)
    assert (await fresh(session, QueueItem, item)).board_id == target.id
    positions_now = [p for p, _ in await positions(session, into_thread)]
    assert positions_now == [1, 2, 3, 4, 5, 6]


async def test_merge_target_problems_show_beside_the_field_with_the_words_kept(
    client, session, user, make_member, log_in, make_board, make_thread
):
    board, elsewhere = await make_board(), await make_board("co-parenting")
    opening = await make_thread(board, user)
    opening_thread = opening.thread_id
    foreign = await make_thread(elsewhere, user, title="Elsewhere")
    foreign_thread = foreign.thread_id
    warden = await board_moderator_of(session, make_member, board)
    await log_in(client, warden)
    for into, message in (
        ("999999", "We couldn't find thread 999999."),
        (f"/t/{opening_thread}", "A thread can't be merged into itself; choose another."),
        (str(foreign_thread), "You don't moderate the board that thread is in."),
        ("the other one", "Give the thread's number, or paste its link (like /t/123)."),
    ):
        response = await use(
            client, opening_thread, "merge", into=into, reason="Keep these words, please"
        )
        assert response.status_code == 422, into
        assert shows(response, message)
        assert 'aria-describedby="merge-into-error"' in response.text
        assert 'value="Keep these words, please"' in response.text
    thread = await fresh(session, Thread, opening_thread)
    assert thread.state == State.VISIBLE and thread.merged_into_id is None


# Split


async def test_split_makes_a_new_thread_numbered_from_one_by_the_first_posts_author(
    client, session, user, other_user, moderator, log_in, make_board, make_thread
):
    board = await make_board()
    opening = await make_thread(board, user, title="Week one", replies=1)
    opening_thread = opening.thread_id
    thread = await fresh(session, Thread, opening_thread)
    second = await reply_to_thread(session, Viewer.of(other_user), thread, body="My side, part 1")
    await reply_to_thread(session, Viewer.of(user), thread, body="Back to my week")
    fourth = await reply_to_thread(session, Viewer.of(other_user), thread, body="My side, part 2")
    await log_in(client, moderator)
    page = await client.get(f"/t/{opening_thread}/tools")
    assert f'name="post_ids" value="{second.id}"' in page.text
    response = await client.post(
        f"/t/{opening_thread}/tools/split",
        data={
            "post_ids": [str(fourth.id), str(second.id)],
            "title": "  SteadyOak's   side ",
            "board": "my-story",
            "reason": "A story of its own",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 303
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    new = await fresh(session, Thread, new_id)
    assert (new.title, new.author_id, new.post_count, new.state) == (
        "SteadyOak's side",
        other_user.id,
        2,
        State.VISIBLE,
    )
    assert await positions(session, new_id) == [(1, "My side, part 1"), (2, "My side, part 2")]
    assert new.last_post_id == fourth.id
    old = await fresh(session, Thread, opening_thread)
    assert old.post_count == 5  # positions are never handed out twice
    assert [p for p, _ in await positions(session, old.id)] == [1, 2, 4]
    board = await fresh(session, Board, board.id)
    assert (board.thread_count, board.post_count) == (2, 5)
    await assert_counts_exact(session, board)
    shown = await client.get(f"/t/{new_id}")
    assert "My side, part 1" in shown.text and "<h1>SteadyOak&#39;s side</h1>" in shown.text
    [entry] = await audit(session, "thread.split", old.id)
    assert entry.reason == "A story of its own" and entry.details["new_thread_id"] == new_id


async def test_split_refuses_the_opening_post_and_keeps_the_choices(
    client, session, user, moderator, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user, replies=2)
    opening_thread = opening.thread_id
    reply = (await positions(session, opening_thread))[1]
    assert reply[0] == 2
    await log_in(client, moderator)
    response = await client.post(
        f"/t/{opening_thread}/tools/split",
        data={
            "post_ids": [str(opening.id)],
            "title": "A new start",
            "reason": "Trying",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 422
    assert "The opening post stays with its thread; choose replies only." in response.text
    assert 'value="A new start"' in response.text
    thread = await fresh(session, Thread, opening_thread)
    assert [p for p, _ in await positions(session, thread.id)] == [1, 2, 3]
    assert (await session.execute(select(func.count()).select_from(Thread))).scalar_one() == 1


async def test_split_needs_replies_and_a_title(
    client, user, moderator, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user, replies=1)
    opening_thread = opening.thread_id
    await log_in(client, moderator)
    response = await use(client, opening_thread, "split", reason="Splitting")
    assert response.status_code == 422
    assert "Tick the replies that should become the new thread." in response.text
    assert "Give the new thread a title." in response.text


async def test_split_into_another_board_moves_the_counts_there(
    client, session, user, moderator, log_in, make_board, make_thread
):
    source, target = await make_board("my-story"), await make_board("co-parenting")
    opening = await make_thread(source, user, replies=3)
    opening_thread = opening.thread_id
    moved = [row.id for row in (await session.scalars(select(Post).where(Post.position >= 3)))]
    await log_in(client, moderator)
    response = await client.post(
        f"/t/{opening_thread}/tools/split",
        data={
            "post_ids": [str(i) for i in moved],
            "title": "About the children",
            "board": "co-parenting",
            "reason": "Parenting questions",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 303
    source, target = await fresh(session, Board, source.id), await fresh(session, Board, target.id)
    assert (source.thread_count, source.post_count) == (1, 2)
    assert (target.thread_count, target.post_count) == (1, 2)
    await assert_counts_exact(session, source, target)


async def test_split_page_lists_the_posts_of_the_chosen_page(
    client, user, moderator, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user, replies=30)
    opening_thread = opening.thread_id
    await log_in(client, moderator)
    page = await client.get(f"/t/{opening_thread}/tools?page=2")
    assert page.text.count('name="post_ids"') == 6
    assert "Posts on page 2 of 2" in page.text
    assert "<strong>#26</strong>" in page.text and "<strong>#25</strong>" not in page.text


# Delete and restore


async def test_deleted_thread_leaves_the_board_for_members_but_not_for_moderators(
    client, session, user, other_user, moderator, log_in, make_board, make_thread
):
    board = await make_board()
    older = await make_thread(board, other_user, title="Still here")
    deleted = await make_thread(board, user, title="Gone for now", replies=2)
    deleted_thread, author_id = deleted.thread_id, user.id
    await log_in(client, moderator)
    response = await use(client, deleted_thread, "delete", reason="Shared a full name")
    assert response.status_code == 303
    page = await client.get(f"/t/{deleted_thread}")
    assert page.status_code == 200 and '<span class="tag muted">Deleted</span>' in page.text
    board = await fresh(session, Board, board.id)
    assert (board.thread_count, board.post_count, board.last_post_id) == (1, 1, older.id)
    await assert_counts_exact(session, board)
    await log_in(client, other_user)
    assert "Gone for now" not in (await client.get("/b/my-story")).text
    assert (await client.get(f"/t/{deleted_thread}")).status_code == 404
    await log_in(client, await session.get(Member, author_id))  # the 404 expired what was loaded
    assert (await client.get(f"/t/{deleted_thread}")).status_code == 404
    [entry] = await audit(session, "thread.delete", deleted_thread)
    assert entry.reason == "Shared a full name" and entry.details["before"] == "visible"


async def test_restore_puts_the_thread_back_with_its_counts(
    client, session, user, moderator, log_in, make_board, make_thread
):
    board = await make_board()
    opening = await make_thread(board, user, title="Coming back", replies=2)
    opening_thread = opening.thread_id
    await log_in(client, moderator)
    await use(client, opening_thread, "delete", reason="Checking something")
    tools = await client.get(f"/t/{opening_thread}/tools")
    assert f'action="/t/{opening_thread}/tools/restore"' in tools.text
    assert "Recently deleted in My story" in tools.text
    response = await use(client, opening_thread, "restore", reason="Checked, all fine")
    assert response.status_code == 303
    board = await fresh(session, Board, board.id)
    assert (board.thread_count, board.post_count) == (1, 3)
    await assert_counts_exact(session, board)
    await log_in(client, user)
    assert "Coming back" in (await client.get("/b/my-story")).text
    [entry] = await audit(session, "thread.restore", opening_thread)
    assert entry.reason == "Checked, all fine"


async def test_a_merged_thread_cannot_be_restored(
    client, session, user, moderator, log_in, make_board, make_thread
):
    board = await make_board()
    into = await make_thread(board, user, title="Kept")
    into_thread = into.thread_id
    merged = await make_thread(board, user, title="Joined")
    merged_thread = merged.thread_id
    await log_in(client, moderator)
    await use(client, merged_thread, "merge", into=str(into_thread), reason="Duplicate")
    response = await use(client, merged_thread, "restore")
    assert response.status_code == 422
    tools = await client.get(f"/t/{merged_thread}/tools")
    assert f'merged into <a href="/t/{into_thread}">' in tools.text
    assert (await fresh(session, Thread, merged_thread)).state == State.DELETED


async def test_deleted_threads_list_is_for_the_boards_moderators(
    client, session, user, other_user, make_member, moderator, log_in, make_board, make_thread
):
    board = await make_board()
    elsewhere = await board_moderator_of(session, make_member, await make_board("co-parenting"))
    gone = await make_thread(board, user, title="Gone for now")
    gone_thread = gone.thread_id
    await make_thread(board, user, title="Still here")
    await log_in(client, moderator)
    await use(client, gone_thread, "delete", reason="Shared a full name")
    listing = await client.get("/b/my-story/deleted")
    assert listing.status_code == 200
    assert "<title>Deleted threads in My story" in listing.text
    assert "Gone for now" in listing.text and "Still here" not in listing.text
    assert "deleted by Quiet.Keeper" in listing.text and "“Shared a full name”" in listing.text
    assert f'action="/t/{gone_thread}/tools/restore"' in listing.text
    for member_id in (other_user.id, elsewhere.id):
        await log_in(client, await session.get(Member, member_id))
        refused = await client.get("/b/my-story/deleted")
        assert refused.status_code == 403
        assert shows(refused, "Only this board's moderators can see its deleted threads.")
    client.cookies.clear()
    assert (await client.get("/b/my-story/deleted")).status_code == 303


async def test_waiting_replies_stay_out_of_the_counts_wherever_the_thread_goes(
    client, session, user, newcomer, moderator, log_in, make_board, make_thread
):
    source, target = await make_board("my-story"), await make_board("co-parenting")
    opening = await make_thread(source, user, replies=1)
    opening_thread = opening.thread_id
    source.approve_first_posts = 2  # from now on a newcomer's first replies wait
    thread = await fresh(session, Thread, opening_thread)
    held = await reply_to_thread(session, Viewer.of(newcomer), thread, body="My first words here.")
    assert held.state == State.PENDING
    await log_in(client, moderator)
    response = await use(
        client, opening_thread, "move", board="co-parenting", reason="About parenting"
    )
    assert response.status_code == 303
    await assert_counts_exact(session, source, target)
    assert (await fresh(session, Board, target.id)).post_count == 2
    item = (await session.scalars(select(QueueItem).where(QueueItem.post_id == held.id))).one()
    assert item.board_id == target.id and item.is_held


async def test_a_merged_thread_in_a_members_only_board_stays_unknown_to_guests(
    client, session, user, moderator, log_in, make_board, make_thread
):
    board = await make_board("standing", members_only=True)
    into = await make_thread(board, user, title="Kept")
    merged = await make_thread(board, user, title="Joined")
    into_thread, merged_thread = into.thread_id, merged.thread_id
    await log_in(client, moderator)
    await use(client, merged_thread, "merge", into=str(into_thread), reason="Duplicate")
    assert (await client.get(f"/t/{merged_thread}")).headers["location"] == f"/t/{into_thread}"
    client.cookies.clear()
    assert (await client.get(f"/t/{merged_thread}")).status_code == 404
    assert (await client.get(f"/api/v1/threads/{merged_thread}")).status_code == 404
