"""Threads and their posts. A post never exists outside a thread."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, Relationship, SQLModel

from forum.accounts.models import Member
from forum.boards.models import Board
from forum.core.time import created_at_field, optional_time_field


class Thread(SQLModel, table=True):
    __tablename__ = "threads"
    __table_args__ = (
        # The board page: pinned first, then by last activity.
        Index(
            "ix_threads_board_listing",
            "board_id",
            text("is_pinned DESC"),
            text("last_post_at DESC"),
            text("id DESC"),
        ),
        Index("ix_threads_author_recent", "author_id", text("created_at DESC")),
    )

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="boards.id", ondelete="RESTRICT")
    author_id: int = Field(foreign_key="members.id", ondelete="RESTRICT")
    title: str = Field(max_length=150)
    # Counts every post, the opening one included; positions are 1..post_count.
    post_count: int = Field(default=0)
    is_pinned: bool = Field(default=False)
    is_locked: bool = Field(default=False)
    # Boards, threads and posts point at each other: this key is added after the tables.
    last_post_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("posts.id", ondelete="SET NULL", use_alter=True)),
    )
    created_at: datetime = created_at_field()
    last_post_at: datetime = created_at_field()

    board: Board = Relationship(sa_relationship_kwargs={"lazy": "raise"})
    author: Member = Relationship(
        sa_relationship_kwargs={"lazy": "raise", "foreign_keys": "[Thread.author_id]"}
    )

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)


class Post(SQLModel, table=True):
    __tablename__ = "posts"
    # Pages are position ranges within a thread, so deep pages cost what the first one does.
    __table_args__ = (UniqueConstraint("thread_id", "position", name="uq_posts_thread_position"),)

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="threads.id", ondelete="CASCADE")
    author_id: int = Field(foreign_key="members.id", ondelete="RESTRICT", index=True)
    position: int
    source: str
    # Sanitised HTML made from source when the post is written or edited.
    html: str
    created_at: datetime = created_at_field()
    edited_at: datetime | None = optional_time_field()

    thread: Thread = Relationship(
        sa_relationship_kwargs={"lazy": "raise", "foreign_keys": "[Post.thread_id]"}
    )
    author: Member = Relationship(sa_relationship_kwargs={"lazy": "raise"})
