"""The JSON API for member administration, the audit log, watched words and trust rules.

The same policies and helpers as the pages (forum.admin.views), so both refuse alike.
"""

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member
from forum.admin.actions import add_watched_word, remove_watched_word
from forum.admin.forms import (
    AuditFilters,
    BoardsChange,
    Lift,
    RoleChange,
    SanctionCreate,
    WatchedWordCreate,
)
from forum.admin.queries import (
    access_sanction,
    access_watched_word,
    audit_page,
    boards_moderated_by,
    member_sanctions,
    watched_word_rows,
)
from forum.admin.trust import TrustRules, load_rules, save_rules
from forum.admin.views import (
    ONLY_ADMINS,
    ONLY_MODERATORS,
    access_admin_member,
    change_boards,
    change_role,
    give_sanction,
    lift,
)
from forum.auth.policies import can_administer, can_see_audit_log, can_see_member_admin
from forum.auth.viewer import MemberDep, Viewer
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure
from forum.core.forms import validate_form
from forum.db import SessionDep

router = APIRouter(prefix="/api/v1", tags=["admin"], dependencies=[Depends(verify_csrf)])


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class SanctionOut(Out):
    id: int
    kind: str
    reason: str
    ends_at: datetime | None
    created_by_name: str
    created_at: datetime
    lifted_at: datetime | None
    lifted_by_name: str


class MemberModerationOut(BaseModel):
    handle: str
    role: str
    created_at: datetime
    post_count: int
    silenced_until: datetime | None
    suspended_until: datetime | None
    is_banned: bool
    # Slugs of the boards the member moderates (beyond any global role).
    boards: list[str]
    sanctions: list[SanctionOut]


class AuditEntryOut(BaseModel):
    id: int
    created_at: datetime
    actor: str
    action: str
    target_kind: str
    target_id: int | None
    target_label: str
    board: str | None
    reason: str
    details: dict[str, Any]


class AuditPageOut(BaseModel):
    entries: list[AuditEntryOut]
    # Pass as ?before= for the next, older page; null on the last page.
    next_before: int | None


class WatchedWordOut(Out):
    id: int
    phrase: str
    action: str
    created_by_name: str
    created_at: datetime


async def _moderation(session: AsyncSession, member: Member) -> MemberModerationOut:
    assert member.id is not None
    boards = (await session.scalars(boards_moderated_by(member.id))).all()
    sanctions = (await session.scalars(member_sanctions(member.id))).all()
    return MemberModerationOut(
        handle=member.handle,
        role=member.role,
        created_at=member.created_at,
        post_count=member.post_count,
        silenced_until=member.silenced_until,
        suspended_until=member.suspended_until,
        is_banned=member.is_banned,
        boards=[b.slug for b in boards],
        sanctions=[SanctionOut.model_validate(s) for s in sanctions],
    )


@router.get("/members/{handle}/moderation", response_model=MemberModerationOut)
async def member_moderation(
    handle: str, session: SessionDep, viewer: MemberDep
) -> MemberModerationOut:
    """A member's role, sanctions (in force and past) and the boards they moderate."""
    member = await access_admin_member(session, viewer, handle)
    return await _moderation(session, member)


@router.put("/members/{handle}/role", response_model=MemberModerationOut)
async def put_role(
    handle: str, data: RoleChange, session: SessionDep, viewer: MemberDep
) -> MemberModerationOut:
    """Moderators grant and take back senior status; administrators give any role."""
    member = await access_admin_member(session, viewer, handle)
    await change_role(session, viewer, member, data)
    return await _moderation(session, member)


@router.put("/members/{handle}/boards", response_model=MemberModerationOut)
async def put_boards(
    handle: str, data: BoardsChange, session: SessionDep, viewer: MemberDep
) -> MemberModerationOut:
    """Administrators: the member moderates exactly these boards afterwards (by slug)."""
    member = await access_admin_member(session, viewer, handle)
    await change_boards(session, viewer, member, data)
    return await _moderation(session, member)


