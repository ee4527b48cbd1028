"""Moderators' verbs on posts and members. Callers have checked the policies; nothing commits here.

Every verb takes the acting moderator and a reason, and writes an audit row with the change.
"""

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member, Role
from forum.auth.models import ApiToken, LoginSession
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.core.time import utcnow
from forum.moderation.audit import record
from forum.moderation.models import BoardModerator, Sanction, SanctionKind
from forum.notifications.actions import notify
from forum.threads.actions import publish_post
from forum.threads.models import Post, State, Thread


def post_label(post: Post) -> str:
    return f"post #{post.position} in thread {post.thread_id}"


def post_link(post: Post) -> str:
    return f"/p/{post.id}"


# What the author reads when moderators change their post; {title} is the thread's.
TO_AUTHOR = {
    "post.hide": "A moderator hid your post in “{title}”. Reason: {reason}",
    "post.delete": "A moderator removed your post in “{title}”. Reason: {reason}",
    "post.unhide": "Your post in “{title}” can be read by everyone again.",
    "post.restore": "Your post in “{title}” is back.",
}
BY_REPORTS = "Your post in “{title}” is hidden until a moderator reviews reports about it."


async def _set_post_state(
    session: AsyncSession, actor: Viewer, post: Post, state: State, action: str, reason: str
) -> None:
    thread = await session.get_one(Thread, post.thread_id)
    before = post.state
    post.state = state
    post.state_reason = reason if state == State.HIDDEN else ""
    await session.flush()
    if actor.member_id != post.author_id:
        # Nobody should find their words gone without being told why.
        wording = BY_REPORTS if actor.is_anonymous and action == "post.hide" else TO_AUTHOR[action]
        message = wording.format(title=thread.title, reason=reason or "none given")
        await notify(session, post.author_id, message, post_link(post))
    await record(
        session,
        actor,
        action,
        target_kind="post",
        target_id=post.id,
        target_label=post_label(post),
        board_id=thread.board_id,
        reason=reason,
        before=before,
    )


async def hide_post(session: AsyncSession, actor: Viewer, post: Post, reason: str) -> None:
    """Others see the reason in the post's place; the author and moderators still see the words."""
    await _set_post_state(session, actor, post, State.HIDDEN, "post.hide", reason)


async def unhide_post(session: AsyncSession, actor: Viewer, post: Post, reason: str = "") -> None:
    await _set_post_state(session, actor, post, State.VISIBLE, "post.unhide", reason)


async def delete_post(session: AsyncSession, actor: Viewer, post: Post, reason: str) -> None:
    """Soft delete: members no longer see it, moderators can restore it."""
    await _set_post_state(session, actor, post, State.DELETED, "post.delete", reason)


async def restore_post(session: AsyncSession, actor: Viewer, post: Post, reason: str = "") -> None:
    await _set_post_state(session, actor, post, State.VISIBLE, "post.restore", reason)


async def approve_post(session: AsyncSession, actor: Viewer, post: Post, reason: str = "") -> None:
    """Caller checked the post is pending."""
    thread = await session.get_one(Thread, post.thread_id)
    await publish_post(session, post)
    await record(
        session,
        actor,
        "post.approve",
        target_kind="post",
        target_id=post.id,
        target_label=post_label(post),
        board_id=thread.board_id,
        reason=reason,
    )
    await notify(
        session, post.author_id, f"Your post in “{thread.title}” is now up.", post_link(post)
    )


async def unapprove_post(
    session: AsyncSession, actor: Viewer, post: Post, reason: str = ""
) -> None:
    """Undo an approval: the post waits again, and the counts it added come off."""
    thread = await session.get_one(Thread, post.thread_id)
    post.state = State.PENDING
    if post.position == 1 and thread.state == State.VISIBLE:
        thread.state = State.PENDING
        await session.execute(
            update(Board)
            .where(Board.id == thread.board_id)
            .values(thread_count=Board.thread_count - 1)
        )
    await session.execute(
        update(Board).where(Board.id == thread.board_id).values(post_count=Board.post_count - 1)
    )
    await session.execute(
        update(Member).where(Member.id == post.author_id).values(post_count=Member.post_count - 1)
    )
    await session.flush()
    await record(
        session,
        actor,
        "post.unapprove",
        target_kind="post",
        target_id=post.id,
        target_label=post_label(post),
        board_id=thread.board_id,
        reason=reason,
    )


# Sanctions

SANCTION_WORDS = {
    SanctionKind.WARN: "a warning",
    SanctionKind.SILENCE: "a silence (you can read but not post)",
    SanctionKind.SUSPEND: "a suspension (you can't log in)",
    SanctionKind.BAN: "a ban",
}


