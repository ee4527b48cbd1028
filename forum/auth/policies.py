"""Every "may this viewer do that to this thing?" in one place, for pages and the API alike.

Policies are pure functions over loaded objects or rows, one condition per line. Roles rank
member = senior < board moderator (their boards only) < moderator < administrator.
"""

from typing import Protocol

from forum.accounts.models import Role
from forum.auth.viewer import Viewer
from forum.config import settings
from forum.core.time import utcnow

STAFF = (Role.MODERATOR, Role.ADMIN)


class BoardLike(Protocol):
    id: int | None
    is_members_only: bool
    # Archived boards stay readable but take nothing new: no threads, replies, edits or moves.
    is_archived: bool
    # Each member keeps one ongoing thread in a story board.
    is_story_board: bool


class ThreadLike(Protocol):
    """A Thread, or a thread-page row: enough to judge replies and moderation."""

    board_id: int
    author_id: int
    is_locked: bool
    state: str
    board_is_archived: bool


class PostLike(Protocol):
    author_id: int
    state: str


class MemberLike(Protocol):
    id: int | None
    role: str


def is_staff(viewer: Viewer) -> bool:
    """A global moderator or an administrator."""
    return viewer.role in STAFF


def moderates(viewer: Viewer, board_id: int) -> bool:
    if is_staff(viewer):
        return True
    return board_id in viewer.moderated_boards


def moderates_any(viewer: Viewer) -> bool:
    return is_staff(viewer) or bool(viewer.moderated_boards)


def _may_write(viewer: Viewer) -> bool:
    if viewer.is_anonymous:
        return False
    return not viewer.is_silenced


# Boards


def can_see_board(viewer: Viewer, board: BoardLike) -> bool:
    if board.is_members_only:
        return not viewer.is_anonymous
    return True


def can_start_thread(viewer: Viewer, board: BoardLike) -> bool:
    if not _may_write(viewer):
        return False
    if board.is_archived:
        return False
    return can_see_board(viewer, board)


def keeps_one_story(viewer: Viewer, board: BoardLike) -> bool:
    """Whether the viewer's thread in this board, if they have one, is the only one they may
    keep there: true in story boards, except for the board's moderators."""
    if not board.is_story_board:
        return False
    return not moderates(viewer, board.id or 0)


def can_move_thread_into(viewer: Viewer, board: BoardLike) -> bool:
    """Moving, merging or splitting threads into a board: its moderators, unless it is archived."""
    if board.is_archived:
        return False
    return moderates(viewer, board.id or 0)


# Threads


def can_see_thread(viewer: Viewer, thread: ThreadLike) -> bool:
    """Visible threads to all who see the board; pending ones to their author; the rest to moderators."""
    if thread.state == "visible":
        return True
    if moderates(viewer, thread.board_id):
        return True
    return thread.state == "pending" and thread.author_id == viewer.member_id


def can_reply(viewer: Viewer, thread: ThreadLike) -> bool:
    if not _may_write(viewer):
        return False
    if thread.board_is_archived:
        return False
    if thread.state != "visible":
        return False
    if thread.is_locked:
        return moderates(viewer, thread.board_id)
    return True


def can_manage_thread(viewer: Viewer, thread: ThreadLike) -> bool:
    """Pin, lock, move, merge, split, delete and restore."""
    return moderates(viewer, thread.board_id)


# Posts


def can_see_post(viewer: Viewer, post: PostLike, board_id: int) -> bool:
    """Whether the post appears at all; a hidden post appears as its reason."""
    if post.state in ("visible", "hidden"):
        return True
    if moderates(viewer, board_id):
        return True
    return post.state == "pending" and post.author_id == viewer.member_id


def can_read_post(viewer: Viewer, post: PostLike, board_id: int) -> bool:
    """Whether the post's words are shown, not just its place."""
    if post.state == "visible":
        return True
    if moderates(viewer, board_id):
        return True
    return post.state in ("pending", "hidden") and post.author_id == viewer.member_id


def can_edit_post(viewer: Viewer, post: PostLike, thread: ThreadLike) -> bool:
    if viewer.is_anonymous:
        return False
    if thread.board_is_archived:
        return False
    if moderates(viewer, thread.board_id):
        return True
    if post.author_id != viewer.member_id:
        return False
    if viewer.is_silenced:
        return False
    if post.state == "deleted":
        return False
    return not thread.is_locked


def can_see_history(viewer: Viewer, post: PostLike, board_id: int) -> bool:
    """Moderators see every post's edits; authors see their own."""
    if viewer.is_anonymous:
        return False
    if moderates(viewer, board_id):
        return True
    return post.author_id == viewer.member_id


def can_report(viewer: Viewer, post: PostLike) -> bool:
    if not _may_write(viewer):
        return False
    if post.author_id == viewer.member_id:
        return False
    return post.state == "visible"


def can_moderate_post(viewer: Viewer, board_id: int) -> bool:
    """Approve, hide, edit, delete and restore posts, and act on their queue items."""
    return moderates(viewer, board_id)


