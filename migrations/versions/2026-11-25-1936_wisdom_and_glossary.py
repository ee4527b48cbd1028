"""Wisdom quotes, resource collections, citations, and the community glossary.

Revision ID: bda4eeb0b836
Revises: b3013520c483
Create Date: 2026-11-25 19:36:38.827061+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "bda4eeb0b836"
down_revision: str | None = "b3013520c483"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.create_table(
        "glossary_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("meaning", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("term"),
    )
    op.create_table(
        "collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("intro", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("tags", sa.ARRAY(sa.String(length=40)), server_default="{}", nullable=False),
        sa.Column("pinned_board_id", sa.Integer(), nullable=True),
        sa.Column("pinned_home", sa.Boolean(), nullable=False),
        sa.Column("created_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["pinned_board_id"], ["boards.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_index(
        op.f("ix_collections_pinned_board_id"), "collections", ["pinned_board_id"], unique=False
    )
    op.create_table(
        "wisdom",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("board_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("post_created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reviewed_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("citation_count", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('english', coalesce(title, '') || ' ' || text || ' ' || author_name)",
                persisted=True,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(["author_id"], ["members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_wisdom_author",
        "wisdom",
        ["author_id", sa.literal_column("pinned_at DESC")],
        unique=False,
    )
    op.create_index(
        "ix_wisdom_pinned_recent",
        "wisdom",
        [sa.literal_column("pinned_at DESC")],
        unique=False,
        postgresql_where=sa.text("pinned_at IS NOT NULL"),
    )
    op.create_index(op.f("ix_wisdom_post_id"), "wisdom", ["post_id"], unique=False)
    op.create_index("ix_wisdom_search", "wisdom", ["search"], unique=False, postgresql_using="gin")
    op.create_index(
        "ix_wisdom_status_recent",
        "wisdom",
        ["status", sa.literal_column("created_at DESC")],
        unique=False,
    )
    op.create_table(
        "collection_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("wisdom_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("added_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("(wisdom_id IS NULL) <> (thread_id IS NULL)", name="one_kind"),
        sa.ForeignKeyConstraint(["collection_id"], ["collections.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["wisdom_id"], ["wisdom.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("collection_id", "position"),
    )
    op.create_index("ix_collection_items_wisdom", "collection_items", ["wisdom_id"], unique=False)
    op.create_table(
        "wisdom_citations",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("wisdom_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["wisdom_id"], ["wisdom.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id", "wisdom_id"),
    )
    op.create_index(
        "ix_wisdom_citations_wisdom",
        "wisdom_citations",
        ["wisdom_id", sa.literal_column("created_at DESC")],
        unique=False,
    )
    op.create_table(
        "wisdom_tags",
        sa.Column("wisdom_id", sa.Integer(), nullable=False),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["wisdom_id"], ["wisdom.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("wisdom_id", "tag"),
    )
    op.create_index("ix_wisdom_tags_tag", "wisdom_tags", ["tag"], unique=False)
    op.add_column(
        "members",
        sa.Column("wisdom_keeps_handle", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.drop_column("members", "wisdom_keeps_handle")
    op.drop_index("ix_wisdom_tags_tag", table_name="wisdom_tags")
    op.drop_table("wisdom_tags")
    op.drop_index("ix_wisdom_citations_wisdom", table_name="wisdom_citations")
    op.drop_table("wisdom_citations")
    op.drop_index("ix_collection_items_wisdom", table_name="collection_items")
    op.drop_table("collection_items")
    op.drop_index("ix_wisdom_status_recent", table_name="wisdom")
    op.drop_index("ix_wisdom_search", table_name="wisdom", postgresql_using="gin")
    op.drop_index(op.f("ix_wisdom_post_id"), table_name="wisdom")
    op.drop_index(
        "ix_wisdom_pinned_recent",
        table_name="wisdom",
        postgresql_where=sa.text("pinned_at IS NOT NULL"),
    )
    op.drop_index("ix_wisdom_author", table_name="wisdom")
    op.drop_table("wisdom")
    op.drop_index(op.f("ix_collections_pinned_board_id"), table_name="collections")
    op.drop_table("collections")
    op.drop_table("glossary_terms")
