"""The first administrator: a one-time setup address, printed where only the operator sees it.

A fresh forum has nobody who may make boards or change settings. `forum serve` (and
`forum setup-link`) print `/setup?token=…` while no administrator exists; the page behind it
makes one. Only the token's hash is stored, one at a time: printing a new address retires the
old one, and using it deletes it.
"""

import hmac

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.actions import register_member
from forum.accounts.forms import Registration
from forum.accounts.models import Member, Role
from forum.auth.viewer import Viewer
from forum.core.security import hash_secret, new_secret
from forum.core.time import utcnow
from forum.moderation.audit import record
from forum.moderation.models import SiteSetting

KEY = "setup"
ALREADY_SET_UP = "This forum is set up already: its administrators log in as everyone does."
INVALID_ADDRESS = "That setup address is not valid: it was used already, mistyped or replaced."


class SetupRefused(Exception):
    """The token is wrong or used, or the forum already has an administrator."""


async def has_administrator(session: AsyncSession) -> bool:
    return bool(await session.scalar(select(exists().where(Member.role == Role.ADMIN))))


async def issue_setup_token(session: AsyncSession) -> str | None:
    """A new setup secret while the forum has no administrator, else None."""
    if await has_administrator(session):
        return None
    token = new_secret()
    value = {"token_hash": hash_secret(token), "issued_at": utcnow().isoformat()}
    statement = insert(SiteSetting).values(key=KEY, value=value)
    await session.execute(
        statement.on_conflict_do_update(index_elements=[SiteSetting.key], set_={"value": value})
    )
    return token


async def setup_problem(session: AsyncSession, token: str, *, lock: bool = False) -> str | None:
    """Why this token can't set the forum up, or None when it can."""
    if await has_administrator(session):
        return ALREADY_SET_UP
    statement = select(SiteSetting.value).where(SiteSetting.key == KEY)
    if lock:
        # Two browsers submitting the same address at once: the second waits, then finds it used.
        statement = statement.with_for_update()
    stored = (await session.execute(statement)).scalar_one_or_none()
    expected = (stored or {}).get("token_hash", "")
    if not token or not expected or not hmac.compare_digest(expected, hash_secret(token)):
        return INVALID_ADDRESS
    return None


async def create_first_administrator(
    session: AsyncSession, token: str, form: Registration
) -> Member:
    """Raises SetupRefused, or FieldErrors if the handle can't be had."""
    if problem := await setup_problem(session, token, lock=True):
        raise SetupRefused(problem)
    member = await register_member(session, form, role=Role.ADMIN)
    await session.execute(delete(SiteSetting).where(SiteSetting.key == KEY))
    await record(
        session,
        Viewer.of(member),
        "setup.first_admin",
        target_kind="member",
        target_id=member.id,
        target_label=member.handle,
    )
    return member
