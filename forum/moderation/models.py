"""Reports, the review queue, sanctions, watched words, edit history and the audit log."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from forum.core.time import created_at_field, optional_time_field


class ReportReason(StrEnum):
    AT_RISK = "at_risk"
    UNKIND = "unkind"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


REASON_LABELS = {
    ReportReason.UNKIND: "Unkind or abusive",
    ReportReason.SPAM: "Spam",
    ReportReason.AT_RISK: "Someone may be at risk",
    ReportReason.OFF_TOPIC: "Off-topic",
    ReportReason.OTHER: "Something else",
}


class QueueItem(SQLModel, table=True):
    """One post waiting for a moderator: its reports gather here, and a held post waits here."""

    __tablename__ = "queue_items"
    __table_args__ = (
        # One open item per post, so a second report joins the first.
        Index("uq_queue_items_open_post", "post_id", unique=True, postgresql_where=text("is_open")),
        Index(
            "ix_queue_items_open",
            text("priority DESC"),
            "created_at",
            postgresql_where=text("is_open"),
        ),
        # "Recently resolved" on the review page: the newest verdicts, however many pile up.
        Index(
            "ix_queue_items_resolved",
            text("resolved_at DESC NULLS LAST"),
            text("id DESC"),
            postgresql_where=text("NOT is_open"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="posts.id", ondelete="CASCADE")
    board_id: int = Field(foreign_key="boards.id", ondelete="CASCADE", index=True)
    is_open: bool = Field(default=True)
    # "Someone may be at risk" goes to the top.
    priority: int = Field(default=0)
    report_count: int = Field(default=0)
    # The post waits for approval (a new member's post, or a held watched word).
    is_held: bool = Field(default=False)
    flagged_words: str = Field(default="", max_length=500)
    resolution: str = Field(default="", max_length=20)
    resolution_note: str = Field(default="", max_length=500)
    resolved_by_id: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    resolved_by_name: str = Field(default="", max_length=30)
    resolved_at: datetime | None = optional_time_field()
    created_at: datetime = created_at_field()


class Report(SQLModel, table=True):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("item_id", "reporter_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="queue_items.id", ondelete="CASCADE")
    post_id: int = Field(foreign_key="posts.id", ondelete="CASCADE", index=True)
    reporter_id: int = Field(foreign_key="members.id", ondelete="CASCADE", index=True)
    reason: str = Field(max_length=20)
    note: str = Field(default="", max_length=500)
    # Counts toward hiding the post before review only if the reporter was not a new member.
    counts_for_hiding: bool = Field(default=True)
    created_at: datetime = created_at_field()


class SanctionKind(StrEnum):
    WARN = "warn"
    SILENCE = "silence"
    SUSPEND = "suspend"
    BAN = "ban"


class Sanction(SQLModel, table=True):
    """A warning, silence, suspension or ban; lifting one keeps the record."""

    __tablename__ = "sanctions"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=10)
    reason: str = Field(max_length=500)
    post_id: int | None = Field(default=None, foreign_key="posts.id", ondelete="SET NULL")
    ends_at: datetime | None = optional_time_field()
    created_by_id: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    created_by_name: str = Field(max_length=30)
    created_at: datetime = created_at_field()
    lifted_at: datetime | None = optional_time_field()
    lifted_by_name: str = Field(default="", max_length=30)


class WatchedWordRow(SQLModel, table=True):
    __tablename__ = "watched_words"

    id: int | None = Field(default=None, primary_key=True)
    phrase: str = Field(max_length=100)
    # NFKC, case-folded, spaces collapsed: the same phrase can't be listed twice.
    phrase_key: str = Field(max_length=200, unique=True)
    action: str = Field(max_length=10)
    created_by_name: str = Field(max_length=30)
    created_at: datetime = created_at_field()


class PostRevision(SQLModel, table=True):
    """The source a post had before an edit."""

    __tablename__ = "post_revisions"

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="posts.id", ondelete="CASCADE", index=True)
    source: str
    editor_id: int | None = Field(default=None, foreign_key="members.id", ondelete="SET NULL")
    editor_name: str = Field(max_length=30)
    created_at: datetime = created_at_field()


class BoardModerator(SQLModel, table=True):
    __tablename__ = "board_moderators"

    member_id: int = Field(foreign_key="members.id", ondelete="CASCADE", primary_key=True)
    board_id: int = Field(foreign_key="boards.id", ondelete="CASCADE", primary_key=True)


class AuditEntry(SQLModel, table=True):
    """Append-only: a trigger refuses UPDATE and DELETE. Names are copied so records outlive accounts."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_recent", text("created_at DESC"), text("id DESC")),
        Index("ix_audit_log_actor", "actor_id", text("id DESC")),
        Index("ix_audit_log_action", "action", text("id DESC")),
        Index("ix_audit_log_target", "target_kind", "target_id"),
        Index("ix_audit_log_board", "board_id", text("id DESC")),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    actor_id: int | None = None
    actor_name: str = Field(max_length=30)
    action: str = Field(max_length=40)
    target_kind: str = Field(max_length=20)
    target_id: int | None = None
    target_label: str = Field(default="", max_length=200)
    board_id: int | None = None
    reason: str = Field(default="", max_length=500)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_at_field()


class SiteSetting(SQLModel, table=True):
    """Settings administrators change in the forum, such as the trust rules."""

    __tablename__ = "site_settings"

    key: str = Field(primary_key=True, max_length=60)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
