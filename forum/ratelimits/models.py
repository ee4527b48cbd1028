"""Fixed-window counters, kept in PostgreSQL so that every app process sees the same counts."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from forum.core.time import time_field


class RateLimitWindow(SQLModel, table=True):
    __tablename__ = "rate_limit_windows"

    # One row per action and subject (say "login-ip:203.0.113.7"), reset when its window passes.
    key: str = Field(primary_key=True, max_length=200)
    window_start: datetime = time_field()
    hits: int = Field(default=0)
