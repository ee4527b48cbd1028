"""The admin API: the pages' member administration, audit log and settings, as JSON."""

import pytest
from sqlalchemy import select
from support import csrf

from forum.accounts.actions import create_api_token
from forum.accounts.models import Member, Role
from forum.auth.viewer import Viewer
from forum.moderation.audit import record
from forum.moderation.models import AuditEntry, BoardModerator, QueueItem, WatchedWordRow
from forum.threads.models import State


@pytest.fixture
def bearer(session):
    async def headers(member: Member) -> dict[str, str]:
        """Authorization for the member through a personal API token."""
        await session.refresh(member)  # a refused request rolls back and expires loaded rows
        return {"Authorization": f"Bearer {await create_api_token(session, member.id, 'api')}"}

    return headers


async def test_member_moderation_shows_role_state_sanctions_and_boards(
    client, session, user, moderator, bearer, make_board
):
    board = await make_board("my-story")
    session.add(BoardModerator(member_id=user.id, board_id=board.id))
    await session.flush()
    auth = await bearer(moderator)
    given = await client.post(
        "/api/v1/members/Harbor_Light/sanctions",
        json={"kind": "silence", "days": 3, "reason": "Heated"},
        headers=auth,
    )
    assert given.status_code == 201
    assert given.json()["kind"] == "silence" and given.json()["ends_at"] is not None
    state = await client.get("/api/v1/members/harbor_light/moderation", headers=auth)
    assert state.status_code == 200
    data = state.json()
    assert data["handle"] == "Harbor_Light" and data["role"] == "member"
    assert data["boards"] == ["my-story"]
    assert data["silenced_until"] is not None and data["is_banned"] is False
    assert [s["reason"] for s in data["sanctions"]] == ["Heated"]
    assert "email" not in data


async def test_members_and_guests_are_refused_and_unknown_members_not_found(
    client, user, moderator, bearer
):
    mine = await client.get("/api/v1/members/SteadyOak/moderation", headers=await bearer(user))
    assert mine.status_code == 403
    assert mine.json() == {
        "error": "forbidden",
        "message": "Only moderators can see member administration.",
    }
    guest = await client.get("/api/v1/members/Harbor_Light/moderation")
    assert guest.status_code == 401
    missing = await client.get(
        "/api/v1/members/nobody-at-all/moderation", headers=await bearer(moderator)
    )
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


async def test_role_changes_follow_the_policies_and_name_the_field_at_fault(
    client, session, user, moderator, admin, bearer
):
    auth = await bearer(moderator)
    senior = await client.put(
        "/api/v1/members/Harbor_Light/role", json={"role": "senior", "reason": "Kind"}, headers=auth
    )
    assert senior.status_code == 200 and senior.json()["role"] == "senior"
    higher = await client.put(
        "/api/v1/members/Harbor_Light/role", json={"role": "moderator", "reason": "x"}, headers=auth
    )
    assert higher.status_code == 403
    assert "only administrators give other roles" in higher.json()["message"]
    bad = await client.put(
        "/api/v1/members/Harbor_Light/role", json={"role": "queen", "reason": ""}, headers=auth
    )
    assert bad.status_code == 422
    assert bad.json()["fields"]["role"] == "Choose member, senior, moderator or admin."
    assert bad.json()["fields"]["reason"].startswith("Give a reason")
    own = await client.put(
        "/api/v1/members/Willow.Creek/role",
        json={"role": "member", "reason": "x"},
        headers=await bearer(admin),
    )
    assert own.status_code == 403


async def test_administrators_set_board_moderators_by_slug(
    client, session, user, moderator, admin, bearer, make_board
):
    await make_board("my-story")
    await make_board("co-parenting")
    auth = await bearer(admin)
    saved = await client.put(
        "/api/v1/members/Harbor_Light/boards",
        json={"boards": ["co-parenting", "my-story"], "reason": "Two boards"},
        headers=auth,
    )
    assert saved.status_code == 200
    assert sorted(saved.json()["boards"]) == ["co-parenting", "my-story"]
    unknown = await client.put(
        "/api/v1/members/Harbor_Light/boards",
        json={"boards": ["gone"], "reason": "x"},
        headers=auth,
    )
    assert unknown.status_code == 422
    assert unknown.json()["fields"] == {"boards": "No board has the address “gone”."}
    refused = await client.put(
        "/api/v1/members/Harbor_Light/boards",
        json={"boards": [], "reason": "x"},
        headers=await bearer(moderator),
    )
    assert refused.status_code == 403


