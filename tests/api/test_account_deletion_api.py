"""DELETE /api/v1/me: the same account deletion as the page, answered in JSON."""

from sqlalchemy import text
from support import PASSWORD, csrf

from forum.accounts.actions import create_api_token
from forum.auth.viewer import Viewer
from forum.threads.queries import access_post
from forum.wisdom.actions import approve_wisdom, propose_wisdom
from forum.wisdom.forms import ApproveForm

WORDS = "Sit back and listen; there will be truths mixed in."


async def delete_me(client, token, password=PASSWORD, **extra):
    return await client.request(
        "DELETE",
        "/api/v1/me",
        json={"password": password, **extra},
        headers={"Authorization": f"Bearer {token}"},
    )


async def test_token_holder_deletes_their_account_and_the_token_stops_working(
    client, session, user
):
    token = await create_api_token(session, user.id, "script")
    response = await delete_me(client, token)
    assert response.status_code == 204 and response.content == b""
    await session.refresh(user)
    assert user.handle == f"former.member.{user.id}" and user.email is None
    after = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert after.status_code == 401


async def test_a_wrong_password_names_the_field_and_counts_as_a_login_attempt(
    client, session, user
):
    token = await create_api_token(session, user.id, "script")
    response = await delete_me(client, token, password="a wrong guess")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request" and set(body["fields"]) == {"password"}
    hits = await session.scalar(
        text("SELECT hits FROM rate_limit_windows WHERE key = 'login-handle:harbor_light'")
    )
    assert hits == 1
    await session.refresh(user)
    assert user.handle == "Harbor_Light"


async def test_a_missing_password_is_a_validation_error(client, session, user):
    token = await create_api_token(session, user.id, "script")
    response = await client.request(
        "DELETE", "/api/v1/me", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422 and "password" in response.json()["fields"]


async def test_the_only_administrator_is_refused_with_a_reason(client, session, admin):
    token = await create_api_token(session, admin.id, "script")
    response = await delete_me(client, token)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "only administrator" in response.json()["message"]


async def test_a_guest_is_asked_to_log_in(client):
    response = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert response.status_code == 401


async def test_cookie_callers_need_the_csrf_header(client, session, user, log_in):
    await log_in(client, user)
    refused = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD})
    assert refused.status_code == 403
    allowed = await client.request(
        "DELETE",
        "/api/v1/me",
        json={"password": PASSWORD},
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert allowed.status_code == 204


async def test_keeping_the_handle_on_wisdom_through_the_api(
    client, session, user, moderator, make_board, make_thread
):
    board = await make_board("my-story")
    post = await make_thread(board, user, body=f"Hello.\n\n{WORDS}")
    curator = Viewer.of(moderator)
    wisdom = await propose_wisdom(
        session, curator, await access_post(session, curator, post.id), passage=WORDS
    )
    await approve_wisdom(session, curator, wisdom, ApproveForm(new_collection="Listening"))
    token = await create_api_token(session, user.id, "script")
    assert (await delete_me(client, token, keep_handle_on_wisdom=True)).status_code == 204
    await session.refresh(wisdom)
    assert (wisdom.author_id, wisdom.author_name) == (None, "Harbor_Light")
    # The wisdom API credits it as the page does.
    quote = await client.get(f"/api/v1/wisdom/{wisdom.id}")
    assert quote.status_code == 200 and quote.json()["author"] == "Harbor_Light"
