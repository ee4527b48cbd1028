"""Shapes that several features' JSON APIs return. Emails and password hashes never appear
in any API answer.

A shape that one feature alone returns lives in that feature's api.py.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Row


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ThreadOut(BaseModel):
    id: int
    title: str
    author: str
    created_at: datetime
    last_post_at: datetime
    reply_count: int
    is_pinned: bool
    is_locked: bool

    @classmethod
    def of(cls, row: Row) -> "ThreadOut":
        """From a board-page or thread-header row."""
        return cls(
            id=row.id,
            title=row.title,
            author=row.author_handle,
            created_at=row.created_at,
            last_post_at=row.last_post_at,
            reply_count=row.post_count - 1,
            is_pinned=row.is_pinned,
            is_locked=row.is_locked,
        )
