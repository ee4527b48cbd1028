"""Shapes of what proposers and curators submit, shared by the pages and the API."""

import re
import unicodedata

from pydantic import BaseModel, Field, field_validator

from forum.core.forms import clean_text

PASSAGE_MAX = 2000
TITLE_MAX = 120
TAG_MAX = 40
TAGS_MAX = 10
INTRO_MAX = 2000
NOTE_MAX = 1000


def one_line(value: str) -> str:
    return " ".join(clean_text(value).split())


def _title(value: str, what: str = "Titles") -> str:
    value = one_line(value)
    if len(value) > TITLE_MAX:
        raise ValueError(
            f"{what} can be at most {TITLE_MAX} characters; this one has {len(value)}."
        )
    return value


def parse_tags(value: str | list[str]) -> list[str]:
    """Lower-case tags, from a list or "grief, first year", each once, in the order given."""
    parts = value if isinstance(value, list) else value.split(",")
    tags: list[str] = []
    for part in parts:
        tag = one_line(str(part)).lower().strip("#")
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX:
            raise ValueError(f"Tags can be at most {TAG_MAX} characters: “{tag[:20]}…” is longer.")
        tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValueError(f"Give at most {TAGS_MAX} tags.")
    return tags


class ProposeForm(BaseModel):
    passage: str
    title: str = ""

    @field_validator("passage")
    @classmethod
    def _clean_passage(cls, value: str) -> str:
        value = clean_text(value).strip()
        if not value:
            raise ValueError("Paste or select the words you want to keep.")
        if len(value) > PASSAGE_MAX:
            raise ValueError(
                f"A passage can be at most {PASSAGE_MAX:,} characters; this one has "
                f"{len(value):,}. Choose the heart of it."
            )
        return value

    _title = field_validator("title")(_title)


class RetitleForm(BaseModel):
    title: str

    _title = field_validator("title")(_title)


class ApproveForm(BaseModel):
    """Approve into the chosen collections (slugs) and/or a new one made on the spot."""

    collections: list[str] = Field(default_factory=list)
    new_collection: str = ""
    title: str = ""
    tags: list[str] = Field(default_factory=list)

    _title = field_validator("title")(_title)

    @field_validator("new_collection")
    @classmethod
    def _clean_new(cls, value: str) -> str:
        return _title(value, "Collection titles")

    @field_validator("tags", mode="before")
    @classmethod
    def _clean_tags(cls, value: str | list[str]) -> list[str]:
        return parse_tags(value)

    @field_validator("collections")
    @classmethod
    def _clean_slugs(cls, value: list[str]) -> list[str]:
        # The action refuses an approval into nothing: it names the field for pages and API.
        return list(dict.fromkeys(slug.strip() for slug in value if slug.strip()))


class RejectForm(BaseModel):
    reason: str

    @field_validator("reason")
    @classmethod
    def _clean_reason(cls, value: str) -> str:
        value = clean_text(value).strip()
        if not value:
            raise ValueError("Say why, in a sentence: the proposer will read it.")
        if len(value) > 500:
            raise ValueError(f"Keep the reason under 500 characters; this one has {len(value)}.")
        return value


class CollectionForm(BaseModel):
    title: str
    intro: str = ""
    tags: list[str] = Field(default_factory=list)

    @field_validator("title")
    @classmethod
    def _clean_title(cls, value: str) -> str:
        value = _title(value, "Collection titles")
        if not value:
            raise ValueError("Give the collection a title.")
        return value

    @field_validator("intro")
    @classmethod
    def _clean_intro(cls, value: str) -> str:
        value = clean_text(value).strip()
        if len(value) > INTRO_MAX:
            raise ValueError(
                f"An introduction can be at most {INTRO_MAX:,} characters; this one has "
                f"{len(value):,}."
            )
        return value

    @field_validator("tags", mode="before")
    @classmethod
    def _clean_tags(cls, value: str | list[str]) -> list[str]:
        return parse_tags(value)


class CollectionUpdate(BaseModel):
    """The API's PATCH: only the fields sent change."""

    title: str | None = None
    intro: str | None = None
    tags: list[str] | None = None
    pinned_board: str | None = None  # a board's slug, or "" to unpin
    pinned_home: bool | None = None


_REF = re.compile(r"/(t|wisdom)/(\d{1,18})(?:\D|$)")


class ItemForm(BaseModel):
    """A quote or a whole thread, by id or by its address (/wisdom/12, /t/34?page=2)."""

    kind: str = "wisdom"
    ref: str
    note: str = ""

    @field_validator("ref")
    @classmethod
    def _clean_ref(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("Give the quote's or thread's address, or its number.")
        return value

    @field_validator("note")
    @classmethod
    def _clean_note(cls, value: str) -> str:
        value = clean_text(value).strip()
        if len(value) > NOTE_MAX:
            raise ValueError(f"Keep the note under {NOTE_MAX:,} characters.")
        return value

    def target(self) -> tuple[str, int] | None:
        """("wisdom" | "thread", id), or None when the reference names neither."""
        found = _REF.search(self.ref)
        if found:
            return ("thread" if found[1] == "t" else "wisdom", int(found[2]))
        if self.ref.isdigit() and self.kind in ("wisdom", "thread") and len(self.ref) < 19:
            return self.kind, int(self.ref)
        return None


def slugify(title: str) -> str:
    """ "First year after separation" -> "first-year-after-separation" (ASCII, at most 60)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:60].rstrip("-") or "collection"
