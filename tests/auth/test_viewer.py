"""What the navigation learns about the viewer with every page: notices and the review count."""

from forum.moderation.models import BoardModerator
from forum.moderation.queue import open_item
from forum.notifications.actions import notify


async def test_each_board_moderator_counts_only_their_own_boards_open_items(
    client, session, user, make_member, log_in, make_board, make_thread
):
    stories, parenting = await make_board("my-story"), await make_board("co-parenting")
    for board, count in ((stories, 1), (parenting, 2)):
        for number in range(count):
            opening = await make_thread(board, user, title=f"Thread {number}")
            await open_item(session, opening.id, board.id, reports=1)
    keeper = await make_member("Story.Keeper")
    session.add(BoardModerator(member_id=keeper.id, board_id=stories.id))
    other_keeper = await make_member("Parenting.Keeper")
    session.add(BoardModerator(member_id=other_keeper.id, board_id=parenting.id))
    plain = await make_member("Plain.Reader")
    await session.flush()

    await log_in(client, keeper)
    assert 'aria-label="1 waiting"' in (await client.get("/")).text
    await log_in(client, other_keeper)
    assert 'aria-label="2 waiting"' in (await client.get("/")).text
    await log_in(client, plain)
    page = (await client.get("/")).text
    assert "waiting" not in page and 'href="/review"' not in page


async def test_unread_notices_show_as_a_count_beside_notices(client, session, user, log_in):
    await notify(session, user.id, "A moderator reviewed your report.")
    await notify(session, user.id, "Your post is now up.")
    await log_in(client, user)
    assert 'aria-label="2 unread"' in (await client.get("/")).text
