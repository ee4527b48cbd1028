"""How people join: open, approved by a moderator, or by invitation only."""

from markupsafe import escape
from sqlalchemy import func, select
from support import PASSWORD

from forum.accounts.actions import create_api_token, start_session
from forum.accounts.models import Member
from forum.auth.viewer import SESSION_COOKIE
from forum.moderation.models import AuditEntry
from forum.notifications.models import Notification
from forum.site.actions import REQUEST_SENT, STILL_WAITING


async def _register(post_form, client, handle="New.Leaf", password=PASSWORD, **extra):
    return await post_form(client, "/register", handle=handle, password=password, **extra)


async def _member(session, handle):
    return await session.scalar(select(Member).where(Member.handle == handle))


async def test_when_joining_needs_approval_the_newcomer_is_thanked_and_not_logged_in(
    client, session, set_site, post_form
):
    await set_site(registration="approval")
    page = await client.get("/register")
    assert "A moderator looks at each request to join." in page.text

    response = await _register(post_form, client)

    assert response.status_code == 303
    assert response.headers["location"] == "/register/requested"
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    thanks = await client.get("/register/requested")
    assert escape(REQUEST_SENT) in thanks.text
    assert (await _member(session, "New.Leaf")).awaiting_approval is True
    assert "Log in" in (await client.get("/")).text  # still a guest


async def test_a_waiting_member_is_told_so_only_after_giving_the_right_password(
    client, waiting_member, post_form
):
    await waiting_member("New.Leaf")

    wrong = await post_form(client, "/login", handle="New.Leaf", password="not the password")
    assert wrong.status_code == 422
    assert "waiting" not in wrong.text
    right = await post_form(client, "/login", handle="New.Leaf", password=PASSWORD)
    assert right.status_code == 403
    assert escape(STILL_WAITING) in right.text
    assert SESSION_COOKIE not in right.headers.get("set-cookie", "")


async def test_sessions_and_tokens_of_a_waiting_member_do_not_work(client, session, waiting_member):
    member = await waiting_member("New.Leaf")
    token = await create_api_token(session, member.id, "script")
    cookie = await start_session(session, member, "pytest")

    api = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    client.cookies.set(SESSION_COOKIE, cookie)
    assert "New.Leaf" not in (await client.get("/")).text


async def test_when_joining_is_by_invitation_the_join_page_says_who_to_ask_and_a_direct_post_is_refused(
    client, session, set_site, post_form
):
    await set_site(registration="invitation")
    page = await client.get("/register")
    assert (
        "Joining is by invitation only. Ask a member of staff for an invitation link." in page.text
    )
    assert 'action="/register"' not in page.text

    refused = await _register(post_form, client)

    assert refused.status_code == 403
    assert "Joining is by invitation only." in refused.text
    assert await _member(session, "New.Leaf") is None


async def test_registering_reads_the_mode_now_not_the_pages_cached_copy(
    client, session, set_site, post_form
):
    assert "Create account" in (await client.get("/register")).text  # the cache says open
    await set_site(registration="invitation")  # saved by another process a moment ago

    refused = await _register(post_form, client)

    assert refused.status_code == 403
    assert await _member(session, "New.Leaf") is None


async def test_open_joining_still_logs_the_newcomer_straight_in(client, session, post_form):
    response = await _register(post_form, client)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert SESSION_COOKIE in response.headers["set-cookie"]
    assert (await _member(session, "New.Leaf")).awaiting_approval is False


async def test_moderators_see_who_is_waiting_and_an_approved_member_can_log_in(
    client, session, moderator, waiting_member, log_in, post_form
):
    await waiting_member("New.Leaf")
    await waiting_member("Second.Chance")
    await log_in(client, moderator)

    review = await client.get("/review")
    assert 'aria-label="2 waiting"' in review.text  # in the header's Review count
    page = await client.get("/review/registrations")
    assert page.status_code == 200
    assert page.text.index("New.Leaf") < page.text.index("Second.Chance")  # oldest first
    approved = await post_form(client, "/review/registrations/new.leaf/approve")
    assert approved.status_code == 303

    member = await _member(session, "New.Leaf")
    await session.refresh(member)
    assert member.awaiting_approval is False
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "member.approve"))
    assert audit.target_label == "New.Leaf" and audit.actor_name == "Quiet.Keeper"
    notices = await session.scalar(select(func.count()).where(Notification.member_id == member.id))
    assert notices == 1
    client.cookies.clear()
    logged_in = await post_form(client, "/login", handle="New.Leaf", password=PASSWORD)
    assert logged_in.status_code == 303
    assert "Welcome! A moderator approved your request" in (await client.get("/notifications")).text


async def test_turning_a_request_down_deletes_the_unused_account_and_audits_it(
    client, session, moderator, waiting_member, log_in, post_form
):
    await waiting_member("New.Leaf")
    await log_in(client, moderator)

    done = await post_form(client, "/review/registrations/New.Leaf/reject", reason="Spam handle")

    assert done.status_code == 303
    assert await _member(session, "New.Leaf") is None
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "member.turn_down"))
    assert audit.target_label == "New.Leaf" and audit.reason == "Spam handle"
    again = await post_form(client, "/review/registrations/New.Leaf/approve")
    assert again.status_code == 404  # decided already: nobody is waiting under that name
    log = await client.get("/review/audit")
    assert "Turned down a request to join" in log.text


async def test_only_moderators_and_administrators_decide_who_joins(
    client, session, user, make_board, make_member, waiting_member, log_in, post_form
):
    from forum.moderation.models import BoardModerator

    board = await make_board("my-story")
    board_mod = await make_member("Board.Keeper")
    session.add(BoardModerator(member_id=board_mod.id, board_id=board.id))
    await waiting_member("New.Leaf")
    for member in (user, board_mod):
        await session.refresh(member)
        client.cookies.clear()
        await log_in(client, member)
        assert (await client.get("/review/registrations")).status_code == 403
        refused = await post_form(client, "/review/registrations/New.Leaf/approve")
        assert refused.status_code == 403
    assert (await _member(session, "New.Leaf")).awaiting_approval is True


async def test_an_operator_making_a_waiting_member_administrator_lets_them_in(
    client, session, waiting_member, post_form
):
    from forum.accounts.actions import promote_or_register_admin

    member = await waiting_member("New.Leaf")
    await promote_or_register_admin(session, "New.Leaf", "unused")

    assert member.awaiting_approval is False
    logged_in = await post_form(client, "/login", handle="New.Leaf", password=PASSWORD)
    assert logged_in.status_code == 303
