"""Administrators run boards and categories from /admin/boards: create, edit, reorder, archive,
delete; every change audited, surprises confirmed first, bad input handed back by its field."""

from html import unescape

import pytest
from sqlalchemy import select

from forum.boards.models import Board, Category
from forum.moderation.models import AuditEntry
from forum.threads.models import Thread


def board_form(name: str, slug: str = "", **more: str) -> dict[str, str]:
    """The board form as a browser sends it: unticked boxes are simply absent."""
    return {"name": name, "slug": slug, "approve_first_posts": "0", **more}


async def boards_by_slug(session) -> dict[str, Board]:
    boards = (await session.scalars(select(Board).execution_options(populate_existing=True))).all()
    return {b.slug: b for b in boards}


async def audit(session) -> list[AuditEntry]:
    return (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()


@pytest.fixture
async def as_admin(client, admin, sign_in):
    await sign_in(client, admin)
    return client


async def test_only_administrators_reach_the_board_and_category_pages(
    client, session, moderator, sign_in, post_form, make_board
):
    await make_board("my-story")
    guest_list = await client.get("/admin/boards")
    assert guest_list.status_code == 303 and guest_list.headers["location"].startswith("/login")
    await sign_in(client, moderator)
    pages = ["/admin/boards", "/admin/boards/new", "/admin/boards/my-story",
             "/admin/boards/my-story/delete", "/admin/categories/new"]  # fmt: skip
    assert [(await client.get(url)).status_code for url in pages] == [403] * len(pages)
    writes = [
        await post_form(client, "/admin/boards/new", **board_form("Sneaky", "sneaky")),
        await post_form(client, "/admin/boards/my-story", **board_form("Mine now", "my-story")),
        await post_form(client, "/admin/boards/my-story/move", direction="up"),
        await post_form(client, "/admin/boards/my-story/archive"),
        await post_form(client, "/admin/boards/my-story/delete"),
        await post_form(client, "/admin/categories/new", name="Grief", slug="grief"),
    ]
    assert [w.status_code for w in writes] == [403] * len(writes)
    assert "Only administrators can change boards and categories." in writes[0].text
    assert list(await boards_by_slug(session)) == ["my-story"]
    assert await audit(session) == []


async def test_an_administrator_creates_a_category_and_a_board_in_it(
    as_admin, client, session, post_form
):
    made = await post_form(client, "/admin/categories/new", name="Loss and grief", slug="")
    assert made.status_code == 303
    assert made.headers["location"] == "/admin/boards?done=category.created#category-loss-and-grief"
    created = await post_form(
        client,
        "/admin/boards/new",
        **board_form(
            "Losing a parent",
            "",
            description="When a mother or father dies.",
            category="loss-and-grief",
            is_members_only="1",
            is_story_board="1",
        ),
    )
    assert created.status_code == 303
    assert created.headers["location"] == "/admin/boards?done=board.created#board-losing-a-parent"
    board = (await boards_by_slug(session))["losing-a-parent"]
    category = (await session.scalars(select(Category))).one()
    assert (board.category_id, board.is_members_only, board.is_story_board, board.position) == (
        category.id, True, True, 1,
    )  # fmt: skip
    listing = (await client.get("/admin/boards?done=board.created")).text
    assert "Board created." in listing
    assert 'id="category-loss-and-grief"' in listing and 'id="board-losing-a-parent"' in listing
    assert [(e.action, e.target_label) for e in await audit(session)] == [
        ("category.create", "Loss and grief"),
        ("board.create", "Losing a parent"),
    ]


async def test_bad_input_comes_back_beside_each_field_with_everything_typed_kept(
    as_admin, client, session, post_form
):
    response = await post_form(
        client,
        "/admin/boards/new",
        name="  ",
        slug="Our Story!",
        description="A long careful description we would hate to lose.",
        category="no-such-category",
        approve_first_posts="lots",
        position="0",
        is_members_only="1",
    )
    assert response.status_code == 422
    page = response.text
    for field in ("name", "slug", "approve_first_posts", "position"):
        assert f'id="{field}-error"' in page, field
    assert "Give it a name." in page
    assert "Use lowercase letters, digits and hyphens only" in page
    assert "Write a whole number from 0 to 20." in page
    assert 'value="Our Story!"' in page and 'value="lots"' in page
    assert "A long careful description we would hate to lose." in page
    assert 'name="is_members_only" value="1" checked' in page
    unknown = await post_form(
        client, "/admin/boards/new", **board_form("Fine", "fine", category="no-such-category")
    )
    assert unknown.status_code == 422
    assert "No category has the address “no-such-category”." in unknown.text
    assert await boards_by_slug(session) == {}


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("new", "“new” is one of the forum's own addresses"),
        ("admin", "“admin” is one of the forum's own addresses"),
        ("x", "Addresses are 2 to 60 characters long"),
        ("a" * 61, "Addresses are 2 to 60 characters long"),
        ("-edge", "no hyphen at either end"),
        ("My-Story", "Use lowercase letters only: “my-story”."),
        ("my-story", "The board “My story” has that address already."),
        ("old-story", "“My story” used to have that address"),
    ],
)
async def test_addresses_are_checked_for_shape_reserved_words_and_every_address_in_use(
    as_admin, client, session, post_form, make_board, set_board, slug, message
):
    await set_board(await make_board("my-story"), former_slugs=["old-story"])
    response = await post_form(client, "/admin/boards/new", **board_form("Another", slug))
    assert response.status_code == 422
    assert message in unescape(response.text)
    assert list(await boards_by_slug(session)) == ["my-story"]


