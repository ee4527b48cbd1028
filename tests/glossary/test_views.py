"""The glossary pages: everyone reads them, moderators change them, posts follow at once."""

import re

from sqlalchemy import event, select
from support import csrf

from forum.glossary.models import GlossaryTerm
from forum.moderation.models import AuditEntry, BoardModerator

ABBR_H = '<abbr title="Husband" tabindex="0">H</abbr>'


async def _post_form(client, url, **data):
    return await client.post(url, data={**data, "csrf_token": csrf(client)})


async def _audit(session, action):
    return (await session.scalars(select(AuditEntry).where(AuditEntry.action == action))).all()


async def test_everyone_reads_the_glossary_alphabetically_ignoring_case(client, add_terms):
    await add_terms({"MLC": "Mid-life crisis", "h": "hours", "b": "bee", "H": "Husband", "A": "a"})
    page = await client.get("/glossary")
    assert page.status_code == 200
    assert "<title>Glossary" in page.text
    assert re.findall(r"<dt>(.*?)</dt>", page.text) == ["A", "b", "H", "h", "MLC"]
    assert "<dd>Mid-life crisis</dd>" in page.text
    assert "Add a term" not in page.text and "/glossary/terms/" not in page.text


async def test_an_empty_glossary_says_so(client):
    page = await client.get("/glossary")
    assert "The glossary has no terms yet." in page.text


async def test_every_page_links_to_the_glossary(client):
    home = await client.get("/")
    assert 'href="/glossary"' in home.text


async def test_moderator_adds_a_term_and_a_post_written_before_explains_it(
    client, session, user, moderator, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, body="H said he needs space.")
    before = await client.get(f"/t/{post.thread_id}")
    assert "<abbr" not in before.text
    await log_in(client, moderator)
    page = await client.get("/glossary")
    assert "Add a term" in page.text
    response = await _post_form(client, "/glossary/terms", term="  H ", meaning=" Husband ")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/glossary?done=added#term-")
    client.cookies.clear()
    after = await client.get(f"/t/{post.thread_id}")
    assert f"{ABBR_H} said he needs space." in after.text
    api = (await client.get(f"/api/v1/threads/{post.thread_id}")).json()
    assert ABBR_H in api["posts"][0]["html"]
    assert api["posts"][0]["html"] != post.html  # the stored post itself is never rewritten
    [entry] = await _audit(session, "glossary.add")
    assert (entry.target_kind, entry.target_label, entry.actor_name) == (
        "glossary",
        "H",
        "Quiet.Keeper",
    )
    assert entry.details == {"meaning": "Husband"}


async def test_invalid_terms_come_back_with_the_words_kept_and_the_message_beside_the_field(
    client, moderator, log_in
):
    await log_in(client, moderator)
    meaning = "Words the moderator wrote & must not lose"
    response = await _post_form(client, "/glossary/terms", term="x" * 41, meaning=meaning)
    assert response.status_code == 422
    assert "Terms can be at most 40 characters; this one has 41." in response.text
    assert "Words the moderator wrote &amp; must not lose" in response.text
    assert 'aria-invalid="true" aria-describedby="term-error"' in response.text
    response = await _post_form(client, "/glossary/terms", term="LC", meaning="   ")
    assert response.status_code == 422
    assert "Say what the term means" in response.text
    assert 'value="LC"' in response.text
    response = await _post_form(client, "/glossary/terms", term="LC", meaning="m" * 301)
    assert "Meanings can be at most 300 characters; this one has 301." in response.text
    response = await _post_form(client, "/glossary/terms", term=" -- ", meaning="Dashes")
    assert "A term needs at least one letter or digit." in response.text


async def test_terms_are_unique_but_capitals_make_a_different_term(
    client, session, moderator, log_in, add_terms
):
    await add_terms({"H": "Husband"})
    await log_in(client, moderator)
    taken = await _post_form(client, "/glossary/terms", term="H", meaning="Hope")
    assert taken.status_code == 422
    assert "The glossary already has “H”: edit that entry instead." in taken.text
    assert "Hope" in taken.text
    other = await _post_form(client, "/glossary/terms", term="h", meaning="hours")
    assert other.status_code == 303
    terms = (await session.scalars(select(GlossaryTerm.term).order_by(GlossaryTerm.term))).all()
    assert terms == ["H", "h"]


