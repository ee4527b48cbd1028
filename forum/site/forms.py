"""Input for invitations and join-request decisions (the settings form is in settings.py)."""

from pydantic import BaseModel, field_validator

from forum.core.forms import clean_text

NOTE_MAX = 200
DEFAULT_DAYS = 7
MAX_DAYS = 30


class InvitationCreate(BaseModel):
    """Who the link is for, in the inviter's words (staff see it, the invitee never does), and
    how many days it works."""

    note: str
    days: int = DEFAULT_DAYS

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> object:
        value = " ".join(clean_text(value).split()) if isinstance(value, str) else value
        if value == "":
            raise ValueError(
                'Say who it\'s for ("Sam from the Tuesday group"), so staff know whose link it is.'
            )
        if isinstance(value, str) and len(value) > NOTE_MAX:
            raise ValueError(f"Keep the note to {NOTE_MAX} characters (it has {len(value)}).")
        return value

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, str):
            value = int(value.strip()) if value.strip().isdigit() else -1
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
            raise ValueError(f"Choose from 1 to {MAX_DAYS} days.")
        return value


class TurnDown(BaseModel):
    """Why a request to join was turned down: optional, and only for the audit log."""

    reason: str = ""

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: object) -> object:
        return " ".join(clean_text(value).split())[:500] if isinstance(value, str) else value
