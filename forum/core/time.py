"""UTC timestamps and the human forms pages show."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, func
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now()},
        nullable=False,
    )


def time_field() -> Any:
    return Field(sa_type=DateTime(timezone=True), nullable=False)


def optional_time_field() -> Any:
    return Field(default=None, sa_type=DateTime(timezone=True), nullable=True)


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'just now', '5 minutes ago', '3 days ago', then the date for anything older than a month."""
    seconds = int(((now or utcnow()) - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and (unit != "day" or seconds < 30 * 86400):
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return moment.strftime("%-d %b %Y")


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_year(moment: datetime) -> str:
    """'Nov 2026', for "member since"."""
    return f"{MONTHS[moment.month - 1][:3]} {moment.year}"


def exact_time(moment: datetime) -> str:
    """'25 November 2026, 16:05 UTC' (built by hand: strftime is slow on pages of 25 posts)."""
    moment = moment.astimezone(UTC)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment.hour:02}:{moment.minute:02} UTC"
