"""Authors are told when moderators, or members' reports, take their words out of sight."""

from sqlalchemy import select
from support import csrf

from forum.notifications.models import Notification


async def notices_of(session, member_id):
    statement = select(Notification.message).where(Notification.member_id == member_id)
    return (await session.scalars(statement.order_by(Notification.id))).all()


async def test_the_author_learns_why_a_moderator_hid_their_post_and_when_it_returns(
    client, session, user, moderator, log_in, make_board, make_thread
):
    post = await make_thread(await make_board(), user, title="Week two")
    author_id = user.id
    await log_in(client, moderator)
    for action, reason in (("hide", "It names his employer."), ("unhide", "")):
        response = await client.post(
            f"/review/p/{post.id}/{action}", data={"reason": reason, "csrf_token": csrf(client)}
        )
        assert response.status_code == 303
    assert await notices_of(session, author_id) == [
        "A moderator hid your post in “Week two”. Reason: It names his employer.",
        "Your post in “Week two” can be read by everyone again.",
    ]


async def test_a_post_hidden_by_reports_tells_its_author_a_moderator_will_review_it(
    client, session, user, log_in, make_board, make_thread, established
):
    post = await make_thread(await make_board(), user, title="Tonight")
    author_id = user.id
    for handle in ("Calm.Sea", "Tall.Pine", "Soft.Rain"):
        await log_in(client, await established(handle))
        await client.post(
            f"/p/{post.id}/report", data={"reason": "unkind", "csrf_token": csrf(client)}
        )
    assert await notices_of(session, author_id) == [
        "Your post in “Tonight” is hidden until a moderator reviews reports about it."
    ]
