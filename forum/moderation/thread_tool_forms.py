"""The thread tools' form shape (ToolRequest) and the helpers that read and name its input."""

import re
from typing import Literal

from pydantic import BaseModel, field_validator

from forum.config import settings
from forum.core.forms import clean_text
from forum.threads.models import Thread

Action = Literal["pin", "unpin", "lock", "unlock", "move", "merge", "split", "delete", "restore"]
# Changes to members' words or where they live are explained in the record; a pin is not.
NEEDS_REASON = {"lock", "move", "merge", "split", "delete"}
REASON_MAX = 500
# Ids are PostgreSQL integers: a larger number names nothing, and must not reach a query.
LARGEST_ID = 2**31 - 1


class ToolRequest(BaseModel):
    """One use of a thread tool, from a page's form or the API. Which fields an action
    needs is checked by the caller (missing_fields), so every problem is named at once."""

    action: Action
    reason: str = ""
    board: str | None = None
    into: str | None = None
    post_ids: list[int] = []
    title: str | None = None

    @field_validator("reason", mode="before")
    @classmethod
    def _clean_reason(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        value = clean_text(value).strip()
        if len(value) > REASON_MAX:
            raise ValueError(
                f"Reasons can be at most {REASON_MAX} characters; this one has {len(value)}."
            )
        return value

    @field_validator("into", mode="before")
    @classmethod
    def _into_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("post_ids", mode="before")
    @classmethod
    def _post_numbers(cls, value: object) -> object:
        # Checkboxes send strings; one bad value gets one plain message, not a per-item one.
        if not isinstance(value, list):
            raise ValueError("Choose the posts to move.")
        try:
            numbers = [int(item) for item in value]
        except (TypeError, ValueError):
            numbers = [0]
        if not all(0 < number <= LARGEST_ID for number in numbers):
            raise ValueError("Choose the posts by their numbers.")
        return numbers

    @field_validator("title", mode="before")
    @classmethod
    def _clean_title(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        value = " ".join(clean_text(value).split())
        if len(value) > settings.title_max_chars:
            raise ValueError(
                f"Titles can be at most {settings.title_max_chars} characters; "
                f"this one has {len(value)}."
            )
        return value


def missing_fields(request: ToolRequest) -> dict[str, str]:
    """What the chosen action still needs, by field."""
    missing: dict[str, str] = {}
    if request.action in NEEDS_REASON and not request.reason:
        missing["reason"] = "Say why, in a sentence: it is kept in the moderation log."
    if request.action == "move" and not request.board:
        missing["board"] = "Choose the board to move the thread to."
    if request.action == "merge" and not (request.into or "").strip():
        missing["into"] = "Give the thread's number, or paste its link (like /t/123)."
    if request.action == "split":
        if not request.post_ids:
            missing["post_ids"] = "Tick the replies that should become the new thread."
        if not request.title:
            missing["title"] = "Give the new thread a title."
    return missing


_THREAD_NUMBER = re.compile(r"[0-9]+")
_THREAD_LINK = re.compile(r"/t/([0-9]+)")


def thread_reference(text: str) -> int | None:
    """A thread id from '123', '/t/123' or a full link to a thread page; None if there is none."""
    text = text.strip()
    if _THREAD_NUMBER.fullmatch(text):
        return int(text)
    found = _THREAD_LINK.search(text)
    return int(found.group(1)) if found else None


def thread_label(thread: Thread) -> str:
    return f"“{thread.title}” (thread {thread.id})"
