"""Member administration: search, the member's page, roles, board moderators and sanctions."""

from datetime import timedelta
from html import unescape

from sqlalchemy import select
from support import csrf

from forum.accounts.actions import create_api_token
from forum.accounts.models import Role
from forum.auth.viewer import Viewer
from forum.core.time import utcnow
from forum.moderation.actions import apply_sanction
from forum.moderation.models import AuditEntry, Report, Sanction, SanctionKind
from forum.moderation.queue import open_item, open_items_for
from forum.notifications.models import Notification
from forum.threads.models import Post, State


async def _audit(session, action: str) -> list[AuditEntry]:
    return list(
        (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        ).all()
    )


# Search


async def test_member_search_is_for_moderators_only(client, user, moderator, sign_in):
    guest = await client.get("/review/members")
    assert guest.status_code == 303 and guest.headers["location"].startswith("/login")
    await sign_in(client, user)
    refused = await client.get("/review/members")
    assert refused.status_code == 403
    assert "Only moderators can see member administration." in refused.text
    await sign_in(client, moderator)
    assert (await client.get("/review/members")).status_code == 200


async def test_search_finds_handles_by_their_start_in_any_case_and_newest_first_without_one(
    client, moderator, sign_in, make_member
):
    await make_member("Harbor_Light", joined_days_ago=30)
    await make_member("HarborXLight", joined_days_ago=20)  # "_" must not match any character
    await make_member("SteadyOak", joined_days_ago=10)
    await sign_in(client, moderator)
    found = await client.get("/review/members", params={"q": "harbor_"})
    assert "Harbor_Light" in found.text
    assert "HarborXLight" not in found.text and "SteadyOak" not in found.text
    newest = (await client.get("/review/members")).text
    assert newest.index("Quiet.Keeper") < newest.index("SteadyOak") < newest.index("HarborXLight")
    none = await client.get("/review/members", params={"q": "nobody-here"})
    assert "No member's handle starts with “nobody-here”." in none.text


async def test_search_shows_sanctions_in_force(client, session, user, moderator, sign_in):
    await apply_sanction(
        session, Viewer.of(moderator), user, SanctionKind.SILENCE, "Heated", days=3
    )
    await sign_in(client, moderator)
    page = await client.get("/review/members", params={"q": "Harbor"})
    assert "Silenced until" in page.text


# The member's page


async def test_member_page_shows_state_posts_reports_boards_and_the_audit_trail(
    client,
    session,
    user,
    other_user,
    moderator,
    sign_in,
    make_board,
    make_thread,
    make_board_moderator,
):
    board = await make_board("my-story")
    opening = await make_thread(board, user, title="Week one", body="The first week was hard.")
    hidden = await make_thread(board, user, title="Week two", body="Words a moderator hid.")
    (await session.get_one(Post, hidden.id)).state = State.HIDDEN
    item_id = await open_item(session, opening.id, board.id, reports=1)
    session.add(
        Report(item_id=item_id, post_id=opening.id, reporter_id=other_user.id, reason="unkind")
    )
    await apply_sanction(
        session, Viewer.of(moderator), user, SanctionKind.SUSPEND, "Cooling off", days=7
    )
    await make_board_moderator("Board.Keeper", board)
    await session.flush()

    await sign_in(client, moderator)
    page = await client.get("/review/members/harbor_light")  # any case finds the member
    assert page.status_code == 200
    assert "<h1>Harbor_Light" in page.text
    assert "Suspended until" in page.text and "Cooling off" in page.text
    assert f'href="/review/p/{opening.id}"' in page.text and "Week two" in page.text
    assert "Hidden" in page.text
    assert "Unkind or abusive" in page.text
    assert "Suspended" in page.text and "by Quiet.Keeper" in page.text  # the audit entry
    keeper = await client.get("/review/members/Board.Keeper")
    assert "My story" in keeper.text
    missing = await client.get("/review/members/no-such-member")
    assert missing.status_code == 404


# Roles


