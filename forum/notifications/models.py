"""Notices members read in the forum: a report's outcome, a warning, a post approved."""

from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from forum.core.time import created_at_field, optional_time_field


class Notification(SQLModel, table=True):
    """A notice in the forum: a report's outcome, a warning, a post approved."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_member_recent", "member_id", text("created_at DESC")),
        Index(
            "ix_notifications_unread",
            "member_id",
            postgresql_where=text("read_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", ondelete="CASCADE")
    message: str = Field(max_length=1000)
    link: str = Field(default="", max_length=300)
    created_at: datetime = created_at_field()
    read_at: datetime | None = optional_time_field()
