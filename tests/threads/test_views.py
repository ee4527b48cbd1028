"""Threads and posts through the pages, as members and guests use them."""

import re
from datetime import timedelta

from support import csrf

from forum.core.time import utcnow


async def test_member_starts_a_thread_and_it_leads_the_board(client, user, log_in, make_board):
    board = await make_board("my-story")
    await log_in(client, user)
    response = await client.post(
        "/b/my-story/new",
        data={
            "title": "  My story:   week one ",
            "body": "We talked **calmly** today.",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "My story: week one" in page.text
    assert "<strong>calmly</strong>" in page.text
    listing = await client.get(f"/b/{board.slug}")
    assert "My story: week one" in listing.text
    home = await client.get("/")
    assert re.search(r"Threads</dt><dd>1</dd>", home.text)


async def test_too_long_title_comes_back_with_the_members_words_and_the_limit(
    client, user, log_in, make_board
):
    await make_board("my-story")
    await log_in(client, user)
    body = "Everything I wrote tonight, which must not be lost."
    response = await client.post(
        "/b/my-story/new", data={"title": "x" * 151, "body": body, "csrf_token": csrf(client)}
    )
    assert response.status_code == 422
    assert body in response.text
    assert "Titles can be at most 150 characters; this one has 151." in response.text
    assert 'aria-invalid="true"' in response.text


async def test_empty_reply_is_refused_beside_the_field(
    client, user, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user)
    await log_in(client, user)
    response = await client.post(
        f"/t/{post.thread_id}/reply", data={"body": "   ", "csrf_token": csrf(client)}
    )
    assert response.status_code == 422
    assert "Write something before posting." in response.text


async def test_quote_reply_carries_attribution_linking_to_the_exact_post(
    client, user, other_user, log_in, make_board, make_thread
):
    opening = await make_thread(
        await make_board(), user, body="Sit back and listen.\n\nThen wait a day."
    )
    await log_in(client, other_user)
    quote_page = await client.get(f"/p/{opening.id}/quote")
    assert f"[quote={opening.id}]" in quote_page.text
    body = f"[quote={opening.id}]\nSit back and listen.\n[/quote]\n\nThis helped me today."
    response = await client.post(
        f"/t/{opening.thread_id}/reply", data={"body": body, "csrf_token": csrf(client)}
    )
    page = await client.get(response.headers["location"])
    assert f'<a href="/p/{opening.id}"' in page.text
    assert re.search(rf'<a href="/p/{opening.id}"[^>]*>Harbor_Light</a> wrote:', page.text)


async def test_quote_cannot_forge_who_said_it(
    client, user, other_user, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    await log_in(client, other_user)
    body = "[quote=999999]\nWords nobody wrote here.\n[/quote]"
    response = await client.post(
        f"/t/{opening.thread_id}/reply", data={"body": body, "csrf_token": csrf(client)}
    )
    page = await client.get(response.headers["location"])
    assert "Words nobody wrote here." in page.text
    assert 'href="/p/999999"' not in page.text


async def test_member_edits_own_post_and_the_edited_mark_shows(
    client, user, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body="First draft.")
    await log_in(client, user)
    form = await client.get(f"/p/{post.id}/edit")
    assert "First draft." in form.text
    response = await client.post(
        f"/p/{post.id}/edit", data={"body": "Second *draft*.", "csrf_token": csrf(client)}
    )
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "Second <em>draft</em>." in page.text
    assert 'class="edited"' in page.text


async def test_member_cannot_edit_someone_elses_post(
    client, user, other_user, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body="My own words.")
    post_id, thread_id = post.id, post.thread_id  # a refused request rolls back and expires objects
    await log_in(client, other_user)
    assert (await client.get(f"/p/{post_id}/edit")).status_code == 403
    response = await client.post(
        f"/p/{post_id}/edit", data={"body": "Hijacked.", "csrf_token": csrf(client)}
    )
    assert response.status_code == 403
    assert "You can only edit your own posts." in response.text
    page = await client.get(f"/t/{thread_id}")
    assert "My own words." in page.text and "Hijacked." not in page.text


async def test_locked_thread_refuses_replies_from_members(
    client, user, other_user, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, is_locked=True)
    await log_in(client, other_user)
    response = await client.post(
        f"/t/{post.thread_id}/reply", data={"body": "Hello?", "csrf_token": csrf(client)}
    )
    assert response.status_code == 403
    assert "locked" in response.text


async def test_guest_sees_the_thread_but_is_sent_to_log_in_to_reply(
    client, user, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body="Public update.")
    page = await client.get(f"/t/{post.thread_id}")
    assert "Public update." in page.text
    assert "Log in</a> or" in page.text
    response = await client.post(
        f"/t/{post.thread_id}/reply", data={"body": "Hi", "csrf_token": csrf(client)}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


async def test_thread_pages_hold_25_posts_with_first_previous_next_last(
    client, user, make_board, make_thread
):
    post = await make_thread(await make_board(), user, replies=59)  # 60 posts: 3 pages
    first = await client.get(f"/t/{post.thread_id}")
    assert first.text.count('class="post"') == 25
    assert (
        'rel="next"' in first.text and 'rel="last"' in first.text and 'rel="prev"' not in first.text
    )
    middle = await client.get(f"/t/{post.thread_id}?page=2")
    assert "Update number 26." in middle.text and "Update number 50." in middle.text
    assert "Update number 51." not in middle.text
    for rel in ("first", "prev", "next", "last"):
        assert f'rel="{rel}"' in middle.text
    last = await client.get(f"/t/{post.thread_id}?page=3")
    assert last.text.count('class="post"') == 10
    beyond = await client.get(f"/t/{post.thread_id}?page=9")
    assert beyond.status_code == 303 and beyond.headers["location"].endswith("page=3")


async def test_post_permalink_opens_its_page_at_the_post(
    client, user, session, make_board, make_thread
):
    from sqlalchemy import select

    from forum.threads.models import Post

    opening = await make_thread(await make_board(), user, replies=30)
    post_31 = (
        await session.scalars(
            select(Post).where(Post.thread_id == opening.thread_id, Post.position == 31)
        )
    ).one()
    response = await client.get(f"/p/{post_31.id}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/t/{opening.thread_id}?page=2#p{post_31.id}"


async def test_form_without_csrf_token_is_refused_and_the_words_are_handed_back(
    client, user, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user)
    await log_in(client, user)
    response = await client.post(
        f"/t/{post.thread_id}/reply", data={"body": "My long careful reply."}
    )
    assert response.status_code == 403
    assert "My long careful reply." in response.text
    response = await client.post(
        f"/t/{post.thread_id}/reply", data={"body": "Forged.", "csrf_token": "0" * 64}
    )
    assert response.status_code == 403
    page = await client.get(f"/t/{post.thread_id}")
    assert "Forged." not in page.text


async def test_members_only_board_does_not_exist_for_guests(
    client, user, log_in, make_board, make_thread
):
    board = await make_board("standing", members_only=True)
    post = await make_thread(board, user, title="Private title", body="Private words.")
    post_id, thread_id = post.id, post.thread_id
    await log_in(client, user)
    assert "Private words." in (await client.get(f"/t/{thread_id}")).text
    client.cookies.clear()
    for path in ("/b/standing", f"/t/{thread_id}", f"/p/{post_id}", "/u/Harbor_Light"):
        response = await client.get(path)
        assert "Private words." not in response.text and "Private title" not in response.text
    assert (await client.get("/b/standing")).status_code == 404
    assert (await client.get(f"/t/{thread_id}")).status_code == 404
    assert (await client.get(f"/p/{post_id}")).status_code == 404
    assert "Standing" not in (await client.get("/")).text


async def test_every_page_tells_crawlers_not_to_index(client, user, make_board, make_thread):
    post = await make_thread(await make_board(), user)
    for path in ("/", "/b/my-story", f"/t/{post.thread_id}", "/login", "/nowhere"):
        response = await client.get(path)
        assert response.headers["x-robots-tag"] == "noindex, nofollow"


async def test_unknown_ids_get_the_friendly_404_page(client):
    for path in ("/t/987654", "/p/987654", "/b/nowhere", "/u/nobody-here", "/t/not-a-number"):
        response = await client.get(path)
        assert response.status_code == 404
        assert "Page not found" in response.text or "couldn't find" in response.text
        assert "Traceback" not in response.text


async def test_ids_too_large_for_the_database_are_simply_not_found(client, user, log_in):
    await log_in(client, user)
    response = await client.post(
        "/api/v1/threads/99999999999/posts",
        json={"body": "Hello"},
        headers={"X-CSRF-Token": csrf(client)},
    )
    assert response.status_code == 422
    assert "out of range" in response.json()["message"]
    assert (await client.get("/t/99999999999")).status_code == 404
    assert (await client.get("/api/v1/threads/99999999999")).json()["error"] == "not_found"


async def test_a_silenced_member_is_told_until_when_and_keeps_reading(
    client, session, user, other_user, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    other_user.silenced_until = utcnow() + timedelta(days=3)
    await log_in(client, other_user)
    page = await client.get(f"/t/{opening.thread_id}")
    assert page.status_code == 200 and "First update." in page.text
    assert "You can read but not post until" in page.text
    refused = await client.post(
        f"/t/{opening.thread_id}/reply", data={"body": "Hi", "csrf_token": csrf(client)}
    )
    assert refused.status_code == 403
    assert "You can read but not post until" in refused.text
