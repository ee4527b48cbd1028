"""Wisdom: exact passages of members' advice, curated into resource collections and cited."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    Column,
    Computed,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Field, SQLModel

from forum.core.time import created_at_field, optional_time_field, time_field


class WisdomStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class Wisdom(SQLModel, table=True):
    """A passage as it stood when proposed; it keeps its words whatever happens to the source."""

    __tablename__ = "wisdom"
    __table_args__ = (
        Index("ix_wisdom_search", "search", postgresql_using="gin"),
        Index("ix_wisdom_status_recent", "status", text("created_at DESC")),
        Index(
            "ix_wisdom_pinned_recent",
            text("pinned_at DESC"),
            postgresql_where=text("pinned_at IS NOT NULL"),
        ),
        Index("ix_wisdom_author", "author_id", text("pinned_at DESC")),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The source post; NULL once it is gone for good (the quote stays).
    post_id: int | None = Field(
        default=None, foreign_key="posts.id", ondelete="SET NULL", index=True
    )
    thread_id: int | None = Field(default=None, foreign_key="threads.id", ondelete="SET NULL")
    board_id: int | None = Field(default=None, foreign_key="boards.id", ondelete="SET NULL")
    author_id: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    # Copied so the attribution survives the account; shown only if the author allows it then.
    author_name: str = Field(max_length=30)
    text: str = Field(max_length=2000)
    title: str = Field(default="", max_length=120)
    # When the source post was written, and when it was last edited as the passage was taken.
    post_created_at: datetime = time_field()
    source_edited_at: datetime | None = optional_time_field()
    proposed_by_id: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    proposed_by_name: str = Field(max_length=30)
    status: str = Field(default=WisdomStatus.PROPOSED, max_length=10)
    reviewed_by_name: str = Field(default="", max_length=30)
    reviewed_at: datetime | None = optional_time_field()
    review_note: str = Field(default="", max_length=500)
    # First approval into a collection: what the "newly pinned wisdom" feed follows.
    pinned_at: datetime | None = optional_time_field()
    citation_count: int = Field(default=0)
    created_at: datetime = created_at_field()
    search: str | None = Field(
        default=None,
        sa_column=Column(
            TSVECTOR,
            Computed(
                "to_tsvector('english', coalesce(title, '') || ' ' || text || ' ' || author_name)",
                persisted=True,
            ),
        ),
    )


class WisdomTag(SQLModel, table=True):
    __tablename__ = "wisdom_tags"
    __table_args__ = (Index("ix_wisdom_tags_tag", "tag"),)

    wisdom_id: int = Field(foreign_key="wisdom.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(max_length=40, primary_key=True)


class Collection(SQLModel, table=True):
    """A curated resource: an introduction, then wisdom and whole threads in a chosen order."""

    __tablename__ = "collections"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    title: str = Field(max_length=120)
    intro: str = Field(default="", max_length=2000)
    tags: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(String(40)), nullable=False, server_default="{}"),
    )
    # Pinned at the top of one board, and/or on the home page.
    pinned_board_id: int | None = Field(
        default=None, foreign_key="boards.id", ondelete="SET NULL", index=True
    )
    pinned_home: bool = Field(default=False)
    created_by_name: str = Field(max_length=30)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class CollectionItem(SQLModel, table=True):
    __tablename__ = "collection_items"
    __table_args__ = (
        CheckConstraint("(wisdom_id IS NULL) <> (thread_id IS NULL)", name="one_kind"),
        UniqueConstraint("collection_id", "position"),
        Index("ix_collection_items_wisdom", "wisdom_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    collection_id: int = Field(foreign_key="collections.id", ondelete="CASCADE")
    position: int
    wisdom_id: int | None = Field(default=None, foreign_key="wisdom.id", ondelete="CASCADE")
    thread_id: int | None = Field(default=None, foreign_key="threads.id", ondelete="CASCADE")
    # The curator's note beside the item.
    note: str = Field(default="", max_length=1000)
    added_by_name: str = Field(max_length=30)
    created_at: datetime = created_at_field()


class WisdomCitation(SQLModel, table=True):
    """A post that cites a wisdom quote; written with the post."""

    __tablename__ = "wisdom_citations"
    __table_args__ = (Index("ix_wisdom_citations_wisdom", "wisdom_id", text("created_at DESC")),)

    post_id: int = Field(foreign_key="posts.id", ondelete="CASCADE", primary_key=True)
    wisdom_id: int = Field(foreign_key="wisdom.id", ondelete="CASCADE", primary_key=True)
    created_at: datetime = created_at_field()
