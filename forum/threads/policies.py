"""Pure answers to "may this viewer do that to this thread or post?"."""

from typing import Protocol

from forum.auth.viewer import Viewer
from forum.threads.models import Post, Thread


class Lockable(Protocol):
    """A thread or a thread-page row: both say whether the thread is locked."""

    is_locked: bool


def can_reply(viewer: Viewer, thread: Lockable) -> bool:
    if viewer.is_anonymous:
        return False
    if thread.is_locked:
        return viewer.is_admin
    return True


def can_edit_post(viewer: Viewer, post: Post, thread: Thread) -> bool:
    if viewer.is_anonymous:
        return False
    if viewer.is_admin:
        return True
    if post.author_id != viewer.member_id:
        return False
    return not thread.is_locked
