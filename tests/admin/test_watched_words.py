"""Watched words: administrators keep the list, and it blocks, holds or flags new posts."""

from html import unescape

from sqlalchemy import select

from forum.moderation.models import AuditEntry, QueueItem, WatchedWordRow
from forum.threads.models import Post, State


async def _add(post_form, client, phrase: str, action: str):
    return await post_form(client, "/admin/watched-words", phrase=phrase, action=action)


async def test_watched_words_are_for_administrators_only(client, moderator, admin, sign_in):
    await sign_in(client, moderator)
    refused = await client.get("/admin/watched-words")
    assert refused.status_code == 403
    assert "Only administrators can change this." in refused.text
    await sign_in(client, admin)
    assert (await client.get("/admin/watched-words")).status_code == 200


async def test_administrator_adds_and_removes_a_phrase_and_both_are_audited(
    client, session, admin, sign_in, post_form
):
    await sign_in(client, admin)
    added = await _add(post_form, client, "  send   money ", "hold")
    assert added.status_code == 303
    word = (await session.scalars(select(WatchedWordRow))).one()
    assert (word.phrase, word.phrase_key, word.action) == ("send money", "send money", "hold")
    assert word.created_by_name == "Willow.Creek"
    page = await client.get("/admin/watched-words?done=added")
    assert "send money" in page.text and "Phrase added." in page.text

    removed = await post_form(client, f"/admin/watched-words/{word.id}/remove")
    assert removed.status_code == 303
    assert (await session.scalars(select(WatchedWordRow))).first() is None
    entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.action, e.target_kind, e.target_label) for e in entries] == [
        ("watched_word.add", "watched_word", "send money"),
        ("watched_word.remove", "watched_word", "send money"),
    ]
    assert (await post_form(client, f"/admin/watched-words/{word.id}/remove")).status_code == 404


async def test_a_phrase_already_listed_in_another_case_or_width_is_refused_beside_the_field(
    client, session, admin, sign_in, post_form
):
    await sign_in(client, admin)
    await _add(post_form, client, "Spam Link", "flag")
    duplicate = await _add(post_form, client, "ＳＰＡＭ   link", "block")
    assert duplicate.status_code == 422
    text = unescape(duplicate.text)
    assert 'id="phrase-error"' in text
    assert "The list already has that phrase, as “Spam Link” (flag)." in text
    assert 'value="ＳＰＡＭ   link"' in text  # the administrator's words, kept
    assert 'value="block" checked' in text
    assert len((await session.scalars(select(WatchedWordRow))).all()) == 1


async def test_empty_and_overlong_phrases_are_refused_with_the_limit(
    client, admin, sign_in, post_form
):
    await sign_in(client, admin)
    empty = await _add(post_form, client, "   ", "block")
    assert empty.status_code == 422
    assert "Write the word or phrase to watch for." in empty.text
    long = await _add(post_form, client, "x" * 101, "block")
    assert long.status_code == 422
    assert "Phrases can be at most 100 characters; this one has 101." in long.text
    odd = await _add(post_form, client, "spam", "delete")
    assert odd.status_code == 422
    assert "Choose block, hold or flag." in odd.text


async def test_a_blocked_phrase_refuses_a_reply_and_keeps_the_words_beside_the_message(
    client, session, user, admin, sign_in, post_form, make_board, make_thread
):
    opening = await make_thread(await make_board("my-story"), admin, title="Talk")
    thread_id = opening.thread_id
    await sign_in(client, admin)
    await _add(post_form, client, "buy pills", "block")
    await sign_in(client, user)
    body = "Everything tonight was hard. You could BUY  PILLS there."
    refused = await post_form(client, f"/t/{thread_id}/reply", body=body)
    assert refused.status_code == 422
    text = unescape(refused.text)
    assert 'id="body-error"' in text
    assert 'contains "buy pills"' in text
    assert body in text
    posts = (await session.scalars(select(Post).where(Post.thread_id == thread_id))).all()
    assert len(posts) == 1


async def test_a_held_phrase_puts_the_reply_in_waiting(
    client, session, user, admin, sign_in, post_form, make_board, make_thread
):
    opening = await make_thread(await make_board("my-story"), admin, title="Talk")
    thread_id = opening.thread_id
    await sign_in(client, admin)
    await _add(post_form, client, "my number", "hold")
    await sign_in(client, user)
    sent = await post_form(client, f"/t/{thread_id}/reply", body="Call me, my number is here.")
    assert sent.status_code == 303
    reply = (await session.scalars(select(Post).where(Post.position == 2))).one()
    assert reply.state == State.PENDING
    item = (await session.scalars(select(QueueItem).where(QueueItem.post_id == reply.id))).one()
    assert item.is_held and item.is_open


async def test_a_flagged_phrase_publishes_the_reply_and_opens_a_queue_item_naming_it(
    client, session, user, admin, sign_in, post_form, make_board, make_thread
):
    opening = await make_thread(await make_board("my-story"), admin, title="Talk")
    thread_id = opening.thread_id
    await sign_in(client, admin)
    await _add(post_form, client, "lawyer", "flag")
    await sign_in(client, user)
    sent = await post_form(client, f"/t/{thread_id}/reply", body="My Lawyer called today.")
    assert sent.status_code == 303
    reply = (await session.scalars(select(Post).where(Post.position == 2))).one()
    assert reply.state == State.VISIBLE
    item = (await session.scalars(select(QueueItem).where(QueueItem.post_id == reply.id))).one()
    assert item.flagged_words == "lawyer" and not item.is_held


async def test_trying_a_text_shows_what_the_list_would_do_without_saving_anything(
    client, session, admin, sign_in, post_form
):
    await sign_in(client, admin)
    await _add(post_form, client, "lawyer", "flag")
    await _add(post_form, client, "buy pills", "block")
    tried = await post_form(client, "/admin/watched-words/try", sample="My lawyer said buy pills.")
    assert tried.status_code == 200
    text = unescape(tried.text)
    assert "Block</strong>: the post is refused" in text
    assert "Matched: “lawyer”, “buy pills”" in text or "Matched: “buy pills”, “lawyer”" in text
    clean = await post_form(client, "/admin/watched-words/try", sample="A quiet day.")
    assert "Nothing on the list matches" in clean.text
    assert len((await session.scalars(select(AuditEntry))).all()) == 2  # the two additions only