async def test_a_silence_refuses_api_replies_until_it_is_lifted(
    client, session, user, moderator, bearer, make_board, make_thread
):
    opening = await make_thread(await make_board("my-story"), moderator, title="Talk")
    thread_id = opening.thread_id
    keeper, member = await bearer(moderator), await bearer(user)
    sanction = await client.post(
        "/api/v1/members/Harbor_Light/sanctions",
        json={"kind": "silence", "reason": "Take a breath"},
        headers=keeper,
    )
    assert sanction.status_code == 201 and sanction.json()["ends_at"] is None
    reply = {"body": "Still here"}
    assert (
        await client.post(f"/api/v1/threads/{thread_id}/posts", json=reply, headers=member)
    ).status_code == 403
    lifted = await client.post(
        f"/api/v1/sanctions/{sanction.json()['id']}/lift",
        json={"reason": "Talked"},
        headers=keeper,
    )
    assert lifted.status_code == 200 and lifted.json()["lifted_by_name"] == "Quiet.Keeper"
    twice = await client.post(
        f"/api/v1/sanctions/{sanction.json()['id']}/lift", json={"reason": "Again"}, headers=keeper
    )
    assert twice.status_code == 200
    lifts = await session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member.lift_silence")
    )
    assert len(lifts.all()) == 1
    assert (
        await client.post(f"/api/v1/threads/{thread_id}/posts", json=reply, headers=member)
    ).status_code == 201
    missing = await client.post(
        "/api/v1/sanctions/999999/lift", json={"reason": "x"}, headers=keeper
    )
    assert missing.status_code == 404


