"""The audit log: who may read it, filters, keyset pages, board moderators' view, no rewriting."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from forum.auth.viewer import Viewer
from forum.core.time import utcnow
from forum.moderation.audit import SYSTEM, record
from forum.moderation.models import AuditEntry


async def _entries(session, actor: Viewer, count: int, **fields) -> None:
    fields = {"target_kind": "post", "target_id": 1, **fields}
    for number in range(count):
        await record(session, actor, "post.hide", reason=f"Reason {number}", **fields)
    await session.flush()


def _reasons(page: str) -> list[str]:
    return re.findall(r'<p class="log-reason">(Reason \d+)</p>', page)


async def test_audit_log_is_for_moderators_only(client, user, moderator, sign_in):
    await sign_in(client, user)
    refused = await client.get("/review/audit")
    assert refused.status_code == 403
    assert "Only moderators can read the audit log." in refused.text
    await sign_in(client, moderator)
    assert (await client.get("/review/audit")).status_code == 200


async def test_entries_come_newest_first_fifty_a_page_with_keyset_links(
    client, session, moderator, sign_in
):
    await _entries(session, Viewer.of(moderator), 120)
    await sign_in(client, moderator)
    first = await client.get("/review/audit")
    reasons = _reasons(first.text)
    assert len(reasons) == 50
    assert reasons[0] == "Reason 119" and reasons[-1] == "Reason 70"
    older = re.search(r'href="(/review/audit\?before=\d+)" rel="next"', first.text)
    assert older is not None
    second = await client.get(unescape(older.group(1)))
    assert _reasons(second.text)[0] == "Reason 69"
    third_link = re.search(r'href="([^"]+)" rel="next"', second.text)
    third = await client.get(unescape(third_link.group(1)))
    assert _reasons(third.text) == [f"Reason {n}" for n in range(19, -1, -1)]
    assert 'rel="next"' not in third.text
    assert 'href="/review/audit" rel="first"' in third.text


async def test_filters_narrow_by_who_what_target_board_and_dates(
    client, session, moderator, admin, sign_in, make_board
):
    story = await make_board("my-story")
    parenting = await make_board("co-parenting")
    keeper, willow = Viewer.of(moderator), Viewer.of(admin)
    await record(
        session,
        keeper,
        "post.hide",
        target_kind="post",
        target_id=1,
        board_id=story.id,
        reason="Reason 1",
    )
    await record(
        session,
        willow,
        "watched_word.add",
        target_kind="watched_word",
        target_id=2,
        target_label="spam",
        reason="Reason 2",
    )
    await record(
        session, SYSTEM, "member.role", target_kind="member", target_id=admin.id, reason="Reason 3"
    )
    await record(
        session,
        keeper,
        "post.delete",
        target_kind="post",
        target_id=3,
        board_id=parenting.id,
        reason="Reason 4",
    )
    await session.flush()
    # An entry from forty days ago, for the date filters.
    await session.execute(
        AuditEntry.__table__.insert().values(
            actor_id=moderator.id,
            actor_name="Quiet.Keeper",
            action="post.hide",
            target_kind="post",
            target_id=9,
            reason="Reason 5",
            details={},
            created_at=utcnow() - timedelta(days=40),
        )
    )
    await sign_in(client, moderator)

    async def reasons(**params) -> list[str]:
        response = await client.get("/review/audit", params=params)
        assert response.status_code == 200, response.text
        return _reasons(response.text)

    assert await reasons(actor="quiet.keeper") == ["Reason 5", "Reason 4", "Reason 1"]
    assert await reasons(actor="system") == ["Reason 3"]
    assert await reasons(action="watched_word.add") == ["Reason 2"]
    assert await reasons(target_kind="member") == ["Reason 3"]
    assert await reasons(board="co-parenting") == ["Reason 4"]
    today = utcnow().date().isoformat()
    assert "Reason 5" not in await reasons(**{"from": today})
    assert await reasons(to=(utcnow() - timedelta(days=30)).date().isoformat()) == ["Reason 5"]


async def test_the_action_menu_offers_the_actions_that_exist(client, session, moderator, sign_in):
    await record(session, Viewer.of(moderator), "member.warn", target_kind="member", target_id=1)
    await record(session, Viewer.of(moderator), "post.hide", target_kind="post", target_id=1)
    await session.flush()
    await sign_in(client, moderator)
    page = (await client.get("/review/audit")).text
    options = re.findall(
        r'<option value="([a-z_.]+)"', page.split('id="action"')[1].split("</select>")[0]
    )
    assert options == ["member.warn", "post.hide"]


async def test_a_bad_date_comes_back_beside_its_field(client, moderator, sign_in):
    await sign_in(client, moderator)
    response = await client.get("/review/audit", params={"from": "yesterday", "actor": "Oak"})
    assert response.status_code == 422
    assert 'id="from-error"' in response.text
    assert "Write the date as YYYY-MM-DD" in response.text
    assert 'value="Oak"' in response.text
    backwards = await client.get("/review/audit", params={"from": "2026-11-20", "to": "2026-11-01"})
    assert backwards.status_code == 422
    assert "The end date comes before the start date." in backwards.text


async def test_board_moderators_see_only_their_boards_entries(
    client, session, moderator, sign_in, make_board, make_board_moderator
):
    story = await make_board("my-story")
    parenting = await make_board("co-parenting")
    keeper = Viewer.of(moderator)
    await record(
        session,
        keeper,
        "post.hide",
        target_kind="post",
        target_id=1,
        board_id=story.id,
        reason="Reason 1",
    )
    await record(
        session,
        keeper,
        "post.hide",
        target_kind="post",
        target_id=2,
        board_id=parenting.id,
        reason="Reason 2",
    )
    await record(
        session, keeper, "member.role", target_kind="member", target_id=3, reason="Reason 3"
    )
    await session.flush()
    board_keeper = await make_board_moderator("Board.Keeper", story)
    await sign_in(client, board_keeper)
    page = await client.get("/review/audit")
    assert page.status_code == 200
    assert _reasons(page.text) == ["Reason 1"]
    assert "You see the entries about the boards you moderate." in page.text
    assert '<option value="co-parenting"' not in page.text
    assert (
        _reasons((await client.get("/review/audit", params={"board": "co-parenting"})).text) == []
    )


async def test_rows_link_their_targets_and_say_the_action_in_words(
    client, session, user, moderator, sign_in
):
    await record(
        session,
        Viewer.of(moderator),
        "member.silence",
        target_kind="member",
        target_id=user.id,
        target_label=user.handle,
        reason="Heated",
        days=3,
    )
    await record(
        session,
        Viewer.of(moderator),
        "post.hide",
        target_kind="post",
        target_id=77,
        target_label="post #2 in thread 5",
        reason="Unkind",
    )
    await session.flush()
    await sign_in(client, moderator)
    page = (await client.get("/review/audit")).text
    assert '<a href="/review/members/Harbor_Light">Harbor_Light</a>' in page
    assert '<a href="/review/p/77">post #2 in thread 5</a>' in page
    assert "Silenced" in page and "Hid a post" in page
    assert "3 days" in page


async def test_the_database_refuses_to_rewrite_or_erase_audit_entries(session, moderator):
    await record(
        session,
        Viewer.of(moderator),
        "member.warn",
        target_kind="member",
        target_id=1,
        reason="Kept forever",
    )
    await session.flush()
    with pytest.raises(DBAPIError, match="append-only"):
        async with session.begin_nested():
            await session.execute(update(AuditEntry).values(reason="Rewritten"))
    with pytest.raises(DBAPIError, match="append-only"):
        async with session.begin_nested():
            await session.execute(delete(AuditEntry))
    reasons = (await session.scalars(select(AuditEntry.reason))).all()
    assert reasons == ["Kept forever"]


async def test_nothing_on_the_audit_page_offers_to_change_an_entry(
    client, session, moderator, sign_in
):
    await record(session, Viewer.of(moderator), "member.warn", target_kind="member", target_id=1)
    await session.flush()
    await sign_in(client, moderator)
    page = (await client.get("/review/audit")).text
    assert 'method="post"' not in page.split('<main id="main"')[1].split("</main>")[0]
