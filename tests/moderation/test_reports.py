"""Members report posts: reports gather on one queue item, and enough of them hide the post."""

from datetime import timedelta

from sqlalchemy import select
from support import csrf

from forum.config import settings
from forum.core.time import utcnow
from forum.moderation.models import AuditEntry, QueueItem, Report
from forum.moderation.queue import AT_RISK_PRIORITY
from forum.threads.models import Post

WORDS = "My spouse said cruel things again tonight."


async def send_report(client, post_id, reason="unkind", note=""):
    return await client.post(
        f"/p/{post_id}/report", data={"reason": reason, "note": note, "csrf_token": csrf(client)}
    )


async def items_for(session, post_id):
    return (await session.scalars(select(QueueItem).where(QueueItem.post_id == post_id))).all()


async def test_reports_from_several_members_gather_in_one_queue_item(
    client, session, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user, body=WORDS)
    for handle, reason in (("Calm.Sea", "unkind"), ("Tall.Pine", "unkind"), ("Soft.Rain", "spam")):
        await log_in(client, await established(handle))
        response = await send_report(client, post.id, reason)
        assert response.status_code == 303
        assert response.headers["location"] == f"/p/{post.id}/reported"
    [item] = await items_for(session, post.id)
    await session.refresh(item)
    assert item.is_open and item.report_count == 3
    reasons = sorted(
        (await session.scalars(select(Report.reason).where(Report.item_id == item.id))).all()
    )
    assert reasons == ["spam", "unkind", "unkind"]


async def test_an_at_risk_report_puts_its_item_first_in_the_queue(
    client, session, user, moderator, log_in, make_board, make_thread, established
):
    board = await make_board()
    older = await make_thread(board, user, title="Older worry", body="Spam spam spam.")
    newer = await make_thread(board, user, title="A frightening night", body="I can't go on.")
    await log_in(client, await established("Calm.Sea"))
    await send_report(client, older.id, "spam")
    await send_report(client, newer.id, "at_risk", "They sound in danger.")
    [item] = await items_for(session, newer.id)
    assert item.priority == AT_RISK_PRIORITY
    await log_in(client, moderator)
    page = await client.get("/review")
    assert page.text.index("A frightening night") < page.text.index("Older worry")
    assert "Someone may be at risk" in page.text
    item_page = await client.get(f"/review/p/{newer.id}")
    assert '<span class="tag urgent">Someone may be at risk</span>' in item_page.text


async def test_reporting_the_same_post_again_is_refused_and_counted_once(
    client, session, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user, body=WORDS)
    await log_in(client, await established("Calm.Sea"))
    assert (await send_report(client, post.id)).status_code == 303
    again = await send_report(client, post.id, "spam", "Really, please look.")
    assert again.status_code == 409
    assert "You have already reported this post" in again.text
    form = await client.get(f"/p/{post.id}/report")
    assert "You have already reported this post" in form.text
    [item] = await items_for(session, post.id)
    await session.refresh(item)
    assert item.report_count == 1
    count = (await session.scalars(select(Report.id).where(Report.post_id == post.id))).all()
    assert len(count) == 1


async def test_new_members_reports_do_not_count_toward_hiding(
    client, session, user, log_in, make_board, make_thread, make_member
):
    post = await make_thread(await make_board(), user, body=WORDS)
    for handle in ("New.One", "New.Two", "New.Three"):
        await log_in(client, await make_member(handle, joined_days_ago=1))
        assert (await send_report(client, post.id)).status_code == 303
    await session.refresh(post)
    assert post.state == "visible"
    [item] = await items_for(session, post.id)
    await session.refresh(item)
    assert item.report_count == 3
    counted = (
        await session.scalars(select(Report.counts_for_hiding).where(Report.item_id == item.id))
    ).all()
    assert counted == [False, False, False]


async def test_three_established_members_hide_the_post_and_a_guest_reads_the_reason(
    client, session, app, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user, title="Tonight", body=WORDS)
    for handle in ("Calm.Sea", "Tall.Pine", "Soft.Rain"):
        await log_in(client, await established(handle))
        await send_report(client, post.id)
    await session.refresh(post)
    assert post.state == "hidden"
    audit = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "post.hide"))
    ).one()
    assert audit.actor_name == "system" and audit.target_id == post.id
    client.cookies.clear()
    page = await client.get(f"/t/{post.thread_id}")
    assert "Hidden after reports from several members" in page.text
    assert WORDS not in page.text
    # The fourth member finds it with the moderators already.
    await log_in(client, await established("Late.Comer"))
    late = await client.get(f"/p/{post.id}/report")
    assert late.status_code == 403
    assert "already with the moderators" in late.text


