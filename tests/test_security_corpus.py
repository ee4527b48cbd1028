"""The security corpora against the real pages and API, not just the renderer.

Our own corpus in tests/fixtures always runs; ../shared's runs too when it is there.
"""

import re

import pytest
from corpus import (
    BAD_INPUTS,
    HOSTILE,
    PATHOLOGICAL,
    assert_safe_html,
    item_params,
    pathological_body,
    set_params,
)
from sqlalchemy import func, select
from support import PASSWORD, csrf

from forum.accounts.actions import create_api_token
from forum.config import settings
from forum.threads.models import Post

# What a leaked database error looks like.
SQL_LEAK = re.compile(
    r"asyncpg|sqlalchemy|psycopg|syntax error at|ProgrammingError|DataError|Traceback"
)


@pytest.mark.parametrize("attacks", set_params(HOSTILE))
async def test_no_attack_payload_posted_through_the_form_survives_on_the_thread_pages(
    client, user, log_in, make_board, make_thread, monkeypatch, attacks
):
    monkeypatch.setattr(settings, "posts_per_minute", len(attacks))
    opening = await make_thread(await make_board(), user, title="Corpus")
    thread_id = opening.thread_id
    await log_in(client, user)
    for item in attacks:
        response = await client.post(
            f"/t/{thread_id}/reply", data={"body": item["payload"], "csrf_token": csrf(client)}
        )
        assert response.status_code == 303, item["id"]
    client.cookies.clear()  # read as a guest: a guest's page has no forms of its own
    pages = -(-(len(attacks) + 1) // 25)
    for page in range(1, pages + 1):
        response = await client.get(f"/t/{thread_id}?page={page}")
        assert response.status_code == 200
        assert_safe_html(response.text, page_meta=True)


async def test_what_a_member_wrote_in_angle_brackets_still_shows_on_the_page(
    client, user, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body="I feel <sad> today")
    page = await client.get(f"/t/{post.thread_id}")
    assert "I feel &lt;sad&gt; today" in page.text


@pytest.mark.parametrize("item", item_params(PATHOLOGICAL))
async def test_pathological_bodies_get_a_clear_answer_never_a_server_error(
    client, session, user, make_board, item
):
    await make_board()
    token = await create_api_token(session, user.id, "corpus")
    body = pathological_body(item["generate"], limit=None)
    response = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": item["id"], "body": body},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code in (201, 413, 422), response.text[:200]
    if response.status_code == 201:
        page = await client.get(f"/t/{response.json()['thread_id']}")
        assert page.status_code == 200
    else:
        assert response.json()["message"]


@pytest.mark.parametrize("item", item_params(BAD_INPUTS))
async def test_injection_shaped_input_is_refused_or_escaped_never_an_error(client, user, item):
    value = item["value"]
    answers = [
        await client.get(f"/u/{value}"),
        await client.get(f"/b/{value}"),
        await client.get(f"/api/v1/boards/{value}/threads"),
        await client.post(
            "/login", data={"handle": value, "password": PASSWORD, "csrf_token": csrf(client)}
        ),
        await client.post(
            "/register", data={"handle": value, "password": PASSWORD, "csrf_token": csrf(client)}
        ),
    ]
    for response in answers:
        where = (item["id"], str(response.request.url))
        assert response.status_code < 500, where
        assert not SQL_LEAK.search(response.text), where
        if "html" in response.headers["content-type"] and set(value) & set("<>\"'"):
            assert f'value="{value}' not in response.text, where  # echoed back escaped, never raw
    login, register = answers[-2:]
    assert login.status_code == 422  # no handle logs in by injection
    if "REJECT" in item["expect"]:
        assert register.status_code == 422


async def test_nul_characters_are_dropped_not_a_server_error(
    client, user, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user)
    await log_in(client, user)
    response = await client.post(
        f"/t/{post.thread_id}/reply", data={"body": "abc\x00de", "csrf_token": csrf(client)}
    )
    assert response.status_code == 303
    assert "abcde" in (await client.get(response.headers["location"])).text
    assert (await client.get("/u/a%00b")).status_code == 404
    assert (await client.get("/t/1?page=%00")).status_code == 404


@pytest.mark.parametrize("attacks", set_params(HOSTILE))
async def test_hide_reasons_shown_in_place_of_posts_carry_no_attack_to_guests(
    client, session, user, admin, log_in, make_board, make_thread, attacks
):
    payloads = [item["payload"] for item in attacks if len(item["payload"]) <= 500]
    opening = await make_thread(await make_board(), user, title="Corpus", replies=len(payloads))
    thread_id = opening.thread_id
    post_ids = (
        await session.scalars(select(Post.id).where(Post.thread_id == thread_id, Post.position > 1))
    ).all()
    await log_in(client, admin)
    for post_id, payload in zip(post_ids, payloads, strict=True):
        response = await client.post(
            f"/review/p/{post_id}/hide", data={"reason": payload, "csrf_token": csrf(client)}
        )
        # Only a reason that is blank once control characters are gone is sent back.
        assert response.status_code == 303 or "reason" in response.text.lower(), payload
    hidden = await session.scalars(
        select(func.count()).where(Post.thread_id == thread_id, Post.state == "hidden")
    )
    assert hidden.one() >= len(payloads) - 3
    client.cookies.clear()
    pages = -(-(len(payloads) + 1) // 25)
    for page in range(1, pages + 1):
        response = await client.get(f"/t/{thread_id}?page={page}")
        assert response.status_code == 200
        assert "Hidden by the moderators" in response.text
        assert_safe_html(response.text, page_meta=True)
