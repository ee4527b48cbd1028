"""The review queue and one post's review page: who sees what, each verdict and its undo."""

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event, select
from support import csrf

from forum.auth.models import LoginSession
from forum.auth.viewer import Viewer
from forum.moderation.models import AuditEntry, BoardModerator, QueueItem, Sanction
from forum.moderation.reports import HIDDEN_BY_REPORTS, ReportCreate, report_post
from forum.notifications.models import Notification
from forum.threads.models import Post, Thread

WORDS = "You deserve everything that happened to you."


@pytest.fixture
def reported(session, established):
    """Reports from established members on a post, sent as the report page sends them."""

    async def report(post, *handles, reason="unkind", note=""):
        reporters = []
        loaded = await session.get_one(Post, post.id)
        thread = await session.get_one(Thread, loaded.thread_id)
        for handle in handles:
            member = await established(handle)
            form = ReportCreate(reason=reason, note=note)
            await report_post(session, Viewer.of(member), loaded, thread.board_id, form)
            reporters.append(member)
        return reporters

    return report


async def act(client, post_id, action, reason="", days=""):
    data = {"reason": reason, "days": days, "csrf_token": csrf(client)}
    return await client.post(f"/review/p/{post_id}/{action}", data=data)


async def undo(client, done):
    """Press the banner's Undo button for the page an action redirected to."""
    location = urlsplit(done.headers["location"])
    query = parse_qs(location.query)
    data = {
        "item_id": query.get("item", [""])[0],
        "sanction_id": query.get("sanction", [""])[0],
        "csrf_token": csrf(client),
    }
    action = query["done"][0]
    return await client.post(f"{location.path}/undo/{action}", data=data)


async def items_of(session, post_id):
    statement = select(QueueItem).where(QueueItem.post_id == post_id).order_by(QueueItem.id)
    items = (await session.scalars(statement)).all()
    for item in items:
        await session.refresh(item)
    return items


async def audit_actions(session, post_id):
    statement = (
        select(AuditEntry.action)
        .where(AuditEntry.target_kind == "post", AuditEntry.target_id == post_id)
        .order_by(AuditEntry.id)
    )
    return list((await session.scalars(statement)).all())


async def notices_of(session, member):
    statement = select(Notification).where(Notification.member_id == member.id)
    return (await session.scalars(statement.order_by(Notification.id))).all()


# Who sees the queue


async def test_members_are_refused_the_queue_and_guests_sent_to_log_in(
    client, user, log_in, make_board, make_thread, reported
):
    post = await make_thread(await make_board(), user, body=WORDS)
    await reported(post, "Calm.Sea")
    post_id = post.id  # a refused request rolls back and expires loaded rows
    guest = await client.get("/review")
    assert guest.status_code == 303 and guest.headers["location"].startswith("/login")
    await log_in(client, user)
    refused = await client.get("/review")
    assert refused.status_code == 403
    assert "Only moderators can open the review queue." in refused.text
    item_page = await client.get(f"/review/p/{post_id}")
    assert item_page.status_code == 403
    assert (await act(client, post_id, "hide", "No.")).status_code == 403


async def test_a_board_moderator_sees_only_their_boards(
    client, session, user, make_member, log_in, make_board, make_thread, reported
):
    mine, other = await make_board("my-story"), await make_board("co-parenting")
    here = await make_thread(mine, user, title="Mine to look at", body=WORDS)
    there = await make_thread(other, user, title="Someone else's board", body=WORDS)
    await reported(here, "Calm.Sea")
    await reported(there, "Tall.Pine")
    keeper = await make_member("Board.Keeper")
    session.add(BoardModerator(member_id=keeper.id, board_id=mine.id))
    await session.flush()
    await log_in(client, keeper)
    here_id, there_id = here.id, there.id
    page = await client.get("/review")
    assert page.status_code == 200
    assert "Mine to look at" in page.text
    assert "Someone else&#39;s board" not in page.text
    assert 'Review <span class="count"' in page.text and ">1</span>" in page.text
    assert (await client.get(f"/review/p/{here_id}")).status_code == 200
    refused = await client.get(f"/review/p/{there_id}")
    assert refused.status_code == 403
    assert (await act(client, there_id, "hide", "Not mine to hide.")).status_code == 403
    assert (await client.get("/review/p/999999")).status_code == 404
    # Administrators' links are not for board moderators.
    assert "/admin/watched-words" not in page.text