async def test_editing_a_board_records_only_what_changed_before_and_after(
    as_admin, client, session, post_form, make_board
):
    board = await make_board("my-story")
    board_id = board.id
    page = await client.get("/admin/boards/my-story")
    assert 'value="My story"' in page.text
    saved = await post_form(
        client,
        "/admin/boards/my-story",
        **board_form(
            "My story, week by week", "my-story", description="Updates.", reason="Clearer"
        ),
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/admin/boards?done=my-story#board-my-story"
    [entry] = await audit(session)
    assert (entry.action, entry.board_id, entry.reason) == ("board.edit", board_id, "Clearer")
    assert entry.details == {
        "before": {"name": "My story", "description": ""},
        "after": {"name": "My story, week by week", "description": "Updates."},
    }
    again = await post_form(
        client,
        "/admin/boards/my-story",
        **board_form("My story, week by week", "my-story", description="Updates."),
    )
    assert again.status_code == 303
    assert len(await audit(session)) == 1  # saving without a change records nothing


async def test_opening_a_members_only_board_warns_with_real_counts_and_needs_a_tick(
    as_admin, client, session, user, post_form, make_board, make_thread
):
    board = await make_board("standing", members_only=True)
    await make_thread(board, user, title="One", replies=2)
    await make_thread(board, user, title="Two")
    warned = await post_form(client, "/admin/boards/standing", **board_form("Standing", "standing"))
    assert warned.status_code == 409
    assert (
        "2 threads and 4 posts become readable by anyone, including search engines if "
        "indexing is on" in warned.text
    )
    assert 'name="confirm_visibility_change"' in warned.text
    assert 'name="is_members_only" value="1" checked' not in warned.text  # as typed: unticked
    assert (await boards_by_slug(session))["standing"].is_members_only is True
    assert await audit(session) == []

    confirmed = await post_form(
        client,
        "/admin/boards/standing",
        **board_form("Standing", "standing", confirm_visibility_change="1"),
    )
    assert confirmed.status_code == 303
    assert (await boards_by_slug(session))["standing"].is_members_only is False
    [entry] = await audit(session)
    assert entry.details == {
        "before": {"is_members_only": True},
        "after": {"is_members_only": False},
        "threads_affected": 2,
        "posts_affected": 4,
    }


async def test_closing_a_public_board_warns_that_guests_and_feeds_lose_its_threads(
    as_admin, client, session, user, post_form, make_board, make_thread
):
    board = await make_board("living-room")
    await make_thread(board, user, title="One")
    warned = await post_form(
        client,
        "/admin/boards/living-room",
        **board_form("Living room", "living-room", is_members_only="1"),
    )
    assert warned.status_code == 409
    assert "1 thread and 1 post become visible to members only; guests and feeds lose them." in (
        warned.text
    )
    assert (await boards_by_slug(session))["living-room"].is_members_only is False


async def test_up_and_down_move_a_board_one_place_and_positions_stay_compact(
    as_admin, client, session, post_form, make_board, set_board
):
    for slug, position in (("first", 0), ("second", 5), ("third", 9)):
        await set_board(await make_board(slug), position=position)
    moved = await post_form(client, "/admin/boards/third/move", direction="up")
    assert moved.status_code == 303 and moved.headers["location"] == "/admin/boards#board-third"
    positions = {slug: b.position for slug, b in (await boards_by_slug(session)).items()}
    assert positions == {"first": 1, "third": 2, "second": 3}
    await post_form(client, "/admin/boards/first/move", direction="up")  # at the top already
    await post_form(client, "/admin/boards/first/move", direction="down")
    positions = {slug: b.position for slug, b in (await boards_by_slug(session)).items()}
    assert positions == {"third": 1, "first": 2, "second": 3}
    moves = [e.details for e in await audit(session)]
    assert moves == [
        {"before": {"position": 3}, "after": {"position": 2}},
        {"before": {"position": 1}, "after": {"position": 2}},
    ]
    listing = (await client.get("/admin/boards")).text
    assert listing.index('id="board-third"') < listing.index('id="board-first"')


async def test_a_board_moved_to_another_category_leaves_no_gap_behind(
    as_admin, client, session, post_form, make_board
):
    await post_form(client, "/admin/categories/new", name="Grief", slug="grief")
    for slug in ("one", "two", "three"):
        await post_form(client, "/admin/boards/new", **board_form(slug.title(), slug))
    await post_form(client, "/admin/boards/new", **board_form("Loss", "loss", category="grief"))
    await post_form(
        client, "/admin/boards/two", **board_form("Two", "two", category="grief", position="1")
    )
    boards = await boards_by_slug(session)
    assert {s: b.position for s, b in boards.items() if b.category_id is None} == {
        "one": 1,
        "three": 2,
    }
    assert {s: b.position for s, b in boards.items() if b.category_id} == {"two": 1, "loss": 2}


async def test_archiving_makes_a_board_read_only_and_unarchiving_opens_it_again(
    as_admin, client, session, user, post_form, make_board, log_in
):
    await make_board("old-stories")
    archived = await post_form(client, "/admin/boards/old-stories/archive", reason="Quiet")
    assert archived.status_code == 303
    listing = (await client.get("/admin/boards")).text
    assert "Archived</span>" in listing and ">Unarchive</button>" in listing
    assert (await boards_by_slug(session))["old-stories"].is_archived is True
    await post_form(client, "/admin/boards/old-stories/unarchive")
    assert (await boards_by_slug(session))["old-stories"].is_archived is False
    assert [(e.action, e.reason) for e in await audit(session)] == [
        ("board.archive", "Quiet"),
        ("board.unarchive", ""),
    ]


async def test_a_board_with_any_thread_is_not_deleted_and_archiving_is_offered(
    as_admin, client, session, user, post_form, make_board, make_thread
):
    board = await make_board("my-story")
    kept = await make_thread(board, user, title="Still here")
    gone = await make_thread(board, user, title="Deleted one")
    for opening in (kept, gone):
        (await session.get_one(Thread, opening.thread_id)).state = "deleted"
    await session.flush()
    page = await client.get("/admin/boards/my-story/delete")
    message = (
        "“My story” has 2 threads, counting hidden and deleted ones, so it can't be deleted. "
        "Archive it instead"
    )
    assert message in unescape(page.text) and ">Archive it instead</button>" in page.text
    refused = await post_form(client, "/admin/boards/my-story/delete")
    assert refused.status_code == 409 and message in unescape(refused.text)
    assert "my-story" in await boards_by_slug(session)
    assert await audit(session) == []


async def test_an_empty_board_is_deleted_and_the_log_keeps_its_name(
    as_admin, client, session, post_form, make_board
):
    board = await make_board("typo-board")
    board_id = board.id
    assert "It has never had a thread" in (await client.get("/admin/boards/typo-board/delete")).text
    deleted = await post_form(client, "/admin/boards/typo-board/delete")
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/admin/boards?done=board.deleted#top"
    assert await boards_by_slug(session) == {}
    [entry] = await audit(session)
    assert (entry.action, entry.target_id, entry.target_label) == (
        "board.delete", board_id, "Typo board",
    )  # fmt: skip
    assert (await client.get("/admin/boards/typo-board")).status_code == 404


async def test_categories_are_edited_reordered_and_deleted_after_a_confirmation(
    as_admin, client, session, post_form
):
    for name in ("Separation", "Grief"):
        await post_form(client, "/admin/categories/new", name=name)
    await post_form(client, "/admin/boards/new", **board_form("Loose", "loose"))
    for slug in ("loss", "anniversaries"):
        await post_form(
            client, "/admin/boards/new", **board_form(slug.title(), slug, category="grief")
        )
    await post_form(client, "/admin/categories/grief/move", direction="up")
    order = (await session.scalars(select(Category.slug).order_by(Category.position))).all()
    assert order == ["grief", "separation"]
    renamed = await post_form(
        client,
        "/admin/categories/grief",
        name="Grief and loss",
        slug="grief",
        description="",
        position="1",
    )
    assert renamed.status_code == 303

    confirm_page = await client.get("/admin/categories/grief/delete")
    assert "2 boards in it will be in no category" in confirm_page.text
    unconfirmed = await post_form(client, "/admin/categories/grief/delete")
    assert unconfirmed.status_code == 409
    assert "2 boards in “Grief and loss” will be in no category" in unconfirmed.text
    assert (await session.scalars(select(Category.slug))).all().count("grief") == 1

    deleted = await post_form(client, "/admin/categories/grief/delete", confirm="1")
    assert deleted.status_code == 303
    boards = await boards_by_slug(session)
    assert {s: (b.category_id, b.position) for s, b in boards.items()} == {
        "loose": (None, 1),
        "loss": (None, 2),
        "anniversaries": (None, 3),
    }
    assert (await session.scalars(select(Category.position))).all() == [1]
    actions = [e.action for e in await audit(session)]
    assert actions[-3:] == ["category.move", "category.edit", "category.delete"]
    assert (await audit(session))[-1].details == {"slug": "grief", "boards": 2}


async def test_board_forms_without_a_csrf_token_change_nothing(
    as_admin, client, session, make_board
):
    await make_board("my-story")
    forged = await client.post("/admin/boards/my-story/archive", data={})
    assert forged.status_code == 403
    assert (await boards_by_slug(session))["my-story"].is_archived is False


async def test_saving_a_board_keeps_its_place_when_older_positions_have_gaps(
    as_admin, client, session, post_form, make_board, set_board
):
    for slug, position in (("first", 0), ("second", 5), ("third", 9)):
        await set_board(await make_board(slug), position=position)
    page = (await client.get("/admin/boards/second")).text
    assert 'name="position" type="number" value="2"' in page
    saved = await post_form(
        client, "/admin/boards/second", **board_form("Second, renamed", "second", position="2")
    )
    assert saved.status_code == 303
    [entry] = await audit(session)
    assert entry.details == {"before": {"name": "Second"}, "after": {"name": "Second, renamed"}}
    listing = (await client.get("/admin/boards")).text
    order = [listing.index(f'id="board-{slug}"') for slug in ("first", "second", "third")]
    assert order == sorted(order)


async def test_a_category_saved_from_its_page_keeps_its_place_whatever_its_stored_number(
    as_admin, client, session, post_form
):
    for position, slug in enumerate(("first", "second")):
        session.add(
            Category(slug=slug, name=slug.title(), position=position)
        )  # from 0, as older data
    await session.flush()
    page = (await client.get("/admin/categories/first")).text
    assert 'name="position" type="number" value="1"' in page
    saved = await post_form(
        client, "/admin/categories/first", name="First of all", slug="first", position="1"
    )
    assert saved.status_code == 303
    order = (await session.scalars(select(Category.slug).order_by(Category.position))).all()
    assert order == ["first", "second"]
    [entry] = await audit(session)
    assert entry.details == {"before": {"name": "First"}, "after": {"name": "First of all"}}
