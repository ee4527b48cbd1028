"""Rate limits where abuse is cheap: guessing passwords, mass registration, flooding posts."""

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.policies import is_new_member
from forum.auth.viewer import Viewer
from forum.config import settings
from forum.core.time import utcnow


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    per: timedelta
    message: str  # finished with "Try again in …"


def login_per_handle() -> Limit:
    return Limit(
        "login-handle",
        settings.login_attempts_per_handle,
        timedelta(minutes=15),
        "Too many attempts to log in to this handle.",
    )


def login_per_ip() -> Limit:
    return Limit(
        "login-ip",
        settings.login_attempts_per_ip,
        timedelta(minutes=15),
        "Too many log-in attempts from your network.",
    )


def registrations_per_ip() -> Limit:
    return Limit(
        "register-ip",
        settings.registrations_per_ip,
        timedelta(hours=1),
        "Too many new accounts from your network.",
    )


def posts_per_member() -> Limit:
    return Limit(
        "post-member",
        settings.posts_per_minute,
        timedelta(minutes=1),
        "You're posting faster than we allow.",
    )


def threads_per_new_member() -> Limit:
    return Limit(
        "thread-new-member",
        settings.new_member_threads_per_day,
        timedelta(days=1),
        f"New members can start {settings.new_member_threads_per_day} threads a day; "
        "replies are always welcome.",
    )


def reports_per_member() -> Limit:
    return Limit(
        "report-member",
        settings.reports_per_hour,
        timedelta(hours=1),
        "You've sent many reports in the last hour; moderators are on them.",
    )


def proposals_per_member() -> Limit:
    return Limit(
        "wisdom-propose",
        20,
        timedelta(hours=1),
        "You've proposed a lot of wisdom in the last hour; the curators will catch up.",
    )


def invitations_per_member() -> Limit:
    # Generous for staff welcoming a group, but a stolen staff session can't mint links in bulk.
    return Limit(
        "invitation-member",
        20,
        timedelta(hours=1),
        "You've created 20 invitations in the last hour, as many as we allow.",
    )


class RateLimited(Exception):
    def __init__(self, limit: Limit, retry_after: int) -> None:
        self.retry_after = retry_after
        if retry_after < 120:
            wait = f"{retry_after} seconds"
        elif retry_after < 7200:
            wait = f"{math.ceil(retry_after / 60)} minutes"
        else:
            wait = f"{math.ceil(retry_after / 3600)} hours"
        super().__init__(f"{limit.message} Try again in {wait}.")


# One statement: start a fresh window if the old one has passed, else count one more hit.
_HIT = text(
    """
    INSERT INTO rate_limit_windows AS w (key, window_start, hits) VALUES (:key, :now, 1)
    ON CONFLICT (key) DO UPDATE SET
        window_start = CASE WHEN w.window_start <= :expired THEN :now ELSE w.window_start END,
        hits = CASE WHEN w.window_start <= :expired THEN 1 ELSE w.hits + 1 END
    RETURNING window_start, hits
    """
)


def client_ip(request: Request) -> str:
    """The peer's address; behind a proxy named in FORUM_TRUSTED_PROXIES, the visitor's own."""
    return request.client.host if request.client else "unknown"


# Windows idle for a day are dropped now and then, so the table holds only recent subjects.
PRUNE_ONE_HIT_IN = 500
_PRUNE = text("DELETE FROM rate_limit_windows WHERE window_start < :before")


async def prune_windows(session: AsyncSession) -> None:
    await session.execute(_PRUNE, {"before": utcnow() - timedelta(days=1)})


async def hit(session: AsyncSession, limit: Limit, subject: str | int) -> None:
    """Count one attempt; raise RateLimited once the window's allowance is spent."""
    if secrets.randbelow(PRUNE_ONE_HIT_IN) == 0:
        await prune_windows(session)
    now = utcnow()
    params = {"key": f"{limit.name}:{subject}", "now": now, "expired": now - limit.per}
    window_start, hits = (await session.execute(_HIT, params)).one()
    if hits > limit.count:
        retry_after = max(1, math.ceil((window_start + limit.per - now).total_seconds()))
        raise RateLimited(limit, retry_after)


async def count_post(session: AsyncSession, viewer: Viewer, *, starts_thread: bool) -> None:
    """Every new post counts toward the per-minute limit; a new member's threads toward a day's."""
    await hit(session, posts_per_member(), viewer.member_id)  # type: ignore[arg-type]
    if starts_thread and is_new_member(viewer):
        await hit(session, threads_per_new_member(), viewer.member_id)  # type: ignore[arg-type]
