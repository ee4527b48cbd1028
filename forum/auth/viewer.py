"""Who is asking: a guest, or a member by session cookie or API token."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from forum.accounts.models import Member, Role
from forum.auth.models import ApiToken, LoginSession
from forum.core.errors import LoginRequired
from forum.core.security import hash_secret
from forum.core.time import utcnow
from forum.db import SessionDep, fetch_rows

SESSION_COOKIE = "forum_session"
# Writing last-seen on every request would turn every page view into a write.
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Viewer:
    """A plain snapshot, not an ORM row: it stays readable after a refused request rolls back."""

    member_id: int | None = None
    handle: str = ""
    role: str = ""
    session_id: int | None = None
    via_token: bool = False

    @classmethod
    def of(cls, member: Member, **details: int | bool | None) -> "Viewer":
        return cls(member_id=member.id, handle=member.handle, role=member.role, **details)  # type: ignore[arg-type]

    @property
    def is_anonymous(self) -> bool:
        return self.member_id is None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


GUEST = Viewer()


async def get_viewer(request: Request, session: SessionDep) -> Viewer:
    now = utcnow()
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        token_hash = hash_secret(authorization[7:].strip())
        token = (
            await session.scalars(
                select(ApiToken)
                .options(joinedload(ApiToken.member))
                .where(ApiToken.token_hash == token_hash)
            )
        ).first()
        if token is None:
            raise LoginRequired(
                "That API token is not valid; create a new one on your account page."
            )
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            await session.execute(
                update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
            )
        viewer = Viewer.of(token.member, via_token=True)
    else:
        viewer = await _viewer_from_cookie(request, session)
    request.state.viewer = viewer
    return viewer


# Every member's page view starts here, so it is one prepared statement returning plain values.
_SESSION_LOOKUP = (
    select(
        LoginSession.id,
        LoginSession.last_seen_at,
        Member.id.label("member_id"),
        Member.handle,
        Member.role,
    )
    .join(Member, LoginSession.member_id == Member.id)
    .where(
        LoginSession.token_hash == bindparam("token_hash"),
        LoginSession.expires_at > bindparam("now"),
    )
)


async def _viewer_from_cookie(request: Request, session: SessionDep) -> Viewer:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return GUEST
    now = utcnow()
    rows = await fetch_rows(session, _SESSION_LOOKUP, {"token_hash": hash_secret(raw), "now": now})
    if not rows:
        return GUEST
    login = rows[0]
    if now - login.last_seen_at > TOUCH_EVERY:
        await session.execute(
            update(LoginSession).where(LoginSession.id == login.id).values(last_seen_at=now)
        )
    return Viewer(
        member_id=login.member_id, handle=login.handle, role=login.role, session_id=login.id
    )


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


async def require_member(viewer: ViewerDep) -> Viewer:
    if viewer.is_anonymous:
        raise LoginRequired("Log in to do that.")
    return viewer


MemberDep = Annotated[Viewer, Depends(require_member)]
