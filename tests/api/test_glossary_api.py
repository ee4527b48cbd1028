"""The glossary through the JSON API: read by anyone, changed by moderators, shown in posts."""

import pytest
from sqlalchemy import select
from support import csrf

from forum.accounts.actions import create_api_token
from forum.glossary.annotate import forget_annotations, forget_glossary
from forum.glossary.models import GlossaryTerm
from forum.moderation.models import AuditEntry


@pytest.fixture(autouse=True)
def _fresh_glossary():
    """Terms roll back after each test; the process must not remember them for the next one."""
    forget_glossary()
    forget_annotations()
    yield
    forget_glossary()
    forget_annotations()


@pytest.fixture
async def moderator_auth(session, moderator):
    return {"Authorization": f"Bearer {await create_api_token(session, moderator.id, 'glossary')}"}


async def test_anyone_reads_the_glossary_alphabetically_ignoring_case(client, session):
    for term, meaning in [("W", "Wife"), ("bs", "lower-case"), ("BS", "Betrayed spouse")]:
        session.add(GlossaryTerm(term=term, meaning=meaning, created_by_name="Quiet.Keeper"))
    await session.flush()
    response = await client.get("/api/v1/glossary")
    assert response.status_code == 200
    assert [(t["term"], t["meaning"]) for t in response.json()] == [
        ("BS", "Betrayed spouse"),
        ("bs", "lower-case"),
        ("W", "Wife"),
    ]
    assert set(response.json()[0]) == {
        "id",
        "term",
        "meaning",
        "created_by_name",
        "created_at",
        "updated_at",
    }


async def test_moderator_adds_renames_and_removes_a_term_each_audited(
    client, session, moderator_auth
):
    created = await client.post(
        "/api/v1/glossary",
        json={"term": " LC ", "meaning": "Limited contact"},
        headers=moderator_auth,
    )
    assert created.status_code == 201
    term = created.json()
    assert (term["term"], term["created_by_name"]) == ("LC", "Quiet.Keeper")
    renamed = await client.patch(
        f"/api/v1/glossary/{term['id']}",
        json={"meaning": "Limited contact: only what's needed"},
        headers=moderator_auth,
    )
    assert renamed.status_code == 200
    assert renamed.json()["term"] == "LC"
    assert renamed.json()["meaning"] == "Limited contact: only what's needed"
    removed = await client.delete(
        f"/api/v1/glossary/{term['id']}?reason=Duplicate", headers=moderator_auth
    )
    assert removed.status_code == 204
    assert (await client.get("/api/v1/glossary")).json() == []
    audit = (
        await session.scalars(
            select(AuditEntry).where(AuditEntry.target_kind == "glossary").order_by(AuditEntry.id)
        )
    ).all()
    assert [(e.action, e.target_id) for e in audit] == [
        ("glossary.add", term["id"]),
        ("glossary.edit", term["id"]),
        ("glossary.remove", term["id"]),
    ]
    assert audit[2].reason == "Duplicate"


async def test_a_moderator_with_the_session_cookie_sends_the_csrf_header(client, moderator, log_in):
    await log_in(client, moderator)
    body = {"term": "OW", "meaning": "Other woman"}
    refused = await client.post("/api/v1/glossary", json=body)
    assert refused.status_code == 403
    created = await client.post(
        "/api/v1/glossary", json=body, headers={"X-CSRF-Token": csrf(client)}
    )
    assert created.status_code == 201


async def test_members_are_refused_with_a_reason_and_guests_asked_to_log_in(client, session, user):
    body = {"term": "W", "meaning": "Wife"}
    guest = await client.post("/api/v1/glossary", json=body)
    assert guest.status_code == 401
    assert guest.json()["error"] == "login_required"
    token = await create_api_token(session, user.id, "script")
    member = await client.post(
        "/api/v1/glossary", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert member.status_code == 403
    assert member.json() == {
        "error": "forbidden",
        "message": "Only moderators change the glossary. If a term is missing or unclear, "
        "tell one of them.",
    }


async def test_invalid_and_taken_terms_name_the_field_to_fix(client, session, moderator_auth):
    empty = await client.post(
        "/api/v1/glossary", json={"term": " ", "meaning": ""}, headers=moderator_auth
    )
    assert empty.status_code == 422
    assert set(empty.json()["fields"]) == {"term", "meaning"}
    long = await client.post(
        "/api/v1/glossary", json={"term": "x" * 41, "meaning": "m"}, headers=moderator_auth
    )
    assert long.json()["fields"]["term"] == "Terms can be at most 40 characters; this one has 41."
    first = await client.post(
        "/api/v1/glossary", json={"term": "H", "meaning": "Husband"}, headers=moderator_auth
    )
    second = await client.post(
        "/api/v1/glossary", json={"term": "W", "meaning": "Wife"}, headers=moderator_auth
    )
    taken = await client.post(
        "/api/v1/glossary", json={"term": "H", "meaning": "Hope"}, headers=moderator_auth
    )
    assert taken.status_code == 422
    assert taken.json()["fields"] == {
        "term": "The glossary already has “H”: edit that entry instead."
    }
    rename = await client.patch(
        f"/api/v1/glossary/{second.json()['id']}", json={"term": "H"}, headers=moderator_auth
    )
    assert rename.status_code == 422 and "term" in rename.json()["fields"]
    too_long = await client.patch(
        f"/api/v1/glossary/{first.json()['id']}",
        json={"meaning": "m" * 301},
        headers=moderator_auth,
    )
    assert too_long.status_code == 422 and "meaning" in too_long.json()["fields"]


async def test_a_missing_term_is_not_found(client, moderator_auth):
    patched = await client.patch(
        "/api/v1/glossary/987654", json={"meaning": "x"}, headers=moderator_auth
    )
    assert patched.status_code == 404 and patched.json()["error"] == "not_found"
    deleted = await client.delete("/api/v1/glossary/987654", headers=moderator_auth)
    assert deleted.status_code == 404


async def test_thread_html_from_the_api_explains_a_term_added_after_the_post(
    client, user, moderator_auth, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body="My H came home. `H` stays code.")
    before = (await client.get(f"/api/v1/threads/{post.thread_id}")).json()["posts"][0]
    assert "<abbr" not in before["html"]
    await client.post(
        "/api/v1/glossary", json={"term": "H", "meaning": "Husband"}, headers=moderator_auth
    )
    after = (await client.get(f"/api/v1/threads/{post.thread_id}")).json()["posts"][0]
    assert after["html"] == (
        '<p>My <abbr title="Husband" tabindex="0">H</abbr> came home. '
        "<code>H</code> stays code.</p>\n"
    )
    single = (await client.get(f"/api/v1/posts/{post.id}")).json()
    assert single["html"] == after["html"]
    assert single["source"] == "My H came home. `H` stays code."
