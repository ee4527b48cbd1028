"""Invitations: single-use links that let someone join a forum that is invitation only."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from forum.core.time import created_at_field, optional_time_field, time_field


class Invitation(SQLModel, table=True):
    __tablename__ = "invitations"

    id: int | None = Field(default=None, primary_key=True)
    # Only the hash is kept: the link is shown once, to the member who made it.
    token_hash: str = Field(max_length=64, unique=True)
    # Who it is for, in the inviter's words ("Sam from the Tuesday group"); staff see it.
    note: str = Field(default="", max_length=200)
    created_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True),
    )
    # Kept so "ask Willow.Creek for a new one" still reads right if that account goes.
    created_by_name: str = Field(max_length=30)
    created_at: datetime = created_at_field()
    expires_at: datetime = time_field()
    used_at: datetime | None = optional_time_field()
    used_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True),
    )
    revoked_at: datetime | None = optional_time_field()
