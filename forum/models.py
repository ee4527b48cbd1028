"""Every feature's tables, imported together so Alembic and the mappers see them all."""

from forum.accounts.models import Member, Role
from forum.auth.models import ApiToken, LoginSession
from forum.boards.models import Board
from forum.ratelimits.models import RateLimitWindow
from forum.threads.models import Post, Thread

__all__ = [
    "ApiToken",
    "Board",
    "LoginSession",
    "Member",
    "Post",
    "RateLimitWindow",
    "Role",
    "Thread",
]
