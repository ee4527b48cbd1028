"""Database engine, session dependency and the embedded PostgreSQL used when no server is named."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlmodel import SQLModel

from forum.config import settings

# Stable constraint names let Alembic diff the schema reliably; set before any table exists.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def async_url(url: str) -> str:
    """Point a plain postgresql:// URL at the asyncpg driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    return url


@cache
def database_url() -> str:
    """The configured server, or an embedded PostgreSQL under data_dir that keeps its data."""
    if settings.database_url:
        return async_url(settings.database_url)
    try:
        from forum import embedded  # imported lazily: only installs without a server need it
    except ImportError as missing:
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
            "Set DATABASE_URL to a PostgreSQL server, or install it: pip install 'forum[embedded]'."
        ) from missing
    server = embedded.start(settings.data_dir / "pgdata")
    server.psql("SELECT 1;")  # fails loudly here rather than on the first request
    return async_url(server.get_uri())


def embedded_pgdata() -> Path | None:
    """Where the embedded server keeps its data, or None when DATABASE_URL names a server."""
    return None if settings.database_url else (settings.data_dir / "pgdata").resolve()


@cache
def engine() -> AsyncEngine:
    # A fixed pool, no overflow: connections opened past the pool are closed again on return, and
    # that churn (a PostgreSQL backend forked per request) cost more than waiting for a free one.
    # No pre-ping either: it costs a round trip per request; recycling retires old connections.
    return create_async_engine(
        database_url(),
        pool_size=settings.db_pool_size,
        max_overflow=0,
        pool_timeout=30,
        pool_recycle=1800,
    )


@asynccontextmanager
async def transaction(bind: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session whose work commits on success and rolls back on error."""
    async with AsyncSession(bind, expire_on_commit=False) as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        await session.commit()


@cache
def reading_engine() -> AsyncEngine:
    """The same pool without BEGIN and COMMIT, which cost two round trips per page view.
    Reads need no transaction; the only writes a GET makes are last-seen touches."""
    return engine().execution_options(isolation_level="AUTOCOMMIT")  # type: ignore[return-value]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request that changes anything; none for one that only reads."""
    reads_only = request.method in ("GET", "HEAD")
    async with transaction(reading_engine() if reads_only else engine()) as session:
        yield session


async def fetch_rows(
    session: AsyncSession, statement: Executable, params: dict[str, Any] | None = None
) -> Sequence[Row[Any]]:
    """Plain rows through the session's connection, skipping the ORM layer that reads of
    columns don't need (about a tenth of a millisecond a query)."""
    connection = await session.connection()
    return (await connection.execute(statement, params or {})).all()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
