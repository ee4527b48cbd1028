"""Shapes of what members submit, shared by the pages and the API."""

from pydantic import BaseModel, field_validator

from forum.config import settings
from forum.core.forms import clean_text


def _clean_body(value: str) -> str:
    value = clean_text(value)
    if not value.strip():
        raise ValueError("Write something before posting.")
    if len(value) > settings.body_max_chars:
        raise ValueError(
            f"Posts can be at most {settings.body_max_chars:,} characters; "
            f"this one has {len(value):,}. Split it into two posts."
        )
    return value


class PostCreate(BaseModel):
    body: str

    _body = field_validator("body")(_clean_body)


class PostUpdate(PostCreate):
    pass


class ThreadCreate(PostCreate):
    title: str

    @field_validator("title")
    @classmethod
    def _clean_title(cls, value: str) -> str:
        value = " ".join(clean_text(value).split())
        if not value:
            raise ValueError("Give your thread a title.")
        if len(value) > settings.title_max_chars:
            raise ValueError(
                f"Titles can be at most {settings.title_max_chars} characters; "
                f"this one has {len(value)}."
            )
        return value
