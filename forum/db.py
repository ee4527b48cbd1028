"""Database engine, session dependency and the embedded PostgreSQL used when no server is named."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Annotated

from fastapi import Depends
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
    import pgserver  # imported lazily: only newcomers without a server need it

    pgdata = (settings.data_dir / "pgdata").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    server.psql("SELECT 1;")  # fails loudly here rather than on the first request
    return async_url(server.get_uri())


@cache
def engine() -> AsyncEngine:
    # No pre-ping: it costs a round trip per request; recycling drops connections before servers
    # or proxies time them out.
    return create_async_engine(database_url(), pool_size=10, max_overflow=10, pool_recycle=1800)


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


async def get_session() -> AsyncIterator[AsyncSession]:
    """One transaction per request."""
    async with transaction(engine()) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
