"""The site settings, invitations and join requests over JSON: the pages' rules, as JSON."""

from sqlalchemy import select
from support import PASSWORD, csrf

from forum.accounts.models import Member
from forum.site.models import Invitation
from forum.site.settings import DEFAULT_DESCRIPTION, load_site


async def test_anyone_reads_the_title_description_rules_and_how_to_join(client, set_site):
    await set_site(title="Still Standing", rules="Be **kind**.", registration="approval")

    response = await client.get("/api/v1/site")

    assert response.status_code == 200
    assert response.json() == {
        "title": "Still Standing",
        "description": DEFAULT_DESCRIPTION,
        "rules": "Be **kind**.",
        "rules_html": "<p>Be <strong>kind</strong>.</p>\n",
        "registration": "approval",
    }


async def test_administrators_change_some_fields_and_keep_the_rest(client, session, admin, bearer):
    auth = await bearer(admin)
    changed = await client.put(
        "/api/v1/site", json={"registration": "invitation", "rules": "Be kind."}, headers=auth
    )
    assert changed.status_code == 200
    assert changed.json()["registration"] == "invitation"
    assert changed.json()["title"] == "Common Ground"  # left out, so kept
    assert changed.json()["rules_html"] == "<p>Be kind.</p>\n"
    assert (await load_site(session)).registration == "invitation"
    # The saving process shows it at once, though its cache had read the defaults first.
    assert (await client.get("/api/v1/site")).json()["registration"] == "invitation"


async def test_bad_settings_are_answered_with_each_field_to_fix(client, session, admin, bearer):
    auth = await bearer(admin)
    response = await client.put(
        "/api/v1/site",
        json={"title": "", "description": "x" * 400, "registration": "sometimes"},
        headers=auth,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert set(body["fields"]) == {"title", "description", "registration"}
    assert "Give the forum a name" in body["fields"]["title"]
    assert (await load_site(session)).title == "Common Ground"


async def test_only_administrators_change_the_settings_and_browsers_need_the_csrf_header(
    client, session, moderator, admin, bearer, log_in
):
    guest = await client.put("/api/v1/site", json={"title": "Mine"})
    assert guest.status_code == 401
    refused = await client.put(
        "/api/v1/site", json={"title": "Mine"}, headers=await bearer(moderator)
    )
    assert refused.status_code == 403
    assert refused.json()["message"] == "Only administrators can change the forum's settings."
    await session.refresh(admin)  # the refused request rolled back and expired it
    await log_in(client, admin)
    forged = await client.put("/api/v1/site", json={"title": "Mine"})
    assert forged.status_code == 403
    allowed = await client.put(
        "/api/v1/site", json={"title": "Mine"}, headers={"X-CSRF-Token": csrf(client)}
    )
    assert allowed.status_code == 200 and allowed.json()["title"] == "Mine"


async def test_staff_create_list_and_revoke_invitations(client, session, moderator, bearer):
    auth = await bearer(moderator)
    created = await client.post(
        "/api/v1/invitations", json={"note": "Sam from Tuesdays", "days": 2}, headers=auth
    )
    assert created.status_code == 201
    body = created.json()
    assert body["link"].startswith("http://test/invite/")
    assert body["state"] == "waiting" and body["created_by"] == "Quiet.Keeper"

    listed = await client.get("/api/v1/invitations", headers=auth)
    assert [i["note"] for i in listed.json()] == ["Sam from Tuesdays"]
    assert "link" not in listed.json()[0] and "token_hash" not in listed.json()[0]
    revoked = await client.delete(f"/api/v1/invitations/{body['id']}", headers=auth)
    assert revoked.status_code == 204
    assert (await client.delete(f"/api/v1/invitations/{body['id']}", headers=auth)).status_code == (
        204
    )
    assert (await client.get("/api/v1/invitations", headers=auth)).json()[0]["state"] == "revoked"


async def test_a_used_invitation_cannot_be_revoked_and_bad_input_names_the_field(
    client, session, admin, invite, bearer, post_form
):
    invitation, token = await invite()
    await post_form(client, f"/invite/{token}", handle="New.Leaf", password=PASSWORD)
    client.cookies.clear()
    auth = await bearer(admin)

    used = await client.delete(f"/api/v1/invitations/{invitation.id}", headers=auth)
    assert used.status_code == 409
    assert "this one is used" in used.json()["message"]
    listed = (await client.get("/api/v1/invitations", headers=auth)).json()
    assert listed[0]["state"] == "used" and listed[0]["used_by"] == "New.Leaf"
    bad = await client.post("/api/v1/invitations", json={"note": "", "days": 0}, headers=auth)
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"note", "days"}
    assert len((await session.scalars(select(Invitation))).all()) == 1


async def test_members_cannot_invite_or_see_join_requests(client, user, bearer):
    auth = await bearer(user)
    assert (await client.get("/api/v1/invitations", headers=auth)).status_code == 403
    made = await client.post("/api/v1/invitations", json={"note": "A friend"}, headers=auth)
    assert made.status_code == 403
    assert (await client.get("/api/v1/registrations", headers=auth)).status_code == 403


async def test_moderators_list_approve_and_turn_down_join_requests(
    client, session, moderator, waiting_member, bearer
):
    await waiting_member("New.Leaf")
    await waiting_member("Spam.Bot")
    auth = await bearer(moderator)

    listed = await client.get("/api/v1/registrations", headers=auth)
    assert [r["handle"] for r in listed.json()] == ["New.Leaf", "Spam.Bot"]
    approved = await client.post("/api/v1/registrations/new.leaf/approve", headers=auth)
    assert approved.status_code == 204
    rejected = await client.post(
        "/api/v1/registrations/Spam.Bot/reject", json={"reason": "Spam"}, headers=auth
    )
    assert rejected.status_code == 204

    assert (await client.get("/api/v1/registrations", headers=auth)).json() == []
    handles = (await session.scalars(select(Member.handle))).all()
    assert "New.Leaf" in handles and "Spam.Bot" not in handles
    missing = await client.post("/api/v1/registrations/Spam.Bot/approve", headers=auth)
    assert missing.status_code == 404
