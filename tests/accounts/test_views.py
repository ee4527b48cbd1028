"""Registering, logging in and out, sessions and API tokens, as a member meets them."""

from sqlalchemy import func, select
from support import PASSWORD, csrf

from forum.accounts.actions import promote_or_register_admin
from forum.auth.models import LoginSession
from forum.auth.viewer import SESSION_COOKIE


async def register(client, handle, password=PASSWORD, email=""):
    return await client.post(
        "/register",
        data={"handle": handle, "password": password, "email": email, "csrf_token": csrf(client)},
    )


async def test_newcomer_registers_and_is_logged_in(client):
    response = await register(client, "Quiet.River")
    assert response.status_code == 303
    set_cookie = response.headers["set-cookie"]
    assert (
        SESSION_COOKIE in set_cookie and "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    )
    home = await client.get("/")
    assert "Quiet.River" in home.text and "Log out" in home.text


async def test_handle_taken_in_another_case_is_refused_and_words_kept(client, user):
    response = await register(client, "harbor_LIGHT", email="me@example.org")
    assert response.status_code == 422
    assert "Someone already uses that handle." in response.text
    assert 'value="harbor_LIGHT"' in response.text and 'value="me@example.org"' in response.text


async def test_lookalike_of_an_existing_handle_is_refused(client, make_member):
    await make_member("paula")
    await make_member("pop")
    mixed = await register(client, "p\u0430ula")  # a Cyrillic а among Latin letters
    assert mixed.status_code == 422
    assert "mixes Cyrillic and Latin letters" in mixed.text
    response = await register(client, "\u0440\u043e\u0440")  # all Cyrillic, reads as "pop"
    assert response.status_code == 422
    assert "looks too much like" in response.text
    fullwidth = await register(client, "ＰＡＵＬＡ")  # NFKC folds it to PAULA
    assert "Someone already uses that handle." in fullwidth.text


async def test_guessable_password_is_refused_beside_the_field(client):
    response = await register(client, "Quiet.River", password="password123")
    assert response.status_code == 422
    assert 'id="password-error"' in response.text
    short = await register(client, "Quiet.River", password="Ab1!")
    assert "10 characters" in short.text


async def test_login_failure_does_not_reveal_whether_the_handle_exists(client, user):
    wrong_password = await client.post(
        "/login",
        data={
            "handle": user.handle,
            "password": "not the password at all",
            "csrf_token": csrf(client),
        },
    )
    unknown = await client.post(
        "/login",
        data={
            "handle": "NoSuchMember",
            "password": "not the password at all",
            "csrf_token": csrf(client),
        },
    )
    assert wrong_password.status_code == unknown.status_code == 422
    message = "That handle and password don&#39;t match."
    assert message in wrong_password.text and message in unknown.text


async def test_login_logout_and_the_old_cookie_stops_working(client, user):
    response = await client.post(
        "/login",
        data={
            "handle": "HARBOR_light",
            "password": PASSWORD,
            "next": "/u/Harbor_Light",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/u/Harbor_Light"
    cookie = client.cookies.get(SESSION_COOKIE)
    assert "Log out" in (await client.get("/")).text
    await client.post("/logout", data={"csrf_token": csrf(client)})
    client.cookies.set(SESSION_COOKIE, cookie)  # replaying the old cookie
    assert "Log out" not in (await client.get("/")).text


async def test_login_next_never_leaves_the_site(client, user):
    response = await client.post(
        "/login",
        data={
            "handle": user.handle,
            "password": PASSWORD,
            "next": "//evil.example/",
            "csrf_token": csrf(client),
        },
    )
    assert response.headers["location"] == "/"


async def test_member_revokes_another_session_from_the_account_page(client, session, user, log_in):
    await log_in(client, user)
    await log_in(client, user)  # a second device; the client now holds this one
    sessions = (
        await session.scalars(select(LoginSession).where(LoginSession.member_id == user.id))
    ).all()
    assert len(sessions) == 2
    page = await client.get("/account")
    assert "this device" in page.text and "Log out there" in page.text
    await client.post("/account/sessions/revoke-others", data={"csrf_token": csrf(client)})
    remaining = await session.scalar(
        select(func.count()).select_from(LoginSession).where(LoginSession.member_id == user.id)
    )
    assert remaining == 1
    assert "Log out" in (await client.get("/")).text


async def test_api_token_is_shown_once_and_works_until_revoked(client, user, log_in):
    await log_in(client, user)
    page = await client.post("/account/tokens", data={"name": "reader", "csrf_token": csrf(client)})
    token = page.text.split('<code class="token">')[1].split("</code>")[0]
    assert token.startswith("fpt_")
    assert token not in (await client.get("/account")).text
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["handle"] == "Harbor_Light"
    token_id = (await client.get("/account")).text.split("/account/tokens/")[1].split("/revoke")[0]
    await client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf(client)})
    assert (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    ).status_code == 401


async def test_account_page_needs_a_login(client):
    response = await client.get("/account")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/account"


async def test_profile_shows_handle_join_date_post_count_and_visible_threads(
    client, user, make_board, make_thread
):
    await make_thread(await make_board(), user, title="Week one", replies=2)
    await make_thread(await make_board("standing", members_only=True), user, title="Hidden week")
    page = await client.get("/u/harbor_light")
    assert "Harbor_Light" in page.text and "4 posts" in page.text
    assert "Week one" in page.text and "Hidden week" not in page.text
    assert "@" not in page.text.split("<main")[1].split("</main>")[0]  # no email anywhere


async def test_create_admin_promotes_or_registers(session, user):
    assert await promote_or_register_admin(session, "Harbor_Light", "unused") is False
    assert user.is_admin
    assert await promote_or_register_admin(session, "Keeper.Of.Keys", PASSWORD) is True


async def test_create_admin_refuses_a_guessable_password(session):
    import pytest

    with pytest.raises(ValueError, match="password|Password"):
        await promote_or_register_admin(session, "Keeper.Of.Keys", "password123")