@router.post("/members/{handle}/sanctions", response_model=SanctionOut, status_code=201)
async def post_sanction(
    handle: str, data: SanctionCreate, session: SessionDep, viewer: MemberDep
) -> SanctionOut:
    """Warn, silence, suspend or ban. Board moderators name one of their boards in `board`."""
    member = await access_admin_member(session, viewer, handle)
    sanction = await give_sanction(session, viewer, member, data)
    return SanctionOut.model_validate(sanction)


@router.post("/sanctions/{sanction_id}/lift", response_model=SanctionOut)
async def post_lift(
    sanction_id: int, data: Lift, session: SessionDep, viewer: MemberDep
) -> SanctionOut:
    """Lift a sanction; the record stays, marked lifted. Lifting twice changes nothing."""
    ensure(can_see_member_admin(viewer), ONLY_MODERATORS)
    sanction = await access_sanction(session, sanction_id)
    member = await session.get_one(Member, sanction.member_id)
    await lift(session, viewer, member, sanction, data)
    return SanctionOut.model_validate(sanction)


@router.get("/audit", response_model=AuditPageOut)
async def audit(request: Request, session: SessionDep, viewer: MemberDep) -> AuditPageOut:
    """50 entries a page, newest first. Filters: actor, action, target_kind, board, from, to
    (YYYY-MM-DD), and before=<id> for the next page."""
    ensure(can_see_audit_log(viewer), "Only moderators can read the audit log.")
    params = request.query_params
    values = {
        "actor": params.get("actor", ""),
        "action": params.get("action", ""),
        "target_kind": params.get("target_kind", ""),
        "board": params.get("board", ""),
        "since": params.get("from", ""),
        "until": params.get("to", ""),
        "before": params.get("before", ""),
    }
    filters, errors = validate_form(AuditFilters, values)
    if filters is None:
        raise FieldErrors(
            {{"since": "from", "until": "to"}.get(k, k): v for k, v in errors.items()}
        )
    rows, next_before = await audit_page(session, viewer, filters)
    return AuditPageOut(
        entries=[_entry(row) for row in rows],
        next_before=next_before,
    )


def _entry(row: Any) -> AuditEntryOut:
    e = row.AuditEntry
    return AuditEntryOut(
        id=e.id,
        created_at=e.created_at,
        actor=e.actor_name,
        action=e.action,
        target_kind=e.target_kind,
        target_id=e.target_id,
        target_label=e.target_label,
        board=row.board_slug,
        reason=e.reason,
        details=e.details,
    )


def _administer(viewer: Viewer) -> None:
    ensure(can_administer(viewer), ONLY_ADMINS)


@router.get("/watched-words", response_model=list[WatchedWordOut])
async def list_watched_words(session: SessionDep, viewer: MemberDep) -> list[WatchedWordOut]:
    _administer(viewer)
    return [WatchedWordOut.model_validate(w) for w in await session.scalars(watched_word_rows())]


@router.post("/watched-words", response_model=WatchedWordOut, status_code=201)
async def post_watched_word(
    data: WatchedWordCreate, session: SessionDep, viewer: MemberDep
) -> WatchedWordOut:
    """Add a phrase (block, hold or flag); 422 naming `phrase` if the list has it already."""
    _administer(viewer)
    return WatchedWordOut.model_validate(await add_watched_word(session, viewer, data))


@router.delete("/watched-words/{word_id}", status_code=204)
async def delete_watched_word(word_id: int, session: SessionDep, viewer: MemberDep) -> Response:
    _administer(viewer)
    await remove_watched_word(session, viewer, await access_watched_word(session, word_id))
    return Response(status_code=204)


@router.get("/trust-rules", response_model=TrustRules)
async def get_trust_rules(session: SessionDep, viewer: MemberDep) -> TrustRules:
    _administer(viewer)
    return await load_rules(session)


@router.put("/trust-rules", response_model=TrustRules)
async def put_trust_rules(data: TrustRules, session: SessionDep, viewer: MemberDep) -> TrustRules:
    """Replace the rules; fields left out take their defaults."""
    _administer(viewer)
    await save_rules(session, viewer, data)
    return await load_rules(session)
