"""Rate limits: clear refusals with when to try again, counted in PostgreSQL for every process."""

from sqlalchemy import text
from support import PASSWORD, csrf

from forum.accounts.actions import create_api_token
from forum.app import create_app
from forum.config import settings


async def _log_in(client, handle, password):
    return await client.post(
        "/login", data={"handle": handle, "password": password, "csrf_token": csrf(client)}
    )


async def test_guessing_a_handles_password_is_stopped_even_with_the_right_one(client, user):
    for _ in range(settings.login_attempts_per_handle):
        assert (await _log_in(client, user.handle, "a wrong guess here")).status_code == 422
    refused = await _log_in(client, "HARBOR_LIGHT", PASSWORD)  # any spelling of the same handle
    assert refused.status_code == 429
    assert "Too many attempts to log in to this handle. Try again in 15 minutes." in refused.text
    assert 840 <= int(refused.headers["retry-after"]) <= 900
    assert 'value="HARBOR_LIGHT"' in refused.text


async def test_one_network_trying_many_handles_is_stopped(client, make_member, monkeypatch):
    monkeypatch.setattr(settings, "login_attempts_per_ip", 3)
    for handle in ("first.try", "second.try", "third.try"):
        assert (await _log_in(client, handle, "whatever it is")).status_code == 422
    refused = await _log_in(client, "fourth.try", "whatever it is")
    assert refused.status_code == 429
    assert "Too many log-in attempts from your network." in refused.text


async def test_registrations_past_the_limit_are_refused_and_not_created(client, monkeypatch):
    monkeypatch.setattr(settings, "registrations_per_ip", 1)
    data = {"password": PASSWORD, "csrf_token": csrf(client)}
    assert (
        await client.post("/register", data={**data, "handle": "First.Newcomer"})
    ).status_code == 303
    client.cookies.delete("forum_session")
    refused = await client.post("/register", data={**data, "handle": "Second.Newcomer"})
    assert refused.status_code == 429
    assert "Too many new accounts from your network. Try again in" in refused.text
    assert (await client.get("/u/Second.Newcomer")).status_code == 404


async def test_posting_too_fast_is_refused_with_the_words_kept(
    client, user, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user)
    thread_id = post.thread_id
    await log_in(client, user)
    for number in range(settings.posts_per_minute):
        reply = await client.post(
            f"/t/{thread_id}/reply", data={"body": f"Reply {number}", "csrf_token": csrf(client)}
        )
        assert reply.status_code == 303
    refused = await client.post(
        f"/t/{thread_id}/reply",
        data={"body": "One more thing I needed to say.", "csrf_token": csrf(client)},
    )
    assert refused.status_code == 429
    assert "You&#39;re posting faster than we allow. Try again in" in refused.text
    assert "One more thing I needed to say." in refused.text  # handed back, not lost
    assert 1 <= int(refused.headers["retry-after"]) <= 60


async def test_the_api_answers_429_with_retry_after_and_the_window_resets(
    client, session, user, make_board
):
    await make_board()
    token = await create_api_token(session, user.id, "script")
    auth = {"Authorization": f"Bearer {token}"}
    for number in range(settings.posts_per_minute):
        created = await client.post(
            "/api/v1/boards/my-story/threads",
            json={"title": f"T{number}", "body": "x"},
            headers=auth,
        )
        assert created.status_code == 201
    refused = await client.post(
        "/api/v1/boards/my-story/threads", json={"title": "Late", "body": "x"}, headers=auth
    )
    assert refused.status_code == 429
    body = refused.json()
    assert body["error"] == "rate_limited" and body["retry_after"] == int(
        refused.headers["retry-after"]
    )
    # A minute later the member may post again.
    await session.execute(
        text("UPDATE rate_limit_windows SET window_start = window_start - interval '61 seconds'")
    )
    again = await client.post(
        "/api/v1/boards/my-story/threads", json={"title": "Later", "body": "x"}, headers=auth
    )
    assert again.status_code == 201


async def test_the_count_is_shared_by_separate_app_instances(
    client, client_of, session, user, make_board
):
    await make_board()
    token = await create_api_token(session, user.id, "script")
    auth = {"Authorization": f"Bearer {token}"}
    for number in range(settings.posts_per_minute):
        await client.post(
            "/api/v1/boards/my-story/threads",
            json={"title": f"T{number}", "body": "x"},
            headers=auth,
        )
    # A second worker: its own memory, the same database.
    async with client_of(create_app()) as second:
        refused = await second.post(
            "/api/v1/boards/my-story/threads",
            json={"title": "Elsewhere", "body": "x"},
            headers=auth,
        )
    assert refused.status_code == 429


async def test_windows_idle_for_a_day_are_pruned_and_recent_ones_kept(session):
    from forum.ratelimits.limits import prune_windows

    await session.execute(
        text(
            "INSERT INTO rate_limit_windows (key, window_start, hits) VALUES"
            " ('login-ip:old', now() - interval '25 hours', 3), ('login-ip:new', now(), 1)"
        )
    )
    await prune_windows(session)
    keys = (await session.execute(text("SELECT key FROM rate_limit_windows"))).scalars().all()
    assert "login-ip:old" not in keys and "login-ip:new" in keys
