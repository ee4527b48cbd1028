"""Every page template extends the base layout and names its page."""

import re

from forum.core.templating import ROOT

TEMPLATES = ROOT / "templates"


def test_every_page_template_sets_a_title():
    pages = [
        p
        for p in TEMPLATES.rglob("*.html")
        if not p.name.startswith("_") and p.parent.name != "_macros"
    ]
    assert len(pages) >= 10
    for page in pages:
        if page.name == "base.html":
            continue
        text = page.read_text()
        assert '{% extends "base.html" %}' in text, page
        assert re.search(r"{% block title %}.+?{% endblock %}", text), f"{page} has no title"


async def test_error_pages_are_friendly_and_carry_no_trace(client):
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert "<title>Page not found" in response.text
    assert "Traceback" not in response.text


async def test_a_server_fault_shows_a_friendly_page_and_json_without_details(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database exploded: secret internals")

    monkeypatch.setattr("forum.boards.views.boards_with_latest", broken)
    monkeypatch.setattr("forum.boards.api.listed_boards", broken)
    page = await client.get("/")
    assert page.status_code == 500
    assert "Something went wrong on our side" in page.text
    assert "secret internals" not in page.text and "Traceback" not in page.text
    api = await client.get("/api/v1/boards")
    assert api.status_code == 500
    assert api.json()["error"] == "server_error" and "secret" not in api.text


async def test_session_cookie_is_secure_when_served_over_https(client, user):
    from support import PASSWORD, csrf

    client.base_url = "https://forum.test"  # the same app and database, reached over HTTPS
    form = await client.get("/login")
    assert "Secure" in form.headers["set-cookie"]
    response = await client.post(
        "/login",
        data={"handle": user.handle, "password": PASSWORD, "csrf_token": csrf(client)},
    )
    assert "Secure" in response.headers["set-cookie"]
