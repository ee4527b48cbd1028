"""Proposing a passage as wisdom: the words must be the post's own, once, at a members' pace."""

from typing import NamedTuple

import pytest
from corpus import story_params
from sqlalchemy import select
from support import csrf

from forum.wisdom.models import Wisdom


class Story(NamedTuple):
    text: str
    advice: str  # a passage of it, to propose word for word
    shown: str  # words the proposal form must show beside it
    invented: str  # close to the advice, but not what the post says


# Our own story update (tests/fixtures), and the shared seed post when it is there.
STORIES = story_params(
    own=lambda text: Story(
        text,
        "sit back and listen, and let the MLCer run out of words before you answer any of them",
        "a shared calendar for swimming lessons",
        "sit back and listen, and let the MLCer have the last word every time",
    ),
    shared=lambda text: Story(
        text,
        "sit back and listen because sometimes the MLCer will say a LOT",
        "deeply insecure",
        "sit back and listen, because the MLCer always tells the truth",
    ),
)


async def _story(make_board, make_thread, author, story, **board):
    return await make_thread(await make_board("my-story", **board), author, body=story.text)


@pytest.mark.parametrize("story", STORIES)
async def test_member_proposes_a_passage_and_is_thanked(
    client, session, user, other_user, log_in, make_board, make_thread, story
):
    post = await _story(make_board, make_thread, user, story)
    await log_in(client, other_user)
    form = await client.get(f"/p/{post.id}/wisdom")
    assert form.status_code == 200
    assert story.shown in form.text  # the post's words beside the form
    response = await client.post(
        f"/p/{post.id}/wisdom",
        data={"passage": story.advice, "title": "Sit back and listen", "csrf_token": csrf(client)},
    )
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "Thanks — a curator will look at it." in page.text
    wisdom = (await session.scalars(select(Wisdom))).one()
    assert (wisdom.text, wisdom.author_name, wisdom.proposed_by_name) == (
        story.advice,
        "Harbor_Light",
        "SteadyOak",
    )
    assert (wisdom.post_id, wisdom.status, wisdom.title) == (
        post.id,
        "proposed",
        "Sit back and listen",
    )
    assert wisdom.post_created_at == post.created_at


async def test_passage_matches_across_line_breaks_and_markdown(
    client, session, user, other_user, log_in, make_board, make_thread
):
    body = "We talked **calmly** today.\n\nThen   I let him\nspeak first."
    post = await make_thread(await make_board(), user, body=body)
    await log_in(client, other_user)
    for passage in ("talked calmly today. Then I let him speak", "We talked **calmly** today."):
        response = await client.post(
            f"/p/{post.id}/wisdom", data={"passage": passage, "csrf_token": csrf(client)}
        )
        assert response.status_code == 303, passage
    stored = (await session.scalars(select(Wisdom.text).order_by(Wisdom.id))).all()
    assert stored == ["talked calmly today. Then I let him speak", "We talked **calmly** today."]


@pytest.mark.parametrize("story", STORIES)
async def test_words_not_in_the_post_are_refused_and_kept(
    client, session, user, other_user, log_in, make_board, make_thread, story
):
    post = await _story(make_board, make_thread, user, story)
    await log_in(client, other_user)
    invented = story.invented
    response = await client.post(
        f"/p/{post.id}/wisdom",
        data={"passage": invented, "title": "Mine", "csrf_token": csrf(client)},
    )
    assert response.status_code == 422
    assert "That passage isn&#39;t in this post word for word" in response.text
    assert invented in response.text and 'value="Mine"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert (await session.scalars(select(Wisdom))).first() is None


@pytest.mark.parametrize("story", STORIES)
async def test_the_same_passage_twice_points_to_the_first_proposal(
    client, session, user, other_user, log_in, make_board, make_thread, story
):
    post = await _story(make_board, make_thread, user, story)
    await log_in(client, other_user)
    first = await client.post(
        f"/p/{post.id}/wisdom", data={"passage": story.advice, "csrf_token": csrf(client)}
    )
    wisdom_id = int(first.headers["location"].split("/")[2].split("?")[0])
    again = await client.post(
        f"/p/{post.id}/wisdom",
        data={"passage": "  " + story.advice.replace(" ", "\n", 2), "csrf_token": csrf(client)},
    )
    assert again.status_code == 409
    assert "was proposed already" in again.text
    assert f'href="/wisdom/{wisdom_id}"' in again.text
    assert len((await session.scalars(select(Wisdom))).all()) == 1


