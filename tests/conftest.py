"""Fixtures: a real PostgreSQL database per xdist worker, migrated to head, rolled back per test."""

import functools
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from support import PASSWORD, migrated_database

from forum.accounts import actions as accounts_actions
from forum.accounts.actions import register_member, start_session
from forum.accounts.forms import Registration
from forum.accounts.models import Member, Role
from forum.accounts.passwords import hash_password
from forum.app import create_app
from forum.auth.viewer import SESSION_COOKIE, Viewer
from forum.boards.models import Board
from forum.core.time import utcnow
from forum.db import get_session
from forum.glossary.annotate import forget_annotations, forget_glossary
from forum.site.cache import forget_site_settings
from forum.threads.actions import reply_to_thread, start_thread
from forum.threads.models import Post, Thread
from forum.wisdom.models import Wisdom, WisdomTag

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def worker() -> str:
    # FORUM_TEST_DB_PREFIX keeps runs from several checkouts on one server apart.
    name = os.environ.get("FORUM_TEST_DB_PREFIX", "") + os.environ.get(
        "PYTEST_XDIST_WORKER", "main"
    )
    return re.sub(r"\W", "", name)


@pytest.fixture(scope="session", autouse=True)
def _hash_the_shared_password_once() -> Iterator[None]:
    """Argon2 is slow by design and every persona shares one password: hash it once per run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts_actions, "hash_password", functools.cache(hash_password))
        yield


@pytest.fixture(autouse=True)
def _fresh_glossary() -> Iterator[None]:
    """Tests roll their glossary terms back, so the process must not remember them for the next one."""
    forget_glossary()
    forget_annotations()
    yield
    forget_glossary()
    forget_annotations()


@pytest.fixture(autouse=True)
def _fresh_site_settings() -> Iterator[None]:
    """Tests roll their site settings back, so no app may remember them for the next one."""
    forget_site_settings()
    yield
    forget_site_settings()


@pytest.fixture(scope="session")
def database_url(worker: str) -> str:
    return migrated_database(f"forum_test_{worker}")


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(database_url)
    async with engine.connect() as connection:
        outer = await connection.begin()
        db = AsyncSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        yield db
        await db.close()
        await outer.rollback()
    await engine.dispose()


@pytest.fixture(scope="session")
def app() -> FastAPI:
    return create_app()


@asynccontextmanager
async def _client_of(app: FastAPI, session: AsyncSession) -> AsyncIterator[httpx.AsyncClient]:
    async def override() -> AsyncIterator[AsyncSession]:
        # Keep the test's own setup when a request rolls back (commit only releases a savepoint).
        await session.commit()
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        await session.commit()  # releases only the savepoint

    app.dependency_overrides[get_session] = override
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c
    app.dependency_overrides.clear()


@pytest.fixture
async def client(app: FastAPI, session: AsyncSession) -> AsyncIterator[httpx.AsyncClient]:
    async with _client_of(app, session) as c:
        yield c


@pytest.fixture
def client_of(session: AsyncSession) -> Callable[[FastAPI], AbstractAsyncContextManager]:
    """`async with client_of(create_app()) as c:` a client of another app instance (a second
    worker, other settings) that shares the test's database session."""
    return lambda app: _client_of(app, session)


@pytest.fixture
def make_member(session: AsyncSession) -> Callable[..., Awaitable[Member]]:
    async def make(handle: str, *, role: Role = Role.MEMBER, joined_days_ago: int = 60) -> Member:
        """Personas have been members for two months unless a test is about newcomers."""
        member = await register_member(
            session, Registration(handle=handle, password=PASSWORD), role=role
        )
        member.created_at = utcnow() - timedelta(days=joined_days_ago)
        await session.flush()
        return member

    return make


@pytest.fixture
def established(session: AsyncSession, make_member: Callable[..., Awaitable[Member]]):
    """Members past every "new member" rule: two months in and a few posts up."""

    async def make(handle: str) -> Member:
        member = await make_member(handle)
        member.post_count = 5
        await session.flush()
        return member

    return make


@pytest.fixture
async def user(make_member: Callable[..., Awaitable[Member]]) -> Member:
    return await make_member("Harbor_Light")


@pytest.fixture
async def other_user(make_member: Callable[..., Awaitable[Member]]) -> Member:
    return await make_member("SteadyOak")


@pytest.fixture
async def admin(make_member: Callable[..., Awaitable[Member]]) -> Member:
    return await make_member("Willow.Creek", role=Role.ADMIN)


@pytest.fixture
async def moderator(make_member: Callable[..., Awaitable[Member]]) -> Member:
    return await make_member("Quiet.Keeper", role=Role.MODERATOR)


@pytest.fixture
async def newcomer(make_member: Callable[..., Awaitable[Member]]) -> Member:
    return await make_member("Fresh_Start", joined_days_ago=0)


@pytest.fixture
def log_in(session: AsyncSession) -> Callable[[httpx.AsyncClient, Member], Awaitable[None]]:
    async def log_in_as(client: httpx.AsyncClient, member: Member) -> None:
        secret = await start_session(session, member, "pytest")
        client.cookies.set(SESSION_COOKIE, secret)

    return log_in_as


@pytest.fixture
def make_board(session: AsyncSession) -> Callable[..., Awaitable[Board]]:
    async def make(
        slug: str = "my-story", *, members_only: bool = False, approve_first_posts: int = 0
    ) -> Board:
        """Boards publish everyone's posts at once unless a test is about approval."""
        board = Board(
            slug=slug,
            name=slug.replace("-", " ").capitalize(),
            is_members_only=members_only,
            approve_first_posts=approve_first_posts,
        )
        session.add(board)
        await session.flush()
        return board

    return make


@pytest.fixture
def make_thread(session: AsyncSession) -> Callable[..., Awaitable[Post]]:
    async def make(
        board: Board,
        author: Member,
        *,
        title: str = "My story",
        body: str = "First update.",
        replies: int = 0,
        is_locked: bool = False,
    ) -> Post:
        await session.refresh(author)  # the viewer needs today's post count
        viewer = Viewer.of(author)
        post = await start_thread(session, viewer, board, title=title, body=body)
        thread = await session.get_one(Thread, post.thread_id)
        for number in range(replies):
            await reply_to_thread(session, viewer, thread, body=f"Update number {number + 2}.")
        thread.is_locked = is_locked
        await session.flush()
        return post

    return make


@pytest.fixture
def keep_wisdom(session: AsyncSession) -> Callable[..., Awaitable[Wisdom]]:
    async def keep(
        post: Post,
        text: str,
        *,
        title: str = "",
        tags: tuple[str, ...] = (),
        status: str = "approved",
        citations: int = 0,
    ) -> Wisdom:
        """A passage of `post`, as the wisdom pages would have stored it."""
        thread = await session.get_one(Thread, post.thread_id)
        author = await session.get_one(Member, post.author_id)
        wisdom = Wisdom(
            post_id=post.id,
            thread_id=thread.id,
            board_id=thread.board_id,
            author_id=author.id,
            author_name=author.handle,
            text=text,
            title=title,
            post_created_at=post.created_at,
            proposed_by_name="SteadyOak",
            status=status,
            pinned_at=utcnow() if status == "approved" else None,
            citation_count=citations,
        )
        session.add(wisdom)
        await session.flush()
        session.add_all(WisdomTag(wisdom_id=wisdom.id, tag=tag) for tag in tags)
        await session.flush()
        return wisdom

    return keep
