"""Members: pseudonymous handles, never their email in public."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from forum.core.time import created_at_field, optional_time_field


class Role(StrEnum):
    MEMBER = "member"
    SENIOR = "senior"
    # A global moderator; a member can also moderate chosen boards (board_moderators).
    MODERATOR = "moderator"
    ADMIN = "admin"


class Member(SQLModel, table=True):
    __tablename__ = "members"
    # Moderators list the members waiting for approval, oldest first.
    __table_args__ = (
        Index(
            "ix_members_awaiting_approval",
            "created_at",
            postgresql_where=text("awaiting_approval"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    handle: str = Field(max_length=30)
    # Case-folded NFKC form: two members can't differ only by case or width.
    handle_key: str = Field(max_length=120, unique=True)
    # Lookalike form: "pаul" with a Cyrillic а collides with "paul".
    handle_skeleton: str = Field(max_length=240, unique=True)
    email: str | None = Field(default=None, max_length=254)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.MEMBER, max_length=20)
    # Published posts only: a post waiting for approval counts once approved.
    post_count: int = Field(default=0)
    created_at: datetime = created_at_field()
    # Sanctions in force, copied here from the sanctions table so every request can check them.
    silenced_until: datetime | None = optional_time_field()
    suspended_until: datetime | None = optional_time_field()
    is_banned: bool = Field(default=False)
    # If this account is ever deleted, its wisdom quotes keep the handle instead of
    # "a former member".
    wisdom_keeps_handle: bool = Field(default=False)
    # Registered while the forum asked moderators to approve new members: no logging in yet.
    awaiting_approval: bool = Field(
        default=False, sa_column_kwargs={"server_default": text("false")}
    )

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN
