"""A board's address can change; old links keep working, for those who may see the board."""

from sqlalchemy import select

from forum.boards.models import Board


def board_form(name: str, slug: str, **more: str) -> dict[str, str]:
    return {"name": name, "slug": slug, "approve_first_posts": "0", **more}


async def rename(client, post_form, old: str, new: str, name: str = "My story", **more: str):
    response = await post_form(client, f"/admin/boards/{old}", **board_form(name, new, **more))
    assert response.status_code == 303, response.text[:500]
    return response


async def test_renaming_a_board_redirects_its_old_pages_to_the_new_address(
    client, session, admin, sign_in, post_form, make_board, make_thread
):
    board = await make_board("my-story")
    await make_thread(board, admin, title="Welcome")
    await sign_in(client, admin)
    saved = await rename(client, post_form, "my-story", "our-stories")
    assert saved.headers["location"] == "/admin/boards?done=our-stories#board-our-stories"
    await session.refresh(board)
    assert (board.slug, board.former_slugs) == ("our-stories", ["my-story"])

    for old, new in [
        ("/b/my-story", "/b/our-stories"),
        ("/b/my-story?page=2", "/b/our-stories?page=2"),
        ("/b/my-story/new", "/b/our-stories/new"),
        ("/api/v1/boards/my-story/threads", "/api/v1/boards/our-stories/threads"),
        ("/admin/boards/my-story", "/admin/boards/our-stories"),
    ]:
        response = await client.get(old)
        assert (response.status_code, response.headers.get("location")) == (301, new), old
    assert "Welcome" in (await client.get("/b/our-stories")).text


async def test_guests_are_redirected_only_where_they_could_see_the_board(
    client, session, admin, user, sign_in, post_form, make_board
):
    await make_board("standing", members_only=True)
    await make_board("welcome")
    await sign_in(client, admin)
    await rename(
        client, post_form, "standing", "standing-firm", name="Standing", is_members_only="1"
    )
    await rename(client, post_form, "welcome", "start-here", name="Welcome")
    client.cookies.clear()

    assert (await client.get("/b/standing")).status_code == 404
    assert (await client.get("/b/standing-firm")).status_code == 404
    public = await client.get("/b/welcome")
    assert (public.status_code, public.headers["location"]) == (301, "/b/start-here")

    await sign_in(client, user)
    member = await client.get("/b/standing")
    assert (member.status_code, member.headers["location"]) == (301, "/b/standing-firm")


async def test_a_board_can_take_back_its_old_address_but_no_other_board_can(
    client, session, admin, sign_in, post_form, make_board
):
    board = await make_board("my-story")
    await make_board("living-room")
    await sign_in(client, admin)
    await rename(client, post_form, "my-story", "our-stories")
    taken = await post_form(
        client, "/admin/boards/living-room", **board_form("Living room", "my-story")
    )
    assert taken.status_code == 422
    assert "“My story” used to have that address" in taken.text

    await rename(client, post_form, "our-stories", "my-story")
    await session.refresh(board)
    assert (board.slug, board.former_slugs) == ("my-story", ["our-stories"])
    assert (await client.get("/b/my-story")).status_code == 200
    slugs = (await session.scalars(select(Board.slug).order_by(Board.slug))).all()
    assert slugs == ["living-room", "my-story"]


async def test_a_form_posted_to_an_old_address_is_sent_on_keeping_its_method(
    client, admin, sign_in, post_form, make_board
):
    await make_board("my-story")
    await sign_in(client, admin)
    await rename(client, post_form, "my-story", "our-stories")
    response = await post_form(client, "/b/my-story/new", title="Hello", body="Words.")
    assert (response.status_code, response.headers["location"]) == (308, "/b/our-stories/new")
