"""Helpers for the boards tests: forms with their CSRF token, API tokens, board states, and
the `forum` command line run against a database of its own."""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from support import csrf, migrated_database
from typer.testing import CliRunner, Result

from forum import db
from forum.accounts.actions import create_api_token
from forum.accounts.models import Member
from forum.boards.models import Board
from forum.cli import app as forum_app
from forum.config import settings

PostForm = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def post_form() -> PostForm:
    """POST a page form with its CSRF token: post_form(client, url, field=value, ...)."""

    async def post(client: httpx.AsyncClient, url: str, **data: object) -> httpx.Response:
        return await client.post(url, data={**data, "csrf_token": csrf(client)})

    return post


@pytest.fixture
def sign_in(
    session: AsyncSession, log_in: Callable[[httpx.AsyncClient, Member], Awaitable[None]]
) -> Callable[[httpx.AsyncClient, Member], Awaitable[None]]:
    """log_in, after reloading the member: a refused request rolls back and expires objects."""

    async def sign_in_as(client: httpx.AsyncClient, member: Member) -> None:
        await session.refresh(member)
        await log_in(client, member)

    return sign_in_as


@pytest.fixture
def bearer(session: AsyncSession) -> Callable[[Member], Awaitable[dict[str, str]]]:
    async def headers(member: Member) -> dict[str, str]:
        """Authorization for the member through a personal API token."""
        await session.refresh(member)
        return {"Authorization": f"Bearer {await create_api_token(session, member.id, 'api')}"}

    return headers


@pytest.fixture
def set_board(session: AsyncSession) -> Callable[..., Awaitable[Board]]:
    async def change(board: Board, **values: object) -> Board:
        """Set a board's columns directly, as if an administrator had changed them earlier."""
        await session.refresh(board)
        for name, value in values.items():
            setattr(board, name, value)
        await session.flush()
        return board

    return change


# The command line commits its own transactions, so it can't share a test's rolled-back
# savepoint: it gets a database of its own, emptied after each test.
CLI_TABLES = "audit_log, boards, categories, members"


@pytest.fixture(scope="session")
def cli_database_url(worker: str) -> str:
    return migrated_database(f"forum_cli_{worker}")


def _forget_engines() -> None:
    for cached in (db.database_url, db.engine, db.reading_engine):
        cached.cache_clear()


async def _on_cli_database(url: str, sql: str, params: dict[str, Any] | None = None) -> list:
    engine = create_async_engine(db.async_url(url))
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(sql), params or {})
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


@pytest.fixture
def forum_cli(cli_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable]:
    """`forum_cli("board", "list")`: run the `forum` command, as an operator would, on the
    command line's own database. Returns typer's Result (exit_code, stdout, stderr)."""
    monkeypatch.setattr(settings, "database_url", cli_database_url)
    _forget_engines()
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(forum_app, list(args), env=env)

    yield run
    _forget_engines()
    truncate = f"TRUNCATE {CLI_TABLES} RESTART IDENTITY CASCADE"
    asyncio.run(_on_cli_database(cli_database_url, truncate))


@pytest.fixture
def cli_rows(cli_database_url: str) -> Callable[..., list]:
    """Rows of a query on the command line's database: cli_rows("SELECT slug FROM boards")."""
    return lambda sql, **params: asyncio.run(_on_cli_database(cli_database_url, sql, params))
