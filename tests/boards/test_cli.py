"""`forum board …` and `forum category …`: the same actions as the pages, for scripts."""

from support import PASSWORD

ADMIN = {"FORUM_ADMIN_PASSWORD": PASSWORD}


def test_an_operator_creates_a_category_and_boards_and_lists_them(forum_cli, cli_rows):
    made = forum_cli("category", "create", "separation", "--name", "Separation")
    assert made.exit_code == 0, made.output
    assert made.stdout == "Category created: separation\n"
    for args in (
        ["board", "create", "welcome", "--name", "Welcome"],
        ["board", "create", "co-parenting", "--name", "Co-parenting", "--category",
         "separation", "--members-only", "--story", "--approve-first-posts", "3"],
    ):  # fmt: skip
        created = forum_cli(*args)
        assert created.exit_code == 0, created.output
    assert created.stdout == "Board created: /b/co-parenting\n"

    listed = forum_cli("board", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        "#  ADDRESS       NAME          CATEGORY    THREADS  POSTS  STATE",
        "1  welcome       Welcome       -                 0      0  first 2 wait",
        "1  co-parenting  Co-parenting  separation        0      0  members only, story, first 3 wait",
    ]
    categories = forum_cli("category", "list")
    assert categories.stdout.splitlines() == [
        "#  ADDRESS     NAME        BOARDS",
        "1  separation  Separation       1",
    ]
    audit = cli_rows("SELECT action, actor_name FROM audit_log ORDER BY id")
    assert [tuple(row) for row in audit] == [
        ("category.create", "system"),
        ("board.create", "system"),
        ("board.create", "system"),
    ]


def test_bad_input_is_refused_with_the_field_named_and_nothing_made(forum_cli, cli_rows):
    refused = forum_cli("board", "create", "New", "--name", "Whatever")
    assert refused.exit_code == 1
    assert refused.stderr == "Not done: slug: Use lowercase letters only: “new”.\n"
    unknown = forum_cli("board", "create", "welcome", "--name", "Welcome", "--category", "nope")
    assert unknown.stderr == "Not done: category: No category has the address “nope”.\n"
    missing = forum_cli("board", "edit", "nowhere", "--name", "x")
    assert (missing.exit_code, missing.stderr) == (1, "Not done: We couldn't find that board.\n")
    assert cli_rows("SELECT count(*) FROM boards") == [(0,)]


def test_edit_changes_only_what_it_names_and_audits_as_the_named_administrator(forum_cli, cli_rows):
    assert forum_cli("create-admin", "Willow.Creek", env=ADMIN).exit_code == 0
    forum_cli("board", "create", "my-story", "--name", "My story", "--description", "Kept.")
    edited = forum_cli(
        "board", "edit", "my-story", "--slug", "our-stories", "--story", "--archive",
        "--reason", "Tidy up", "--as", "willow.creek",
    )  # fmt: skip
    assert edited.exit_code == 0, edited.output
    assert edited.stdout == "Board saved: /b/our-stories\n"
    [board] = cli_rows(
        "SELECT slug, former_slugs, description, is_story_board, is_archived FROM boards"
    )
    assert tuple(board) == ("our-stories", ["my-story"], "Kept.", True, True)
    audit = cli_rows(
        "SELECT action, actor_name, reason FROM audit_log WHERE action LIKE 'board.%' ORDER BY id"
    )
    assert [tuple(row) for row in audit] == [
        ("board.create", "system", ""),
        ("board.edit", "Willow.Creek", "Tidy up"),
        ("board.archive", "Willow.Creek", "Tidy up"),
    ]
    again = forum_cli("board", "edit", "our-stories", "--story")
    assert again.stdout == "Nothing to change.\n"


def test_only_an_administrator_can_be_named_as_the_actor(forum_cli, cli_rows):
    forum_cli("board", "create", "my-story", "--name", "My story")
    nobody = forum_cli("board", "edit", "my-story", "--name", "X", "--as", "Ghost")
    assert (nobody.exit_code, nobody.stderr) == (1, "Not done: nobody has the handle “Ghost”.\n")
    cli_rows(
        "INSERT INTO members (handle, handle_key, handle_skeleton, password_hash, role,"
        " post_count) VALUES ('Harbor_Light', 'harbor_light', 'harbor_light', 'x', 'member', 0)"
    )
    member = forum_cli("board", "edit", "my-story", "--name", "X", "--as", "Harbor_Light")
    assert member.stderr == "Not done: Harbor_Light is not an administrator.\n"
    assert cli_rows("SELECT name FROM boards") == [("My story",)]


def test_a_visibility_change_prints_the_counts_and_needs_yes(forum_cli, cli_rows):
    forum_cli("board", "create", "standing", "--name", "Standing", "--members-only")
    cli_rows("UPDATE boards SET thread_count = 142, post_count = 1204")
    warned = forum_cli("board", "edit", "standing", "--public")
    assert warned.exit_code == 1
    assert warned.stderr.splitlines() == [
        "Not done: 142 threads and 1,204 posts become readable by anyone, including search "
        "engines if indexing is on (it is off now).",
        "Run it again with --yes to go ahead.",
    ]
    assert cli_rows("SELECT is_members_only FROM boards") == [(True,)]
    done = forum_cli("board", "edit", "standing", "--public", "--yes")
    assert done.exit_code == 0, done.output
    assert cli_rows("SELECT is_members_only FROM boards") == [(False,)]
    [details] = cli_rows("SELECT details FROM audit_log WHERE action = 'board.edit'")
    assert details[0]["threads_affected"] == 142 and details[0]["posts_affected"] == 1204


def test_position_and_category_options_reorder_boards(forum_cli, cli_rows):
    forum_cli("category", "create", "grief", "--name", "Grief")
    for slug in ("one", "two", "three"):
        forum_cli("board", "create", slug, "--name", slug.title())
    forum_cli("board", "edit", "three", "--position", "1")
    forum_cli("board", "edit", "one", "--category", "grief")
    rows = cli_rows(
        "SELECT b.slug, c.slug, b.position FROM boards b LEFT JOIN categories c"
        " ON c.id = b.category_id ORDER BY c.slug NULLS FIRST, b.position"
    )
    assert [tuple(r) for r in rows] == [("three", None, 1), ("two", None, 2), ("one", "grief", 1)]
    back = forum_cli("board", "edit", "one", "--category", "")
    assert back.exit_code == 0
    assert cli_rows("SELECT category_id, position FROM boards WHERE slug = 'one'") == [(None, 3)]
