"""Login sessions and personal API tokens; only hashes of their secrets are stored."""

from datetime import datetime

from sqlmodel import Field, Relationship, SQLModel

from forum.accounts.models import Member
from forum.core.time import created_at_field, optional_time_field, time_field


class LoginSession(SQLModel, table=True):
    __tablename__ = "login_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    member_id: int = Field(foreign_key="members.id", ondelete="CASCADE", index=True)
    user_agent: str = Field(default="", max_length=300)
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
    expires_at: datetime = time_field()

    member: Member = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    member_id: int = Field(foreign_key="members.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=60)
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = optional_time_field()

    member: Member = Relationship(sa_relationship_kwargs={"lazy": "raise"})
