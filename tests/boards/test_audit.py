"""Board and category changes read plainly in the audit log."""


async def test_the_audit_log_says_what_happened_to_boards_and_categories(
    client, admin, user, sign_in, post_form, make_board, make_thread
):
    board = await make_board("standing", members_only=True)
    await make_thread(board, user, title="One", replies=1)
    await sign_in(client, admin)
    await post_form(client, "/admin/categories/new", name="Separation")
    await post_form(
        client,
        "/admin/boards/standing",
        name="Standing firm",
        slug="standing",
        category="separation",
        approve_first_posts="0",
        confirm_visibility_change="1",
        reason="Open it up",
    )
    await post_form(client, "/admin/boards/standing/archive")
    page = (await client.get("/review/audit")).text
    for words in (
        "Created a category",
        "Edited a board",
        "Archived a board",
        "name: Standing → Standing firm",
        "category: None → separation",
        "is members only: True → False",
        "threads affected: 1; posts affected: 2",
        "Open it up",
    ):
        assert words in page, words
