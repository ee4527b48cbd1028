"""The JSON API: same capabilities and privacy as the pages, errors that say what to fix."""

from support import csrf

from forum.accounts.actions import create_api_token


async def test_guest_lists_only_public_boards(client, make_board):
    await make_board("my-story")
    await make_board("standing", members_only=True)
    response = await client.get("/api/v1/boards")
    assert response.status_code == 200
    assert [b["slug"] for b in response.json()] == ["my-story"]


async def test_token_holder_starts_a_thread_replies_and_reads_it_back(
    client, session, user, make_board
):
    await make_board("my-story")
    token = await create_api_token(session, user.id, "script")
    auth = {"Authorization": f"Bearer {token}"}
    created = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "From a script", "body": "Hello *there*"},
        headers=auth,
    )
    assert created.status_code == 201
    opening = created.json()
    assert opening["html"].strip() == "<p>Hello <em>there</em></p>"
    assert opening["author"]["handle"] == "Harbor_Light"
    assert "email" not in opening["author"]
    reply = await client.post(
        f"/api/v1/threads/{opening['thread_id']}/posts",
        json={"body": f"[quote={opening['id']}]\nHello\n[/quote]\nA reply."},
        headers=auth,
    )
    assert reply.status_code == 201
    assert f'href="/p/{opening["id"]}"' in reply.json()["html"]
    thread = (await client.get(f"/api/v1/threads/{opening['thread_id']}")).json()
    assert thread["thread"]["reply_count"] == 1
    assert [p["position"] for p in thread["posts"]] == [1, 2]
    me = await client.get("/api/v1/me", headers=auth)
    assert me.json()["handle"] == "Harbor_Light"


async def test_validation_errors_name_each_field_to_fix(client, session, user, make_board):
    await make_board("my-story")
    token = await create_api_token(session, user.id, "script")
    response = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "t" * 151, "body": "b" * 50_001},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "invalid_request"
    assert error["fields"]["title"] == "Titles can be at most 150 characters; this one has 151."
    assert "at most 50,000 characters" in error["fields"]["body"]
    missing = await client.post(
        "/api/v1/boards/my-story/threads", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert missing.json()["fields"] == {"title": "Title is required.", "body": "Body is required."}


async def test_guest_writes_are_refused_with_401_json(client, make_board):
    await make_board("my-story")
    response = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "x", "body": "y"},
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "login_required"


async def test_bad_token_is_refused(client):
    response = await client.get("/api/v1/me", headers={"Authorization": "Bearer fpt_nope"})
    assert response.status_code == 401
    assert "token" in response.json()["message"]


async def test_cookie_session_writes_need_the_csrf_header(client, user, log_in, make_board):
    await make_board("my-story")
    await log_in(client, user)
    body = {"title": "Via cookie", "body": "Hello"}
    refused = await client.post("/api/v1/boards/my-story/threads", json=body)
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    accepted = await client.post(
        "/api/v1/boards/my-story/threads", json=body, headers={"X-CSRF-Token": csrf(client)}
    )
    assert accepted.status_code == 201


async def test_members_only_threads_are_404_for_guests(client, user, make_board, make_thread):
    post = await make_thread(await make_board("standing", members_only=True), user, body="Private.")
    for path in (
        f"/api/v1/threads/{post.thread_id}",
        f"/api/v1/posts/{post.id}",
        "/api/v1/boards/standing/threads",
    ):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        assert "Private." not in response.text


async def test_editing_another_members_post_is_forbidden(
    client, session, user, other_user, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body="Mine.")
    post_id = post.id
    own = await create_api_token(session, user.id, "mine")
    token = await create_api_token(session, other_user.id, "script")
    auth = {"Authorization": f"Bearer {token}"}
    response = await client.patch(
        f"/api/v1/posts/{post_id}", json={"body": "Theirs."}, headers=auth
    )
    assert response.status_code == 403
    assert response.json() == {"error": "forbidden", "message": "You can only edit your own posts."}
    edited = await client.patch(
        f"/api/v1/posts/{post_id}",
        json={"body": "Mine, edited."},
        headers={"Authorization": f"Bearer {own}"},
    )
    assert edited.status_code == 200
    assert edited.json()["edited_at"] is not None


async def test_request_bodies_over_one_mebibyte_get_413(client, session, user, make_board):
    await make_board("my-story")
    token = await create_api_token(session, user.id, "script")
    huge = "x" * (1024 * 1024 + 10)
    response = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "Huge", "body": huge},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


async def test_unknown_ids_and_malformed_ids_are_json_errors(client):
    missing = await client.get("/api/v1/threads/424242")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    malformed = await client.get("/api/v1/threads/abc")
    assert malformed.status_code == 422
    assert "thread_id" in malformed.json()["fields"]


async def test_openapi_documents_the_endpoints(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    for path in (
        "/api/v1/boards",
        "/api/v1/threads/{thread_id}/posts",
        "/api/v1/posts/{post_id}",
        "/api/v1/me",
    ):
        assert path in spec["paths"]
    assert (await client.get("/docs")).status_code == 200
