"""Staff invite people with single-use links; the link lets one person join, in any mode."""

import asyncio
import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import create_async_engine
from support import PASSWORD

from forum.accounts.forms import Registration
from forum.accounts.models import Member
from forum.auth.viewer import SESSION_COOKIE
from forum.core.security import hash_secret, new_secret
from forum.core.time import utcnow
from forum.db import async_url, transaction
from forum.moderation.models import AuditEntry, BoardModerator
from forum.site.actions import JoinRefused, join_by_invitation, short_date
from forum.site.models import Invitation

LINK = re.compile(r"http://test/invite/([A-Za-z0-9_-]{20,})")


async def _join(post_form, client, token, handle="New.Leaf"):
    return await post_form(client, f"/invite/{token}", handle=handle, password=PASSWORD)


async def test_staff_get_the_link_once_and_the_forum_keeps_only_its_hash(
    client, session, moderator, log_in, post_form
):
    await log_in(client, moderator)

    created = await post_form(client, "/admin/invitations", note="Sam from Tuesdays", days="3")

    assert created.status_code == 200
    assert "shown only this once" in created.text
    token = LINK.search(created.text)[1]
    invitation = await session.scalar(select(Invitation))
    assert invitation.token_hash == hash_secret(token)
    assert invitation.note == "Sam from Tuesdays" and invitation.created_by_name == "Quiet.Keeper"
    assert 2 < (invitation.expires_at - invitation.created_at).total_seconds() / 86400 <= 3
    listed = await client.get("/admin/invitations")
    assert "Sam from Tuesdays" in listed.text and "Waiting" in listed.text
    assert token not in listed.text
    audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "invitation.create"))
    assert audit.target_label == "Sam from Tuesdays"


async def test_a_refused_invitation_form_keeps_the_note_and_names_each_problem(
    client, session, admin, log_in, post_form
):
    await log_in(client, admin)
    refused = await post_form(client, "/admin/invitations", note="Sam " + "x" * 200, days="45")
    assert refused.status_code == 422
    assert 'id="note-error"' in refused.text and "200 characters" in refused.text
    assert 'id="days-error"' in refused.text and "from 1 to 30 days" in refused.text
    assert 'value="Sam ' + "x" * 200 in refused.text and 'value="45"' in refused.text
    empty = await post_form(client, "/admin/invitations", note="  ", days="7")
    assert "Say who it&#39;s for" in empty.text
    assert await session.scalar(select(Invitation)) is None


@pytest.mark.parametrize("mode", ["invitation", "approval", "open"])
async def test_a_newcomer_joins_through_the_link_and_never_waits_for_approval(
    client, session, set_site, invite, post_form, mode
):
    await set_site(registration=mode)
    invitation, token = await invite()

    page = await client.get(f"/invite/{token}")
    assert page.status_code == 200
    assert "Willow.Creek invited you to join." in page.text
    assert '<a href="/rules">community rules</a>' in page.text
    assert "Sam from the Tuesday group" not in page.text  # the note is for staff only
    joined = await _join(post_form, client, token)

    assert joined.status_code == 303 and joined.headers["location"] == "/"
    assert SESSION_COOKIE in joined.headers["set-cookie"]
    member = await session.scalar(select(Member).where(Member.handle == "New.Leaf"))
    assert member.awaiting_approval is False
    await session.refresh(invitation)
    assert invitation.used_by_id == member.id and invitation.used_at is not None
    assert "New.Leaf" in (await client.get("/")).text


async def test_a_used_link_is_refused_and_says_who_to_ask(client, set_site, invite, post_form):
    await set_site(registration="invitation")
    _, token = await invite()
    assert (await _join(post_form, client, token)).status_code == 303
    client.cookies.clear()

    again = await _join(post_form, client, token, handle="Second.Try")
    page = await client.get(f"/invite/{token}")

    assert again.status_code == page.status_code == 410
    for response in (again, page):
        assert "This invitation has been used already" in response.text
        assert "Ask Willow.Creek (who sent it) or another member of staff" in response.text
    assert 'action="/invite/' not in page.text


async def test_an_expired_link_says_when_it_expired_and_who_to_ask(client, invite, post_form):
    invitation, token = await invite(expired_days_ago=4)

    page = await client.get(f"/invite/{token}")

    assert page.status_code == 410
    expected = (
        f"This invitation expired on {short_date(invitation.expires_at)}. "
        "Ask Willow.Creek (who sent it) or another member of staff for a new one."
    )
    assert str(escape(expected)) in page.text
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", short_date(invitation.expires_at))
    assert (await _join(post_form, client, token)).status_code == 410


