"""Edit history: each version of a post, what changed, and who may look."""

import html
import re

from sqlalchemy import select
from support import csrf

from forum.accounts.models import Member
from forum.moderation.models import AuditEntry, BoardModerator
from forum.moderation.thread_views import line_diff
from forum.threads.models import Post, State


async def edit(client, post_id, body):
    response = await client.post(
        f"/p/{post_id}/edit", data={"body": body, "csrf_token": csrf(client)}
    )
    assert response.status_code == 303
    return response


def shows(response, words):
    return words in html.unescape(response.text)


async def test_author_sees_every_version_newest_first_with_words_marked(
    client, user, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user, body="We talked calmly today.")
    await log_in(client, user)
    await edit(client, opening.id, "We talked very calmly yesterday.")
    await edit(client, opening.id, "We talked very calmly yesterday.\n\nThen we walked.")
    thread_page = await client.get(f"/t/{opening.thread_id}")
    assert f'href="/p/{opening.id}/history"' in thread_page.text
    page = await client.get(f"/p/{opening.id}/history")
    assert page.status_code == 200
    assert "<title>Edit history of post #1" in page.text
    assert "3 versions, newest first" in page.text
    text = page.text
    assert text.index("Current version") < text.index("Version 2") < text.index("Original")
    assert "<ins>very </ins>" in text
    assert "<del>today</del><ins>yesterday</ins>" in text
    assert "<ins>Then we walked.</ins>" in text
    assert "Written by Harbor_Light" in text and "Edited by Harbor_Light" in text


async def test_a_moderators_edit_is_recorded_and_marked_in_the_history(
    client, session, user, moderator, log_in, make_board, make_thread
):
    board = await make_board()
    opening = await make_thread(board, user, body="Call me on 555 0100 any time.")
    await log_in(client, moderator)
    await edit(client, opening.id, "Message me here any time.")
    [entry] = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "post.edit"))
    ).all()
    assert (entry.actor_name, entry.target_kind, entry.target_id, entry.board_id) == (
        "Quiet.Keeper",
        "post",
        opening.id,
        board.id,
    )
    page = await client.get(f"/p/{opening.id}/history")
    assert page.status_code == 200
    assert re.search(r'Edited by Quiet.Keeper <span class="tag">Moderator</span>', page.text)
    assert "<del>on 555 0100</del><ins>here</ins>" in page.text


async def test_an_authors_own_edit_is_not_a_moderation_record(
    client, session, user, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    await log_in(client, user)
    await edit(client, opening.id, "Second thoughts.")
    assert (await session.scalars(select(AuditEntry))).all() == []


async def test_other_members_and_other_boards_moderators_are_refused_the_history(
    client, session, user, other_user, make_member, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    post_id = opening.id
    await log_in(client, user)
    await edit(client, post_id, "Changed my mind.")
    warden = await make_member("Board.Warden")
    session.add(BoardModerator(member_id=warden.id, board_id=(await make_board("co-parenting")).id))
    await session.flush()
    for member_id in (other_user.id, warden.id):
        await log_in(client, await session.get(Member, member_id))
        page = await client.get(f"/p/{post_id}/history")
        assert page.status_code == 403
        assert shows(
            page,
            "Only the person who wrote this post and the board's moderators can see its edit history.",
        )
    client.cookies.clear()
    guest = await client.get(f"/p/{post_id}/history")
    assert guest.status_code == 303
    assert guest.headers["location"] == f"/login?next=/p/{post_id}/history"


async def test_a_post_the_member_cannot_see_has_no_history_to_find(
    client, session, user, other_user, log_in, make_board, make_thread
):
    opening = await make_thread(await make_board(), user)
    post = await session.get(Post, opening.id)
    post.state = State.PENDING
    await session.flush()
    await log_in(client, other_user)
    assert (await client.get(f"/p/{opening.id}/history")).status_code == 404
    assert (await client.get("/p/999999/history")).status_code == 404


async def test_history_shows_earlier_words_as_text_never_as_markup(
    client, user, log_in, make_board, make_thread
):
    opening = await make_thread(
        await make_board(), user, body='Hello <script>alert("x")</script> <b>there</b>'
    )
    await log_in(client, user)
    await edit(client, opening.id, "Hello there")
    page = await client.get(f"/p/{opening.id}/history")
    assert "<script>alert" not in page.text and "<b>there</b>" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text


def test_long_unchanged_stretches_are_left_out_between_changes():
    before = "\n".join(f"line {n}" for n in range(1, 21))
    after = before.replace("line 3", "line three").replace("line 18", "line eighteen")
    kinds = [line.kind for line in line_diff(before, after)]
    assert kinds == [
        "same",
        "same",
        "changed",
        "same",
        "same",
        "gap",
        "same",
        "same",
        "changed",
        "same",
        "same",
    ]


def test_a_rewritten_line_shows_whole_lines_removed_and_added():
    [removed, added] = line_diff("The cat sat on the mat.", "Everything feels heavy now.")
    assert (removed.kind, added.kind) == ("removed", "added")
    assert added.segments[0].text == "Everything feels heavy now."


def test_a_change_in_trailing_spaces_only_shows_no_lines():
    assert line_diff("Same words.\n", "Same words.") == []
