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
