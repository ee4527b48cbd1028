"""Curating wisdom: who may, approving into collections, turning down, retitling, all audited."""

import pytest
from sqlalchemy import select
from support import csrf

from forum.accounts.models import Role
from forum.auth.policies import can_curate_wisdom
from forum.auth.viewer import Viewer
from forum.moderation.models import AuditEntry, BoardModerator
from forum.notifications.models import Notification
from forum.threads.queries import access_post
from forum.wisdom.actions import create_collection, propose_wisdom, save_seniors_curate
from forum.wisdom.models import CollectionItem, Wisdom, WisdomTag

BODY = "Detach with love.\n\nSit back and listen; there will be truths mixed in."


@pytest.fixture
def proposal(session, make_board, make_thread):
    async def make(author, proposer, *, passage="Sit back and listen", members_only=False):
        post = await make_thread(
            await make_board("my-story", members_only=members_only), author, body=BODY
        )
        viewer = Viewer.of(proposer)
        loaded = await access_post(session, viewer, post.id)
        return await propose_wisdom(session, viewer, loaded, passage=passage)

    return make


async def _notices(session, member):
    rows = await session.scalars(
        select(Notification.message).where(Notification.member_id == member.id)
    )
    return list(rows.all())


async def _audit(session, action):
    return (await session.scalars(select(AuditEntry).where(AuditEntry.action == action))).all()


@pytest.mark.parametrize(
    ("role", "seniors_may", "moderates", "allowed"),
    [
        (Role.MEMBER, False, False, False),
        (Role.MEMBER, True, False, False),
        (Role.SENIOR, False, False, False),
        (Role.SENIOR, True, False, True),
        (Role.MEMBER, False, True, True),
        (Role.MODERATOR, False, False, True),
        (Role.ADMIN, False, False, True),
    ],
)
def test_curating_is_for_moderators_and_for_seniors_only_when_allowed(
    role, seniors_may, moderates, allowed
):
    viewer = Viewer(
        member_id=7,
        handle="Someone",
        role=role,
        moderated_boards=frozenset({1} if moderates else ()),
    )
    assert can_curate_wisdom(viewer, seniors_may) is allowed


def test_guests_and_silenced_seniors_never_curate():
    from datetime import timedelta

    from forum.core.time import utcnow

    assert can_curate_wisdom(Viewer(), True) is False
    silenced = Viewer(member_id=3, role=Role.SENIOR, silenced_until=utcnow() + timedelta(days=1))
    assert can_curate_wisdom(silenced, True) is False


async def test_proposals_are_seen_by_curators_and_the_proposer_only(
    client, session, user, other_user, moderator, make_member, log_in, proposal
):
    wisdom_id = (await proposal(user, other_user)).id
    bystander = await make_member("Morning.Walk")
    for member, status in ((bystander, 404), (other_user, 200), (moderator, 200)):
        await session.refresh(member)  # a refused request rolled the session back
        await log_in(client, member)
        page = await client.get(f"/wisdom/{wisdom_id}")
        assert page.status_code == status, member.handle
    client.cookies.clear()
    assert (await client.get(f"/wisdom/{wisdom_id}")).status_code == 404
    await session.refresh(bystander)
    await log_in(client, bystander)
    queue = await client.get("/wisdom/proposals")
    assert queue.status_code == 403
    assert "Only moderators curate the wisdom library" in queue.text
    await session.refresh(moderator)
    await log_in(client, moderator)
    queue = await client.get("/wisdom/proposals")
    assert queue.status_code == 200
    assert "Sit back and listen" in queue.text and "Proposed by SteadyOak" in queue.text


async def test_seniors_curate_once_an_administrator_allows_it(
    client, session, user, other_user, admin, make_member, log_in, proposal
):
    await proposal(user, other_user)
    senior = await make_member("Job.Listens", role=Role.SENIOR)
    await log_in(client, senior)
    assert (await client.get("/wisdom/proposals")).status_code == 403
    await session.refresh(admin)
    await log_in(client, admin)
    saved = await client.post(
        "/wisdom/settings", data={"seniors_curate": "1", "csrf_token": csrf(client)}
    )
    assert saved.status_code == 303
    assert len(await _audit(session, "wisdom.settings")) == 1
    await session.refresh(senior)
    await log_in(client, senior)
    assert (await client.get("/wisdom/proposals")).status_code == 200
    refused = await client.post("/wisdom/settings", data={"csrf_token": csrf(client)})
    assert refused.status_code == 403