async def test_a_deleted_post_on_another_board_is_not_confirmed_to_a_board_moderator(
    client, session, user, make_member, log_in, make_board, make_thread
):
    mine, other = await make_board("my-story"), await make_board("co-parenting")
    there = await make_thread(other, user, body=WORDS)
    (await session.get_one(Post, there.id)).state = "deleted"
    keeper = await make_member("Board.Keeper")
    session.add(BoardModerator(member_id=keeper.id, board_id=mine.id))
    await session.flush()
    await log_in(client, keeper)
    assert (await client.get(f"/review/p/{there.id}")).status_code == 404


async def test_a_global_moderator_sees_every_boards_items_with_grouped_reasons(
    client, user, moderator, log_in, make_board, make_thread, reported
):
    first = await make_thread(await make_board("my-story"), user, title="Story", body=WORDS)
    second = await make_thread(await make_board("standing", members_only=True), user, title="Held")
    await reported(first, "Calm.Sea", "Tall.Pine", reason="unkind")
    await reported(first, "Soft.Rain", reason="spam")
    await reported(second, "Late.Comer", reason="off_topic", note="Wrong board.")
    await log_in(client, moderator)
    page = await client.get("/review")
    assert "Story" in page.text and "Held" in page.text
    assert "Unkind or abusive ×2" in page.text
    assert "Spam</span>" in page.text and "Off-topic" in page.text
    assert "You deserve everything" in page.text  # the excerpt, as plain text
    assert "/review/audit" in page.text and "/review/members" in page.text


async def test_the_queue_counts_and_filters_reported_held_and_by_board(
    client, session, user, newcomer, moderator, log_in, make_board, make_thread, reported
):
    story = await make_board("my-story")
    waiting_room = await make_board("introductions", approve_first_posts=2)
    reported_post = await make_thread(story, user, title="Reported thread", body=WORDS)
    await reported(reported_post, "Calm.Sea", reason="at_risk")
    await make_thread(waiting_room, newcomer, title="Hello from a newcomer", body="Hi all.")
    await log_in(client, moderator)
    page = await client.get("/review")
    assert "<dt>Open reports</dt><dd>1</dd>" in page.text
    assert "<dt>Waiting for approval</dt><dd>1</dd>" in page.text
    assert "<dt>Someone may be at risk</dt><dd>1</dd>" in page.text
    held = await client.get("/review?show=held")
    assert "Hello from a newcomer" in held.text and "Reported thread" not in held.text
    assert "first posts wait for a moderator" in held.text
    only_reported = await client.get("/review?show=reported")
    assert "Reported thread" in only_reported.text
    assert "Hello from a newcomer" not in only_reported.text
    by_board = await client.get("/review?board=introductions")
    assert "Hello from a newcomer" in by_board.text and "Reported thread" not in by_board.text


async def test_the_queue_costs_the_same_queries_for_two_items_or_six(
    app, client, session, user, moderator, log_in, make_board, make_thread, reported, monkeypatch
):
    board = await make_board()
    await log_in(client, moderator)
    # Pages check the site settings at most once a second: read them now and stop the cache's
    # clock, so that check lands in neither count.
    monkeypatch.setattr(app.state.site_cache, "clock", lambda: 0.0)
    await client.get("/review")
    connection = (await session.connection()).sync_connection
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    async def queries_for_queue(number_of_posts):
        for n in range(number_of_posts):
            post = await make_thread(board, user, title=f"Thread {n}", body=WORDS)
            await reported(post, f"Reporter.{number_of_posts}.{n}", reason="spam")
        statements.clear()
        event.listen(connection, "before_cursor_execute", count)
        try:
            assert (await client.get("/review")).status_code == 200
        finally:
            event.remove(connection, "before_cursor_execute", count)
        return len(statements)

    assert await queries_for_queue(2) == await queries_for_queue(4)