async def test_members_may_not_change_the_glossary_and_guests_are_asked_to_log_in(
    client, user, log_in, add_terms
):
    [term] = await add_terms({"H": "Husband"})
    term_id = term.id  # refused requests roll back, expiring the row
    guest = await _post_form(client, "/glossary/terms", term="W", meaning="Wife")
    assert guest.status_code == 303 and guest.headers["location"].startswith("/login")
    await log_in(client, user)
    for url, data in [
        ("/glossary/terms", {"term": "W", "meaning": "Wife"}),
        (f"/glossary/terms/{term_id}", {"term": "H", "meaning": "Hers"}),
        (f"/glossary/terms/{term_id}/remove", {}),
    ]:
        response = await _post_form(client, url, **data)
        assert response.status_code == 403
        assert "Only moderators change the glossary." in response.text
    assert (await client.get(f"/glossary/terms/{term_id}")).status_code == 403


async def test_a_board_moderator_may_change_the_glossary(client, session, user, log_in, make_board):
    board = await make_board()
    session.add(BoardModerator(member_id=user.id, board_id=board.id))
    await session.flush()
    await log_in(client, user)
    response = await _post_form(client, "/glossary/terms", term="BS", meaning="Betrayed spouse")
    assert response.status_code == 303


async def test_moderator_edits_a_term_and_the_audit_log_keeps_before_and_after(
    client, session, user, moderator, log_in, make_board, make_thread, add_terms
):
    [term] = await add_terms({"H": "Husband"})
    post = await make_thread(await make_board(), user, body="H and I talked.")
    await log_in(client, moderator)
    form = await client.get(f"/glossary/terms/{term.id}")
    assert form.status_code == 200
    assert "<title>Edit “H”" in form.text and ">Husband</textarea>" in form.text
    response = await _post_form(
        client, f"/glossary/terms/{term.id}", term="H", meaning="Husband, or former husband"
    )
    assert response.status_code == 303
    page = await client.get(f"/t/{post.thread_id}")
    assert '<abbr title="Husband, or former husband" tabindex="0">H</abbr>' in page.text
    [entry] = await _audit(session, "glossary.edit")
    assert entry.details == {
        "before": {"term": "H", "meaning": "Husband"},
        "after": {"term": "H", "meaning": "Husband, or former husband"},
    }


async def test_renaming_a_term_to_one_already_there_is_refused_beside_the_field(
    client, moderator, log_in, add_terms
):
    _, wife = await add_terms({"H": "Husband", "W": "Wife"})
    await log_in(client, moderator)
    response = await _post_form(client, f"/glossary/terms/{wife.id}", term="H", meaning="Wife")
    assert response.status_code == 422
    assert "The glossary already has “H”" in response.text
    assert 'value="H"' in response.text


async def test_moderator_removes_a_term_with_a_reason_and_posts_stop_explaining_it(
    client, session, user, moderator, log_in, make_board, make_thread, add_terms
):
    [term] = await add_terms({"H": "Husband"})
    post = await make_thread(await make_board(), user, body="H called.")
    assert ABBR_H in (await client.get(f"/t/{post.thread_id}")).text
    await log_in(client, moderator)
    response = await _post_form(
        client, f"/glossary/terms/{term.id}/remove", reason="  Merged into  a longer entry "
    )
    assert response.status_code == 303
    assert "<abbr" not in (await client.get(f"/t/{post.thread_id}")).text
    assert "Term removed." in (await client.get(response.headers["location"])).text
    [entry] = await _audit(session, "glossary.remove")
    assert (entry.target_label, entry.reason) == ("H", "Merged into a longer entry")
    assert entry.details == {"meaning": "Husband"}


async def test_a_missing_term_is_not_found(client, moderator, log_in):
    await log_in(client, moderator)
    assert (await client.get("/glossary/terms/987654")).status_code == 404
    response = await _post_form(client, "/glossary/terms/987654/remove")
    assert response.status_code == 404


async def test_a_thread_page_reads_the_glossary_once_then_from_memory_for_a_few_seconds(
    client, session, user, make_board, make_thread, add_terms
):
    await add_terms({"H": "Husband"})
    post = await make_thread(await make_board(), user, body="H again.", replies=3)
    statements: list[str] = []
    connection = await session.connection()

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(connection.sync_connection, "before_cursor_execute", seen)
    try:
        first = await client.get(f"/t/{post.thread_id}")
        second = await client.get(f"/t/{post.thread_id}")
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", seen)
    assert ABBR_H in first.text and ABBR_H in second.text
    assert sum("glossary_terms" in statement for statement in statements) == 1
