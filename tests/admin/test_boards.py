"""Board settings: how many of a member's first posts wait for approval, changed and audited.

The setting lives on each board's page under /admin/boards, with the board's other settings
(tests/boards/ covers the rest of that page).
"""

from sqlalchemy import select

from forum.moderation.models import AuditEntry
from forum.threads.models import Post, State


def board_form(name: str, slug: str, approve_first_posts: str, **more: str) -> dict[str, str]:
    """The board page's form as a browser sends it: every field, boxes unticked."""
    return {"name": name, "slug": slug, "approve_first_posts": approve_first_posts, **more}


async def test_board_settings_are_for_administrators_only(client, moderator, admin, sign_in):
    await sign_in(client, moderator)
    assert (await client.get("/admin/boards")).status_code == 403
    await sign_in(client, admin)
    assert (await client.get("/admin/boards")).status_code == 200


async def test_the_page_lists_every_board_with_its_threshold_and_members_only_flag(
    client, admin, sign_in, make_board
):
    await make_board("my-story", approve_first_posts=2)
    await make_board("standing", members_only=True)
    await sign_in(client, admin)
    page = (await client.get("/admin/boards")).text
    assert 'id="board-my-story"' in page and 'id="board-standing"' in page
    assert "first 2 posts wait" in page
    assert "Members only" in page
    board_page = (await client.get("/admin/boards/my-story")).text
    assert 'name="approve_first_posts" type="number" value="2"' in board_page


async def test_turning_approval_on_makes_a_newcomers_reply_wait_and_off_lets_it_through(
    client, session, newcomer, admin, sign_in, post_form, make_board, make_thread
):
    board = await make_board("my-story", approve_first_posts=0)
    opening = await make_thread(board, admin, title="Welcome")
    thread_id, board_id = opening.thread_id, board.id
    await sign_in(client, admin)
    saved = await post_form(
        client,
        "/admin/boards/my-story",
        **board_form("My story", "my-story", "2", reason="Spam wave"),
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/admin/boards?done=my-story#board-my-story"
    await sign_in(client, newcomer)
    await post_form(client, f"/t/{thread_id}/reply", body="Hello, I am new.")
    first = (await session.scalars(select(Post).where(Post.position == 2))).one()
    assert first.state == State.PENDING

    await sign_in(client, admin)
    await post_form(client, "/admin/boards/my-story", **board_form("My story", "my-story", "0"))
    await sign_in(client, newcomer)
    await post_form(client, f"/t/{thread_id}/reply", body="Me again.")
    second = (await session.scalars(select(Post).where(Post.position == 3))).one()
    assert second.state == State.VISIBLE

    entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.action, e.board_id, e.reason) for e in entries] == [
        ("board.edit", board_id, "Spam wave"),
        ("board.edit", board_id, ""),
    ]
    assert entries[0].details == {
        "before": {"approve_first_posts": 0},
        "after": {"approve_first_posts": 2},
    }


async def test_a_threshold_out_of_range_comes_back_beside_its_field(
    client, session, admin, sign_in, post_form, make_board
):
    board = await make_board("my-story", approve_first_posts=1)
    await sign_in(client, admin)
    response = await post_form(
        client, "/admin/boards/my-story", **board_form("My story", "my-story", "21")
    )
    assert response.status_code == 422
    assert 'id="approve_first_posts-error"' in response.text
    assert "Write a whole number from 0 to 20." in response.text
    assert 'value="21"' in response.text
    await session.refresh(board)
    assert board.approve_first_posts == 1
    missing = await post_form(
        client, "/admin/boards/no-such-board", **board_form("Gone", "no-such-board", "1")
    )
    assert missing.status_code == 404