async def test_the_review_page_shows_the_post_in_context_with_its_reports_and_author(
    client, session, user, moderator, log_in, make_board, make_thread, reported
):
    opening = await make_thread(
        await make_board(), user, title="Week two", body="Before the storm.", replies=2
    )
    middle = (
        await session.scalars(
            select(Post).where(Post.thread_id == opening.thread_id, Post.position == 2)
        )
    ).one()
    await reported(middle, "Calm.Sea", note="This is aimed at another member.")
    await log_in(client, moderator)
    page = await client.get(f"/review/p/{middle.id}")
    assert page.status_code == 200
    assert "Week two" in page.text
    assert "Before the storm." in page.text  # the post before, as an excerpt
    assert "Update number 3." in page.text  # and the one after
    assert "Update number 2." in page.text  # the post itself, in full
    assert "Calm.Sea" in page.text and "This is aimed at another member." in page.text
    assert "Unkind or abusive" in page.text
    assert f'href="/review/members/{user.handle}"' in page.text
    assert f'href="/p/{middle.id}/edit"' in page.text
    assert f'action="/review/p/{middle.id}/hide"' in page.text
    # Moderators read a hidden post's words on this page.
    middle.state, middle.state_reason = "hidden", "Cooling off."
    await session.flush()
    hidden = await client.get(f"/review/p/{middle.id}")
    assert "Update number 2." in hidden.text and "Cooling off." in hidden.text


# Verdicts and their undo


async def test_hiding_resolves_the_item_tells_reporters_and_undo_puts_it_back(
    client, session, user, moderator, log_in, make_board, make_thread, reported
):
    post = await make_thread(await make_board(), user, title="Rough night", body=WORDS)
    reporters = await reported(post, "Calm.Sea", "Tall.Pine")
    await log_in(client, moderator)
    done = await act(client, post.id, "hide", "Aimed at another member; please keep it kind.")
    assert done.status_code == 303
    await session.refresh(post)
    assert post.state == "hidden"
    assert post.state_reason == "Aimed at another member; please keep it kind."
    [item] = await items_of(session, post.id)
    assert not item.is_open and item.resolution == "hide"
    assert item.resolved_by_name == moderator.handle and item.resolved_at is not None
    assert item.resolution_note == "Aimed at another member; please keep it kind."
    assert await audit_actions(session, post.id) == ["post.hide", "queue.resolve"]
    for reporter in reporters:
        [notice] = await notices_of(session, reporter)
        assert notice.message == (
            "Thanks for your report about a post in “Rough night”. "
            "A moderator reviewed it and hid it."
        )
        assert notice.link == f"/p/{post.id}"
    banner = await client.get(done.headers["location"])
    assert "Hidden: members see your reason in its place." in banner.text
    assert "Reporters were told it was reviewed and hid it." in banner.text
    assert "/undo/hide" in banner.text

    undone = await undo(client, done)
    assert undone.status_code == 303
    await session.refresh(post)
    assert post.state == "visible"
    [item] = await items_of(session, post.id)
    assert item.is_open and item.resolution == "" and item.resolved_by_name == ""
    assert (await audit_actions(session, post.id))[-2:] == ["queue.reopen", "post.unhide"]
    after = await client.get(undone.headers["location"])
    assert "Hiding undone" in after.text


async def test_dismissing_shows_a_post_hidden_by_reports_and_undo_hides_it_again(
    client, session, user, moderator, log_in, make_board, make_thread, reported
):
    post = await make_thread(await make_board(), user, title="My week", body="A hard week.")
    reporters = await reported(post, "Calm.Sea", "Tall.Pine", "Soft.Rain")
    await session.refresh(post)
    assert post.state == "hidden" and post.state_reason == HIDDEN_BY_REPORTS
    await log_in(client, moderator)
    done = await act(client, post.id, "dismiss", "Honest, not unkind.")
    assert done.status_code == 303
    await session.refresh(post)
    assert post.state == "visible"
    [item] = await items_of(session, post.id)
    assert item.resolution == "dismiss" and not item.is_open
    [notice] = await notices_of(session, reporters[0])
    assert notice.message.endswith("A moderator reviewed it and decided it can stay.")

    assert (await undo(client, done)).status_code == 303
    await session.refresh(post)
    assert post.state == "hidden" and post.state_reason == HIDDEN_BY_REPORTS
    [item] = await items_of(session, post.id)
    assert item.is_open


