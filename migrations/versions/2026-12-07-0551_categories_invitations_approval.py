"""Categories of boards, archived and story boards, invitations, members awaiting approval.

Revision ID: 5ea1236865b7
Revises: 5fa09fff9cb9
Create Date: 2026-12-07 05:51:31.640434+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5ea1236865b7"
down_revision: str | None = "5fa09fff9cb9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["used_by_id"], ["members.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.add_column("boards", sa.Column("category_id", sa.Integer(), nullable=True))
    op.add_column(
        "boards",
        sa.Column("is_archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column(
        "boards",
        sa.Column("is_story_board", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column(
        "boards",
        sa.Column(
            "former_slugs",
            sa.ARRAY(sa.String(length=60)),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )
    op.create_index(op.f("ix_boards_category_id"), "boards", ["category_id"], unique=False)
    op.create_foreign_key(
        "fk_boards_category_id_categories",
        "boards",
        "categories",
        ["category_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.add_column(
        "members",
        sa.Column(
            "awaiting_approval", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
    )
    op.create_index(
        "ix_members_awaiting_approval",
        "members",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("awaiting_approval"),
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.drop_index(
        "ix_members_awaiting_approval",
        table_name="members",
        postgresql_where=sa.text("awaiting_approval"),
    )
    op.drop_column("members", "awaiting_approval")
    op.drop_constraint("fk_boards_category_id_categories", "boards", type_="foreignkey")
    op.drop_index(op.f("ix_boards_category_id"), table_name="boards")
    op.drop_column("boards", "former_slugs")
    op.drop_column("boards", "is_story_board")
    op.drop_column("boards", "is_archived")
    op.drop_column("boards", "category_id")
    op.drop_table("invitations")
    op.drop_table("categories")
