"""Validate submitted forms and JSON into Pydantic shapes, with one message per field."""

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

# Control characters (but tab and newline) are invisible, and PostgreSQL refuses NUL outright.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Text as stored: Windows line ends made plain, control characters removed."""
    return _CONTROLS.sub("", value.replace("\r\n", "\n"))


def field_messages(error: ValidationError) -> dict[str, str]:
    """The first problem of each field, worded for a member ("Title is required.")."""
    messages: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][-1]) if problem["loc"] else "form"
        if field in messages:
            continue
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "missing":
            message = f"{field.replace('_', ' ').capitalize()} is required."
        messages[field] = message
    return messages


def validate_form(model: type[M], data: Mapping[str, Any]) -> tuple[M | None, dict[str, str]]:
    """The parsed shape and no errors, or None and the messages to show beside each field."""
    try:
        return model.model_validate(dict(data)), {}
    except ValidationError as error:
        return None, field_messages(error)