async def test_a_revoked_link_stops_working_and_says_who_to_ask(
    client, session, moderator, invite, log_in, post_form
):
    invitation, token = await invite(by=moderator)
    await log_in(client, moderator)
    revoked = await post_form(client, f"/admin/invitations/{invitation.id}/revoke")
    assert revoked.status_code == 303
    assert "Revoked" in (await client.get("/admin/invitations")).text
    client.cookies.clear()

    page = await client.get(f"/invite/{token}")

    assert page.status_code == 410
    assert "withdrawn" in page.text and "Ask Quiet.Keeper (who sent it)" in page.text


async def test_a_wrong_link_says_it_is_not_valid(client, post_form):
    page = await client.get("/invite/not-a-real-token")
    assert page.status_code == 404
    assert "This invitation link isn&#39;t valid." in page.text
    assert (await _join(post_form, client, "not-a-real-token")).status_code == 404


async def test_a_refused_join_through_a_link_keeps_what_was_typed(client, invite, user, post_form):
    _, token = await invite()
    taken = await post_form(
        client, f"/invite/{token}", handle="harbor_light", password=PASSWORD, email="me@x.org"
    )
    assert taken.status_code == 422
    assert "Someone already uses that handle." in taken.text
    assert 'value="harbor_light"' in taken.text and 'value="me@x.org"' in taken.text
    assert (await client.get(f"/invite/{token}")).status_code == 200  # still unused


async def test_members_and_board_moderators_cannot_invite(
    client, session, user, make_board, make_member, log_in, post_form
):
    board = await make_board("my-story")
    board_mod = await make_member("Board.Keeper")
    session.add(BoardModerator(member_id=board_mod.id, board_id=board.id))
    for member in (user, board_mod):
        await session.refresh(member)
        client.cookies.clear()
        await log_in(client, member)
        assert (await client.get("/admin/invitations")).status_code == 403
        refused = await post_form(client, "/admin/invitations", note="My friend", days="7")
        assert refused.status_code == 403
    assert await session.scalar(select(Invitation)) is None


async def test_creating_invitations_is_limited_to_twenty_an_hour(
    client, session, moderator, log_in, post_form
):
    await log_in(client, moderator)
    for number in range(20):
        made = await post_form(client, "/admin/invitations", note=f"Friend {number}", days="7")
        assert made.status_code == 200

    refused = await post_form(client, "/admin/invitations", note="One more friend", days="7")

    assert refused.status_code == 429
    assert "Try again in" in refused.text and refused.headers["Retry-After"]
    assert 'value="One more friend"' in refused.text
    assert len((await session.scalars(select(Invitation))).all()) == 20


async def test_two_people_using_one_link_at_the_same_moment_cannot_both_join(database_url):
    """Real transactions on two connections: the row lock makes the second wait, then fail."""
    engine = create_async_engine(async_url(database_url))
    handles = ("Race.One", "Race.Two")
    try:
        # Made by hand, not by create_invitation(): its audit entry would outlive the test
        # (the audit log refuses deletes) and show in other tests' logs.
        token = new_secret()
        async with transaction(engine) as setup:
            setup.add(
                Invitation(
                    token_hash=hash_secret(token),
                    note="Race",
                    created_by_name="Willow.Creek",
                    expires_at=utcnow() + timedelta(days=1),
                )
            )

        async def attempt(handle: str) -> str:
            try:
                async with transaction(engine) as db:
                    form = Registration(handle=handle, password=PASSWORD)
                    await join_by_invitation(db, token, form)
                    await asyncio.sleep(0.2)  # hold the lock while the other one tries
            except JoinRefused as refused:
                return str(refused)
            return "joined"

        results = await asyncio.gather(*(attempt(handle) for handle in handles))

        assert sorted(results)[0].startswith("This invitation has been used already")
        assert sorted(results)[1] == "joined"
    finally:
        async with transaction(engine) as cleanup:
            await cleanup.execute(delete(Invitation).where(Invitation.note == "Race"))
            await cleanup.execute(delete(Member).where(Member.handle.in_(handles)))
        await engine.dispose()


async def test_a_link_admits_its_person_even_when_the_address_has_used_its_registrations(
    client, invite, post_form, monkeypatch
):
    from forum.config import settings

    _, token = await invite()
    monkeypatch.setattr(settings, "registrations_per_ip", 0)
    refused = await post_form(client, "/register", handle="Open.Door", password=PASSWORD)
    assert refused.status_code == 429

    joined = await _join(post_form, client, token)

    assert joined.status_code == 303 and joined.headers["location"] == "/"
