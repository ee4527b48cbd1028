"""Administrators name the forum, describe it and write its rules; every page follows."""

import logging

from sqlalchemy import select, update

from forum.moderation.models import AuditEntry, SiteSetting
from forum.site.settings import DEFAULT_DESCRIPTION, NO_RULES, load_site

RULES = """Be kind. Everyone here is going through something hard.

- No real names, yours or anyone else's.
- Advice is an offer, never an order.
"""


async def _save(post_form, client, **fields):
    data = {
        "title": "Common Ground",
        "description": DEFAULT_DESCRIPTION,
        "rules": "",
        "registration": "open",
        **fields,
    }
    return await post_form(client, "/admin/settings", **data)


async def test_the_administrators_title_description_and_rules_show_on_every_page(
    client, session, admin, log_in, post_form, make_board
):
    await make_board("my-story")
    await log_in(client, admin)
    saved = await _save(
        post_form,
        client,
        title="Still Standing",
        description="Peer support through separation and loss.",
        rules=RULES,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/admin/settings?done=saved"

    home = await client.get("/")
    assert "<title>Boards · Still Standing</title>" in home.text
    assert '<a class="brand" href="/">Still Standing</a>' in home.text
    assert "Welcome to Still Standing" in home.text
    assert '<meta name="description" content="Peer support through separation and loss.">' in (
        home.text
    )
    assert "Peer support through separation and loss." in home.text.split("<main")[1]
    assert "Common Ground" not in home.text
    rules = await client.get("/rules")
    assert "<li>No real names, yours or anyone else's.</li>" in rules.text
    assert "Still Standing is a peer-support community" in rules.text  # the footer too
    page = await client.get(saved.headers["location"])
    assert "Saved. Every page shows the change within a second." in page.text


async def test_every_change_is_audited_with_what_it_was_before_and_after(
    client, session, admin, log_in, post_form
):
    await log_in(client, admin)
    await _save(post_form, client, title="Still Standing", registration="approval")
    await _save(post_form, client, title="Still Standing", registration="approval")  # no change

    entries = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "site.settings"))
    ).all()
    assert len(entries) == 1
    before, after = entries[0].details["before"], entries[0].details["after"]
    assert (before["title"], after["title"]) == ("Common Ground", "Still Standing")
    assert (before["registration"], after["registration"]) == ("open", "approval")
    assert entries[0].actor_name == "Willow.Creek"
    log = await client.get("/review/audit")
    assert "Changed the site settings" in log.text
    assert "registration: open → approval" in log.text


async def test_a_refused_settings_form_names_each_problem_and_keeps_what_was_typed(
    client, session, admin, log_in, post_form
):
    await log_in(client, admin)
    long_rules = "Please read these slowly.\n\n" + "Be gentle. " * 40
    refused = await _save(
        post_form,
        client,
        title="   ",
        description="x" * 301,
        rules=long_rules,
        registration="everyone",
    )

    assert refused.status_code == 422
    assert 'id="title-error"' in refused.text and "Give the forum a name" in refused.text
    assert 'id="description-error"' in refused.text and "(it has 301)" in refused.text
    assert 'id="registration-error"' in refused.text
    assert "Be gentle. Be gentle." in refused.text  # the rules, not lost
    assert "x" * 301 in refused.text
    assert (await load_site(session)).title == "Common Ground"  # nothing saved


async def test_rules_are_sanitised_when_saved_and_a_default_shows_until_they_are_written(
    client, session, admin, log_in, post_form
):
    before = await client.get("/rules")
    assert before.status_code == 200
    assert NO_RULES.replace("'", "&#39;") in before.text

    await log_in(client, admin)
    await _save(post_form, client, rules="**Be kind.**\n\n<script>alert(1)</script>")
    stored = await load_site(session)
    assert "<strong>Be kind.</strong>" in stored.rules_html
    assert "<script>" not in stored.rules_html
    page = await client.get("/rules")
    assert "<strong>Be kind.</strong>" in page.text and "<script>alert" not in page.text


async def test_only_administrators_change_the_settings(
    client, session, moderator, user, log_in, post_form
):
    guest = await client.get("/admin/settings")
    assert guest.status_code == 303 and guest.headers["location"].startswith("/login")
    for member in (user, moderator):
        client.cookies.clear()
        await session.refresh(member)
        await log_in(client, member)
        assert (await client.get("/admin/settings")).status_code == 403
        refused = await _save(post_form, client, title="Taken Over")
        assert refused.status_code == 403
    assert (await load_site(session)).title == "Common Ground"


async def test_the_composer_the_join_page_and_the_footer_link_to_the_rules(
    client, user, log_in, make_board
):
    await make_board("my-story")
    join = await client.get("/register")
    assert 'By joining you agree to the <a href="/rules">community rules</a>' in join.text
    await log_in(client, user)
    composer = await client.get("/b/my-story/new")
    hint = composer.text.split('id="body-hint"')[1].split("</p>")[0]
    assert 'href="/rules"' in hint and "Community rules" in hint
    assert '<a href="/rules">Community rules</a>' in composer.text  # the footer


async def test_a_hand_edited_invalid_row_falls_back_to_the_defaults_with_a_warning(
    client, session, set_site, caplog
):
    await set_site(title="Still Standing")
    await session.execute(
        update(SiteSetting)
        .where(SiteSetting.key == "site")
        .values(value={"version": 9, "title": "", "registration": "sometimes"})
    )
    with caplog.at_level(logging.WARNING, logger="forum"):
        home = await client.get("/")
    assert home.status_code == 200
    assert '<a class="brand" href="/">Common Ground</a>' in home.text
    assert "site_settings.site is not valid" in caplog.text
    # Joining stays possible on the defaults.
    assert (await load_site(session)).registration == "open"
