"""What moderators and administrators submit here, for the pages and the API alike."""

from datetime import date

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from forum.accounts.models import Role
from forum.core.forms import clean_text
from forum.moderation.models import SanctionKind
from forum.moderation.watched import WatchedAction, normalise_phrase

REASON_MAX = 500
MAX_DAYS = 3650
PHRASE_MAX = 100
PHRASE_KEY_MAX = 200


def _clean_reason(value: str) -> str:
    value = " ".join(clean_text(value).split())
    if not value:
        raise ValueError("Give a reason: it goes in the audit log for the other moderators.")
    if len(value) > REASON_MAX:
        raise ValueError(
            f"Reasons can be at most {REASON_MAX} characters; this one has {len(value)}."
        )
    return value


class Reasoned(BaseModel):
    reason: str

    _reason = field_validator("reason")(_clean_reason)


class RoleChange(Reasoned):
    role: Role

    @field_validator("role", mode="before")
    @classmethod
    def _known_role(cls, value: object) -> object:
        if value not in tuple(Role):
            raise ValueError("Choose member, senior, moderator or admin.")
        return value


class BoardsChange(Reasoned):
    """Board slugs, all of them: the member moderates exactly these afterwards."""

    boards: list[str] = Field(default_factory=list)


class SanctionCreate(Reasoned):
    kind: SanctionKind
    # Silences and suspensions without days last until someone lifts them.
    days: int | None = None
    # The board the sanction is about: board moderators act within their boards.
    board: str = ""

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, value: object) -> object:
        if value not in tuple(SanctionKind):
            raise ValueError("Choose a warning, a silence, a suspension or a ban.")
        return value

    @field_validator("days", mode="before")
    @classmethod
    def _blank_days(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError("Write the number of days as a whole number, such as 7.")
        return value

    @field_validator("days")
    @classmethod
    def _days_in_range(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= MAX_DAYS:
            raise ValueError(f"Days must be between 1 and {MAX_DAYS}; leave it empty for no end.")
        return value

    @model_validator(mode="after")
    def _days_only_where_they_count(self) -> "SanctionCreate":
        # A warning has no duration and a ban no end; days there would mislead the record.
        if self.kind in (SanctionKind.WARN, SanctionKind.BAN):
            self.days = None
        return self


class Lift(Reasoned):
    pass


class WatchedWordCreate(BaseModel):
    phrase: str
    action: WatchedAction

    @field_validator("phrase")
    @classmethod
    def _clean_phrase(cls, value: str) -> str:
        value = " ".join(clean_text(value).split())
        if not value:
            raise ValueError("Write the word or phrase to watch for.")
        if len(value) > PHRASE_MAX:
            raise ValueError(
                f"Phrases can be at most {PHRASE_MAX} characters; this one has {len(value)}."
            )
        key = normalise_phrase(value)
        if not key:
            raise ValueError("That phrase has no letters or numbers to match.")
        if len(key) > PHRASE_KEY_MAX:
            raise ValueError("That phrase grows too long once folded for matching; shorten it.")
        return value

    @field_validator("action", mode="before")
    @classmethod
    def _known_action(cls, value: object) -> object:
        if value not in tuple(WatchedAction):
            raise ValueError("Choose block, hold or flag.")
        return value

    @property
    def key(self) -> str:
        return normalise_phrase(self.phrase)


class AuditFilters(BaseModel):
    """The audit log's filters, as typed into the page or the API's query string."""

    actor: str = ""
    action: str = ""
    target_kind: str = ""
    board: str = ""
    since: date | None = None
    until: date | None = None
    before: int | None = None

    @field_validator("actor", "action", "target_kind", "board", mode="before")
    @classmethod
    def _trimmed(cls, value: object) -> object:
        return value.strip()[:60] if isinstance(value, str) else value

    @field_validator("since", "until", mode="before")
    @classmethod
    def _blank_date(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError("Write the date as YYYY-MM-DD, such as 2026-11-25.") from None
        return value

    @field_validator("before", mode="before")
    @classmethod
    def _blank_before(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip().isdigit():
            return None  # a mangled page link starts again from the newest
        return value

    @field_validator("until")
    @classmethod
    def _dates_in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("since")
        if value and since and value < since:
            raise ValueError("The end date comes before the start date.")
        return value

    def query(self, **changes: object) -> dict[str, str]:
        """The filters as query parameters (dates as `from` and `to`), without the empty ones."""
        values = {**self.model_dump(), **changes}
        values["from"], values["to"] = values.pop("since"), values.pop("until")
        return {k: str(v) for k, v in values.items() if v not in (None, "")}
