"""What happens to a post before it goes up: watched words, and new members' first posts."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Role
from forum.auth.policies import moderates
from forum.auth.viewer import Viewer
from forum.core.errors import FieldErrors
from forum.moderation.models import WatchedWordRow
from forum.moderation.watched import (
    WatchedAction,
    WatchedWord,
    block_message,
    check_text,
)

NEW_MEMBER = "A new member's first posts wait for a moderator."


@dataclass(frozen=True)
class Screening:
    held_because: str = ""  # empty: the post goes up at once
    flagged: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.held_because)


async def watched_words(session: AsyncSession) -> Sequence[WatchedWord]:
    rows = (await session.execute(select(WatchedWordRow.phrase, WatchedWordRow.action))).all()
    return [WatchedWord(phrase, WatchedAction(action)) for phrase, action in rows]


def needs_approval(viewer: Viewer, board_id: int, approve_first_posts: int) -> bool:
    if viewer.role != Role.MEMBER:
        return False
    if moderates(viewer, board_id):
        return False
    return viewer.post_count < approve_first_posts


async def screen_post(
    session: AsyncSession,
    viewer: Viewer,
    board_id: int,
    approve_first_posts: int,
    *,
    body: str,
    title: str = "",
) -> Screening:
    """Raise FieldErrors naming the field for a blocked word; otherwise say whether the post waits."""
    words = await watched_words(session)
    matched = check_text(words, title, body)
    if matched.action == WatchedAction.BLOCK:
        field = "title" if check_text(words, title).blocked_by else "body"
        raise FieldErrors({field: block_message(matched)})
    if matched.action == WatchedAction.HOLD:
        return Screening(f"It contains a watched phrase ({', '.join(matched.matches)}).")
    flagged = matched.matches if matched.action == WatchedAction.FLAG else ()
    if needs_approval(viewer, board_id, approve_first_posts):
        return Screening(NEW_MEMBER, flagged)
    return Screening("", flagged)
