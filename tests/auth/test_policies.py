"""The policy module answered exhaustively for each role, without a database."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from forum.auth import policies
from forum.auth.viewer import GUEST, Viewer
from forum.core.time import utcnow

BOARD, OTHER_BOARD = 1, 2
MEMBER = Viewer(member_id=10, handle="Member", role="member", joined_at=utcnow())
SILENCED = Viewer(
    member_id=11, handle="Quiet", role="member", silenced_until=utcnow() + timedelta(days=3)
)
SENIOR = Viewer(member_id=12, handle="Senior", role="senior")
BOARD_MOD = Viewer(member_id=13, handle="BoardMod", role="member", moderated_boards=frozenset({1}))
MODERATOR = Viewer(member_id=14, handle="Moderator", role="moderator")
ADMIN = Viewer(member_id=15, handle="Admin", role="admin")


def thread(
    *,
    board_id: int = BOARD,
    author_id: int = 99,
    locked: bool = False,
    state="visible",
    archived: bool = False,
):
    return SimpleNamespace(
        board_id=board_id,
        author_id=author_id,
        is_locked=locked,
        state=state,
        board_is_archived=archived,
    )


def board(
    *,
    board_id: int = BOARD,
    members_only: bool = False,
    archived: bool = False,
    story: bool = False,
):
    return SimpleNamespace(
        id=board_id, is_members_only=members_only, is_archived=archived, is_story_board=story
    )


def post(*, author_id: int = 99, state: str = "visible"):
    return SimpleNamespace(author_id=author_id, state=state)


def member(role: str = "member", member_id: int = 99):
    return SimpleNamespace(id=member_id, role=role)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (GUEST, False),
        (MEMBER, True),
        (SILENCED, False),
        (SENIOR, True),
        (BOARD_MOD, True),
        (MODERATOR, True),
    ],
)
def test_replying_to_an_open_thread_needs_a_member_who_is_not_silenced(viewer, expected):
    assert policies.can_reply(viewer, thread()) is expected


@pytest.mark.parametrize(
    ("viewer", "board_id", "expected"),
    [
        (MEMBER, BOARD, False),
        (SENIOR, BOARD, False),
        (BOARD_MOD, BOARD, True),
        (BOARD_MOD, OTHER_BOARD, False),
        (MODERATOR, OTHER_BOARD, True),
        (ADMIN, OTHER_BOARD, True),
    ],
)
def test_a_locked_thread_takes_replies_only_from_moderators_of_its_board(
    viewer, board_id, expected
):
    assert policies.can_reply(viewer, thread(board_id=board_id, locked=True)) is expected


@pytest.mark.parametrize(
    ("viewer", "board_id", "expected"),
    [
        (MEMBER, BOARD, False),
        (SENIOR, BOARD, False),
        (BOARD_MOD, BOARD, True),
        (BOARD_MOD, OTHER_BOARD, False),
        (MODERATOR, OTHER_BOARD, True),
        (ADMIN, BOARD, True),
    ],
)
def test_thread_tools_and_post_moderation_belong_to_moderators_of_the_board(
    viewer, board_id, expected
):
    assert policies.can_manage_thread(viewer, thread(board_id=board_id)) is expected
    assert policies.can_moderate_post(viewer, board_id) is expected


def test_nobody_edits_another_members_post_without_moderating_its_board():
    others = post(author_id=99)
    assert not policies.can_edit_post(MEMBER, others, thread())
    assert not policies.can_edit_post(SENIOR, others, thread())
    assert not policies.can_edit_post(BOARD_MOD, others, thread(board_id=OTHER_BOARD))
    assert policies.can_edit_post(BOARD_MOD, others, thread())
    assert policies.can_edit_post(MODERATOR, others, thread(board_id=OTHER_BOARD))


def test_authors_edit_their_own_posts_unless_silenced_locked_or_deleted():
    mine = post(author_id=MEMBER.member_id)
    assert policies.can_edit_post(MEMBER, mine, thread())
    assert not policies.can_edit_post(MEMBER, mine, thread(locked=True))
    assert not policies.can_edit_post(MEMBER, post(author_id=10, state="deleted"), thread())
    assert not policies.can_edit_post(SILENCED, post(author_id=SILENCED.member_id), thread())


@pytest.mark.parametrize(
    ("state", "author", "moderator", "stranger", "guest"),
    [
        ("visible", True, True, True, True),
        ("hidden", True, True, False, False),
        ("pending", True, True, False, False),
        ("deleted", False, True, False, False),
    ],
)
def test_a_posts_words_reach_only_those_its_state_allows(state, author, moderator, stranger, guest):
    the_post = post(author_id=MEMBER.member_id, state=state)
    assert policies.can_read_post(MEMBER, the_post, BOARD) is author
    assert policies.can_read_post(BOARD_MOD, the_post, BOARD) is moderator
    assert policies.can_read_post(SENIOR, the_post, BOARD) is stranger
    assert policies.can_read_post(GUEST, the_post, BOARD) is guest


def test_hidden_posts_keep_their_place_but_pending_and_deleted_ones_vanish_for_others():
    assert policies.can_see_post(GUEST, post(state="hidden"), BOARD)
    assert not policies.can_see_post(GUEST, post(state="pending"), BOARD)
    assert not policies.can_see_post(SENIOR, post(state="deleted"), BOARD)
    assert policies.can_see_post(BOARD_MOD, post(state="deleted"), BOARD)


def test_pending_threads_show_to_their_author_and_deleted_ones_only_to_moderators():
    assert policies.can_see_thread(MEMBER, thread(author_id=MEMBER.member_id, state="pending"))
    assert not policies.can_see_thread(SENIOR, thread(state="pending"))
    assert not policies.can_see_thread(MEMBER, thread(author_id=MEMBER.member_id, state="deleted"))
    assert policies.can_see_thread(MODERATOR, thread(state="deleted"))


def test_members_report_others_visible_posts_but_not_their_own_or_while_silenced():
    assert policies.can_report(MEMBER, post())
    assert not policies.can_report(MEMBER, post(author_id=MEMBER.member_id))
    assert not policies.can_report(MEMBER, post(state="hidden"))
    assert not policies.can_report(SILENCED, post())
    assert not policies.can_report(GUEST, post())


def test_sanctions_need_rank_over_the_member_and_suspensions_a_global_moderator():
    plain = member()
    assert not policies.can_warn(MEMBER, plain)
    assert policies.can_warn(BOARD_MOD, plain, BOARD)
    assert not policies.can_warn(BOARD_MOD, plain, OTHER_BOARD)
    assert policies.can_silence(BOARD_MOD, plain, BOARD)
    assert not policies.can_suspend(BOARD_MOD, plain)
    assert policies.can_suspend(MODERATOR, plain)
    assert policies.can_ban(MODERATOR, member("senior"))
    assert not policies.can_ban(MODERATOR, member("moderator"))
    assert policies.can_ban(ADMIN, member("moderator"))
    assert not policies.can_warn(ADMIN, member("admin", member_id=ADMIN.member_id))


def test_moderators_grant_senior_status_and_only_administrators_give_other_roles():
    plain = member()
    assert policies.can_set_role(MODERATOR, plain, "senior")
    assert not policies.can_set_role(MODERATOR, plain, "moderator")
    assert not policies.can_set_role(MODERATOR, member("moderator"), "member")
    assert policies.can_set_role(ADMIN, plain, "moderator")
    assert not policies.can_set_role(ADMIN, member("admin", ADMIN.member_id), "member")
    assert not policies.can_set_role(SENIOR, plain, "senior")


def test_only_administrators_keep_watched_words_trust_rules_and_board_moderators():
    assert policies.can_administer(ADMIN)
    for viewer in (GUEST, MEMBER, SENIOR, BOARD_MOD, MODERATOR):
        assert not policies.can_administer(viewer)


def test_the_audit_log_and_member_pages_open_to_every_kind_of_moderator():
    for viewer in (BOARD_MOD, MODERATOR, ADMIN):
        assert policies.can_see_audit_log(viewer)
        assert policies.can_see_member_admin(viewer)
    for viewer in (GUEST, MEMBER, SENIOR):
        assert not policies.can_see_audit_log(viewer)


def test_a_member_is_new_until_both_a_week_and_two_posts_have_passed():
    month_ago = utcnow() - timedelta(days=30)
    assert policies.is_new_member(Viewer(member_id=1, joined_at=utcnow(), post_count=50))
    assert policies.is_new_member(Viewer(member_id=1, joined_at=month_ago, post_count=1))
    assert not policies.is_new_member(Viewer(member_id=1, joined_at=month_ago, post_count=2))


# Boards: archived, story and members-only boards


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (GUEST, False),
        (MEMBER, True),
        (SILENCED, False),
        (BOARD_MOD, True),
        (MODERATOR, True),
        (ADMIN, True),
    ],
)
def test_starting_a_thread_in_an_open_board_needs_a_member_who_is_not_silenced(viewer, expected):
    assert policies.can_start_thread(viewer, board()) is expected


@pytest.mark.parametrize("viewer", [MEMBER, SENIOR, BOARD_MOD, MODERATOR, ADMIN])
def test_nobody_starts_threads_replies_or_edits_in_an_archived_board(viewer):
    archived = board(archived=True)
    old_thread = thread(archived=True, author_id=viewer.member_id)
    own_post = post(author_id=viewer.member_id)

    assert policies.can_start_thread(viewer, archived) is False
    assert policies.can_reply(viewer, old_thread) is False
    assert policies.can_edit_post(viewer, own_post, old_thread) is False


def test_an_archived_board_stays_readable_and_moderators_still_manage_its_threads():
    archived = board(archived=True, members_only=False)
    old_thread = thread(archived=True)

    assert policies.can_see_board(GUEST, archived) is True
    assert policies.can_see_thread(GUEST, old_thread) is True
    assert policies.can_manage_thread(MODERATOR, old_thread) is True
    assert policies.can_manage_thread(BOARD_MOD, old_thread) is True
    assert policies.can_moderate_post(MODERATOR, BOARD) is True
    assert policies.can_manage_thread(MEMBER, old_thread) is False


def test_members_only_boards_are_for_members_and_their_threads_start_only_there():
    private = board(members_only=True)
    assert policies.can_see_board(GUEST, private) is False
    assert policies.can_see_board(MEMBER, private) is True
    assert policies.can_start_thread(GUEST, private) is False
    assert policies.can_start_thread(MEMBER, private) is True


@pytest.mark.parametrize(
    ("viewer", "board_id", "expected"),
    [
        (MEMBER, BOARD, True),
        (SENIOR, BOARD, True),
        (SILENCED, BOARD, True),
        (BOARD_MOD, BOARD, False),
        (BOARD_MOD, OTHER_BOARD, True),
        (MODERATOR, BOARD, False),
        (ADMIN, BOARD, False),
    ],
)
def test_a_story_board_keeps_members_to_one_story_but_not_its_moderators(
    viewer, board_id, expected
):
    assert policies.keeps_one_story(viewer, board(board_id=board_id, story=True)) is expected


@pytest.mark.parametrize("viewer", [MEMBER, BOARD_MOD, MODERATOR, ADMIN])
def test_ordinary_boards_take_any_number_of_threads_from_anyone(viewer):
    assert policies.keeps_one_story(viewer, board(story=False)) is False


@pytest.mark.parametrize(
    ("viewer", "board_id", "archived", "expected"),
    [
        (MEMBER, BOARD, False, False),
        (BOARD_MOD, BOARD, False, True),
        (BOARD_MOD, OTHER_BOARD, False, False),
        (BOARD_MOD, BOARD, True, False),
        (MODERATOR, OTHER_BOARD, False, True),
        (MODERATOR, OTHER_BOARD, True, False),
        (ADMIN, BOARD, True, False),
    ],
)
def test_threads_move_only_into_boards_the_mover_moderates_and_never_into_archived_ones(
    viewer, board_id, archived, expected
):
    target = board(board_id=board_id, archived=archived)
    assert policies.can_move_thread_into(viewer, target) is expected


@pytest.mark.parametrize(("viewer", "expected"), [(MODERATOR, False), (ADMIN, True)])
def test_only_administrators_run_boards_and_categories(viewer, expected):
    assert policies.can_administer(viewer) is expected
