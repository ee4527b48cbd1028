"""Helpers for the boards tests: forms with their CSRF token, API tokens, board states."""

from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from support import csrf

from forum.accounts.actions import create_api_token
from forum.accounts.models import Member
from forum.boards.models import Board

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
