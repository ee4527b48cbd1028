"""The wisdom library over JSON: the same rules as the pages, errors that name the field."""

from support import csrf

from forum.accounts.actions import create_api_token
from forum.accounts.models import Role

ADVICE = "Sit back and listen; there will be truths mixed in."


async def _bearer(session, member):
    return {"Authorization": f"Bearer {await create_api_token(session, member.id, 'script')}"}


async def _post(make_board, make_thread, author, **board):
    board_row = await make_board(board.pop("slug", "my-story"), **board)
    return await make_thread(board_row, author, body=f"Hello.\n\n{ADVICE}")


async def test_member_proposes_and_reads_back_their_proposal(
    client, session, user, other_user, make_board, make_thread
):
    post = await _post(make_board, make_thread, user)
    auth = await _bearer(session, other_user)
    created = await client.post(
        "/api/v1/wisdom", json={"post_id": post.id, "passage": ADVICE}, headers=auth
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["author"], body["text"]) == ("proposed", "Harbor_Light", ADVICE)
    assert body["proposed_by"] == "SteadyOak" and body["post_url"] == f"/p/{post.id}"
    again = await client.post(
        "/api/v1/wisdom", json={"post_id": post.id, "passage": ADVICE}, headers=auth
    )
    assert again.status_code == 409
    assert again.json()["wisdom_id"] == body["id"] and "passage" in again.json()["fields"]
    mine = await client.get(f"/api/v1/wisdom/{body['id']}", headers=auth)
    assert mine.status_code == 200
    stranger = await client.get(f"/api/v1/wisdom/{body['id']}")
    assert stranger.status_code == 404 and stranger.json()["error"] == "not_found"


async def test_passage_not_in_the_post_names_the_field(
    client, session, user, other_user, make_board, make_thread
):
    post_id = (await _post(make_board, make_thread, user)).id
    auth = await _bearer(session, other_user)
    response = await client.post(
        "/api/v1/wisdom",
        json={"post_id": post_id, "passage": "Words nobody wrote."},
        headers=auth,
    )
    assert response.status_code == 422
    assert "isn't in this post word for word" in response.json()["fields"]["passage"]
    missing = await client.post("/api/v1/wisdom", json={"post_id": post_id}, headers=auth)
    assert missing.status_code == 422 and "passage" in missing.json()["fields"]


async def test_curator_approves_into_two_collections_and_the_quote_goes_public(
    client, session, user, other_user, moderator, make_board, make_thread
):
    post = await _post(make_board, make_thread, user)
    proposer, curator = await _bearer(session, other_user), await _bearer(session, moderator)
    wisdom = (
        await client.post(
            "/api/v1/wisdom", json={"post_id": post.id, "passage": ADVICE}, headers=proposer
        )
    ).json()
    refused = await client.get("/api/v1/wisdom/proposals", headers=proposer)
    assert refused.status_code == 403 and "curate" in refused.json()["message"]
    queue = await client.get("/api/v1/wisdom/proposals", headers=curator)
    assert [w["id"] for w in queue.json()] == [wisdom["id"]]
    made = await client.post(
        "/api/v1/collections", json={"title": "Detachment", "tags": ["Calm"]}, headers=curator
    )
    assert made.status_code == 201 and made.json()["slug"] == "detachment"
    empty = await client.post(
        f"/api/v1/wisdom/{wisdom['id']}/approve", json={"collections": []}, headers=curator
    )
    assert empty.status_code == 422 and "collections" in empty.json()["fields"]
    approved = await client.post(
        f"/api/v1/wisdom/{wisdom['id']}/approve",
        json={
            "collections": ["detachment"],
            "new_collection": "Listening",
            "title": "Sit back",
            "tags": ["listening"],
        },
        headers=curator,
    )
    assert approved.status_code == 200
    body = approved.json()
    assert body["status"] == "approved" and body["pinned_at"] is not None
    assert sorted(body["collections"]) == ["detachment", "listening"]
    assert body["tags"] == ["listening"]
    public = await client.get(f"/api/v1/wisdom/{wisdom['id']}")
    assert public.status_code == 200 and public.json()["proposed_by"] is None
    listing = (await client.get("/api/v1/collections")).json()
    assert {c["slug"]: c["item_count"] for c in listing} == {"detachment": 1, "listening": 1}


