"""Trust rules: long-standing members in good standing become senior members by themselves.

The rules live in site_settings under "trust". A member qualifies once they have been here
`member_days`, have `min_posts` published posts, and have had no sanction in the last
`clean_days` that was not lifted (and none in force now). Moderators can take senior status
back; the rules never give it again to someone it was taken from.
"""

import logging
from datetime import datetime, timedelta

from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator
from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member, Role
from forum.auth.viewer import Viewer
from forum.core.time import utcnow
from forum.moderation.actions import set_role
from forum.moderation.audit import SYSTEM, record
from forum.moderation.models import AuditEntry, Sanction, SiteSetting

log = logging.getLogger("forum")

KEY = "trust"
REASON = "Trust rules"


_LIMITS = {"member_days": 3650, "min_posts": 1_000_000, "clean_days": 3650}


class TrustRules(BaseModel):
    enabled: bool = True
    member_days: int = Field(180, ge=0, le=_LIMITS["member_days"])
    min_posts: int = Field(100, ge=0, le=_LIMITS["min_posts"])
    clean_days: int = Field(90, ge=0, le=_LIMITS["clean_days"])

    @field_validator("member_days", "min_posts", "clean_days", mode="before")
    @classmethod
    def _whole_number(cls, value: object, info: ValidationInfo) -> object:
        limit = _LIMITS[info.field_name or ""]
        if isinstance(value, str):
            value = int(value.strip()) if value.strip().isdigit() else -1
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            raise ValueError(f"Write a whole number from 0 to {limit:,}.")
        return value


async def load_rules(session: AsyncSession) -> TrustRules:
    """The stored rules, or the defaults for anything never saved."""
    # A column read, not session.get(): the identity map would keep a value saved since.
    value = (
        await session.execute(select(SiteSetting.value).where(SiteSetting.key == KEY))
    ).scalar_one_or_none()
    if value is None:
        return TrustRules()
    try:
        return TrustRules.model_validate(value)
    except ValidationError:
        # A hand-edited row must not stop members logging in: fall back and say so.
        log.warning("site_settings.trust is not valid; using the default trust rules")
        return TrustRules()


async def save_rules(session: AsyncSession, actor: Viewer, rules: TrustRules) -> None:
    """Caller checked can_administer(). Audited with the rules before and after."""
    before = await load_rules(session)
    if before == rules:
        return
    value = rules.model_dump()
    statement = insert(SiteSetting).values(key=KEY, value=value)
    await session.execute(
        statement.on_conflict_do_update(index_elements=[SiteSetting.key], set_={"value": value})
    )
    await record(
        session,
        actor,
        "trust.rules",
        target_kind="site",
        target_id=None,
        target_label="Trust rules",
        before=before.model_dump(),
        after=value,
    )


def qualifies(rules: TrustRules, now: datetime) -> ColumnElement[bool]:
    """The SQL condition a member row meets when the rules would make them senior now."""
    recent_sanction = exists().where(
        Sanction.member_id == Member.id,
        Sanction.lifted_at.is_(None),
        Sanction.created_at > now - timedelta(days=rules.clean_days),
    )
    # A moderator took senior status back: that decision stands over the rules.
    taken_back = exists().where(
        AuditEntry.target_kind == "member",
        AuditEntry.target_id == Member.id,
        AuditEntry.action == "member.role",
        AuditEntry.details["before"].as_string() == Role.SENIOR.value,
    )
    return and_(
        Member.role == Role.MEMBER,
        Member.created_at <= now - timedelta(days=rules.member_days),
        Member.post_count >= rules.min_posts,
        Member.is_banned.is_(False),
        or_(Member.silenced_until.is_(None), Member.silenced_until <= now),
        or_(Member.suspended_until.is_(None), Member.suspended_until <= now),
        ~recent_sanction,
        ~taken_back,
    )


async def qualifying_count(session: AsyncSession, rules: TrustRules) -> int:
    """How many plain members "Apply now" would promote."""
    statement = select(func.count()).select_from(Member).where(qualifies(rules, utcnow()))
    return (await session.execute(statement)).scalar_one()


async def _promote(session: AsyncSession, condition: ColumnElement[bool]) -> list[Member]:
    rules = await load_rules(session)
    if not rules.enabled:
        return []
    # Locked in id order, and re-checked under the lock: a member logging in twice at once
    # is promoted (and audited) once.
    members = (
        await session.scalars(
            select(Member)
            .where(condition, qualifies(rules, utcnow()))
            .order_by(Member.id)
            .with_for_update(key_share=True)
        )
    ).all()
    for member in members:
        await set_role(session, SYSTEM, member, Role.SENIOR, REASON)
    return list(members)


async def apply_trust_rules(session: AsyncSession, member_id: int) -> bool:
    """Make one plain member senior if the rules say so; True if they were promoted."""
    return bool(await _promote(session, Member.id == member_id))


async def promote_all_qualifying(session: AsyncSession) -> list[str]:
    """Caller checked can_administer(). The handles of everyone promoted, in id order."""
    return [member.handle for member in await _promote(session, true())]
