"""Who is asking: a guest, or a member by session cookie or API token."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Row, bindparam, case, func, or_, select, update

from forum.accounts.models import Member, Role
from forum.auth.models import ApiToken, LoginSession
from forum.core.errors import LoginRequired
from forum.core.security import hash_secret
from forum.core.time import utcnow
from forum.db import SessionDep, fetch_rows
from forum.moderation.models import BoardModerator, QueueItem
from forum.notifications.models import Notification

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
    # Boards this member moderates without being a global moderator.
    moderated_boards: frozenset[int] = frozenset()
    silenced_until: datetime | None = None
    post_count: int = 0
    joined_at: datetime | None = None
    unread_notifications: int = 0
    open_reviews: int = 0
    join_requests: int = 0  # people waiting for a moderator to let them in (staff only)

    @classmethod
    def of(cls, member: Member, **details: object) -> "Viewer":
        """A viewer for a loaded member (scripts and tests); requests use the lookups below."""
        return cls(
            member_id=member.id,
            handle=member.handle,
            role=member.role,
            silenced_until=member.silenced_until,
            post_count=member.post_count,
            joined_at=member.created_at,
            **details,  # type: ignore[arg-type]
        )

    @property
    def is_anonymous(self) -> bool:
        return self.member_id is None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > utcnow()


GUEST = Viewer()


async def get_viewer(request: Request, session: SessionDep) -> Viewer:
    now = utcnow()
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        params = {"token_hash": hash_secret(authorization[7:].strip()), "now": now}
        rows = await fetch_rows(session, _TOKEN_LOOKUP, params)
        if not rows:
            raise LoginRequired(
                "That API token is not valid, or its member may not log in just now; "
                "create a new token on your account page."
            )
        token = rows[0]
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            await session.execute(
                update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
            )
        viewer = _viewer(token, via_token=True)
    else:
        viewer = await _viewer_from_cookie(request, session)
    request.state.viewer = viewer
    return viewer


_WAITING = Member.__table__.alias("waiting")  # type: ignore[attr-defined]

# Every member's page view starts here, so it is one prepared statement returning plain values.
_MEMBER_COLUMNS = (
    Member.id.label("member_id"),
    Member.handle,
    Member.role,
    Member.silenced_until,
    Member.post_count,
    Member.created_at,
    func.array(
        select(BoardModerator.board_id)
        .where(BoardModerator.member_id == Member.id)
        .scalar_subquery()
    ).label("moderated_boards"),
    select(func.count())
    .where(Notification.member_id == Member.id, Notification.read_at.is_(None))
    .scalar_subquery()
    .label("unread"),
    # The count beside "Review" in moderators' navigation; plain members find no boards.
    case(
        (
            Member.role.in_((Role.MODERATOR, Role.ADMIN)),
            select(func.count()).where(QueueItem.is_open).scalar_subquery(),
        ),
        else_=select(func.count())
        .where(
            QueueItem.is_open,
            # Correlated by hand: nested two levels down, it would otherwise join every member.
            QueueItem.board_id.in_(
                select(BoardModerator.board_id)
                .where(BoardModerator.member_id == Member.id)
                .correlate(Member)
            ),
        )
        .scalar_subquery(),
    ).label("open_reviews"),
    # People waiting to join, counted for global staff only (a partial index holds them).
    case(
        (
            Member.role.in_((Role.MODERATOR, Role.ADMIN)),
            # An alias: the members table itself would be correlated with the viewer's row.
            select(func.count()).where(_WAITING.c.awaiting_approval).scalar_subquery(),
        ),
        else_=0,
    ).label("join_requests"),
)
# Suspended and banned members are turned away by every session and token they still hold,
# and so are members whose request to join still waits for a moderator.
_MAY_LOG_IN = (
    Member.is_banned.is_(False),
    Member.awaiting_approval.is_(False),
    or_(Member.suspended_until.is_(None), Member.suspended_until <= bindparam("now")),
)
_SESSION_LOOKUP = (
    select(LoginSession.id, LoginSession.last_seen_at, *_MEMBER_COLUMNS)
    .join(Member, LoginSession.member_id == Member.id)
    .where(
        LoginSession.token_hash == bindparam("token_hash"),
        LoginSession.expires_at > bindparam("now"),
        *_MAY_LOG_IN,
    )
)
_TOKEN_LOOKUP = (
    select(ApiToken.id, ApiToken.last_used_at, *_MEMBER_COLUMNS)
    .join(Member, ApiToken.member_id == Member.id)
    .where(ApiToken.token_hash == bindparam("token_hash"), *_MAY_LOG_IN)
)


def _viewer(row: Row, **details: object) -> Viewer:
    return Viewer(
        member_id=row.member_id,
        handle=row.handle,
        role=row.role,
        moderated_boards=frozenset(row.moderated_boards),
        silenced_until=row.silenced_until,
        post_count=row.post_count,
        joined_at=row.created_at,
        unread_notifications=row.unread,
        open_reviews=row.open_reviews,
        join_requests=row.join_requests,
        **details,  # type: ignore[arg-type]
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
    return _viewer(login, session_id=login.id)


ViewerDep = Annotated[Viewer, Depends(get_viewer)]


async def require_member(viewer: ViewerDep) -> Viewer:
    if viewer.is_anonymous:
        raise LoginRequired("Log in to do that.")
    return viewer


MemberDep = Annotated[Viewer, Depends(require_member)]