async def test_approving_into_two_collections_pins_tags_and_tells_author_and_proposer(
    client, session, user, other_user, moderator, log_in, proposal
):
    wisdom = await proposal(user, other_user)
    await create_collection(session, Viewer.of(moderator), title="Detachment")
    await log_in(client, moderator)
    response = await client.post(
        f"/wisdom/{wisdom.id}/approve",
        data={
            "collections": ["detachment"],
            "new_collection": "Talking with an MLCer",
            "title": "Sit back and listen",
            "tags": "Listening, detachment, listening",
            "csrf_token": csrf(client),
        },
    )
    assert response.status_code == 303
    await session.refresh(wisdom)
    assert (wisdom.status, wisdom.title, wisdom.reviewed_by_name) == (
        "approved",
        "Sit back and listen",
        "Quiet.Keeper",
    )
    assert wisdom.pinned_at is not None
    items = (
        await session.scalars(
            select(CollectionItem.position).where(CollectionItem.wisdom_id == wisdom.id)
        )
    ).all()
    assert items == [1, 1]
    tags = (
        await session.scalars(
            select(WisdomTag.tag).where(WisdomTag.wisdom_id == wisdom.id).order_by(WisdomTag.tag)
        )
    ).all()
    assert tags == ["detachment", "listening"]
    assert await _notices(session, user) == [
        "Your words were added to “Detachment” and “Talking with an MLCer”."
    ]
    assert "The passage you proposed was added to" in (await _notices(session, other_user))[0]
    [entry] = await _audit(session, "wisdom.approve")
    assert entry.target_kind == "wisdom" and entry.actor_name == "Quiet.Keeper"
    assert sorted(entry.details["collections"]) == ["detachment", "talking-with-an-mlcer"]
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert "Detachment" in page.text and "Talking with an MLCer" in page.text


async def test_approving_into_nothing_comes_back_beside_the_choices(
    client, session, user, other_user, moderator, log_in, proposal
):
    wisdom = await proposal(user, other_user)
    await log_in(client, moderator)
    response = await client.post(
        f"/wisdom/{wisdom.id}/approve",
        data={"title": "Kept title", "csrf_token": csrf(client)},
    )
    assert response.status_code == 422
    assert "Choose at least one collection, or name a new one." in response.text
    assert 'value="Kept title"' in response.text
    await session.refresh(wisdom)
    assert wisdom.status == "proposed"


async def test_turning_down_needs_a_reason_and_tells_the_proposer(
    client, session, user, other_user, moderator, log_in, proposal
):
    wisdom = await proposal(user, other_user)
    await log_in(client, moderator)
    empty = await client.post(
        f"/wisdom/{wisdom.id}/reject", data={"reason": " ", "csrf_token": csrf(client)}
    )
    assert empty.status_code == 422
    assert "Say why, in a sentence" in empty.text
    response = await client.post(
        f"/wisdom/{wisdom.id}/reject",
        data={"reason": "Too close to a private detail.", "csrf_token": csrf(client)},
    )
    assert response.status_code == 303
    await session.refresh(wisdom)
    assert (wisdom.status, wisdom.review_note) == ("rejected", "Too close to a private detail.")
    [notice] = await _notices(session, other_user)
    assert notice.endswith("Reason: Too close to a private detail.")
    assert await _notices(session, user) == []
    [entry] = await _audit(session, "wisdom.reject")
    assert entry.reason == "Too close to a private detail."
    await log_in(client, other_user)
    page = await client.get(f"/wisdom/{wisdom.id}")
    assert "turned this proposal down" in page.text


async def test_retitling_is_audited_with_before_and_after(
    client, session, user, other_user, moderator, log_in, proposal
):
    wisdom = await proposal(user, other_user)
    await log_in(client, moderator)
    response = await client.post(
        f"/wisdom/{wisdom.id}/title", data={"title": "  Listen  first ", "csrf_token": csrf(client)}
    )
    assert response.status_code == 303
    await session.refresh(wisdom)
    assert wisdom.title == "Listen first"
    [entry] = await _audit(session, "wisdom.retitle")
    assert (entry.details["before"], entry.details["after"]) == ("", "Listen first")
    too_long = await client.post(
        f"/wisdom/{wisdom.id}/title", data={"title": "x" * 121, "csrf_token": csrf(client)}
    )
    assert too_long.status_code == 422
    assert "at most 120 characters" in too_long.text
    await session.refresh(other_user)
    await log_in(client, other_user)
    refused = await client.post(
        f"/wisdom/{wisdom.id}/title", data={"title": "Mine", "csrf_token": csrf(client)}
    )
    assert refused.status_code == 403


async def test_board_moderators_curate_and_setting_changes_are_recorded(
    client, session, user, other_user, make_member, make_board, admin, log_in, proposal
):
    wisdom = await proposal(user, other_user)
    keeper = await make_member("Board.Keeper")
    board = await make_board("standing")
    session.add(BoardModerator(member_id=keeper.id, board_id=board.id))
    await save_seniors_curate(session, Viewer.of(admin), True)
    await session.flush()
    await log_in(client, keeper)
    assert (await client.get("/wisdom/proposals")).status_code == 200
    assert (await session.get(Wisdom, wisdom.id)).status == "proposed"
