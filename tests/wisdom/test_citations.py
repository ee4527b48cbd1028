"""Citing wisdom in posts: the block comes from the records, and every citation is counted once."""

import pytest
from corpus import Page
from sqlalchemy import select
from support import csrf

from forum.threads.models import Post, State
from forum.wisdom.models import Wisdom, WisdomCitation

ADVICE = "Sit back and listen. Write down what was true, and answer that part only."


@pytest.fixture
async def advice(make_board, make_thread, make_member, keep_wisdom):
    """Job.Listens's advice on a public board, kept as approved wisdom."""
    senior = await make_member("Job.Listens", role="senior")
    post = await make_thread(await make_board("my-story"), senior, body=ADVICE)
    return await keep_wisdom(post, ADVICE)


async def _reply(client, thread_id: int, body: str) -> Post:
    response = await client.post(
        f"/t/{thread_id}/reply", data={"body": body, "csrf_token": csrf(client)}
    )
    assert response.status_code == 303, response.text
    post_id = int(response.headers["location"].rsplit("#p", 1)[1])
    return post_id


async def _post(session, post_id: int) -> Post:
    return (
        await session.scalars(
            select(Post).where(Post.id == post_id).execution_options(populate_existing=True)
        )
    ).one()


async def _count(session, wisdom: Wisdom) -> int:
    await session.refresh(wisdom)
    return wisdom.citation_count


async def _cited_by(session, wisdom: Wisdom) -> list[int]:
    rows = await session.scalars(
        select(WisdomCitation.post_id).where(WisdomCitation.wisdom_id == wisdom.id)
    )
    return sorted(rows.all())


async def test_a_reply_citing_wisdom_shows_its_stored_words_author_and_source(
    client, session, user, log_in, advice
):
    await log_in(client, user)
    post_id = await _reply(client, advice.thread_id, f"This helped me.\n[wisdom={advice.id}]")

    page = await client.get(f"/t/{advice.thread_id}")
    post = await _post(session, post_id)
    links = [link["href"] for link in Page(post.html).links()]
    assert ADVICE in page.text
    assert "Job.Listens</a> · " in post.html
    assert links == [f"/wisdom/{advice.id}", f"/p/{advice.post_id}"]
    assert 'class="quote wisdom"' in page.text


async def test_typed_words_beside_a_citation_never_change_whose_words_it_shows(
    client, session, user, log_in, advice
):
    await log_in(client, user)
    body = f"[wisdom={advice.id}]\n— Quiet.Keeper: you should leave tonight"
    post = await _post(session, await _reply(client, advice.thread_id, body))

    block, rest = post.html.split("</blockquote>")
    assert ADVICE in block and "Job.Listens" in block
    assert "leave tonight" not in block
    assert "leave tonight" in rest


@pytest.mark.parametrize("status", ["proposed", "rejected"])
async def test_wisdom_that_is_not_approved_stays_as_typed_and_is_not_counted(
    client, session, user, other_user, log_in, make_board, make_thread, keep_wisdom, status
):
    post = await make_thread(await make_board(), other_user, body=ADVICE)
    wisdom = await keep_wisdom(post, ADVICE, status=status)
    await log_in(client, user)

    reply = await _post(session, await _reply(client, post.thread_id, f"[wisdom={wisdom.id}]"))

    assert reply.html == f"<p>[wisdom={wisdom.id}]</p>\n"
    assert await _count(session, wisdom) == 0
    assert await _cited_by(session, wisdom) == []


async def test_an_unknown_wisdom_id_stays_as_typed(client, session, user, log_in, advice):
    await log_in(client, user)

    reply = await _post(session, await _reply(client, advice.thread_id, "[wisdom=999999999]"))

    assert reply.html == "<p>[wisdom=999999999]</p>\n"


async def test_members_only_wisdom_is_not_shown_in_a_public_thread_but_is_in_a_private_one(
    client, session, user, other_user, log_in, make_board, make_thread, keep_wisdom
):
    private = await make_thread(await make_board("inner", members_only=True), other_user)
    wisdom = await keep_wisdom(private, ADVICE)
    public = await make_thread(await make_board("open"), other_user)
    await log_in(client, user)

    in_public = await _post(
        session, await _reply(client, public.thread_id, f"[wisdom={wisdom.id}]")
    )
    in_private = await _post(
        session, await _reply(client, private.thread_id, f"[wisdom={wisdom.id}]")
    )

    assert ADVICE not in in_public.html
    assert ADVICE in in_private.html
    assert await _cited_by(session, wisdom) == [in_private.id]


async def test_a_citation_of_wisdom_whose_post_is_deleted_keeps_the_words_without_a_post_link(
    client, session, user, log_in, advice
):
    source = await session.get_one(Post, advice.post_id)
    await log_in(client, user)
    source.state = State.DELETED
    await session.flush()

    reply = await _post(session, await _reply(client, advice.thread_id, f"[wisdom={advice.id}]"))

    assert ADVICE in reply.html
    assert [link["href"] for link in Page(reply.html).links()] == [f"/wisdom/{advice.id}"]


async def test_a_quote_whose_author_account_is_gone_is_credited_to_a_former_member(
    client, session, user, log_in, advice
):
    # As account deletion leaves it when the author didn't keep their handle (accounts/deletion.py).
    advice.author_id, advice.author_name = None, ""
    await session.flush()
    await log_in(client, user)

    reply = await _post(session, await _reply(client, advice.thread_id, f"[wisdom={advice.id}]"))

    assert "a former member" in reply.html
    assert "Job.Listens" not in reply.html


async def test_each_citing_post_counts_once_however_often_it_cites(
    client, session, user, other_user, log_in, advice
):
    await log_in(client, user)
    first = await _reply(client, advice.thread_id, f"[wisdom={advice.id}]\n\n[wisdom={advice.id}]")
    await log_in(client, other_user)
    second = await _reply(client, advice.thread_id, f"[wisdom={advice.id}]")

    assert await _count(session, advice) == 2
    assert await _cited_by(session, advice) == sorted([first, second])


async def test_edits_keep_the_count_exact_when_a_citation_is_removed_kept_and_added_back(
    client, session, user, log_in, advice
):
    await log_in(client, user)
    post_id = await _reply(client, advice.thread_id, f"[wisdom={advice.id}]")

    async def edit(body: str) -> None:
        response = await client.post(
            f"/p/{post_id}/edit", data={"body": body, "csrf_token": csrf(client)}
        )
        assert response.status_code == 303, response.text

    await edit("I took the quote out.")
    assert (await _count(session, advice), await _cited_by(session, advice)) == (0, [])
    await edit(f"Back in:\n[wisdom={advice.id}]")
    assert (await _count(session, advice), await _cited_by(session, advice)) == (1, [post_id])
    await edit(f"Still here, with more words:\n[wisdom={advice.id}]\nThanks.")
    assert (await _count(session, advice), await _cited_by(session, advice)) == (1, [post_id])
    assert ADVICE in (await _post(session, post_id)).html


async def test_a_new_thread_through_the_api_records_its_citation(
    client, session, user, log_in, advice
):
    await log_in(client, user)
    response = await client.post(
        "/api/v1/boards/my-story/threads",
        json={"title": "What helped", "body": f"[wisdom={advice.id}]"},
        headers={"X-CSRF-Token": csrf(client)},
    )

    assert response.status_code == 201, response.text
    assert ADVICE in response.json()["html"]
    assert await _cited_by(session, advice) == [response.json()["id"]]
    assert await _count(session, advice) == 1
