"""The moderator's verdict form (ActionForm), its Action choices and their wording."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from forum.core.forms import clean_text
from forum.moderation.models import SanctionKind

REASON_MAX = 500


class Action(StrEnum):
    DISMISS = "dismiss"
    APPROVE = "approve"
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    RESTORE = "restore"
    WARN = "warn"
    SILENCE = "silence"
    SUSPEND = "suspend"
    BAN = "ban"


POST_ACTIONS = (
    Action.DISMISS,
    Action.APPROVE,
    Action.HIDE,
    Action.UNHIDE,
    Action.DELETE,
    Action.RESTORE,
)
SANCTIONS = {
    Action.WARN: SanctionKind.WARN,
    Action.SILENCE: SanctionKind.SILENCE,
    Action.SUSPEND: SanctionKind.SUSPEND,
    Action.BAN: SanctionKind.BAN,
}
DEFAULT_DAYS = {Action.SILENCE: 3, Action.SUSPEND: 7}
MAX_DAYS = 365
# What members will read: others see a hide reason in the post's place, authors their sanction's.
NEEDS_REASON = {
    Action.HIDE: "Give a reason: members see it in the post's place.",
    Action.DELETE: "Give a reason, for the record.",
    Action.WARN: "Give a reason: the member reads it in their notice.",
    Action.SILENCE: "Give a reason: the member reads it in their notice.",
    Action.SUSPEND: "Give a reason: the member reads it in their notice.",
    Action.BAN: "Give a reason: the member reads it in their notice.",
}
# Reporters learn what became of the post, never what happened to its author.
TO_REPORTERS = {
    Action.DISMISS: "decided it can stay",
    Action.APPROVE: "decided it can stay",
    Action.UNHIDE: "decided it can stay",
    Action.RESTORE: "decided it can stay",
    Action.HIDE: "hid it",
    Action.DELETE: "removed it",
    Action.WARN: "took action",
    Action.SILENCE: "took action",
    Action.SUSPEND: "took action",
    Action.BAN: "took action",
}
# Words for the review page and the API's answers.
ACTION_LABELS = {
    Action.DISMISS: "Dismiss the reports",
    Action.APPROVE: "Approve",
    Action.HIDE: "Hide",
    Action.UNHIDE: "Show again",
    Action.DELETE: "Delete",
    Action.RESTORE: "Restore",
    Action.WARN: "Warn the author",
    Action.SILENCE: "Silence the author",
    Action.SUSPEND: "Suspend the author",
    Action.BAN: "Ban the author",
}
ACTION_HINTS = {
    Action.DISMISS: "The reports are unfounded. A post hidden by reports is shown again.",
    Action.APPROVE: "The post goes up and its author is told.",
    Action.HIDE: "Members read your reason in the post's place; the author still sees the words.",
    Action.UNHIDE: "Everyone can read the post again.",
    Action.DELETE: "Gone for members; moderators can restore it.",
    Action.RESTORE: "The post comes back as it was before it was deleted.",
    Action.WARN: "A private notice to the author, with your reason.",
    Action.SILENCE: "The author can read but not post, report or edit.",
    Action.SUSPEND: "The author is logged out everywhere and can't log in until it ends.",
    Action.BAN: "The author is logged out and can't log in again. It has no end.",
}
DONE = {
    Action.DISMISS: "Reports dismissed: the post stays.",
    Action.APPROVE: "Approved: the post is up, and its author was told.",
    Action.HIDE: "Hidden: members see your reason in its place.",
    Action.UNHIDE: "Shown again: everyone can read the post.",
    Action.DELETE: "Deleted: only moderators see it now.",
    Action.RESTORE: "Restored.",
    Action.WARN: "Warning sent: the author reads it in their notices.",
    Action.SILENCE: "Silenced: the author can read but not post.",
    Action.SUSPEND: "Suspended: the author is logged out and can't log in until it ends.",
    Action.BAN: "Banned: the author is logged out and can't log in.",
}
RESOLVED_AS = {
    Action.DISMISS: "Reports dismissed",
    Action.APPROVE: "Approved",
    Action.HIDE: "Hidden",
    Action.UNHIDE: "Shown again",
    Action.DELETE: "Deleted",
    Action.RESTORE: "Restored",
    Action.WARN: "Author warned",
    Action.SILENCE: "Author silenced",
    Action.SUSPEND: "Author suspended",
    Action.BAN: "Author banned",
}
# What the banner says after an undo.
UNDONE = {
    Action.DISMISS: "Dismissal undone: the reports are open again.",
    Action.APPROVE: "Approval undone: the post waits again.",
    Action.HIDE: "Hiding undone: the post is back as it was.",
    Action.UNHIDE: "Undone: the post is hidden again.",
    Action.DELETE: "Deletion undone: the post is back.",
    Action.RESTORE: "Undone: the post is deleted again.",
    Action.WARN: "Warning withdrawn.",
    Action.SILENCE: "Silence lifted.",
    Action.SUSPEND: "Suspension lifted. Sessions it ended stay ended.",
    Action.BAN: "Ban lifted. Sessions it ended stay ended.",
}


class ActionForm(BaseModel):
    action: Action
    # Checked even when left out: some actions need a reason.
    reason: str = Field("", validate_default=True)
    days: int | None = None

    @field_validator("reason")
    @classmethod
    def _reason_when_needed(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(clean_text(value).split())
        if len(value) > REASON_MAX:
            raise ValueError(
                f"Reasons can be at most {REASON_MAX} characters; this one has {len(value)}."
            )
        action = info.data.get("action")
        if not value and action in NEEDS_REASON:
            raise ValueError(NEEDS_REASON[action])
        return value

    @field_validator("days", mode="before")
    @classmethod
    def _whole_days(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError("Give the number of days as a whole number, such as 3.")
        if not 1 <= int(value) <= MAX_DAYS:
            raise ValueError(f"Choose between 1 and {MAX_DAYS} days; a ban has no end.")
        return int(value)

    @property
    def length(self) -> int | None:
        """Days a silence or suspension lasts; warnings and bans have no end."""
        if self.action not in DEFAULT_DAYS:
            return None
        return self.days or DEFAULT_DAYS[self.action]
