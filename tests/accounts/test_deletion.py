"""Deleting one's account: the posts stay under an anonymous name, nothing else of the person does,
and their wisdom reads "a former member" unless they chose to keep their handle on it."""

import pytest
from sqlalchemy import func, select, text
from support import PASSWORD, csrf

from forum.accounts.actions import create_api_token
from forum.accounts.passwords import verify_password
from forum.auth.models import ApiToken, LoginSession
from forum.auth.viewer import SESSION_COOKIE, Viewer
from forum.config import settings
from forum.moderation.models import AuditEntry, BoardModerator
from forum.notifications.models import Notification
from forum.threads.queries import access_post
from forum.wisdom.actions import approve_wisdom, propose_wisdom
from forum.wisdom.forms import ApproveForm

WORDS = "Sit back and listen; there will be truths mixed in."


async def delete_account(client, password=PASSWORD, keep=False):
    data = {"password": password, "csrf_token": csrf(client)}
    if keep:
        data["keep_handle_on_wisdom"] = "1"
    return await client.post("/account/delete", data=data)


async def login_hits(session, handle_key):
    statement = text("SELECT hits FROM rate_limit_windows WHERE key = :key")
    return (await session.execute(statement, {"key": f"login-handle:{handle_key}"})).scalar()


async def count(session, model, member_id):
    statement = select(func.count()).select_from(model).where(model.member_id == member_id)
    return await session.scalar(statement)


@pytest.fixture
def quote(session, make_board, make_thread):
    """An approved wisdom quote from the author's post, proposed by `proposer`."""

    async def make(author, curator, *, proposer=None):
        board = await make_board("my-story")
        post = await make_thread(board, author, title="Our R talk", body=f"Hello.\n\n{WORDS}")
        proposing = Viewer.of(proposer or curator)
        wisdom = await propose_wisdom(
            session, proposing, await access_post(session, proposing, post.id), passage=WORDS
        )
        await approve_wisdom(
            session, Viewer.of(curator), wisdom, ApproveForm(new_collection="Listening")
        )
        return wisdom, post

    return make


async def test_member_saves_whether_their_wisdom_keeps_their_handle(client, session, user, log_in):
    await log_in(client, user)
    page = await client.get("/account")
    assert "Your wisdom" in page.text and 'name="keep_handle" value="1">' in page.text
    saved = await client.post(
        "/account/wisdom-handle", data={"keep_handle": "1", "csrf_token": csrf(client)}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/account#your-wisdom"
    await session.refresh(user)
    assert user.wisdom_keeps_handle is True
    page = await client.get("/account")
    assert 'name="keep_handle" value="1" checked>' in page.text
    # The deletion form offers the same choice, already ticked.
    assert 'name="keep_handle_on_wisdom" value="1" checked>' in page.text
    await client.post("/account/wisdom-handle", data={"csrf_token": csrf(client)})
    await session.refresh(user)
    assert user.wisdom_keeps_handle is False


async def test_a_guest_cannot_save_the_setting_or_delete_an_account(client):
    saved = await client.post("/account/wisdom-handle", data={"csrf_token": csrf(client)})
    assert saved.status_code == 303 and saved.headers["location"].startswith("/login")
    deleted = await delete_account(client)
    assert deleted.status_code == 303 and deleted.headers["location"].startswith("/login")


async def test_deletion_without_the_form_token_is_refused(client, session, user, log_in):
    await log_in(client, user)
    response = await client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 403
    await session.refresh(user)
    assert user.handle == "Harbor_Light"


async def test_account_page_explains_what_deletion_does(client, user, log_in):
    await log_in(client, user)
    page = await client.get("/account")
    assert "Delete my account" in page.text
    assert "Your posts stay" in page.text and f"former.member.{user.id}" in page.text
    assert "“a former member”" in page.text
    assert 'type="password"' in page.text and 'class="danger">Delete my account' in page.text


async def test_a_wrong_password_is_refused_beside_the_field_keeping_the_choice_and_counted(
    client, session, user, log_in
):
    await log_in(client, user)
    response = await delete_account(client, password="not my password at all", keep=True)
    assert response.status_code == 422
    assert (
        'id="password-error"' in response.text and "That isn&#39;t your password." in response.text
    )
    assert 'name="keep_handle_on_wisdom" value="1" checked>' in response.text
    await session.refresh(user)
    assert user.handle == "Harbor_Light" and user.wisdom_keeps_handle is False
    assert await login_hits(session, "harbor_light") == 1


async def test_once_the_login_limit_is_spent_even_the_right_password_waits(
    client, session, user, log_in, monkeypatch
):
    monkeypatch.setattr(settings, "login_attempts_per_handle", 2)
    await log_in(client, user)
    for _ in range(2):
        assert (await delete_account(client, password="a wrong guess")).status_code == 422
    refused = await delete_account(client)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many attempts to log in to this handle." in refused.text
    await session.refresh(user)
    assert user.handle == "Harbor_Light"


async def test_deleting_anonymises_the_member_and_everything_tied_to_them_goes(
    client, session, user, log_in, make_board
):
    board = await make_board("my-story")
    session.add(Notification(member_id=user.id, message="Your post was approved."))
    session.add(BoardModerator(member_id=user.id, board_id=board.id))
    user.email = "harbor@example.org"
    token = await create_api_token(session, user.id, "script")
    await log_in(client, user)
    old_cookie = client.cookies.get(SESSION_COOKIE)

    response = await delete_account(client)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]

    await session.refresh(user)
    assert user.handle == f"former.member.{user.id}"
    assert user.handle_key == f"former.member.{user.id}" and user.email is None
    assert user.role == "member" and not verify_password(user.password_hash, PASSWORD)
    for model in (LoginSession, ApiToken, Notification, BoardModerator):
        assert await count(session, model, user.id) == 0
    # The old cookie and token now belong to nobody.
    client.cookies.set(SESSION_COOKIE, old_cookie)
    account = await client.get("/account")
    assert account.status_code == 303 and account.headers["location"].startswith("/login")
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401


