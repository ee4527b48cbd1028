"""The site settings as this process last read them, checked against the database once a second.

Every page shows the title and most show more (the description, the rules link), so reading
the row on every request would add a query to every page view. Instead each app keeps the
settings in memory with the `version` stored in the row. A request more than a second after
the last check asks PostgreSQL for the version alone, and the whole row only if it changed:
another process's change shows everywhere within a second, and at most one small query a
second per process is spent on it. The process that saves a change takes it at once, when its
transaction commits.

The check runs as an app-wide dependency (create_app), so every route, page or API, has fresh
settings before its handler runs. Error pages for addresses that match no route use whatever
the cache holds.
"""

import math
import time
import weakref
from collections.abc import Callable

from fastapi import Request
from sqlalchemy import JSON, String, bindparam, case, event, null, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from forum.db import SessionDep, fetch_rows
from forum.moderation.models import SiteSetting
from forum.site.settings import KEY, SiteSettings, parse_site

# Another process's change shows here within this many seconds.
REFRESH_SECONDS = 1.0

_VERSION = SiteSetting.value["version"].as_string()
_KNOWN = bindparam("known", type_=String)
# The version as text (so a hand-edited "version" can't break the cast), and the whole value
# only when it differs from the one this process holds.
_CHECK = select(
    _VERSION.label("version"),
    type_coerce(
        case((_VERSION == _KNOWN, null()), else_=SiteSetting.value),
        JSON,
    ).label("value"),
).where(SiteSetting.key == KEY)

_CACHES: "weakref.WeakSet[SiteCache]" = weakref.WeakSet()


class SiteCache:
    """One app's copy of the settings. `clock` is a monotonic clock in seconds (tests move it)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.site: SiteSettings | None = None
        self.version: str | None = None  # as the row holds it; None while there is no row
        self.checked_at = -math.inf
        _CACHES.add(self)

    @property
    def current(self) -> SiteSettings:
        """What the cache holds now, without asking the database; the defaults before any read."""
        return self.site if self.site is not None else SiteSettings()

    def is_fresh(self) -> bool:
        return self.site is not None and self.clock() - self.checked_at < REFRESH_SECONDS

    async def refresh(self, session: AsyncSession) -> SiteSettings:
        """The settings for this request: no query within a second of the last check, then one."""
        if self.is_fresh():
            assert self.site is not None
            return self.site
        known = self.version if self.site is not None else None
        rows = await fetch_rows(session, _CHECK, {"known": known})
        if not rows:
            self.site, self.version = SiteSettings(), None
        elif rows[0].value is not None or self.site is None:
            self.site, self.version = parse_site(rows[0].value), rows[0].version
        self.checked_at = self.clock()
        assert self.site is not None
        return self.site

    def remember(self, site: SiteSettings) -> None:
        """Take settings this process has just committed, without waiting for the next check."""
        self.site, self.version, self.checked_at = site, str(site.version), self.clock()

    def forget(self) -> None:
        self.site, self.version, self.checked_at = None, None, -math.inf


def cache_of(request: Request) -> SiteCache:
    state = request.app.state
    if not hasattr(state, "site_cache"):
        state.site_cache = SiteCache()
    cache: SiteCache = state.site_cache
    return cache


async def refresh_site(request: Request, session: SessionDep) -> None:
    """App-wide dependency: make this request's settings current (usually without a query)."""
    cache = cache_of(request)
    if cache.is_fresh():
        request.state.site = cache.current
        return
    began = not session.in_transaction()
    request.state.site = await cache.refresh(session)
    if began:
        # The check only read. Ending its transaction here hands the route a session as if
        # the check had never run: a refused request then rolls back only its own work.
        await session.commit()


def current_site(request: Request) -> SiteSettings:
    """The settings this request's pages show: checked by refresh_site, or the cache's copy."""
    site = getattr(request.state, "site", None)
    return site if isinstance(site, SiteSettings) else cache_of(request).current


# Saved settings reach the saving process's cache only when the transaction commits: a change
# that rolls back must never show, not even for the second until the next check.
_PENDING = "forum.site.pending"


def remember_when_committed(session: AsyncSession, request: Request, site: SiteSettings) -> None:
    session.sync_session.info.setdefault(_PENDING, []).append((cache_of(request), site))
    request.state.site = site  # this request's own page already shows the change


@event.listens_for(Session, "after_commit")
def _take_saved_settings(session: Session) -> None:
    for cache, site in session.info.pop(_PENDING, ()):
        cache.remember(site)


@event.listens_for(Session, "after_rollback")
def _drop_saved_settings(session: Session) -> None:
    session.info.pop(_PENDING, None)


def forget_site_settings() -> None:
    """Read the settings afresh in every app of this process (tests roll their changes back)."""
    for cache in list(_CACHES):
        cache.forget()