async def test_approving_a_held_post_publishes_it_and_undo_holds_it_again(
    client, session, newcomer, moderator, log_in, make_board, make_thread
):
    board = await make_board("introductions", approve_first_posts=2)
    post = await make_thread(board, newcomer, title="Hello", body="My first words here.")
    assert post.state == "pending"
    await log_in(client, moderator)
    done = await act(client, post.id, "approve")
    assert done.status_code == 303
    await session.refresh(post)
    assert post.state == "visible"
    await session.refresh(newcomer)
    assert newcomer.post_count == 1
    [item] = await items_of(session, post.id)
    assert item.resolution == "approve" and not item.is_open
    [notice] = await notices_of(session, newcomer)
    assert notice.message == "Your post in “Hello” is now up."
    assert "post.approve" in await audit_actions(session, post.id)
    banner = await client.get(done.headers["location"])
    assert "Approved: the post is up" in banner.text
    assert "Reporters were told" not in banner.text  # a held post has no reporters

    assert (await undo(client, done)).status_code == 303
    await session.refresh(post)
    await session.refresh(newcomer)
    assert post.state == "pending" and newcomer.post_count == 0
    [item] = await items_of(session, post.id)
    assert item.is_open and item.is_held
    assert (await audit_actions(session, post.id))[-2:] == ["queue.reopen", "post.unapprove"]


async def test_unhiding_shows_the_post_and_undo_hides_it_with_the_earlier_reason(
    client, session, user, moderator, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body=WORDS)
    await log_in(client, moderator)
    await act(client, post.id, "hide", "Too raw for the board.")
    done = await act(client, post.id, "unhide", "On reflection, it can stay.")
    await session.refresh(post)
    assert post.state == "visible" and post.state_reason == ""
    assert (await undo(client, done)).status_code == 303
    await session.refresh(post)
    assert post.state == "hidden" and post.state_reason == "Too raw for the board."


async def test_deleting_removes_the_post_for_reporters_and_undo_restores_it(
    client, session, user, moderator, log_in, make_board, make_thread, reported
):
    post = await make_thread(await make_board(), user, title="Spam here", body="Buy now.")
    [reporter] = await reported(post, "Calm.Sea", reason="spam")
    await log_in(client, moderator)
    done = await act(client, post.id, "delete", "Advertising.")
    await session.refresh(post)
    assert post.state == "deleted"
    [notice] = await notices_of(session, reporter)
    assert notice.message.endswith("A moderator reviewed it and removed it.")
    assert notice.link == f"/t/{post.thread_id}"
    client.cookies.clear()
    assert "Buy now." not in (await client.get(f"/t/{post.thread_id}")).text
    await log_in(client, moderator)
    assert (await undo(client, done)).status_code == 303
    await session.refresh(post)
    assert post.state == "visible"
    [item] = await items_of(session, post.id)
    assert item.is_open


async def test_restoring_a_deleted_post_and_undoing_it_deletes_it_again(
    client, session, user, moderator, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body=WORDS)
    await log_in(client, moderator)
    await act(client, post.id, "delete", "Posted twice by mistake.")
    done = await act(client, post.id, "restore", "It was the only copy.")
    await session.refresh(post)
    assert post.state == "visible"
    assert (await undo(client, done)).status_code == 303
    await session.refresh(post)
    assert post.state == "deleted"
    assert (await audit_actions(session, post.id))[-1] == "post.delete"


async def test_a_deleted_held_post_is_restored_to_the_queue_not_published(
    client, session, newcomer, moderator, log_in, make_board, make_thread
):
    board = await make_board("introductions", approve_first_posts=2)
    post = await make_thread(board, newcomer, title="Hello", body="Looking for help.")
    await log_in(client, moderator)
    await act(client, post.id, "delete", "Looks like spam.")
    await act(client, post.id, "restore", "It wasn't spam after all.")
    await session.refresh(post)
    await session.refresh(newcomer)
    assert post.state == "pending" and newcomer.post_count == 0
    items = await items_of(session, post.id)
    assert [i.is_open for i in items] == [False, True] and items[1].is_held


async def test_warning_the_author_tells_them_privately_and_reporters_only_that_action_was_taken(
    client, session, user, moderator, log_in, make_board, make_thread, reported
):
    post = await make_thread(await make_board(), user, title="Heated", body=WORDS)
    [reporter] = await reported(post, "Calm.Sea")
    await log_in(client, moderator)
    done = await act(client, post.id, "warn", "Please speak to members kindly.")
    assert done.status_code == 303
    sanction = (await session.scalars(select(Sanction).where(Sanction.member_id == user.id))).one()
    assert sanction.kind == "warn" and sanction.post_id == post.id
    [to_author] = await notices_of(session, user)
    assert "a warning" in to_author.message and "speak to members kindly" in to_author.message
    [to_reporter] = await notices_of(session, reporter)
    assert to_reporter.message.endswith("A moderator reviewed it and took action.")
    assert "warning" not in to_reporter.message
    [item] = await items_of(session, post.id)
    assert item.resolution == "warn"
    assert "queue.resolve" in await audit_actions(session, post.id)

    assert (await undo(client, done)).status_code == 303
    await session.refresh(sanction)
    assert sanction.lifted_at is not None and sanction.lifted_by_name == moderator.handle


