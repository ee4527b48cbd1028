"""Deleting one's own account, as anonymisation: the posts stay so threads keep making sense,
but nothing ties them to the person any more.

The member row stays (posts reference it, ON DELETE RESTRICT) under the handle
`former.member.<id>`; what identified or served the person goes: handle, email, password,
sessions, tokens, notices and board-moderator roles. Wisdom quotes from their posts are
credited to "a former member" unless they chose to keep their handle on them.
"""

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.handles import handle_key, handle_skeleton
from forum.accounts.models import Member, Role
from forum.accounts.passwords import verify_password
from forum.auth.models import ApiToken, LoginSession
from forum.auth.viewer import Viewer
from forum.moderation.audit import record
from forum.moderation.models import BoardModerator, PostRevision
from forum.notifications.models import Notification
from forum.ratelimits.limits import hit, login_per_handle
from forum.threads.models import Post
from forum.wisdom.models import Wisdom
from forum.wisdom.queries import FORMER_MEMBER

# Not an argon2 hash, so verify_password() can never accept any password for it.
UNUSABLE_HASH = "!deleted"
ONLY_ADMINISTRATOR = (
    "You are the forum's only administrator, so your account can't be deleted yet. "
    "Make another member an administrator first."
)
NOT_CONFIRMED = "That isn't your password. Type it again to confirm it's you."


def former_handle(member_id: int) -> str:
    """The anonymous handle; valid under the handle rules, and reserved for this use."""
    return f"former.member.{member_id}"


async def other_administrators(session: AsyncSession, member_id: int, *, lock: bool = False) -> int:
    """How many administrators there are besides this member.

    Deleting locks their rows (FOR NO KEY UPDATE), so two administrators deleting their
    accounts at once can't both count the other and leave the forum with none.
    """
    others = select(Member.id).where(Member.role == Role.ADMIN, Member.id != member_id)
    if lock:
        others = others.with_for_update(key_share=True)
    return len((await session.scalars(others)).all())


async def confirm_password(session: AsyncSession, member: Member, password: str) -> bool:
    """Count the attempt toward the handle's login limit (RateLimited past it), then check it.

    Counted like a login so that this form can't be used to guess a password either.
    """
    await hit(session, login_per_handle(), handle_key(member.handle))
    return verify_password(member.password_hash, password)


async def set_wisdom_keeps_handle(session: AsyncSession, member_id: int, keep: bool) -> None:
    await session.execute(
        update(Member).where(Member.id == member_id).values(wisdom_keeps_handle=keep)
    )


async def delete_account(
    session: AsyncSession, member: Member, *, keep_handle_on_wisdom: bool
) -> None:
    """Anonymise the member in place. Caller has confirmed the password and checked
    can_delete_own_account(); nothing is committed here."""
    assert member.id is not None
    old_handle = member.handle
    new_handle = former_handle(member.id)

    # "Proposed by" sits beside the attribution on a quote's page, so the handle must go
    # there too, except on their own quotes when they keep their handle on those anyway.
    proposed = update(Wisdom).where(Wisdom.proposed_by_id == member.id)
    if keep_handle_on_wisdom:
        proposed = proposed.where(or_(Wisdom.author_id.is_(None), Wisdom.author_id != member.id))
    await session.execute(proposed.values(proposed_by_name=FORMER_MEMBER))
    await session.execute(
        update(Wisdom)
        .where(Wisdom.author_id == member.id)
        .values(author_id=None, author_name=old_handle if keep_handle_on_wisdom else "")
    )
    # Their own edits to their own posts would still name them in the posts' history. Edits
    # they made to others' posts as a moderator keep the name: that is the moderation record.
    own_posts = select(Post.id).where(Post.author_id == member.id)
    await session.execute(
        update(PostRevision)
        .where(PostRevision.editor_id == member.id, PostRevision.post_id.in_(own_posts))
        .values(editor_name=new_handle)
    )

    for table in (LoginSession, ApiToken, Notification, BoardModerator):
        await session.execute(delete(table).where(table.member_id == member.id))  # type: ignore[attr-defined]

    member.handle = new_handle
    member.handle_key = handle_key(new_handle)
    member.handle_skeleton = handle_skeleton(new_handle)
    member.email = None
    member.password_hash = UNUSABLE_HASH
    member.role = Role.MEMBER
    member.wisdom_keeps_handle = keep_handle_on_wisdom
    # Sanctions stay as they are, matching the sanctions table: a ban remains a ban.
    await session.flush()

    # Recorded under the new handle only: the old one would tie the log to the person.
    await record(
        session,
        Viewer.of(member),
        "member.delete",
        target_kind="member",
        target_id=member.id,
        target_label=new_handle,
        kept_handle_on_wisdom=keep_handle_on_wisdom,
    )
