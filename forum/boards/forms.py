"""What administrators submit about boards and categories, from the pages, the API and the CLI.

Creating takes every field (with defaults); editing takes only the fields sent, so a page form
(which sends them all), a PATCH and a CLI option all change exactly what they name.
"""

import re
import unicodedata

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from forum.config import settings
from forum.core.forms import clean_text

NAME_MAX = 80
DESCRIPTION_MAX = 500
SLUG_MIN, SLUG_MAX = 2, 60
APPROVE_FIRST_POSTS_MAX = 20
REASON_MAX = 500
# Addresses the forum's own pages use, or that would read as one of its words.
RESERVED_SLUGS = frozenset(
    {
        "new", "admin", "api", "static", "b", "c", "p", "t", "u", "account", "archive",
        "boards", "categories", "category", "delete", "deleted", "docs", "edit", "feed",
        "feeds", "glossary", "healthz", "login", "logout", "move", "notifications", "order",
        "register", "resources", "review", "rules", "search", "settings", "setup", "tools",
        "unarchive", "wisdom",
    }
)  # fmt: skip
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug_from(name: str) -> str:
    """An address made from a name: "Co-parenting & school" -> "co-parenting-school"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))[:SLUG_MAX].strip("-")


def check_slug(value: str) -> str:
    """The address as typed, trimmed, or ValueError saying what to change."""
    value = value.strip()
    if not value:
        raise ValueError("Choose an address, such as “my-story”.")
    if value != value.lower() and _SLUG.fullmatch(value.lower()):
        raise ValueError(f"Use lowercase letters only: “{value.lower()}”.")
    if not SLUG_MIN <= len(value) <= SLUG_MAX:
        raise ValueError(
            f"Addresses are {SLUG_MIN} to {SLUG_MAX} characters long; this one has {len(value)}."
        )
    if not _SLUG.fullmatch(value):
        raise ValueError(
            "Use lowercase letters, digits and hyphens only, with no hyphen at either end "
            "or two together, such as “co-parenting”."
        )
    if value in RESERVED_SLUGS:
        raise ValueError(f"“{value}” is one of the forum's own addresses; choose another.")
    return value


def _check_name(value: str | None) -> str | None:
    if value is None:
        return None  # an edit that leaves the name as it is
    value = " ".join(clean_text(value).split())
    if not value:
        raise ValueError("Give it a name.")
    if len(value) > NAME_MAX:
        raise ValueError(f"Names can be at most {NAME_MAX} characters; this one has {len(value)}.")
    return value


def _check_description(value: str | None) -> str | None:
    if value is None:
        return None
    value = clean_text(value).strip()
    if len(value) > DESCRIPTION_MAX:
        raise ValueError(
            f"Descriptions can be at most {DESCRIPTION_MAX} characters; this one has {len(value)}."
        )
    return value


def _whole_number(value: object, low: int, high: int, message: str) -> object:
    if isinstance(value, str):
        value = int(value.strip()) if value.strip().isdigit() else -1
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(message)
    return value


def _check_approve(value: object) -> object:
    message = f"Write a whole number from 0 to {APPROVE_FIRST_POSTS_MAX}."
    return _whole_number(value, 0, APPROVE_FIRST_POSTS_MAX, message)


def _check_position(value: object) -> object:
    """Blank means "leave it where it is" (or last, for a new one)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _whole_number(value, 1, 10_000, "Write a whole number, 1 for the top.")


def _check_reason(value: str) -> str:
    value = " ".join(clean_text(value).split())
    if len(value) > REASON_MAX:
        raise ValueError(
            f"Reasons can be at most {REASON_MAX} characters; this one has {len(value)}."
        )
    return value


def _slug_or_from_name(value: str, info: ValidationInfo) -> str:
    if value.strip():
        return check_slug(value)
    if "name" not in info.data:
        return ""  # the name is refused already; an address made from it would only add noise
    return check_slug(slug_from(info.data["name"]))


def _check_category(value: object) -> object:
    """A category's address, or "" for none (JSON null too)."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


class BoardCreate(BaseModel):
    name: str
    # Made from the name when left blank (or left out).
    slug: str = Field(default="", validate_default=True)
    description: str = ""
    # The category's address; empty for none.
    category: str = ""
    is_members_only: bool = False
    is_story_board: bool = False
    approve_first_posts: int = Field(default_factory=lambda: settings.approve_first_posts)
    # 1 for the top of its category; blank for the bottom.
    position: int | None = None

    _name = field_validator("name")(_check_name)
    _description = field_validator("description")(_check_description)
    _approve = field_validator("approve_first_posts", mode="before")(_check_approve)
    _position = field_validator("position", mode="before")(_check_position)
    _category = field_validator("category", mode="before")(_check_category)

    @field_validator("slug")
    @classmethod
    def _slug_or_from_name(cls, value: str, info: ValidationInfo) -> str:
        return _slug_or_from_name(value, info)


class BoardChanges(BaseModel):
    """Only the fields given change; `None` (or leaving a field out) keeps what the board has."""

    name: str | None = None
    slug: str | None = None
    description: str | None = None
    # A category's address, or "" (or null in JSON) to take the board out of its category.
    category: str | None = None
    is_members_only: bool | None = None
    is_story_board: bool | None = None
    approve_first_posts: int | None = None
    position: int | None = None

    _name = field_validator("name")(_check_name)
    _description = field_validator("description")(_check_description)
    _position = field_validator("position", mode="before")(_check_position)

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        return None if value is None else check_slug(value)

    @field_validator("approve_first_posts", mode="before")
    @classmethod
    def _approve(cls, value: object) -> object:
        return None if value is None else _check_approve(value)

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    def given(self) -> dict[str, object]:
        """The fields to change, by name: those sent, less any sent as null (category's null
        means "no category")."""
        sent = self.model_fields_set & BoardChanges.model_fields.keys()
        changes = {name: getattr(self, name) for name in sent}
        if "category" in changes and changes["category"] is None:
            changes["category"] = ""
        return {name: value for name, value in changes.items() if value is not None}


class BoardSettings(BaseModel):
    """The one setting of the older PUT /api/v1/boards/{slug}/settings."""

    approve_first_posts: int

    _approve = field_validator("approve_first_posts", mode="before")(_check_approve)


class Reason(BaseModel):
    """Why, for the audit log: optional for board and category changes."""

    reason: str = ""

    _reason = field_validator("reason")(_check_reason)


class CategoryCreate(BaseModel):
    name: str
    slug: str = Field(default="", validate_default=True)
    description: str = ""
    position: int | None = None

    _name = field_validator("name")(_check_name)
    _description = field_validator("description")(_check_description)
    _position = field_validator("position", mode="before")(_check_position)

    @field_validator("slug")
    @classmethod
    def _slug_or_from_name(cls, value: str, info: ValidationInfo) -> str:
        return _slug_or_from_name(value, info)


class CategoryChanges(BaseModel):
    name: str | None = None
    slug: str | None = None
    description: str | None = None
    position: int | None = None

    _name = field_validator("name")(_check_name)
    _description = field_validator("description")(_check_description)
    _position = field_validator("position", mode="before")(_check_position)

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        return None if value is None else check_slug(value)

    def given(self) -> dict[str, object]:
        sent = self.model_fields_set & CategoryChanges.model_fields.keys()
        changes = {name: getattr(self, name) for name in sent}
        return {name: value for name, value in changes.items() if value is not None}
