"""The moderation API: the same verbs and policies as the pages, answered in JSON."""

import pytest
from sqlalchemy import select
from support import csrf

from forum.accounts.actions import create_api_token
from forum.moderation.models import BoardModerator, QueueItem, Sanction
from forum.notifications.models import Notification
from forum.threads.models import Post

WORDS = "Nobody here cares about you."


@pytest.fixture
def bearer(session):
    async def headers(member):
        return {"Authorization": f"Bearer {await create_api_token(session, member.id, 'test')}"}

    return headers


async def test_a_report_answers_201_and_a_repeat_409(
    client, user, make_board, make_thread, established, bearer
):
    post = await make_thread(await make_board(), user, body=WORDS)
    auth = await bearer(await established("Calm.Sea"))
    created = await client.post(
        f"/api/v1/posts/{post.id}/reports",
        json={"reason": "unkind", "note": "Aimed at a newcomer."},
        headers=auth,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["report_count"] == 1 and body["post_hidden"] is False
    assert isinstance(body["item_id"], int)
    again = await client.post(
        f"/api/v1/posts/{post.id}/reports", json={"reason": "spam"}, headers=auth
    )
    assert again.status_code == 409
    assert again.json()["error"] == "already_reported"
    assert "already reported" in again.json()["message"]


async def test_the_third_counting_report_answers_that_the_post_is_hidden(
    client, user, make_board, make_thread, established, bearer
):
    post = await make_thread(await make_board(), user, body=WORDS)
    answers = []
    for handle in ("Calm.Sea", "Tall.Pine", "Soft.Rain"):
        response = await client.post(
            f"/api/v1/posts/{post.id}/reports",
            json={"reason": "unkind"},
            headers=await bearer(await established(handle)),
        )
        answers.append(response.json())
    assert [a["post_hidden"] for a in answers] == [False, False, True]
    assert answers[-1]["report_count"] == 3
    assert len({a["item_id"] for a in answers}) == 1


async def test_report_validation_names_the_field(
    client, user, make_board, make_thread, established, bearer
):
    post = await make_thread(await make_board(), user)
    auth = await bearer(await established("Calm.Sea"))
    response = await client.post(
        f"/api/v1/posts/{post.id}/reports",
        json={"reason": "boring", "note": "n" * 501},
        headers=auth,
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["reason"] == "Choose what is wrong with the post."
    assert fields["note"] == "Notes can be at most 500 characters; this one has 501."


async def test_reports_by_cookie_need_the_csrf_header(
    client, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user)
    await log_in(client, await established("Calm.Sea"))
    url = f"/api/v1/posts/{post.id}/reports"
    refused = await client.post(url, json={"reason": "spam"})
    assert refused.status_code == 403
    accepted = await client.post(
        url, json={"reason": "spam"}, headers={"X-CSRF-Token": csrf(client)}
    )
    assert accepted.status_code == 201


async def test_reporting_is_limited_per_hour_with_retry_after(
    client, user, make_board, make_thread, established, bearer, monkeypatch
):
    from forum.config import settings

    monkeypatch.setattr(settings, "reports_per_hour", 1)
    board = await make_board()
    first = await make_thread(board, user, title="One")
    second = await make_thread(board, user, title="Two")
    auth = await bearer(await established("Calm.Sea"))
    ok = await client.post(
        f"/api/v1/posts/{first.id}/reports", json={"reason": "spam"}, headers=auth
    )
    assert ok.status_code == 201
    limited = await client.post(
        f"/api/v1/posts/{second.id}/reports", json={"reason": "spam"}, headers=auth
    )
    assert limited.status_code == 429
    assert limited.json()["error"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0


async def test_the_queue_lists_items_with_reasons_for_moderators_only(
    client, session, user, moderator, make_member, make_board, make_thread, established, bearer
):
    story, other = await make_board("my-story"), await make_board("co-parenting")
    post = await make_thread(story, user, title="Story", body=WORDS)
    elsewhere = await make_thread(other, user, title="Elsewhere", body=WORDS)
    # A refused request rolls back and expires loaded rows: keep the ids.
    post_id, elsewhere_id, other_id = post.id, elsewhere.id, other.id
    for handle, reason in (
        ("Calm.Sea", "unkind"),
        ("Tall.Pine", "unkind"),
        ("Soft.Rain", "at_risk"),
    ):
        await client.post(
            f"/api/v1/posts/{post.id}/reports",
            json={"reason": reason},
            headers=await bearer(await established(handle)),
        )
    await client.post(
        f"/api/v1/posts/{elsewhere.id}/reports",
        json={"reason": "spam"},
        headers=await bearer(await established("Late.Comer")),
    )
    as_moderator = await bearer(moderator)
    refused = await client.get("/api/v1/review", headers=await bearer(user))
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"

    queue = (await client.get("/api/v1/review", headers=as_moderator)).json()
    assert queue["counts"] == {"reported": 2, "held": 0, "at_risk": 1}
    first = queue["items"][0]
    assert first["post_id"] == post_id and first["at_risk"] is True
    assert {(r["reason"], r["count"]) for r in first["reasons"]} == {("unkind", 2), ("at_risk", 1)}
    assert first["url"] == f"/review/p/{post_id}"

    keeper = await make_member("Board.Keeper")
    session.add(BoardModerator(member_id=keeper.id, board_id=other_id))
    await session.flush()
    theirs = (await client.get("/api/v1/review", headers=await bearer(keeper))).json()
    assert [i["post_id"] for i in theirs["items"]] == [elsewhere_id]
    filtered = await client.get("/api/v1/review?show=held&board=my-story", headers=as_moderator)
    assert filtered.json()["items"] == []
    wrong = await client.get("/api/v1/review?show=everything", headers=as_moderator)
    assert wrong.status_code == 422 and "show" in wrong.json()["fields"]


async def test_one_item_with_its_reports_then_an_action_and_its_undo(
    client, session, user, moderator, make_board, make_thread, established, bearer
):
    post = await make_thread(await make_board(), user, title="Tonight", body=WORDS)
    reporter = await established("Calm.Sea")
    await client.post(
        f"/api/v1/posts/{post.id}/reports",
        json={"reason": "unkind", "note": "Cruel."},
        headers=await bearer(reporter),
    )
    auth = await bearer(moderator)
    detail = (await client.get(f"/api/v1/review/posts/{post.id}", headers=auth)).json()
    assert detail["post"]["source"] == WORDS and detail["post"]["state"] == "visible"
    assert detail["reports"] == [
        {
            "reporter": "Calm.Sea",
            "reason": "unkind",
            "label": "Unkind or abusive",
            "note": "Cruel.",
            "counts_for_hiding": True,
            "created_at": detail["reports"][0]["created_at"],
        }
    ]
    assert detail["author"]["handle"] == user.handle
    assert "hide" in detail["actions"] and "approve" not in detail["actions"]

    done = await client.post(
        f"/api/v1/review/posts/{post.id}/actions",
        json={"action": "hide", "reason": "Cruel to another member."},
        headers=auth,
    )
    assert done.status_code == 200
    result = done.json()
    assert result["post_state"] == "hidden" and result["reporters_told"] == 1
    assert result["item_id"] == detail["item"]["id"]
    notice = (
        await session.scalars(select(Notification).where(Notification.member_id == reporter.id))
    ).one()
    assert notice.message.endswith("reviewed it and hid it.")

    undone = await client.post(
        f"/api/v1/review/posts/{post.id}/undo",
        json={"action": "hide", "item_id": result["item_id"]},
        headers=auth,
    )
    assert undone.status_code == 200
    assert undone.json()["post_state"] == "visible"
    item = await session.get_one(QueueItem, result["item_id"])
    await session.refresh(item)
    assert item.is_open


async def test_a_sanction_through_the_api_is_lifted_by_its_undo(
    client, session, user, moderator, make_board, make_thread, bearer
):
    post = await make_thread(await make_board(), user, body=WORDS)
    auth = await bearer(moderator)
    done = await client.post(
        f"/api/v1/review/posts/{post.id}/actions",
        json={"action": "silence", "reason": "Time to cool off.", "days": 2},
        headers=auth,
    )
    sanction_id = done.json()["sanction_id"]
    sanction = await session.get_one(Sanction, sanction_id)
    assert sanction.kind == "silence"
    undone = await client.post(
        f"/api/v1/review/posts/{post.id}/undo",
        json={"action": "silence", "sanction_id": sanction_id},
        headers=auth,
    )
    assert undone.status_code == 200
    await session.refresh(sanction)
    assert sanction.lifted_at is not None
    twice = await client.post(
        f"/api/v1/review/posts/{post.id}/undo",
        json={"action": "silence", "sanction_id": sanction_id},
        headers=auth,
    )
    assert twice.status_code == 409 and twice.json()["error"] == "undo_refused"


async def test_action_errors_name_the_field_or_say_why(
    client, session, user, moderator, make_board, make_thread, bearer
):
    post = await make_thread(await make_board(), user, body=WORDS)
    auth, as_author = await bearer(moderator), await bearer(user)
    url = f"/api/v1/review/posts/{post.id}/actions"
    missing = await client.post(url, json={"action": "hide"}, headers=auth)
    assert missing.status_code == 422
    assert missing.json()["fields"]["reason"].startswith("Give a reason")
    unknown = await client.post(url, json={"action": "vanish", "reason": "x"}, headers=auth)
    assert unknown.status_code == 422 and "action" in unknown.json()["fields"]
    days = await client.post(
        url, json={"action": "suspend", "reason": "x", "days": 9999}, headers=auth
    )
    assert days.status_code == 422 and "days" in days.json()["fields"]
    approve = await client.post(url, json={"action": "approve"}, headers=auth)
    assert approve.status_code == 403
    assert approve.json()["message"] == "Only a post waiting for approval can be approved."
    await session.refresh(post)
    assert post.state == "visible"
    member = await client.post(url, json={"action": "hide", "reason": "x"}, headers=as_author)
    assert member.status_code == 403
    missing_post = await client.get("/api/v1/review/posts/999999", headers=auth)
    assert missing_post.status_code == 404


async def test_approving_a_held_post_through_the_api(
    client, session, newcomer, moderator, make_board, make_thread, bearer
):
    board = await make_board("introductions", approve_first_posts=2)
    post = await make_thread(board, newcomer, title="Hello", body="My first words.")
    auth = await bearer(moderator)
    queue = (await client.get("/api/v1/review?show=held", headers=auth)).json()
    assert [i["post_id"] for i in queue["items"]] == [post.id]
    assert queue["items"][0]["held_because"]
    done = await client.post(
        f"/api/v1/review/posts/{post.id}/actions", json={"action": "approve"}, headers=auth
    )
    assert done.json()["post_state"] == "visible"
    await session.refresh(post)
    assert post.state == "visible"
    visible = await client.get(f"/api/v1/posts/{post.id}")
    assert visible.status_code == 200


async def test_notices_list_and_mark_read(client, session, user, bearer):
    from forum.notifications.actions import notify

    await notify(session, user.id, "First notice.", "/p/1")
    await notify(session, user.id, "Second notice.")
    await session.flush()
    auth = await bearer(user)
    page = (await client.get("/api/v1/notifications", headers=auth)).json()
    assert {n["message"] for n in page["notices"]} == {"First notice.", "Second notice."}
    assert all(not n["read"] for n in page["notices"])
    assert page["pages"] == 1
    read = await client.post("/api/v1/notifications/read", headers=auth)
    assert read.json() == {"unread": 0}
    page = (await client.get("/api/v1/notifications", headers=auth)).json()
    assert all(n["read"] for n in page["notices"])
    guest = await client.get("/api/v1/notifications")
    assert guest.status_code == 401


async def test_a_hidden_post_cannot_be_reported_again(
    client, session, user, make_board, make_thread, established, bearer
):
    post = await make_thread(await make_board(), user)
    (await session.get_one(Post, post.id)).state = "hidden"
    await session.flush()
    response = await client.post(
        f"/api/v1/posts/{post.id}/reports",
        json={"reason": "spam"},
        headers=await bearer(await established("Calm.Sea")),
    )
    assert response.status_code == 403
    assert "already with the moderators" in response.json()["message"]