async def test_sanction_input_errors_name_their_fields(client, user, moderator, bearer):
    auth = await bearer(moderator)
    response = await client.post(
        "/api/v1/members/Harbor_Light/sanctions",
        json={"kind": "exile", "days": 0, "reason": "x" * 501},
        headers=auth,
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert fields["kind"] == "Choose a warning, a silence, a suspension or a ban."
    assert fields["days"].startswith("Days must be between 1 and 3650")
    assert fields["reason"] == "Reasons can be at most 500 characters; this one has 501."


async def test_board_moderators_use_the_api_within_their_boards(
    client, session, user, make_board, make_member, bearer
):
    story = await make_board("my-story")
    keeper = await make_member("Board.Keeper")
    session.add(BoardModerator(member_id=keeper.id, board_id=story.id))
    await session.flush()
    auth = await bearer(keeper)
    no_board = await client.post(
        "/api/v1/members/Harbor_Light/sanctions",
        json={"kind": "warn", "reason": "Tone"},
        headers=auth,
    )
    assert no_board.status_code == 403
    assert "Choose one of the boards you moderate" in no_board.json()["message"]
    warned = await client.post(
        "/api/v1/members/Harbor_Light/sanctions",
        json={"kind": "warn", "reason": "Tone", "board": "my-story"},
        headers=auth,
    )
    assert warned.status_code == 201
    banned = await client.post(
        "/api/v1/members/Harbor_Light/sanctions",
        json={"kind": "ban", "reason": "Too far", "board": "my-story"},
        headers=auth,
    )
    assert banned.status_code == 403
    assert banned.json()["message"].startswith("Only moderators can suspend or ban members")
    peer = await client.post(
        "/api/v1/members/Board.Keeper/sanctions",
        json={"kind": "warn", "reason": "Me?", "board": "my-story"},
        headers=auth,
    )
    assert peer.json()["message"] == "You can't sanction yourself."


async def test_audit_api_filters_and_pages_and_narrows_board_moderators(
    client, session, moderator, make_board, make_member, bearer
):
    story = await make_board("my-story")
    parenting = await make_board("co-parenting")
    parenting_id = parenting.id
    actor = Viewer.of(moderator)
    for number in range(55):
        await record(
            session,
            actor,
            "post.hide",
            target_kind="post",
            target_id=number,
            board_id=story.id,
            reason=f"Story {number}",
        )
    await record(
        session,
        actor,
        "post.delete",
        target_kind="post",
        target_id=1,
        board_id=parenting.id,
        reason="Parenting",
    )
    await session.flush()
    auth = await bearer(moderator)
    first = (await client.get("/api/v1/audit", headers=auth)).json()
    assert len(first["entries"]) == 50 and first["entries"][0]["reason"] == "Parenting"
    assert first["entries"][1]["board"] == "my-story"
    second = (
        await client.get("/api/v1/audit", params={"before": first["next_before"]}, headers=auth)
    ).json()
    assert [e["reason"] for e in second["entries"]] == [f"Story {n}" for n in range(5, -1, -1)]
    assert second["next_before"] is None
    filtered = (
        await client.get("/api/v1/audit", params={"action": "post.delete"}, headers=auth)
    ).json()
    assert [e["reason"] for e in filtered["entries"]] == ["Parenting"]
    bad = await client.get("/api/v1/audit", params={"from": "soon"}, headers=auth)
    assert bad.status_code == 422 and "from" in bad.json()["fields"]
    unknown = await client.get("/api/v1/audit", params={"board": "gone"}, headers=auth)
    assert unknown.status_code == 422 and "board" in unknown.json()["fields"]

    keeper = await make_member("Board.Keeper")
    session.add(BoardModerator(member_id=keeper.id, board_id=parenting_id))
    await session.flush()
    theirs = (await client.get("/api/v1/audit", headers=await bearer(keeper))).json()
    assert [e["reason"] for e in theirs["entries"]] == ["Parenting"]


async def test_watched_words_through_the_api_and_their_effect_on_api_posts(
    client, session, user, admin, moderator, bearer, make_board, make_thread
):
    opening = await make_thread(await make_board("my-story"), admin, title="Talk")
    thread_id = opening.thread_id
    auth = await bearer(admin)
    assert (
        await client.get("/api/v1/watched-words", headers=await bearer(moderator))
    ).status_code == 403
    for phrase, action in (("buy pills", "block"), ("my number", "hold"), ("lawyer", "flag")):
        added = await client.post(
            "/api/v1/watched-words", json={"phrase": phrase, "action": action}, headers=auth
        )
        assert added.status_code == 201 and added.json()["created_by_name"] == "Willow.Creek"
    duplicate = await client.post(
        "/api/v1/watched-words", json={"phrase": "LAWYER", "action": "block"}, headers=auth
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["fields"]["phrase"].startswith("The list already has that phrase")
    listed = (await client.get("/api/v1/watched-words", headers=auth)).json()
    assert [w["phrase"] for w in listed] == ["buy pills", "lawyer", "my number"]

    member = await bearer(user)
    url = f"/api/v1/threads/{thread_id}/posts"
    blocked = await client.post(url, json={"body": "Buy pills here"}, headers=member)
    assert blocked.status_code == 422 and 'contains "buy pills"' in blocked.json()["fields"]["body"]
    held = await client.post(url, json={"body": "Here is my number"}, headers=member)
    assert held.status_code == 201 and held.json()["state"] == "pending"
    flagged = await client.post(url, json={"body": "The lawyer called"}, headers=member)
    assert flagged.status_code == 201 and flagged.json()["state"] == "visible"
    item = (
        await session.scalars(select(QueueItem).where(QueueItem.post_id == flagged.json()["id"]))
    ).one()
    assert item.flagged_words == "lawyer"

    removed = await client.delete(f"/api/v1/watched-words/{listed[0]['id']}", headers=auth)
    assert removed.status_code == 204
    again = await client.post(url, json={"body": "Buy pills here"}, headers=member)
    assert again.status_code == 201
    assert (await session.scalars(select(WatchedWordRow.phrase))).all().count("buy pills") == 0
    gone = await client.delete(f"/api/v1/watched-words/{listed[0]['id']}", headers=auth)
    assert gone.status_code == 404


async def test_trust_rules_read_and_replace_with_errors_by_field(client, admin, bearer):
    auth = await bearer(admin)
    rules = (await client.get("/api/v1/trust-rules", headers=auth)).json()
    assert rules == {"enabled": True, "member_days": 180, "min_posts": 100, "clean_days": 90}
    saved = await client.put(
        "/api/v1/trust-rules",
        json={"enabled": True, "member_days": 30, "min_posts": 10, "clean_days": 14},
        headers=auth,
    )
    assert saved.status_code == 200 and saved.json()["member_days"] == 30
    bad = await client.put("/api/v1/trust-rules", json={"member_days": -1}, headers=auth)
    assert bad.status_code == 422
    assert bad.json()["fields"] == {"member_days": "Write a whole number from 0 to 3,650."}


async def test_board_settings_change_whether_a_newcomers_api_post_waits(
    client, session, newcomer, admin, bearer, make_board, make_thread
):
    board = await make_board("my-story", approve_first_posts=0)
    opening = await make_thread(board, admin, title="Welcome")
    auth = await bearer(admin)
    saved = await client.put(
        "/api/v1/boards/my-story/settings", json={"approve_first_posts": 3}, headers=auth
    )
    assert saved.status_code == 200 and saved.json()["approve_first_posts"] == 3
    reply = await client.post(
        f"/api/v1/threads/{opening.thread_id}/posts",
        json={"body": "Hello, I am new."},
        headers=await bearer(newcomer),
    )
    assert reply.json()["state"] == State.PENDING
    too_many = await client.put(
        "/api/v1/boards/my-story/settings", json={"approve_first_posts": 21}, headers=auth
    )
    assert too_many.status_code == 422
    assert too_many.json()["fields"] == {
        "approve_first_posts": "Write a whole number from 0 to 20."
    }
    missing = await client.put(
        "/api/v1/boards/gone/settings", json={"approve_first_posts": 1}, headers=auth
    )
    assert missing.status_code == 404
    entry = (await session.scalars(select(AuditEntry))).one()
    assert entry.action == "board.edit"
    assert entry.details == {
        "before": {"approve_first_posts": 0},
        "after": {"approve_first_posts": 3},
    }


async def test_cookie_sessions_must_send_the_csrf_header_to_change_anything(
    client, session, user, moderator, log_in
):
    await log_in(client, moderator)
    forged = await client.put(
        "/api/v1/members/Harbor_Light/role", json={"role": "senior", "reason": "Kind"}
    )
    assert forged.status_code == 403
    allowed = await client.put(
        "/api/v1/members/Harbor_Light/role",
        json={"role": "senior", "reason": "Kind"},
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert allowed.status_code == 200
    await session.refresh(user)
    assert user.role == Role.SENIOR
