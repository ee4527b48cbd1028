"""Roles × actions, driven through the pages and the API: both must agree with the policy module.

Each case logs a persona in (session cookie for pages, personal token for the API), tries one
action on another member's thread or post in the "my-story" board, and checks the answer:
allowed, refused (403), or sent to log in (guests, and suspended members whose sessions and
tokens no longer work).
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from support import csrf

from forum.accounts.actions import create_api_token
from forum.core.time import utcnow
from forum.moderation.models import BoardModerator

PERSONAS = [
    "guest",
    "member",
    "silenced",
    "suspended",
    "senior",
    "board_mod_here",
    "board_mod_elsewhere",
    "moderator",
    "admin",
]
MEMBERS = {"member", "senior", "board_mod_here", "board_mod_elsewhere", "moderator", "admin"}
MODERATORS_HERE = {"board_mod_here", "moderator", "admin"}
ANY_MODERATOR = MODERATORS_HERE | {"board_mod_elsewhere"}
STAFF = {"moderator", "admin"}


@dataclass(frozen=True)
class Case:
    """One action as a page request and as an API request, and who may take it."""

    name: str
    allowed: set[str]
    page: tuple[str, str, dict[str, str]]  # method, path, form
    api: tuple[str, str, dict[str, object] | None]  # method, path, JSON


CASES = [
    Case(
        "reply",
        MEMBERS,
        ("POST", "/t/{thread}/reply", {"body": "Sending strength."}),
        ("POST", "/api/v1/threads/{thread}/posts", {"body": "Sending strength."}),
    ),
    Case(
        "edit another's post",
        MODERATORS_HERE,
        ("POST", "/p/{post}/edit", {"body": "Edited by someone else."}),
        ("PATCH", "/api/v1/posts/{post}", {"body": "Edited by someone else."}),
    ),
    Case(
        "report a post",
        MEMBERS,
        ("POST", "/p/{post}/report", {"reason": "unkind", "note": ""}),
        ("POST", "/api/v1/posts/{post}/reports", {"reason": "unkind", "note": ""}),
    ),
    Case(
        "hide a post",
        MODERATORS_HERE,
        ("POST", "/review/p/{post}/hide", {"reason": "Unkind."}),
        ("POST", "/api/v1/review/posts/{post}/actions", {"action": "hide", "reason": "Unkind."}),
    ),
    Case(
        "lock a thread",
        MODERATORS_HERE,
        ("POST", "/t/{thread}/tools/lock", {"reason": "Cooling off."}),
        ("POST", "/api/v1/threads/{thread}/actions", {"action": "lock", "reason": "Cooling off."}),
    ),
    Case(
        "open the review queue",
        ANY_MODERATOR,
        ("GET", "/review", {}),
        ("GET", "/api/v1/review", None),
    ),
    Case(
        "browse the audit log",
        ANY_MODERATOR,
        ("GET", "/review/audit", {}),
        ("GET", "/api/v1/audit", None),
    ),
    Case(
        "suspend a member",
        STAFF,
        (
            "POST",
            "/review/members/{author}/sanctions",
            {"kind": "suspend", "days": "3", "reason": "Repeated abuse."},
        ),
        (
            "POST",
            "/api/v1/members/{author}/sanctions",
            {"kind": "suspend", "days": 3, "reason": "Repeated abuse."},
        ),
    ),
    Case(
        "grant senior status",
        STAFF,
        ("POST", "/review/members/{author}/role", {"role": "senior", "reason": "Years of help."}),
        ("PUT", "/api/v1/members/{author}/role", {"role": "senior", "reason": "Years of help."}),
    ),
    Case(
        "change the site settings",
        {"admin"},
        (
            "POST",
            "/admin/settings",
            {"title": "Still Standing", "rules": "Be kind.", "registration": "open"},
        ),
        ("PUT", "/api/v1/site", {"title": "Still Standing"}),
    ),
    Case(
        "invite someone",
        STAFF,
        ("POST", "/admin/invitations", {"note": "Sam from Tuesdays", "days": "7"}),
        ("POST", "/api/v1/invitations", {"note": "Sam from Tuesdays"}),
    ),
    Case(
        "see who is waiting to join",
        STAFF,
        ("GET", "/review/registrations", {}),
        ("GET", "/api/v1/registrations", None),
    ),
    Case(
        "add a watched word",
        {"admin"},
        ("POST", "/admin/watched-words", {"phrase": "cheap pills", "action": "block"}),
        ("POST", "/api/v1/watched-words", {"phrase": "cheap pills", "action": "block"}),
    ),
    Case(
        "create a board",
        {"admin"},
        ("POST", "/admin/boards/new", {"name": "New place", "approve_first_posts": "0"}),
        ("POST", "/api/v1/boards", {"name": "New place"}),
    ),
    Case(
        "archive a board",
        {"admin"},
        ("POST", "/admin/boards/elsewhere/archive", {}),
        ("POST", "/api/v1/boards/elsewhere/archive", {}),
    ),
]
# A silenced member keeps reading, and keeps whatever isn't writing.
SILENCED_MAY: set[str] = set()


def expected(case: Case, persona: str) -> str:
    if persona in ("guest", "suspended"):
        return "login"
    if persona == "silenced":
        return "allowed" if case.name in SILENCED_MAY else "refused"
    return "allowed" if persona in case.allowed else "refused"


@pytest.fixture
async def world(session, user, make_member, make_board, make_thread):
    """Harbor_Light's thread with one reply in "my-story"; a second board for others' moderators."""
    here = await make_board("my-story")
    elsewhere = await make_board("elsewhere")
    opening = await make_thread(here, user, replies=1)
    return {"here": here, "elsewhere": elsewhere, "opening": opening, "author": user}


async def persona_member(persona: str, world, make_member, session):
    roles = {"senior": "senior", "moderator": "moderator", "admin": "admin"}
    member = await make_member(f"Persona.{persona}", role=roles.get(persona, "member"))
    if persona == "silenced":
        member.silenced_until = utcnow() + timedelta(days=3)
    if persona == "suspended":
        member.suspended_until = utcnow() + timedelta(days=3)
    board = {"board_mod_here": "here", "board_mod_elsewhere": "elsewhere"}.get(persona)
    if board:
        session.add(BoardModerator(member_id=member.id, board_id=world[board].id))
    await session.flush()
    return member


def fill(path: str, world) -> str:
    return path.format(
        thread=world["opening"].thread_id,
        post=world["opening"].id,
        author=world["author"].handle,
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name.replace(" ", "-"))
async def test_pages_allow_exactly_the_roles_the_policy_allows(
    client, session, world, make_member, log_in, case, persona
):
    path = fill(case.page[1], world)
    if persona != "guest":
        await log_in(client, await persona_member(persona, world, make_member, session))
    method, _, form = case.page
    if method == "GET":
        response = await client.get(path)
    else:
        response = await client.post(path, data={**form, "csrf_token": csrf(client)})

    outcome = expected(case, persona)
    if outcome == "login":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
    elif outcome == "refused":
        assert response.status_code == 403, response.text[:300]
    else:
        assert response.status_code in (200, 303), response.text[:300]
        assert not response.headers.get("location", "").startswith("/login")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name.replace(" ", "-"))
async def test_the_api_allows_exactly_the_roles_the_policy_allows(
    client, session, world, make_member, case, persona
):
    path = fill(case.api[1], world)
    headers = {}
    if persona != "guest":
        member = await persona_member(persona, world, make_member, session)
        headers["Authorization"] = f"Bearer {await create_api_token(session, member.id, 'm')}"
    method, _, body = case.api
    response = await client.request(method, path, json=body, headers=headers)

    outcome = expected(case, persona)
    if outcome == "login":
        assert response.status_code == 401
        assert response.json()["error"] == "login_required"
    elif outcome == "refused":
        assert response.status_code == 403, response.text[:300]
        assert response.json()["error"] == "forbidden"
    else:
        assert response.status_code in (200, 201), response.text[:300]
