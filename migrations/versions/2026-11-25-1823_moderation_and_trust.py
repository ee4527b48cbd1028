"""Moderation and trust: roles, reports, the review queue, sanctions and the audit log.

Revision ID: b3013520c483
Revises: 32b6bbb0eccd
Create Date: 2026-11-25 18:23:35.122076+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "b3013520c483"
down_revision: str | None = "32b6bbb0eccd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("target_kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("target_label", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_audit_log_action", "audit_log", ["action", sa.literal_column("id DESC")], unique=False
    )
    op.create_index(
        "ix_audit_log_actor", "audit_log", ["actor_id", sa.literal_column("id DESC")], unique=False
    )
    op.create_index(
        "ix_audit_log_board", "audit_log", ["board_id", sa.literal_column("id DESC")], unique=False
    )
    op.create_index(
        "ix_audit_log_recent",
        "audit_log",
        [sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
    )
    op.create_index("ix_audit_log_target", "audit_log", ["target_kind", "target_id"], unique=False)
    op.create_table(
        "site_settings",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "watched_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("phrase_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("phrase_key"),
    )
    op.create_table(
        "board_moderators",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("member_id", "board_id"),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_notifications_member_recent",
        "notifications",
        ["member_id", sa.literal_column("created_at DESC")],
        unique=False,
    )
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["member_id"],
        unique=False,
        postgresql_where=sa.text("read_at IS NULL"),
    )
    op.create_table(
        "post_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("editor_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["editor_id"], ["members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_post_revisions_post_id"), "post_revisions", ["post_id"], unique=False)
    op.create_table(
        "queue_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("is_held", sa.Boolean(), nullable=False),
        sa.Column("flagged_words", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("resolution", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("resolution_note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["members.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_queue_items_board_id"), "queue_items", ["board_id"], unique=False)
    op.create_index(
        "ix_queue_items_open",
        "queue_items",
        [sa.literal_column("priority DESC"), "created_at"],
        unique=False,
        postgresql_where=sa.text("is_open"),
    )
    op.create_index(
        "uq_queue_items_open_post",
        "queue_items",
        ["post_id"],
        unique=True,
        postgresql_where=sa.text("is_open"),
    )
    op.create_table(
        "sanctions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_sanctions_member_id"), "sanctions", ["member_id"], unique=False)
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("counts_for_hiding", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["item_id"], ["queue_items.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reporter_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "reporter_id"),
    )
    op.create_index(op.f("ix_reports_post_id"), "reports", ["post_id"], unique=False)
    op.create_index(op.f("ix_reports_reporter_id"), "reports", ["reporter_id"], unique=False)
    op.add_column(
        "boards", sa.Column("approve_first_posts", sa.Integer(), server_default="2", nullable=False)
    )
    op.add_column("members", sa.Column("silenced_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "members", sa.Column("suspended_until", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "members", sa.Column("is_banned", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "posts",
        sa.Column(
            "state",
            sqlmodel.sql.sqltypes.AutoString(length=10),
            server_default="visible",
            nullable=False,
        ),
    )
    op.add_column(
        "posts",
        sa.Column(
            "state_reason",
            sqlmodel.sql.sqltypes.AutoString(length=500),
            server_default="",
            nullable=False,
        ),
    )
    op.add_column(
        "threads",
        sa.Column(
            "state",
            sqlmodel.sql.sqltypes.AutoString(length=10),
            server_default="visible",
            nullable=False,
        ),
    )
    op.add_column("threads", sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.create_index("ix_threads_last_post_id", "threads", ["last_post_id"], unique=False)
    op.create_foreign_key(
        "fk_threads_merged_into_id_threads",
        "threads",
        "threads",
        ["merged_into_id"],
        ["id"],
        ondelete="SET NULL",
    )
    # Board pages list published threads only: the index leaves the others out.
    op.drop_index("ix_threads_board_listing", table_name="threads")
    op.create_index(
        "ix_threads_board_listing",
        "threads",
        ["board_id", sa.text("is_pinned DESC"), sa.text("last_post_at DESC"), sa.text("id DESC")],
        postgresql_where=sa.text("state = 'visible'"),
    )
    # The audit log is append-only, whoever connects: rewriting history needs a superuser.
    op.execute(
        """
        CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()"
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
    op.execute("DROP FUNCTION audit_log_refuse_change()")
    op.drop_index("ix_threads_board_listing", table_name="threads")
    op.create_index(
        "ix_threads_board_listing",
        "threads",
        ["board_id", sa.text("is_pinned DESC"), sa.text("last_post_at DESC"), sa.text("id DESC")],
    )
    op.drop_constraint("fk_threads_merged_into_id_threads", "threads", type_="foreignkey")
    op.drop_index("ix_threads_last_post_id", table_name="threads")
    op.drop_column("threads", "merged_into_id")
    op.drop_column("threads", "state")
    op.drop_column("posts", "state_reason")
    op.drop_column("posts", "state")
    op.drop_column("members", "is_banned")
    op.drop_column("members", "suspended_until")
    op.drop_column("members", "silenced_until")
    op.drop_column("boards", "approve_first_posts")
    op.drop_index(op.f("ix_reports_reporter_id"), table_name="reports")
    op.drop_index(op.f("ix_reports_post_id"), table_name="reports")
    op.drop_table("reports")
    op.drop_index(op.f("ix_sanctions_member_id"), table_name="sanctions")
    op.drop_table("sanctions")
    op.drop_index(
        "uq_queue_items_open_post", table_name="queue_items", postgresql_where=sa.text("is_open")
    )
    op.drop_index(
        "ix_queue_items_open", table_name="queue_items", postgresql_where=sa.text("is_open")
    )
    op.drop_index(op.f("ix_queue_items_board_id"), table_name="queue_items")
    op.drop_table("queue_items")
    op.drop_index(op.f("ix_post_revisions_post_id"), table_name="post_revisions")
    op.drop_table("post_revisions")
    op.drop_index(
        "ix_notifications_unread",
        table_name="notifications",
        postgresql_where=sa.text("read_at IS NULL"),
    )
    op.drop_index("ix_notifications_member_recent", table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("board_moderators")
    op.drop_table("watched_words")
    op.drop_table("site_settings")
    op.drop_index("ix_audit_log_target", table_name="audit_log")
    op.drop_index("ix_audit_log_recent", table_name="audit_log")
    op.drop_index("ix_audit_log_board", table_name="audit_log")
    op.drop_index("ix_audit_log_actor", table_name="audit_log")
    op.drop_index("ix_audit_log_action", table_name="audit_log")
    op.drop_table("audit_log")