async def test_silencing_lasts_three_days_unless_told_and_undo_lifts_it(
    client, session, user, moderator, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body=WORDS)
    await log_in(client, moderator)
    done = await act(client, post.id, "silence", "A few days to cool off.")
    await session.refresh(user)
    assert user.silenced_until is not None
    days = (user.silenced_until - post.created_at).days
    assert 2 <= days <= 3
    assert (await undo(client, done)).status_code == 303
    await session.refresh(user)
    assert user.silenced_until is None


async def test_suspending_ends_the_authors_sessions_and_undo_lifts_it(
    client, session, user, moderator, log_in, make_board, make_thread
):
    from forum.accounts.actions import start_session

    post = await make_thread(await make_board(), user, body=WORDS)
    await start_session(session, user, "their phone")
    await log_in(client, moderator)
    done = await act(client, post.id, "suspend", "Threats against a member.", days="14")
    await session.refresh(user)
    assert user.suspended_until is not None
    assert 13 <= (user.suspended_until - post.created_at).days <= 14
    sessions = (
        await session.scalars(select(LoginSession).where(LoginSession.member_id == user.id))
    ).all()
    assert sessions == []
    assert (await undo(client, done)).status_code == 303
    await session.refresh(user)
    assert user.suspended_until is None


async def test_only_global_moderators_ban_and_a_ban_can_be_undone(
    client, session, user, moderator, make_member, log_in, make_board, make_thread
):
    board = await make_board()
    post = await make_thread(board, user, body=WORDS)
    keeper = await make_member("Board.Keeper")
    session.add(BoardModerator(member_id=keeper.id, board_id=board.id))
    await session.flush()
    await log_in(client, keeper)
    post_id = post.id
    page = await client.get(f"/review/p/{post_id}")
    assert "/ban" not in page.text and "/warn" in page.text
    refused = await act(client, post_id, "ban", "Not mine to ban.")
    assert refused.status_code == 403
    assert "Only global moderators ban members" in refused.text
    await session.refresh(moderator)  # the refusal rolled back and expired it
    await log_in(client, moderator)
    done = await act(client, post_id, "ban", "Repeated abuse after warnings.")
    await session.refresh(user)
    assert user.is_banned
    assert (await undo(client, done)).status_code == 303
    await session.refresh(user)
    assert not user.is_banned


async def test_a_missing_reason_comes_back_beside_its_field_with_the_days_kept(
    client, session, user, moderator, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body=WORDS)
    await log_in(client, moderator)
    response = await act(client, post.id, "silence", "   ", days="5")
    assert response.status_code == 422
    assert "Give a reason: the member reads it in their notice." in response.text
    assert 'id="silence-days"' in response.text and 'value="5"' in response.text
    bad_days = await act(client, post.id, "suspend", "Threats.", days="forever")
    assert bad_days.status_code == 422
    assert "Give the number of days as a whole number" in bad_days.text
    assert "Threats." in bad_days.text
    await session.refresh(user)
    assert user.silenced_until is None and user.suspended_until is None


async def test_actions_that_do_not_fit_the_post_are_refused_with_a_reason(
    client, user, moderator, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body=WORDS)
    await log_in(client, moderator)
    post_id = post.id
    approve = await act(client, post_id, "approve")
    assert approve.status_code == 403
    assert "Only a post waiting for approval can be approved." in approve.text
    dismiss = await act(client, post_id, "dismiss")
    assert dismiss.status_code == 403
    assert "no open reports" in dismiss.text
    assert (await act(client, post_id, "launch")).status_code == 404


async def test_undo_is_refused_when_new_reports_opened_another_item(
    client, session, user, moderator, log_in, make_board, make_thread, reported
):
    post = await make_thread(await make_board(), user, body=WORDS)
    await reported(post, "Calm.Sea")
    await log_in(client, moderator)
    done = await act(client, post.id, "dismiss", "Fine as it is.")
    await reported(post, "Tall.Pine")
    refused = await undo(client, done)
    assert refused.status_code == 409
    assert "Decide on the open item instead." in refused.text
    items = await items_of(session, post.id)
    assert [i.is_open for i in items] == [False, True]
