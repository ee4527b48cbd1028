"""Searching wisdom: ranking, filters, who may see what, and the page that works without script."""

import pytest
from sqlalchemy import update

from forum.auth.viewer import GUEST, Viewer
from forum.boards.models import Board
from forum.threads.models import Thread
from forum.wisdom.models import Wisdom
from forum.wisdom.search import search_wisdom


@pytest.fixture
async def story(make_board, make_thread, make_member):
    """A post by Job.Listens on a public board."""
    senior = await make_member("Job.Listens", role="senior")
    return await make_thread(await make_board("my-story"), senior, body="advice")


async def _ids(session, viewer: Viewer = GUEST, **terms: str) -> list[int]:
    return [found.id for found in await search_wisdom(session, viewer, **terms)]


async def test_the_closest_match_comes_first_then_the_most_cited(session, story, keep_wisdom):
    passing = await keep_wisdom(story, "Some days you listen; most days you just survive.")
    close = await keep_wisdom(
        story, "Listen. Listen again. Listening is how the R talk starts.", title="Listen"
    )
    cited = await keep_wisdom(story, "When he talks, listen and say little.", citations=5)
    quiet = await keep_wisdom(story, "When she talks, listen and say little.")
    await keep_wisdom(story, "Take care of your own sleep first.")

    assert await _ids(session, q="listen") == [close.id, cited.id, quiet.id, passing.id]


async def test_searches_read_like_web_searches_with_phrases_and_exclusions(
    session, story, keep_wisdom
):
    sit_back = await keep_wisdom(story, "Sit back and listen to what is said.")
    await keep_wisdom(story, "Sit with it. Don't listen to the OW's messages.")

    assert await _ids(session, q='"sit back"') == [sit_back.id]
    assert await _ids(session, q="listen -messages") == [sit_back.id]


@pytest.mark.parametrize("q", ['"unclosed', "& | ! : *", "'); DROP TABLE wisdom; --", "\x00nul"])
async def test_odd_search_text_finds_nothing_rather_than_failing(session, story, keep_wisdom, q):
    await keep_wisdom(story, "Detach with love.")

    assert await _ids(session, q=q) == []


async def test_the_author_filter_ignores_case_and_follows_the_stored_name(
    session, story, make_member, make_thread, keep_wisdom
):
    job = await keep_wisdom(story, "Detach with love.")
    board = await session.get_one(Board, (await session.get_one(Thread, story.thread_id)).board_id)
    other = await make_thread(board, await make_member("Rain.Walker"))
    await keep_wisdom(other, "Detach, and keep your dignity.")
    gone = await keep_wisdom(story, "Let the MLCer go through it.")
    await session.execute(update(Wisdom).where(Wisdom.id == gone.id).values(author_id=None))

    assert await _ids(session, author="job.listens", q="detach") == [job.id]
    assert sorted(await _ids(session, author="JOB.LISTENS")) == sorted([job.id, gone.id])


async def test_the_tag_filter_finds_only_tagged_wisdom(session, story, keep_wisdom):
    tagged = await keep_wisdom(
        story, "Limited contact is not no contact.", tags=("lc", "boundaries")
    )
    await keep_wisdom(story, "Limited contact takes practice.")

    assert await _ids(session, tag="LC") == [tagged.id]
    assert await _ids(session, tag="lc", q="contact") == [tagged.id]
    assert (await search_wisdom(session, GUEST, tag="lc"))[0].tags == ["boundaries", "lc"]


async def test_only_approved_wisdom_is_found(session, story, keep_wisdom):
    approved = await keep_wisdom(story, "Detach with love.")
    await keep_wisdom(story, "Detach today.", status="proposed")
    await keep_wisdom(story, "Detach now.", status="rejected")

    assert await _ids(session, q="detach") == [approved.id]


async def test_guests_never_find_wisdom_from_members_only_boards(
    session, user, make_board, make_thread, keep_wisdom, story
):
    public = await keep_wisdom(story, "Detach with love.")
    private_post = await make_thread(await make_board("inner", members_only=True), user)
    private = await keep_wisdom(private_post, "Detach, and breathe.")

    assert await _ids(session, q="detach") == [public.id]
    assert sorted(await _ids(session, Viewer.of(user), q="detach")) == sorted(
        [public.id, private.id]
    )
    found = await search_wisdom(session, Viewer.of(user), "detach", public_only=True)
    assert [item.id for item in found] == [public.id]


async def test_a_thread_moved_into_a_members_only_board_takes_its_wisdom_from_guests(
    session, user, make_board, story, keep_wisdom
):
    await keep_wisdom(story, "Detach with love.")
    inner = await make_board("inner", members_only=True)
    await session.execute(
        update(Thread).where(Thread.id == story.thread_id).values(board_id=inner.id)
    )

    assert await _ids(session, q="detach") == []
    assert len(await _ids(session, Viewer.of(user), q="detach")) == 1


async def test_the_search_page_lists_results_with_the_line_to_paste(client, story, keep_wisdom):
    wisdom = await keep_wisdom(
        story, "Sit back and <listen>.", title="Sit back", tags=("R talk",), citations=3
    )

    page = await client.get("/wisdom/search", params={"q": "sit back"})

    assert page.status_code == 200
    assert "<title>Wisdom about “sit back”" in page.text
    assert f"Copy this into your post: <code>[wisdom={wisdom.id}]</code>" in page.text
    assert "Sit back and &lt;listen&gt;." in page.text
    assert f'href="/wisdom/{wisdom.id}"' in page.text
    assert 'href="/wisdom/search?author=Job.Listens"' in page.text
    assert 'href="/wisdom/search?tag=R%20talk"' in page.text
    assert "3 citations" in page.text


async def test_the_search_page_keeps_the_words_searched_and_says_when_nothing_matched(
    client, story, keep_wisdom
):
    await keep_wisdom(story, "Detach with love.")

    page = await client.get("/wisdom/search", params={"q": "gardening", "author": "Job"})

    assert page.status_code == 200
    assert 'value="gardening"' in page.text and 'value="Job"' in page.text
    assert "Nothing matched." in page.text


async def test_the_search_page_starts_with_the_most_cited_wisdom(client, story, keep_wisdom):
    await keep_wisdom(story, "Detach with love.", citations=1)
    await keep_wisdom(story, "Take care of your sleep.", citations=9)

    page = await client.get("/wisdom/search")

    assert page.status_code == 200
    assert page.text.index("Take care of your sleep.") < page.text.index("Detach with love.")
    assert "The most cited wisdom." in page.text


async def test_a_search_too_long_for_the_page_is_refused_clearly(client):
    page = await client.get("/wisdom/search", params={"q": "x" * 201})

    assert page.status_code == 422