async def test_moderator_grants_senior_status_but_cannot_make_moderators(
    client, session, user, moderator, sign_in, post_form
):
    await sign_in(client, moderator)
    page = await client.get("/review/members/Harbor_Light")
    assert '<option value="senior"' in page.text
    assert '<option value="moderator"' not in page.text
    granted = await post_form(
        client, "/review/members/Harbor_Light/role", role="senior", reason="Years of kind advice"
    )
    assert granted.status_code == 303
    assert granted.headers["location"] == "/review/members/Harbor_Light?done=role"
    await session.refresh(user)
    assert user.role == Role.SENIOR
    (entry,) = await _audit(session, "member.role")
    assert entry.reason == "Years of kind advice" and entry.details["after"] == "senior"
    refused = await post_form(
        client, "/review/members/Harbor_Light/role", role="moderator", reason="Helpful"
    )
    assert refused.status_code == 403
    assert "only administrators give other roles" in refused.text
    await session.refresh(user)
    assert user.role == Role.SENIOR


async def test_administrator_gives_any_role_but_nobody_changes_their_own(
    client, session, user, admin, moderator, sign_in, post_form
):
    await sign_in(client, admin)
    made = await post_form(
        client, "/review/members/Harbor_Light/role", role="moderator", reason="Joins the team"
    )
    assert made.status_code == 303
    await session.refresh(user)
    assert user.role == Role.MODERATOR
    own = await post_form(client, "/review/members/Willow.Creek/role", role="member", reason="x")
    assert own.status_code == 403
    assert "Nobody can change their own role" in own.text
    assert (
        "Nobody can change their own role."
        in (await client.get("/review/members/Willow.Creek")).text
    )
    await sign_in(client, moderator)
    demote = await post_form(
        client, "/review/members/Willow.Creek/role", role="member", reason="Coup"
    )
    assert demote.status_code == 403
    await session.refresh(admin)
    assert admin.role == Role.ADMIN


async def test_role_change_without_a_reason_comes_back_with_the_message_beside_it(
    client, session, user, moderator, sign_in, post_form
):
    await sign_in(client, moderator)
    response = await post_form(
        client, "/review/members/Harbor_Light/role", role="senior", reason=" "
    )
    assert response.status_code == 422
    assert 'id="role-reason-error"' in response.text
    assert "Give a reason" in response.text
    assert '<option value="senior" selected' in response.text
    await session.refresh(user)
    assert user.role == Role.MEMBER


# Board moderators


async def test_administrator_assigns_board_moderators_who_then_review_that_board_only(
    client, session, user, other_user, admin, sign_in, post_form, make_board, make_thread
):
    story = await make_board("my-story")
    parenting = await make_board("co-parenting")
    in_story = await make_thread(story, other_user, title="Story")
    in_parenting = await make_thread(parenting, other_user, title="Parenting")
    await open_item(session, in_story.id, story.id, reports=1)
    await open_item(session, in_parenting.id, parenting.id, reports=1)
    await sign_in(client, admin)
    saved = await post_form(
        client, "/review/members/Harbor_Light/boards", boards="my-story", reason="Knows the board"
    )
    assert saved.status_code == 303
    (entry,) = await _audit(session, "member.board_moderator")
    assert entry.reason == "Knows the board" and entry.details["after"] == [story.id]

    await sign_in(client, user)
    home = await client.get("/")
    assert 'href="/review"' in home.text  # the navigation now offers the queue
    assert 'aria-label="1 waiting"' in home.text  # counting their board's item only
    assert (await client.get("/review/members")).status_code == 200
    viewer = Viewer.of(user, moderated_boards=frozenset({story.id}))
    items = (await session.scalars(open_items_for(viewer, is_staff=False))).all()
    assert [i.board_id for i in items] == [story.id]

    unknown = await post_form(
        client, "/review/members/SteadyOak/boards", boards="my-story", reason="x"
    )
    assert unknown.status_code == 403  # only administrators choose board moderators


async def test_unknown_board_is_refused_beside_the_checkboxes(
    client, session, user, admin, sign_in, post_form, make_board
):
    await make_board("my-story")
    await sign_in(client, admin)
    response = await client.post(
        "/review/members/Harbor_Light/boards",
        data={"boards": ["my-story", "gone"], "reason": "Trying", "csrf_token": csrf(client)},
    )
    assert response.status_code == 422
    assert "No board has the address “gone”." in response.text
    assert "Trying" in response.text


