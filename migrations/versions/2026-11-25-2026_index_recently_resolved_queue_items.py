"""An index for the review page's "Recently resolved" list.

Revision ID: 5fa09fff9cb9
Revises: bda4eeb0b836
Create Date: 2026-11-25 20:26:58.382165+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5fa09fff9cb9"
down_revision: str | None = "bda4eeb0b836"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.create_index(
        "ix_queue_items_resolved",
        "queue_items",
        [sa.literal_column("resolved_at DESC NULLS LAST"), sa.literal_column("id DESC")],
        unique=False,
        postgresql_where=sa.text("NOT is_open"),
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.drop_index(
        "ix_queue_items_resolved", table_name="queue_items", postgresql_where=sa.text("NOT is_open")
    )