async def test_reject_and_retitle_through_the_api(
    client, session, user, other_user, moderator, make_board, make_thread
):
    post = await _post(make_board, make_thread, user)
    proposer, curator = await _bearer(session, other_user), await _bearer(session, moderator)
    wisdom = (
        await client.post(
            "/api/v1/wisdom", json={"post_id": post.id, "passage": ADVICE}, headers=proposer
        )
    ).json()
    retitled = await client.patch(
        f"/api/v1/wisdom/{wisdom['id']}", json={"title": "Listen first"}, headers=curator
    )
    assert retitled.json()["title"] == "Listen first"
    no_reason = await client.post(
        f"/api/v1/wisdom/{wisdom['id']}/reject", json={"reason": ""}, headers=curator
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    rejected = await client.post(
        f"/api/v1/wisdom/{wisdom['id']}/reject", json={"reason": "Too personal."}, headers=curator
    )
    assert rejected.json()["status"] == "rejected"
    seen = await client.get(f"/api/v1/wisdom/{wisdom['id']}", headers=proposer)
    assert seen.json()["review_note"] == "Too personal."
    patch_by_member = await client.patch(
        f"/api/v1/wisdom/{wisdom['id']}", json={"title": "Mine"}, headers=proposer
    )
    assert patch_by_member.status_code == 403


async def test_collections_take_threads_pins_and_hide_members_only_items_from_guests(
    client, session, user, moderator, make_board, make_thread
):
    curator, member = await _bearer(session, moderator), await _bearer(session, user)
    await client.post("/api/v1/collections", json={"title": "Stories"}, headers=curator)
    public = await make_thread(await make_board("my-story"), user, title="Came through")
    private = await make_thread(
        await make_board("standing", members_only=True), user, title="Among members"
    )
    for post in (public, private):
        added = await client.post(
            "/api/v1/collections/stories/items",
            json={"thread_id": post.thread_id, "note": "Worth it."},
            headers=curator,
        )
        assert added.status_code == 201
    both = await client.post(
        "/api/v1/collections/stories/items", json={"thread_id": 1, "wisdom_id": 1}, headers=curator
    )
    assert both.status_code == 422
    unknown = await client.post(
        "/api/v1/collections/stories/items", json={"wisdom_id": 999999}, headers=curator
    )
    assert unknown.status_code == 422 and "wisdom_id" in unknown.json()["fields"]
    pinned = await client.patch(
        "/api/v1/collections/stories",
        json={"pinned_board": "my-story", "pinned_home": True, "intro": "Hope."},
        headers=curator,
    )
    assert pinned.status_code == 200
    assert (pinned.json()["pinned_board"], pinned.json()["pinned_home"]) == ("my-story", True)
    as_guest = (await client.get("/api/v1/collections/stories")).json()
    assert [i["thread"]["title"] for i in as_guest["items"]] == ["Came through"]
    as_member = (await client.get("/api/v1/collections/stories", headers=member)).json()
    assert [i["position"] for i in as_member["items"]] == [1, 2]
    bad_board = await client.patch(
        "/api/v1/collections/stories", json={"pinned_board": "nowhere"}, headers=curator
    )
    assert bad_board.status_code == 422 and "pinned_board" in bad_board.json()["fields"]


async def test_cookie_writes_need_the_csrf_header_and_seniors_need_the_setting(
    client, session, user, make_member, log_in
):
    senior = await make_member("Job.Listens", role=Role.SENIOR)
    await log_in(client, senior)
    refused = await client.post("/api/v1/collections", json={"title": "Mine"})
    assert refused.status_code == 403
    not_allowed = await client.post(
        "/api/v1/collections", json={"title": "Mine"}, headers={"X-CSRF-Token": csrf(client)}
    )
    assert not_allowed.status_code == 403
    assert "senior members when the administrators allow it" in not_allowed.json()["message"]