async def test_board_moderator_warns_and_silences_in_their_board_but_cannot_suspend_ban_or_set_roles(
    client, session, user, sign_in, post_form, make_board, make_board_moderator
):
    story = await make_board("my-story")
    story_id = story.id
    await make_board("co-parenting")
    keeper = await make_board_moderator("Board.Keeper", story)
    await sign_in(client, keeper)
    page = await client.get("/review/members/Harbor_Light")
    assert 'value="warn"' in page.text and 'value="silence"' in page.text
    assert 'value="suspend"' not in page.text and 'value="ban"' not in page.text
    assert 'action="/review/members/Harbor_Light/role"' not in page.text
    assert '<option value="co-parenting"' not in page.text  # only their boards to choose from

    suspend = await post_form(
        client,
        "/review/members/Harbor_Light/sanctions",
        kind="suspend",
        days="3",
        board="my-story",
        reason="Too far",
    )
    assert suspend.status_code == 403
    assert "Only moderators can suspend or ban" in suspend.text
    elsewhere = await post_form(
        client,
        "/review/members/Harbor_Light/sanctions",
        kind="warn",
        board="co-parenting",
        reason="Not my board",
    )
    assert elsewhere.status_code == 403
    role = await post_form(
        client, "/review/members/Harbor_Light/role", role="senior", reason="Kind"
    )
    assert role.status_code == 403
    silenced = await post_form(
        client,
        "/review/members/Harbor_Light/sanctions",
        kind="silence",
        days="2",
        board="my-story",
        reason="Heated replies",
    )
    assert silenced.status_code == 303
    (entry,) = await _audit(session, "member.silence")
    assert entry.board_id == story_id and entry.reason == "Heated replies"
    await session.refresh(user)
    assert user.silenced_until is not None


async def test_moderators_cannot_sanction_their_peers_or_themselves(
    client, make_member, moderator, sign_in, post_form
):
    await make_member("Other.Keeper", role=Role.MODERATOR)
    await sign_in(client, moderator)
    peer = await post_form(
        client, "/review/members/Other.Keeper/sanctions", kind="warn", reason="Disagree"
    )
    assert peer.status_code == 403
    own = await post_form(
        client, "/review/members/Quiet.Keeper/sanctions", kind="warn", reason="Testing"
    )
    assert own.status_code == 403
    assert "You can't sanction yourself." in unescape(own.text)


# Sanctions