# Members


def _rank(role: str) -> int:
    return {Role.ADMIN: 3, Role.MODERATOR: 2}.get(role, 0)  # type: ignore[call-overload]


def _outranks(viewer: Viewer, member: MemberLike, board_id: int | None) -> bool:
    if member.id == viewer.member_id:
        return False
    mine = _rank(viewer.role)
    if board_id is not None and board_id in viewer.moderated_boards:
        mine = max(mine, 1)
    return mine > _rank(member.role)


def can_warn(viewer: Viewer, member: MemberLike, board_id: int | None = None) -> bool:
    """Board moderators warn and silence over posts in their boards; moderators anywhere."""
    return _outranks(viewer, member, board_id)


def can_silence(viewer: Viewer, member: MemberLike, board_id: int | None = None) -> bool:
    return _outranks(viewer, member, board_id)


def can_suspend(viewer: Viewer, member: MemberLike) -> bool:
    """Suspensions and bans lock someone out of the whole forum: global moderators only."""
    if not is_staff(viewer):
        return False
    return _outranks(viewer, member, None)


def can_ban(viewer: Viewer, member: MemberLike) -> bool:
    return can_suspend(viewer, member)


def can_set_role(viewer: Viewer, member: MemberLike, role: str) -> bool:
    """Moderators grant and take back senior status; administrators give any role."""
    if member.id == viewer.member_id:
        return False
    if viewer.is_admin:
        return True
    if not is_staff(viewer):
        return False
    return member.role in (Role.MEMBER, Role.SENIOR) and role in (Role.MEMBER, Role.SENIOR)


def can_see_member_admin(viewer: Viewer) -> bool:
    return moderates_any(viewer)


# Added for member administration (lifting from the member page and the API).
class SanctionLike(Protocol):
    kind: str
    created_by_id: int | None


def can_lift_sanction(viewer: Viewer, member: MemberLike, sanction: SanctionLike) -> bool:
    """Whoever may give such a sanction anywhere may lift it; a board moderator, those they gave."""
    if sanction.kind in ("suspend", "ban"):
        return can_suspend(viewer, member)
    if _outranks(viewer, member, None):
        return True
    if sanction.created_by_id != viewer.member_id:
        return False
    return any(_outranks(viewer, member, board_id) for board_id in viewer.moderated_boards)


# Accounts (added for account deletion: the one rule pages and the API share)


def can_delete_own_account(viewer: Viewer, other_admins: int) -> bool:
    """Any member may leave, except the last administrator: nobody could run the forum then."""
    if viewer.is_anonymous:
        return False
    if not viewer.is_admin:
        return True
    return other_admins > 0


# The forum


def can_see_audit_log(viewer: Viewer) -> bool:
    """Board moderators see their boards' entries; the query narrows them."""
    return moderates_any(viewer)


def can_administer(viewer: Viewer) -> bool:
    """Watched words, trust rules, board moderators, and the boards and categories themselves."""
    return viewer.is_admin


def is_new_member(viewer: Viewer) -> bool:
    """New members' reports don't hide posts, and they start few threads a day."""
    if viewer.joined_at is None:
        return True
    if viewer.post_count < settings.new_member_posts:
        return True
    return (utcnow() - viewer.joined_at).days < settings.new_member_days


# Wisdom (added for the wisdom library: proposing, seeing and curating quotes)


class WisdomLike(Protocol):
    status: str
    proposed_by_id: int | None


def can_curate_wisdom(viewer: Viewer, seniors_may: bool) -> bool:
    """Approve, reject and retitle wisdom, and edit collections. `seniors_may` is the
    administrators' site setting ("wisdom": {"seniors_curate": …})."""
    if not _may_write(viewer):
        return False
    if moderates_any(viewer):
        return True
    if viewer.role != Role.SENIOR:
        return False
    return seniors_may


def can_propose_wisdom(viewer: Viewer, post: PostLike, board_id: int) -> bool:
    """Any member who may post, on a published post whose words they can read."""
    if not _may_write(viewer):
        return False
    if post.state != "visible":
        return False
    return can_read_post(viewer, post, board_id)


def can_see_wisdom(viewer: Viewer, wisdom: WisdomLike, members_only: bool, curator: bool) -> bool:
    """Approved quotes follow their source board; proposals show to curators and the proposer."""
    if members_only and viewer.is_anonymous:
        return False
    if wisdom.status == "approved":
        return True
    if curator:
        return True
    return wisdom.proposed_by_id is not None and wisdom.proposed_by_id == viewer.member_id


# Joining the forum (added for registration modes, invitations and join requests)


def can_change_site_settings(viewer: Viewer) -> bool:
    """Title, description, rules and how people join."""
    return viewer.is_admin


def can_invite(viewer: Viewer) -> bool:
    """Create, list and revoke invitation links: global moderators and administrators."""
    return is_staff(viewer)


def can_review_join_requests(viewer: Viewer) -> bool:
    """Approve or turn down people waiting to join: forum-wide, so not board moderators."""
    return is_staff(viewer)