async def test_reports_over_the_hourly_limit_are_refused_with_the_note_kept(
    client, session, user, log_in, make_board, make_thread, established, monkeypatch
):
    monkeypatch.setattr(settings, "reports_per_hour", 1)
    board = await make_board()
    first = await make_thread(board, user, title="One", body="First post here.")
    second = await make_thread(board, user, title="Two", body="Second post here.")
    reporter = await established("Calm.Sea")
    await log_in(client, reporter)
    assert (await send_report(client, first.id)).status_code == 303
    note = "This reads like a threat to their children."
    refused = await send_report(client, second.id, "at_risk", note)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert note in refused.text
    assert "many reports in the last hour" in refused.text
    assert await items_for(session, second.id) == []
    # A repeat report is refused before the limit is counted.
    assert (await send_report(client, first.id)).status_code == 409


async def test_a_note_over_500_characters_comes_back_with_the_words_kept(
    client, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user)
    await log_in(client, await established("Calm.Sea"))
    note = "They keep posting my address. " * 20
    response = await send_report(client, post.id, "unkind", note)
    assert response.status_code == 422
    assert note.strip() in response.text
    assert "Notes can be at most 500 characters; this one has" in response.text
    assert 'value="unkind" checked' in response.text


async def test_a_report_without_a_reason_asks_for_one(
    client, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user)
    await log_in(client, await established("Calm.Sea"))
    response = await send_report(client, post.id, "", "Something is off.")
    assert response.status_code == 422
    assert "Choose what is wrong with the post." in response.text
    assert "Something is off." in response.text


async def test_the_form_offers_someone_may_be_at_risk_first(
    client, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user)
    await log_in(client, await established("Calm.Sea"))
    page = await client.get(f"/p/{post.id}/report")
    assert page.status_code == 200
    reasons = ["Someone may be at risk", "Unkind or abusive", "Spam", "Off-topic"]
    positions = [page.text.index(label) for label in reasons]
    assert positions == sorted(positions)


async def test_guests_are_sent_to_log_in_and_authors_cannot_report_themselves(
    client, user, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user)
    guest = await client.get(f"/p/{post.id}/report")
    assert guest.status_code == 303
    assert guest.headers["location"].startswith("/login")
    await log_in(client, user)
    own = await client.get(f"/p/{post.id}/report")
    assert own.status_code == 403
    assert "your own post" in own.text


async def test_a_silenced_member_cannot_report(
    client, session, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user)
    reporter = await established("Calm.Sea")
    reporter.silenced_until = utcnow() + timedelta(days=2)
    await session.flush()
    await log_in(client, reporter)
    response = await send_report(client, post.id)
    assert response.status_code == 403
    assert "silenced" in response.text


async def test_confirmation_tells_an_at_risk_reporter_to_call_emergency_services(
    client, user, log_in, make_board, make_thread, established
):
    board = await make_board()
    worrying = await make_thread(board, user, title="Worry", body="I want it all to stop.")
    rude = await make_thread(board, user, title="Rude", body="You are all fools.")
    await log_in(client, await established("Calm.Sea"))
    await send_report(client, worrying.id, "at_risk")
    page = await client.get(f"/p/{worrying.id}/reported")
    assert "contact your local emergency services" in page.text
    assert "notices" in page.text and f'href="/p/{worrying.id}"' in page.text
    await send_report(client, rude.id, "unkind")
    plain = await client.get(f"/p/{rude.id}/reported")
    assert "Moderators will look at the post" in plain.text
    assert "immediate danger" not in plain.text


async def test_a_post_the_member_cannot_see_cannot_be_reported(
    client, session, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user)
    hidden = await session.get_one(Post, post.id)
    hidden.state = "deleted"
    await session.flush()
    await log_in(client, await established("Calm.Sea"))
    assert (await client.get(f"/p/{post.id}/report")).status_code == 404
    assert (await client.get("/p/999999/report")).status_code == 404
