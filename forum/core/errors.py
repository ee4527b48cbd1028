"""Errors members see: friendly pages for browsers, JSON that says what to fix for the API."""

from typing import NoReturn

from fastapi import HTTPException


class LoginRequired(Exception):
    """Raised where a guest tries something only members can do."""


def ensure(allowed: bool, message: str) -> None:
    """Refuse with 403 and a reason the member can act on."""
    if not allowed:
        raise HTTPException(status_code=403, detail=message)


def not_found(what: str = "page") -> NoReturn:
    # Same answer whether the thing is missing or hidden: we never confirm it exists.
    raise HTTPException(status_code=404, detail=f"We couldn't find that {what}.")


class FieldErrors(Exception):
    """A submission that failed validation: messages keyed by field name."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(fields.values()))
        self.fields = fields
