"""Who may see and write in a board."""

from forum.auth.viewer import Viewer
from forum.boards.models import Board


def can_see_board(viewer: Viewer, board: Board) -> bool:
    if board.is_members_only:
        return not viewer.is_anonymous
    return True


def can_start_thread(viewer: Viewer, board: Board) -> bool:
    if viewer.is_anonymous:
        return False
    return can_see_board(viewer, board)