async def test_silence_stops_posting_on_pages_and_api_until_lifted(
    client, session, user, moderator, sign_in, post_form, make_board, make_thread
):
    opening = await make_thread(await make_board("my-story"), moderator, title="Talk")
    thread_id, user_id = opening.thread_id, user.id
    token = await create_api_token(session, user.id, "script")
    await sign_in(client, moderator)
    given = await post_form(
        client,
        "/review/members/Harbor_Light/sanctions",
        kind="silence",
        days="3",
        reason="Please take a breath",
    )
    assert given.status_code == 303
    notice = (
        await session.scalars(select(Notification).where(Notification.member_id == user.id))
    ).one()
    assert "Please take a breath" in notice.message

    member_client = client  # the same app; swap who is logged in
    await sign_in(member_client, user)
    page = await post_form(member_client, f"/t/{thread_id}/reply", body="Still here")
    assert page.status_code == 403
    api = await member_client.post(
        f"/api/v1/threads/{thread_id}/posts",
        json={"body": "Still here"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 403

    sanction = (await session.scalars(select(Sanction).where(Sanction.member_id == user_id))).one()
    await sign_in(client, moderator)
    lifted = await post_form(
        client,
        f"/review/members/Harbor_Light/sanctions/{sanction.id}/lift",
        reason="Talked it through",
    )
    assert lifted.status_code == 303
    (entry,) = await _audit(session, "member.lift_silence")
    assert entry.reason == "Talked it through"
    await sign_in(client, user)
    again = await post_form(client, f"/t/{thread_id}/reply", body="Thank you")
    assert again.status_code == 303


async def test_suspension_ends_sessions_and_tokens_and_login_says_until_when(
    client, session, user, moderator, sign_in, post_form, log_in_by_form
):
    token = await create_api_token(session, user.id, "script")
    await sign_in(client, user)
    member_cookie = client.cookies.get("forum_session")
    await sign_in(client, moderator)
    given = await post_form(
        client,
        "/review/members/Harbor_Light/sanctions",
        kind="suspend",
        days="7",
        reason="A week away",
    )
    assert given.status_code == 303

    client.cookies.set("forum_session", member_cookie)
    account = await client.get("/account")
    assert account.status_code == 303  # the old session no longer counts: sent to log in
    api = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    client.cookies.clear()
    await session.refresh(user)
    refused = await log_in_by_form(client, user)
    assert refused.status_code == 403
    until = (utcnow() + timedelta(days=7)).strftime("%-d %B %Y")
    assert f"This account is suspended until {until}" in unescape(refused.text)
    assert "forum_session" not in refused.headers.get("set-cookie", "")

    sanction = (await session.scalars(select(Sanction).where(Sanction.member_id == user.id))).one()
    await sign_in(client, moderator)
    lifted = await post_form(
        client, f"/review/members/Harbor_Light/sanctions/{sanction.id}/lift", reason="Early return"
    )
    assert lifted.status_code == 303
    client.cookies.clear()
    assert (await log_in_by_form(client, user)).status_code == 303


async def test_ban_locks_the_member_out_until_lifted(
    client, session, user, moderator, sign_in, post_form, log_in_by_form
):
    await sign_in(client, moderator)
    given = await post_form(
        client, "/review/members/Harbor_Light/sanctions", kind="ban", days="5", reason="Threats"
    )
    assert given.status_code == 303
    sanction = (await session.scalars(select(Sanction).where(Sanction.member_id == user.id))).one()
    assert sanction.ends_at is None  # a ban has no end; the days were ignored
    client.cookies.clear()
    await session.refresh(user)
    refused = await log_in_by_form(client, user)
    assert refused.status_code == 403 and "This account is banned" in refused.text
    await sign_in(client, moderator)
    await post_form(
        client, f"/review/members/Harbor_Light/sanctions/{sanction.id}/lift", reason="Appeal heard"
    )
    client.cookies.clear()
    assert (await log_in_by_form(client, user)).status_code == 303
    actions = [e.action for e in (await session.scalars(select(AuditEntry))).all()]
    assert actions == ["member.ban", "member.lift_ban"]


async def test_sanction_form_errors_come_back_beside_their_fields_with_the_words_kept(
    client, session, user, moderator, sign_in, post_form
):
    await sign_in(client, moderator)
    response = await post_form(
        client,
        "/review/members/Harbor_Light/sanctions",
        kind="silence",
        days="forever",
        reason="Words I wrote",
    )
    assert response.status_code == 422
    assert 'id="sanction-days-error"' in response.text
    assert "whole number" in response.text
    assert "Words I wrote" in response.text
    assert (await session.scalars(select(Sanction))).first() is None


async def test_board_moderator_lifts_their_own_silence_but_not_a_moderators(
    client, session, user, moderator, sign_in, post_form, make_board, make_board_moderator
):
    story = await make_board("my-story")
    keeper = await make_board_moderator("Board.Keeper", story)
    theirs = await apply_sanction(
        session,
        Viewer.of(keeper, moderated_boards=frozenset({story.id})),
        user,
        SanctionKind.SILENCE,
        "Heated",
        days=1,
        board_id=story.id,
    )
    staffs = await apply_sanction(
        session, Viewer.of(moderator), user, SanctionKind.WARN, "Mind the tone"
    )
    theirs_id = theirs.id
    await sign_in(client, keeper)
    page = await client.get("/review/members/Harbor_Light")
    assert f"/sanctions/{theirs_id}/lift" in page.text
    assert f"/sanctions/{staffs.id}/lift" not in page.text
    refused = await post_form(
        client, f"/review/members/Harbor_Light/sanctions/{staffs.id}/lift", reason="No"
    )
    assert refused.status_code == 403
    lifted = await post_form(
        client, f"/review/members/Harbor_Light/sanctions/{theirs_id}/lift", reason="Calmer now"
    )
    assert lifted.status_code == 303
    await session.refresh(user)
    assert user.silenced_until is None


async def test_lifting_a_sanction_through_another_members_page_is_not_found(
    client, session, user, other_user, moderator, sign_in, post_form
):
    sanction = await apply_sanction(
        session, Viewer.of(moderator), user, SanctionKind.WARN, "Mind the tone"
    )
    await sign_in(client, moderator)
    response = await post_form(
        client, f"/review/members/SteadyOak/sanctions/{sanction.id}/lift", reason="Oops"
    )
    assert response.status_code == 404
