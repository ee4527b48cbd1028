"""Rate-limit windows shared by every app process.

Revision ID: 32b6bbb0eccd
Revises: 17c5277c005e
Create Date: 2026-11-25 17:51:35.436222+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "32b6bbb0eccd"
down_revision: str | None = "17c5277c005e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.create_table(
        "rate_limit_windows",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '30s'")
    op.drop_table("rate_limit_windows")