@pytest.mark.parametrize("story", STORIES)
async def test_silenced_member_and_guest_cannot_propose(
    client, session, user, other_user, log_in, make_board, make_thread, story
):
    from datetime import timedelta

    from forum.core.time import utcnow

    post = await _story(make_board, make_thread, user, story)
    guest = await client.get(f"/p/{post.id}/wisdom")
    assert guest.status_code == 303 and guest.headers["location"].startswith("/login")
    other_user.silenced_until = utcnow() + timedelta(days=2)
    await session.flush()
    await log_in(client, other_user)
    response = await client.post(
        f"/p/{post.id}/wisdom", data={"passage": story.advice, "csrf_token": csrf(client)}
    )
    assert response.status_code == 403
    assert "You can read but not post until" in response.text


@pytest.mark.parametrize("story", STORIES)
async def test_hidden_posts_and_unseen_boards_offer_nothing_to_propose(
    client, session, user, other_user, log_in, make_board, make_thread, story
):
    post = await _story(make_board, make_thread, user, story)
    post.state = "hidden"
    await session.flush()
    await log_in(client, other_user)
    response = await client.get(f"/p/{post.id}/wisdom")
    assert response.status_code == 403
    assert "Only published posts can be saved as wisdom." in response.text
    missing = await client.get("/p/999999/wisdom")
    assert missing.status_code == 404


async def test_proposals_are_rate_limited_per_member(
    client, session, user, other_user, log_in, make_board, make_thread
):
    words = " ".join(f"word{n}" for n in range(30))
    post = await make_thread(await make_board(), user, body=words)
    await log_in(client, other_user)
    for n in range(20):
        response = await client.post(
            f"/p/{post.id}/wisdom", data={"passage": f"word{n}", "csrf_token": csrf(client)}
        )
        assert response.status_code == 303
    refused = await client.post(
        f"/p/{post.id}/wisdom", data={"passage": "word21", "csrf_token": csrf(client)}
    )
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers


@pytest.mark.parametrize("story", STORIES)
async def test_save_as_wisdom_link_shows_on_posts_for_members_only(
    client, user, other_user, log_in, make_board, make_thread, story
):
    post = await _story(make_board, make_thread, user, story)
    guest = await client.get(f"/t/{post.thread_id}")
    assert "Save as wisdom" not in guest.text
    await log_in(client, other_user)
    page = await client.get(f"/t/{post.thread_id}")
    assert f'href="/p/{post.id}/wisdom"' in page.text
    assert '<script src="/static/js/wisdom.js" defer></script>' in page.text
    prefilled = await client.get(f"/p/{post.id}/wisdom", params={"passage": story.advice})
    assert story.advice in prefilled.text


async def test_words_a_reply_quotes_from_another_post_are_not_the_replier_s_wisdom(
    client, session, user, other_user, make_member, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user, body="Detach with love, not anger.")
    reply = await make_thread(
        await make_board("co-parenting"),
        other_user,
        body=f"[quote={opening.id}]\nDetach with love, not anger.\n[/quote]\n\nThis helped me.",
    )
    await log_in(client, await make_member("Third.Reader"))
    quoted = await client.post(
        f"/p/{reply.id}/wisdom",
        data={"passage": "Detach with love, not anger.", "csrf_token": csrf(client)},
    )
    assert quoted.status_code == 422
    own = await client.post(
        f"/p/{reply.id}/wisdom", data={"passage": "This helped me.", "csrf_token": csrf(client)}
    )
    assert own.status_code == 303
    assert (await session.scalars(select(Wisdom.author_name))).all() == ["SteadyOak"]
