"""A live forum on a real port and a real Chromium to drive it."""

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from support import PASSWORD, ROOT, SENIOR, migrated_database

from forum.accounts.actions import register_member
from forum.accounts.forms import Registration
from forum.accounts.models import Role
from forum.app import create_app
from forum.boards.models import Board
from forum.db import async_url, get_session, transaction

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium waits on network services this closed machine refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
MODERATOR = "Quiet.Keeper"  # the report flow's global moderator
WISDOM_READERS = ("Ember.Reads", "Still.Water")  # the wisdom flow's proposer and citer
ADMIN = "Willow.Creek"  # the site flow's administrator: rules, joining, invitations


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("FORUM_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"Browser tests are required but {CHROMIUM} is missing.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _seed(url: str) -> None:
    engine = create_async_engine(async_url(url))
    async with transaction(engine) as session:
        # The story flow is about quoting; approval of first posts has its own browser test.
        session.add(
            Board(
                slug="my-story",
                name="My story",
                description="Your ongoing story.",
                approve_first_posts=0,
            )
        )
        await register_member(session, Registration(handle=SENIOR, password=PASSWORD))
        # The report flow: a moderator, and a board where new members' first posts wait.
        session.add(
            Board(
                slug="introductions",
                name="Introductions",
                description="Say hello.",
                approve_first_posts=2,
            )
        )
        await register_member(
            session, Registration(handle=MODERATOR, password=PASSWORD), role=Role.MODERATOR
        )
        # The wisdom flow: a reader who saves a passage, and one who cites it.
        for handle in WISDOM_READERS:
            await register_member(session, Registration(handle=handle, password=PASSWORD))
        await register_member(
            session, Registration(handle=ADMIN, password=PASSWORD), role=Role.ADMIN
        )
    await engine.dispose()


@contextmanager
def _serving(url: str) -> Iterator[str]:
    """The forum on a free port over the database at url, until the block ends."""
    app = create_app()
    engines: list[AsyncEngine] = []

    async def session_for_server() -> AsyncIterator[AsyncSession]:
        # Created inside the server's own event loop, where its connections must live.
        if not engines:
            engines.append(create_async_engine(async_url(url)))
        async with transaction(engines[0]) as session:
            yield session

    app.dependency_overrides[get_session] = session_for_server
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(worker: str) -> Iterator[str]:
    url = migrated_database(f"forum_browser_{worker}")
    asyncio.run(_seed(url))
    with _serving(url) as address:
        yield address


@pytest.fixture
def new_forum(worker: str) -> Iterator[tuple[str, str]]:
    """(address, database url) of a forum served from an empty database: no boards, no members."""
    url = migrated_database(f"forum_new_{worker}")
    with _serving(url) as address:
        yield address, url


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
