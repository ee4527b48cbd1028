"""Every feature's tables, imported together so Alembic and the mappers see them all."""

from forum.accounts.models import Member, Role
from forum.auth.models import ApiToken, LoginSession
from forum.boards.models import Board, Category
from forum.glossary.models import GlossaryTerm
from forum.moderation.models import (
    AuditEntry,
    BoardModerator,
    PostRevision,
    QueueItem,
    Report,
    Sanction,
    SiteSetting,
    WatchedWordRow,
)
from forum.notifications.models import Notification
from forum.ratelimits.models import RateLimitWindow
from forum.site.models import Invitation
from forum.threads.models import Post, Thread
from forum.wisdom.models import (
    Collection,
    CollectionItem,
    Wisdom,
    WisdomCitation,
    WisdomTag,
)

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Board",
    "BoardModerator",
    "Category",
    "Collection",
    "CollectionItem",
    "GlossaryTerm",
    "Invitation",
    "LoginSession",
    "Member",
    "Notification",
    "Post",
    "PostRevision",
    "QueueItem",
    "RateLimitWindow",
    "Report",
    "Role",
    "Sanction",
    "SiteSetting",
    "Thread",
    "WatchedWordRow",
    "Wisdom",
    "WisdomCitation",
    "WisdomTag",
]
