"""The home page groups boards under their categories, in one query, and never shows guests a
members-only board."""

import re

import pytest
from sqlalchemy import event

from forum.boards.models import Category


@pytest.fixture
def make_category(session):
    async def make(slug: str, position: int, description: str = "") -> Category:
        category = Category(
            slug=slug,
            name=slug.replace("-", " ").capitalize(),
            description=description,
            position=position,
        )
        session.add(category)
        await session.flush()
        return category

    return make


def headings(page: str) -> list[str]:
    """The home page's h2 and h3 texts, in order (board names and category names)."""
    return [
        re.sub(r"<[^>]+>", "", text).split("Members only")[0].split("Archived")[0].strip()
        for text in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page, flags=re.S)
    ]


async def test_boards_in_no_category_come_first_then_each_category_in_its_order(
    client, make_board, make_category, set_board
):
    grief = await make_category("grief", 2, "When someone has died.")
    separation = await make_category("separation", 1)
    await set_board(await make_board("welcome"), position=1)
    await set_board(await make_board("losing-a-parent"), category_id=grief.id, position=2)
    await set_board(await make_board("anniversaries"), category_id=grief.id, position=1)
    await set_board(await make_board("co-parenting"), category_id=separation.id, position=1)
    page = (await client.get("/")).text
    assert headings(page) == [
        "Welcome",
        "Separation",
        "Co parenting",
        "Grief",
        "Anniversaries",
        "Losing a parent",
    ]
    assert '<h2 id="category-grief-h">Grief</h2>' in page
    assert "When someone has died." in page
    assert '<h3><a href="/b/co-parenting">' in page  # boards under a heading are a level down


async def test_archived_boards_are_marked_on_the_home_page(client, make_board, set_board):
    await set_board(await make_board("old-stories"), is_archived=True)
    page = (await client.get("/")).text
    assert 'class="board-row archived"' in page
    assert (
        '<span class="tag muted" title="Readable, but nothing new can be posted">Archived</span>'
        in page
    )


async def test_guests_never_see_members_only_boards_or_a_heading_with_only_those(
    client, user, log_in, make_board, make_category, set_board
):
    private = await make_category("private-matters", 1)
    await set_board(await make_board("infidelity", members_only=True), category_id=private.id)
    await make_board("welcome")
    guest = (await client.get("/")).text
    assert "Infidelity" not in guest and "Private matters" not in guest
    assert "/b/infidelity" not in guest
    await log_in(client, user)
    member = (await client.get("/")).text
    assert headings(member) == ["Welcome", "Private matters", "Infidelity"]


async def test_the_home_page_reads_its_boards_and_categories_in_one_query(
    client, session, make_board, make_category, set_board
):
    connection = (await session.connection()).sync_connection
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    async def board_queries(categories: int) -> int:
        for number in range(categories):
            category = await make_category(f"topic-{categories}-{number}", number)
            board = await make_board(f"board-{categories}-{number}")
            await set_board(board, category_id=category.id)
        statements.clear()
        event.listen(connection, "before_cursor_execute", count)
        try:
            assert (await client.get("/")).status_code == 200
        finally:
            event.remove(connection, "before_cursor_execute", count)
        return len([s for s in statements if "FROM boards" in s or "categories" in s])

    assert await board_queries(1) == 1
    assert await board_queries(4) == 1
