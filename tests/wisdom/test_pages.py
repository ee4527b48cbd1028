"""The wisdom page: the quote keeps its words, says what became of its source, and who cites it."""

import pytest
from sqlalchemy import update

from forum.auth.viewer import Viewer
from forum.core.time import utcnow
from forum.glossary.models import GlossaryTerm
from forum.threads.actions import reply_to_thread
from forum.threads.models import Post, Thread
from forum.threads.queries import access_post
from forum.wisdom.actions import approve_wisdom, propose_wisdom
from forum.wisdom.forms import ApproveForm
from forum.wisdom.models import Wisdom, WisdomCitation

WORDS = "Sit back and listen; there will be truths mixed in."


@pytest.fixture
def quote(session, make_board, make_thread):
    async def make(author, curator, *, members_only=False):
        board = await make_board(
            "standing" if members_only else "my-story", members_only=members_only
        )
        post = await make_thread(board, author, title="Our R talk", body=f"Hello.\n\n{WORDS}")
        viewer = Viewer.of(curator)
        wisdom = await propose_wisdom(
            session, viewer, await access_post(session, viewer, post.id), passage=WORDS
        )
        await approve_wisdom(session, viewer, wisdom, ApproveForm(new_collection="Listening"))
        return wisdom, post

    return make


async def test_wisdom_page_shows_the_quote_its_author_and_its_source(
    client, user, moderator, quote
):
    wisdom, post = await quote(user, moderator)
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert page.status_code == 200
    assert f'<blockquote class="wisdom-text">{WORDS}</blockquote>' in page.text
    assert '<a href="/u/Harbor_Light">Harbor_Light</a>' in page.text
    assert f'from a post in <a href="/p/{post.id}">“Our R talk”</a>' in page.text
    assert post.created_at.strftime("%-d %B %Y") in page.text
    assert 'href="/resources/listening">Listening</a>' in page.text
    assert "source has changed" not in page.text


async def test_an_edited_source_is_noted_and_the_quote_keeps_its_words(
    client, session, user, moderator, quote
):
    wisdom, post = await quote(user, moderator)
    post.source, post.html, post.edited_at = "Rewritten.", "<p>Rewritten.</p>", utcnow()
    await session.flush()
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert "The source has changed since" in page.text
    assert WORDS in page.text


@pytest.mark.parametrize(
    ("state", "note"),
    [
        ("hidden", "hidden by moderators"),
        ("deleted", "The post this came from is gone"),
    ],
)
async def test_a_hidden_or_deleted_source_is_said_plainly(
    client, session, user, moderator, quote, state, note
):
    wisdom, post = await quote(user, moderator)
    post.state = state
    await session.flush()
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert note in page.text and WORDS in page.text


async def test_a_deleted_thread_or_removed_post_counts_as_gone(
    client, session, user, moderator, quote
):
    wisdom, post = await quote(user, moderator)
    await session.execute(update(Thread).where(Thread.id == post.thread_id).values(state="deleted"))
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert "The post this came from is gone" in page.text
    wisdom.post_id = None
    await session.flush()
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert "The post this came from is gone" in page.text and "a thread that is gone" in page.text


async def test_words_of_a_former_member_are_credited_to_a_former_member(
    client, session, user, moderator, quote
):
    wisdom, _ = await quote(user, moderator)
    # As account deletion leaves it when the author didn't keep their handle (accounts/deletion.py).
    await session.execute(
        update(Wisdom).where(Wisdom.id == wisdom.id).values(author_id=None, author_name="")
    )
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert "— a former member" in page.text
    assert "Harbor_Light" not in page.text.split("<main", 1)[1]


async def test_members_only_sources_make_members_only_quotes(
    client, session, user, moderator, log_in, quote
):
    wisdom_id = (await quote(user, moderator, members_only=True))[0].id
    assert (await client.get(f"/wisdom/{wisdom_id}")).status_code == 404
    profile = await client.get("/u/Harbor_Light")
    assert WORDS not in profile.text
    await session.refresh(user)  # the refused request rolled the session back
    await log_in(client, user)
    assert (await client.get(f"/wisdom/{wisdom_id}")).status_code == 200
    assert WORDS in (await client.get("/u/Harbor_Light")).text


async def test_citing_posts_are_listed_only_where_the_viewer_may_read_them(
    client, session, user, other_user, moderator, make_board, quote
):
    wisdom, post = await quote(user, moderator)
    thread = await session.get_one(Thread, post.thread_id)
    reply = await reply_to_thread(session, Viewer.of(other_user), thread, body="As Job says.")
    private = await make_board("private", members_only=True)
    from forum.threads.actions import start_thread

    hidden_from_guests = await start_thread(
        session, Viewer.of(other_user), private, title="Among members", body="Cited here."
    )
    for cited in (reply, hidden_from_guests):
        session.add(WisdomCitation(post_id=cited.id, wisdom_id=wisdom.id))
    wisdom.citation_count = 2
    await session.flush()
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert f'href="/p/{reply.id}"' in page.text
    assert f'href="/p/{hidden_from_guests.id}"' not in page.text
    assert "2 times" in page.text
    reply_row = await session.get_one(Post, reply.id)
    reply_row.state = "hidden"
    await session.flush()
    assert f'href="/p/{reply.id}"' not in (await client.get(f"/wisdom/{wisdom.id}")).text


async def test_a_members_profile_lists_their_pinned_wisdom(client, user, moderator, quote):
    wisdom, _ = await quote(user, moderator)
    profile = await client.get("/u/Harbor_Light")
    assert "Wisdom from Harbor_Light" in profile.text
    assert f'href="/wisdom/{wisdom.id}"' in profile.text
    assert "Wisdom from" not in (await client.get("/u/Quiet.Keeper")).text


async def test_resources_page_lists_collections_with_their_counts(client, user, moderator, quote):
    await quote(user, moderator)
    page = await client.get("/resources")
    assert page.status_code == 200
    assert 'href="/resources/listening">Listening</a>' in page.text
    assert "1 item" in page.text
    assert 'href="/resources">Resources</a>' in page.text  # in the site's navigation
    assert (await client.get("/resources/no-such-thing")).status_code == 404


async def test_shorthand_in_a_quote_is_explained_like_in_posts(
    client, session, user, make_board, make_thread, keep_wisdom
):
    session.add(
        GlossaryTerm(term="MLCer", meaning="Someone in a mid-life crisis", created_by_name="t")
    )
    post = await make_thread(await make_board(), user, body="Let the MLCer <talk>.")
    wisdom = await keep_wisdom(post, "Let the MLCer <talk>.")
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert '<abbr title="Someone in a mid-life crisis" tabindex="0">MLCer</abbr>' in page.text
    assert "&lt;talk&gt;" in page.text