async def test_the_old_handle_no_longer_logs_in_or_has_a_profile(client, user, log_in):
    await log_in(client, user)
    await delete_account(client)
    login = await client.post(
        "/login",
        data={"handle": "Harbor_Light", "password": PASSWORD, "csrf_token": csrf(client)},
    )
    assert login.status_code == 422
    assert "That handle and password don&#39;t match." in login.text
    assert (await client.get("/u/Harbor_Light")).status_code == 404


async def test_posts_stay_and_show_the_anonymous_name(
    client, user, log_in, make_board, make_thread
):
    board = await make_board("my-story")
    post = await make_thread(board, user, title="Where we are now", body="Still standing.")
    await log_in(client, user)
    await delete_account(client)
    thread = await client.get(f"/t/{post.thread_id}")
    assert thread.status_code == 200
    assert "Still standing." in thread.text and f"former.member.{user.id}" in thread.text
    assert "Harbor_Light" not in thread.text
    profile = await client.get(f"/u/former.member.{user.id}")
    assert profile.status_code == 200 and "Where we are now" in profile.text


async def test_wisdom_reads_a_former_member_once_the_author_has_gone(
    client, session, user, moderator, log_in, quote
):
    # The author proposed their own words: "Proposed by" must not name them either.
    wisdom, _ = await quote(user, moderator, proposer=user)
    await log_in(client, user)
    await delete_account(client)
    await session.refresh(wisdom)
    assert (wisdom.author_id, wisdom.author_name) == (None, "")
    assert wisdom.proposed_by_name == "a former member"
    await log_in(client, moderator)  # curators see "Proposed by" too
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert page.status_code == 200 and WORDS in page.text
    assert '<p class="wisdom-by">— a former member</p>' in page.text
    assert "Harbor_Light" not in page.text
    profile = await client.get(f"/u/former.member.{user.id}")
    assert "Wisdom from" not in profile.text and WORDS not in profile.text


async def test_wisdom_keeps_the_handle_when_the_author_chose_to(
    client, session, user, moderator, log_in, quote
):
    wisdom, _ = await quote(user, moderator)
    await log_in(client, user)
    await delete_account(client, keep=True)
    await session.refresh(wisdom)
    assert wisdom.author_id is None and wisdom.author_name == "Harbor_Light"
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert '<p class="wisdom-by">— Harbor_Light</p>' in page.text
    assert "a former member" not in page.text
    # Credited, but no longer a link to a profile that would show the anonymous account.
    assert 'href="/u/Harbor_Light"' not in page.text


async def test_the_only_administrator_cannot_delete_their_account(client, session, admin, log_in):
    await log_in(client, admin)
    page = await client.get("/account")
    assert "You are the forum's only administrator" in page.text
    assert 'action="/account/delete"' not in page.text
    response = await delete_account(client)
    assert response.status_code == 403
    assert "Make another member an administrator first." in response.text
    await session.refresh(admin)
    assert admin.handle == "Willow.Creek"


async def test_an_administrator_may_leave_while_another_remains(
    client, session, admin, make_member, log_in
):
    await make_member("Second.Keeper", role="admin")
    await log_in(client, admin)
    assert (await delete_account(client)).status_code == 303
    await session.refresh(admin)
    assert admin.role == "member" and admin.handle == f"former.member.{admin.id}"


async def test_the_audit_row_names_only_the_anonymous_handle(client, session, user, log_in):
    await log_in(client, user)
    await delete_account(client)
    entry = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "member.delete"))
    ).one()
    anonymous = f"former.member.{user.id}"
    assert (entry.actor_id, entry.target_kind, entry.target_id) == (user.id, "member", user.id)
    assert entry.actor_name == anonymous and entry.target_label == anonymous
    assert "Harbor_Light" not in repr(entry.model_dump())
