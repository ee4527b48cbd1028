"""What moderators submit for a glossary term, on the pages and through the API alike."""

from pydantic import BaseModel, field_validator

from forum.core.forms import clean_text

TERM_MAX = 40
MEANING_MAX = 300
REASON_MAX = 500


def _one_line(value: str) -> str:
    """Spaces at the ends dropped and runs of whitespace made one space: a term is one line."""
    return " ".join(clean_text(value).split())


class TermForm(BaseModel):
    """A term (case kept exactly: "H" and "h" are different terms) and what it means."""

    term: str
    meaning: str

    @field_validator("term")
    @classmethod
    def _clean_term(cls, value: str) -> str:
        value = _one_line(value)
        if not value:
            raise ValueError("Write the term, as members type it (for example MLC).")
        if len(value) > TERM_MAX:
            raise ValueError(
                f"Terms can be at most {TERM_MAX} characters; this one has {len(value)}."
            )
        # A term of punctuation alone would match between ordinary words everywhere.
        if not any(character.isalnum() for character in value):
            raise ValueError("A term needs at least one letter or digit.")
        return value

    @field_validator("meaning")
    @classmethod
    def _clean_meaning(cls, value: str) -> str:
        value = _one_line(value)
        if not value:
            raise ValueError("Say what the term means; readers see it when they point at the term.")
        if len(value) > MEANING_MAX:
            raise ValueError(
                f"Meanings can be at most {MEANING_MAX} characters; this one has {len(value)}."
            )
        return value


class TermPatch(BaseModel):
    """An API change to a term: either field, or both."""

    term: str | None = None
    meaning: str | None = None


def clean_reason(value: str) -> str:
    """An optional note for the audit log, trimmed to its limit."""
    return _one_line(value)[:REASON_MAX]
