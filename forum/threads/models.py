"""Threads and their posts. A post never exists outside a thread."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, Relationship, SQLModel

from forum.accounts.models import Member
from forum.boards.models import Board
from forum.core.time import created_at_field, optional_time_field


class State(StrEnum):
    VISIBLE = "visible"
    # Waiting for a moderator's approval; only the author and moderators see it.
    PENDING = "pending"
    # Hidden by moderators or by reports; others see the reason in its place.
    HIDDEN = "hidden"
    # Soft-deleted: gone for members, restorable by moderators.
    DELETED = "deleted"


class Thread(SQLModel, table=True):
    __tablename__ = "threads"
    __table_args__ = (
        # The board page: published threads, pinned first, then by last activity.
        Index(
            "ix_threads_board_listing",
            "board_id",
            text("is_pinned DESC"),
            text("last_post_at DESC"),
            text("id DESC"),
            postgresql_where=text("state = 'visible'"),
        ),
        Index("ix_threads_author_recent", "author_id", text("created_at DESC")),
        Index("ix_threads_last_post_id", "last_post_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="boards.id", ondelete="RESTRICT")
    author_id: int = Field(foreign_key="members.id", ondelete="RESTRICT")
    title: str = Field(max_length=150)
    # Counts every post, the opening one included; positions are 1..post_count.
    post_count: int = Field(default=0)
    is_pinned: bool = Field(default=False)
    is_locked: bool = Field(default=False)
    state: str = Field(default=State.VISIBLE, max_length=10)
    # A merged thread's posts live on in this one; old links follow them.
    merged_into_id: int | None = Field(default=None, foreign_key="threads.id", ondelete="SET NULL")
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

    @property
    def board_is_archived(self) -> bool:
        """For the policies, as thread-page rows carry it; needs the board loaded (access_thread)."""
        return self.board.is_archived


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
    state: str = Field(default=State.VISIBLE, max_length=10)
    # Shown in place of a hidden post, and to its author.
    state_reason: str = Field(default="", max_length=500)
    created_at: datetime = created_at_field()
    edited_at: datetime | None = optional_time_field()

    thread: Thread = Relationship(
        sa_relationship_kwargs={"lazy": "raise", "foreign_keys": "[Post.thread_id]"}
    )
    author: Member = Relationship(sa_relationship_kwargs={"lazy": "raise"})