async def apply_sanction(
    session: AsyncSession,
    actor: Viewer,
    member: Member,
    kind: SanctionKind,
    reason: str,
    *,
    days: int | None = None,
    post_id: int | None = None,
    board_id: int | None = None,
) -> Sanction:
    """Caller checked can_warn/can_silence/can_suspend/can_ban. Suspensions end every session."""
    now = utcnow()
    ends_at = now + timedelta(days=days) if days else None
    sanction = Sanction(
        member_id=member.id,
        kind=kind,
        reason=reason,
        post_id=post_id,
        ends_at=ends_at,
        created_by_id=actor.member_id,
        created_by_name=actor.handle,
    )
    session.add(sanction)
    if kind == SanctionKind.SILENCE:
        member.silenced_until = ends_at or now + timedelta(days=36500)
    elif kind == SanctionKind.SUSPEND:
        member.suspended_until = ends_at or now + timedelta(days=36500)
    elif kind == SanctionKind.BAN:
        member.is_banned = True
    if kind in (SanctionKind.SUSPEND, SanctionKind.BAN):
        await session.execute(delete(LoginSession).where(LoginSession.member_id == member.id))
        await session.execute(delete(ApiToken).where(ApiToken.member_id == member.id))
    await session.flush()
    await record(
        session,
        actor,
        f"member.{kind}",
        target_kind="member",
        target_id=member.id,
        target_label=member.handle,
        board_id=board_id,
        reason=reason,
        days=days,
        post_id=post_id,
        sanction_id=sanction.id,
    )
    until = f" until {ends_at:%-d %B %Y}" if ends_at else ""
    await notify(
        session,
        member.id,  # type: ignore[arg-type]
        f"A moderator gave you {SANCTION_WORDS[kind]}{until}. Reason: {reason}",
        f"/p/{post_id}" if post_id else "",
    )
    return sanction


async def lift_sanction(
    session: AsyncSession, actor: Viewer, sanction: Sanction, reason: str = ""
) -> None:
    """Undo a sanction; the record stays, marked lifted. Ended sessions stay ended."""
    member = await session.get_one(Member, sanction.member_id)
    sanction.lifted_at = utcnow()
    sanction.lifted_by_name = actor.handle
    still = (
        await session.scalars(
            select(Sanction).where(
                Sanction.member_id == member.id,
                Sanction.kind == sanction.kind,
                Sanction.lifted_at.is_(None),
                Sanction.id != sanction.id,
            )
        )
    ).all()
    # Another sanction of the same kind may still be in force: keep the latest end among them.
    ends = [s.ends_at or utcnow() + timedelta(days=36500) for s in still]
    if sanction.kind == SanctionKind.SILENCE:
        member.silenced_until = max(ends, default=None)
    elif sanction.kind == SanctionKind.SUSPEND:
        member.suspended_until = max(ends, default=None)
    elif sanction.kind == SanctionKind.BAN:
        member.is_banned = bool(still)
    await session.flush()
    await record(
        session,
        actor,
        f"member.lift_{sanction.kind}",
        target_kind="member",
        target_id=member.id,
        target_label=member.handle,
        reason=reason,
        sanction_id=sanction.id,
    )


# Roles


async def set_role(
    session: AsyncSession, actor: Viewer, member: Member, role: Role, reason: str = ""
) -> None:
    """Caller checked can_set_role()."""
    before = member.role
    if before == role:
        return
    member.role = role
    await session.flush()
    await record(
        session,
        actor,
        "member.role",
        target_kind="member",
        target_id=member.id,
        target_label=member.handle,
        reason=reason,
        before=before,
        after=str(role),
    )
    if role == Role.SENIOR:
        await notify(
            session,
            member.id,  # type: ignore[arg-type]
            "You are now a senior member: your experience helps others here. Thank you.",
        )


async def set_board_moderators(
    session: AsyncSession, actor: Viewer, member: Member, board_ids: set[int], reason: str = ""
) -> None:
    """Caller checked can_administer(). Replaces the boards the member moderates."""
    current = set(
        (
            await session.scalars(
                select(BoardModerator.board_id).where(BoardModerator.member_id == member.id)
            )
        ).all()
    )
    if current == board_ids:
        return
    await session.execute(
        delete(BoardModerator).where(
            BoardModerator.member_id == member.id, BoardModerator.board_id.not_in(board_ids)
        )
    )
    for board_id in board_ids - current:
        session.add(BoardModerator(member_id=member.id, board_id=board_id))  # type: ignore[arg-type]
    await session.flush()
    await record(
        session,
        actor,
        "member.board_moderator",
        target_kind="member",
        target_id=member.id,
        target_label=member.handle,
        reason=reason,
        before=sorted(current),
        after=sorted(board_ids),
    )
