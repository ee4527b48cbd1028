"""Boards group threads and categories group boards; members-only boards are invisible to guests."""

from datetime import datetime

from sqlalchemy import ARRAY, Column, ForeignKey, Integer, String, text
from sqlmodel import Field, SQLModel

from forum.config import settings
from forum.core.time import created_at_field, optional_time_field


class Category(SQLModel, table=True):
    """A heading on the home page that groups boards; boards need not have one."""

    __tablename__ = "categories"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=500)
    position: int = Field(default=0)
    created_at: datetime = created_at_field()


class Board(SQLModel, table=True):
    __tablename__ = "boards"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=500)
    position: int = Field(default=0)
    category_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("categories.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    is_members_only: bool = Field(default=False)
    # Read-only: still listed and readable, but nobody starts, replies to or edits threads.
    is_archived: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # Each member keeps one ongoing thread here and posts updates to it.
    is_story_board: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    # Addresses this board had before a rename: links to them redirect here.
    former_slugs: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(String(60)), nullable=False, server_default=text("'{}'")),
    )
    # A member's first posts wait for a moderator until this many are published; 0 turns it off.
    approve_first_posts: int = Field(default_factory=lambda: settings.approve_first_posts)
    thread_count: int = Field(default=0)
    post_count: int = Field(default=0)
    # Boards, threads and posts point at each other: this key is added after the tables.
    last_post_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("posts.id", ondelete="SET NULL", use_alter=True)),
    )
    last_post_at: datetime | None = optional_time_field()
    created_at: datetime = created_at_field()
