"""Registering members, checking passwords, and the sessions and tokens that follow."""

import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.forms import Registration
from forum.accounts.handles import (
    handle_key,
    handle_skeleton,
    handle_unavailable,
)
from forum.accounts.models import Member, Role
from forum.accounts.passwords import (
    burn_password_check,
    hash_password,
    needs_rehash,
    verify_password,
)
from forum.auth.models import ApiToken, LoginSession
from forum.config import settings
from forum.core.errors import FieldErrors
from forum.core.forms import validate_form
from forum.core.security import hash_secret, new_secret
from forum.core.time import utcnow


async def register_member(
    session: AsyncSession,
    form: Registration,
    *,
    role: Role = Role.MEMBER,
    awaiting_approval: bool = False,
) -> Member:
    """A new member, or FieldErrors if the handle is taken. The form has checked the rest.
    Callers registering a visitor go through forum.site.actions, which applies the site's
    registration mode."""
    key, skeleton = handle_key(form.handle), handle_skeleton(form.handle)
    taken = (
        await session.scalars(
            select(Member.handle_key).where(
                or_(Member.handle_key == key, Member.handle_skeleton == skeleton)
            )
        )
    ).first()
    if taken is not None:
        raise FieldErrors({"handle": str(handle_unavailable(lookalike=taken != key))})
    member = Member(
        handle=form.handle,
        handle_key=key,
        handle_skeleton=skeleton,
        email=form.email or None,
        password_hash=hash_password(form.password),
        role=role,
        awaiting_approval=awaiting_approval,
    )
    session.add(member)
    await session.flush()
    return member


async def authenticate(session: AsyncSession, handle: str, password: str) -> Member | None:
    """The member if handle and password match; the same time and answer otherwise."""
    # By key alone: a member whose handle predates today's rules can still log in.
    key = handle_key(handle)
    member = (await session.scalars(select(Member).where(Member.handle_key == key))).first()
    if member is None:
        burn_password_check(password)  # an unknown handle costs what a wrong password does
        return None
    if not verify_password(member.password_hash, password):
        return None
    if needs_rehash(member.password_hash):
        member.password_hash = hash_password(password)
    return member


async def start_session(session: AsyncSession, member: Member, user_agent: str) -> str:
    """Record a login and return the secret for the cookie; only its hash is stored."""
    secret = new_secret()
    session.add(
        LoginSession(
            token_hash=hash_secret(secret),
            member_id=member.id,
            user_agent=user_agent[:300],
            expires_at=utcnow() + timedelta(days=settings.session_days),
        )
    )
    await session.flush()
    return secret


async def end_session(session: AsyncSession, member_id: int, session_id: int) -> None:
    await session.execute(
        delete(LoginSession).where(
            LoginSession.id == session_id, LoginSession.member_id == member_id
        )
    )


async def end_other_sessions(session: AsyncSession, member_id: int, keep_id: int | None) -> None:
    statement = delete(LoginSession).where(LoginSession.member_id == member_id)
    if keep_id is not None:
        statement = statement.where(LoginSession.id != keep_id)
    await session.execute(statement)


async def create_api_token(session: AsyncSession, member_id: int, name: str) -> str:
    """Return the token once; afterwards only its hash exists."""
    secret = new_secret("fpt_")
    session.add(ApiToken(token_hash=hash_secret(secret), member_id=member_id, name=name))
    await session.flush()
    return secret


async def revoke_api_token(session: AsyncSession, member_id: int, token_id: int) -> None:
    await session.execute(
        delete(ApiToken).where(ApiToken.id == token_id, ApiToken.member_id == member_id)
    )


async def promote_or_register_admin(session: AsyncSession, handle: str, password: str) -> bool:
    """Make the member an administrator; register them first if the handle is free."""
    member = (
        await session.scalars(select(Member).where(Member.handle_key == handle_key(handle)))
    ).first()
    if member is not None:
        member.role = Role.ADMIN
        member.awaiting_approval = False  # the operator vouches for them
        return False
    form, errors = validate_form(Registration, {"handle": handle, "password": password})
    if form is None:
        raise ValueError(" ".join(errors.values()))
    try:
        await register_member(session, form, role=Role.ADMIN)
    except FieldErrors as problem:
        raise ValueError(" ".join(problem.fields.values())) from problem
    return True


async def reset_password(session: AsyncSession, handle: str) -> str:
    """A new random password for an operator to pass on; the member's sessions end.
    Raises LookupError for an unknown handle."""
    member = (
        await session.scalars(select(Member).where(Member.handle_key == handle_key(handle)))
    ).first()
    if member is None:
        raise LookupError(f"no member has the handle {handle!r}.")
    password = secrets.token_urlsafe(12)
    member.password_hash = hash_password(password)
    await end_other_sessions(session, member.id, keep_id=None)
    return password
