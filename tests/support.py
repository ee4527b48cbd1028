"""Helpers the tests share (fixtures live in conftest.py)."""

import asyncio
import os
from pathlib import Path

import asyncpg
import httpx
from alembic import command
from sqlalchemy.engine import make_url

from forum.cli import alembic_config
from forum.core.middleware import CSRF_COOKIE
from forum.core.security import csrf_token_for
from forum.db import async_url

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PASSWORD = "correct horse battery staple"
SENIOR = "Job.Listens"  # the browser tests' long-standing member


def csrf(client: httpx.AsyncClient) -> str:
    """The token a page would put in its forms, for the client's CSRF cookie."""
    cookie = client.cookies.get(CSRF_COOKIE)
    if cookie is None:
        cookie = "test-csrf-cookie"
        client.cookies.set(CSRF_COOKIE, cookie)
    return csrf_token_for(cookie)


def server_url() -> str:
    """TEST_DATABASE_URL, or an embedded PostgreSQL kept under var/ between runs."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        return url
    from forum import embedded

    return embedded.start(ROOT / "var" / "test-pgdata").get_uri()


def recreate_database(name: str) -> str:
    base = make_url(async_url(server_url()))

    async def run() -> None:
        connection = await asyncpg.connect(
            base.set(drivername="postgresql").render_as_string(False)
        )
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(run())
    return base.set(database=name).render_as_string(hide_password=False)


def migrated_database(name: str) -> str:
    url = recreate_database(name)
    config = alembic_config(url)
    config.attributes["configure_logging"] = False
    command.upgrade(config, "head")  # the real migrations, never create_all
    return url
