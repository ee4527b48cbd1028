"""Member administration, the audit log, watched words and trust rules.

Boards and categories are run from their own package (forum/boards/admin_views.py).

The helpers below the member pages (give_sanction, change_role, ...) pair each policy check
with its action, so the pages and the API refuse and act in exactly the same way.
"""

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.models import Member, Role
from forum.accounts.queries import access_member
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
    all_boards,
    audit_about,
    audit_choices,
    audit_page,
    board_ids_for,
    boards_moderated_by,
    filter_boards,
    member_posts,
    member_sanctions,
    member_search,
    reports_received,
    watched_word_rows,
)
from forum.admin.trust import (
    TrustRules,
    load_rules,
    promote_all_qualifying,
    qualifying_count,
    save_rules,
)
from forum.auth.policies import (
    can_administer,
    can_ban,
    can_lift_sanction,
    can_see_audit_log,
    can_see_member_admin,
    can_set_role,
    can_silence,
    can_suspend,
    can_warn,
    is_staff,
)
from forum.auth.viewer import MemberDep, Viewer
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure, not_found
from forum.core.forms import validate_form
from forum.core.templating import render
from forum.db import SessionDep, fetch_rows
from forum.moderation.actions import apply_sanction, lift_sanction, set_board_moderators, set_role
from forum.moderation.models import REASON_LABELS, Sanction, SanctionKind
from forum.moderation.screening import watched_words
from forum.moderation.watched import check_text

router = APIRouter(dependencies=[Depends(verify_csrf)])

ONLY_MODERATORS = "Only moderators can see member administration."
ONLY_ADMINS = "Only administrators can change this."
DONE = {
    "role": "Role changed.",
    "boards": "Boards saved.",
    "sanction": "Sanction given. The member has been told, with your reason.",
    "lift": "Sanction lifted.",
    "added": "Phrase added. New posts are checked against it from now on.",
    "removed": "Phrase removed.",
    "saved": "Saved.",
}


def member_url(member: Member) -> str:
    return f"/review/members/{quote(member.handle)}"


# Who may do what to a member: the policies, asked for each choice a page offers.


def may_give(viewer: Viewer, member: Member, kind: SanctionKind, board_id: int | None) -> bool:
    if kind == SanctionKind.WARN:
        return can_warn(viewer, member, board_id)
    if kind == SanctionKind.SILENCE:
        return can_silence(viewer, member, board_id)
    if kind == SanctionKind.SUSPEND:
        return can_suspend(viewer, member)
    return can_ban(viewer, member)


def sanction_kinds(viewer: Viewer, member: Member) -> list[SanctionKind]:
    """Kinds the viewer may give the member somewhere: anywhere, or in a board they moderate."""
    places = [None, *sorted(viewer.moderated_boards)]
    return [k for k in SanctionKind if any(may_give(viewer, member, k, b) for b in places)]


def role_choices(viewer: Viewer, member: Member) -> list[Role]:
    return [role for role in Role if role != member.role and can_set_role(viewer, member, role)]


def _no_sanctions(viewer: Viewer, member: Member) -> str:
    if member.id == viewer.member_id:
        return "You can't sanction yourself."
    return "You can't sanction a member whose role is the same as yours or above it."


def _sanction_refusal(viewer: Viewer, member: Member, kind: str, board_id: int | None) -> str:
    """Why this kind, in this board, is refused to a viewer who may sanction the member somehow."""
    if kind in (SanctionKind.SUSPEND, SanctionKind.BAN) and not is_staff(viewer):
        return (
            "Only moderators can suspend or ban members; "
            "you can warn or silence them over posts in the boards you moderate."
        )
    if not is_staff(viewer) and board_id not in viewer.moderated_boards:
        return "Choose one of the boards you moderate: your warnings and silences belong to them."
    return "You can't sanction a member whose role is the same as yours or above it."


def _role_refusal(viewer: Viewer, member: Member) -> str:
    if member.id == viewer.member_id:
        return "Nobody can change their own role; ask another administrator."
    return "Moderators can grant and take back senior status; only administrators give other roles."


async def access_admin_member(session: AsyncSession, viewer: Viewer, handle: str) -> Member:
    ensure(can_see_member_admin(viewer), ONLY_MODERATORS)
    return await access_member(session, handle)


async def give_sanction(
    session: AsyncSession, viewer: Viewer, member: Member, form: SanctionCreate
) -> Sanction:
    """Raises FieldErrors naming `board` for an unknown board."""
    ensure(bool(sanction_kinds(viewer, member)), _no_sanctions(viewer, member))
    board_id = None
    if form.board:
        (board_id,) = await board_ids_for(session, [form.board], "board")
    refusal = _sanction_refusal(viewer, member, form.kind, board_id)
    ensure(may_give(viewer, member, form.kind, board_id), refusal)
    return await apply_sanction(
        session, viewer, member, form.kind, form.reason, days=form.days, board_id=board_id
    )


async def lift(
    session: AsyncSession, viewer: Viewer, member: Member, sanction: Sanction, form: Lift
) -> None:
    """Lifting twice changes nothing the second time."""
    ensure(
        can_lift_sanction(viewer, member, sanction),
        "You can lift sanctions you gave; a moderator can lift the others.",
    )
    if sanction.lifted_at is None:
        await lift_sanction(session, viewer, sanction, form.reason)


async def change_role(
    session: AsyncSession, viewer: Viewer, member: Member, form: RoleChange
) -> None:
    ensure(can_set_role(viewer, member, form.role), _role_refusal(viewer, member))
    await set_role(session, viewer, member, form.role, form.reason)


async def change_boards(
    session: AsyncSession, viewer: Viewer, member: Member, form: BoardsChange
) -> None:
    """Raises FieldErrors naming `boards` for an unknown board."""
    ensure(can_administer(viewer), "Only administrators choose board moderators.")
    board_ids = await board_ids_for(session, form.boards, "boards")
    await set_board_moderators(session, viewer, member, board_ids, form.reason)


# Member search and the member's page


@router.get("/review/members", name="admin.members")
async def members_page(
    request: Request, session: SessionDep, viewer: MemberDep, q: str = ""
) -> Response:
    ensure(can_see_member_admin(viewer), ONLY_MODERATORS)
    q = q.strip()[:60]
    members = (await session.scalars(member_search(q))).all()
    return render(request, "admin/members.html", {"members": members, "q": q})


async def _member_page(
    request: Request,
    session: AsyncSession,
    viewer: Viewer,
    member: Member,
    *,
    done: str = "",
    failed: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    assert member.id is not None
    sanctions = (await session.scalars(member_sanctions(member.id))).all()
    reports = (await session.execute(reports_received(viewer, member.id))).all()
    context = {
        "member": member,
        "moderated": (await session.scalars(boards_moderated_by(member.id))).all(),
        "sanctions": sanctions,
        "liftable": {
            s.id for s in sanctions if s.lifted_at is None and can_lift_sanction(viewer, member, s)
        },
        "posts": await fetch_rows(session, member_posts(viewer, member.id)),
        "reports": [(REASON_LABELS.get(reason, reason), count) for reason, count in reports],
        "audit": (await session.execute(audit_about(viewer, "member", member.id))).all(),
        "role_choices": role_choices(viewer, member),
        "sanction_kinds": sanction_kinds(viewer, member),
        "sanction_boards": (await session.scalars(filter_boards(viewer))).all(),
        "board_required": not is_staff(viewer),
        "all_boards": (await session.scalars(all_boards())).all() if can_administer(viewer) else [],
        "done": DONE.get(done, ""),
        "failed": failed,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "admin/member.html", context, status_code=422 if errors else 200)


@router.get("/review/members/{handle}", name="admin.member")
async def member_page(
    request: Request, handle: str, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    member = await access_admin_member(session, viewer, handle)
    return await _member_page(request, session, viewer, member, done=done)


@router.post("/review/members/{handle}/role")
async def role_form(
    request: Request,
    handle: str,
    session: SessionDep,
    viewer: MemberDep,
    role: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    member = await access_admin_member(session, viewer, handle)
    ensure(bool(role_choices(viewer, member)), _role_refusal(viewer, member))
    values = {"role": role, "reason": reason}
    form, errors = validate_form(RoleChange, values)
    if form is None:
        return await _member_page(
            request, session, viewer, member, failed="role", values=values, errors=errors
        )
    await change_role(session, viewer, member, form)
    return RedirectResponse(f"{member_url(member)}?done=role", status_code=303)


@router.post("/review/members/{handle}/boards")
async def boards_form(
    request: Request,
    handle: str,
    session: SessionDep,
    viewer: MemberDep,
    boards: Annotated[list[str] | None, Form()] = None,
    reason: Annotated[str, Form()] = "",
) -> Response:
    member = await access_admin_member(session, viewer, handle)
    ensure(can_administer(viewer), "Only administrators choose board moderators.")
    values = {"boards": boards or [], "reason": reason}
    form, errors = validate_form(BoardsChange, values)
    if form is not None:
        try:
            await change_boards(session, viewer, member, form)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse(f"{member_url(member)}?done=boards", status_code=303)
    return await _member_page(
        request, session, viewer, member, failed="boards", values=values, errors=errors
    )


@router.post("/review/members/{handle}/sanctions")
async def sanction_form(
    request: Request,
    handle: str,
    session: SessionDep,
    viewer: MemberDep,
    kind: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
    board: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    member = await access_admin_member(session, viewer, handle)
    ensure(bool(sanction_kinds(viewer, member)), _no_sanctions(viewer, member))
    values = {"kind": kind, "days": days, "board": board, "reason": reason}
    form, errors = validate_form(SanctionCreate, values)
    if form is not None:
        try:
            await give_sanction(session, viewer, member, form)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse(f"{member_url(member)}?done=sanction", status_code=303)
    return await _member_page(
        request, session, viewer, member, failed="sanction", values=values, errors=errors
    )


@router.post("/review/members/{handle}/sanctions/{sanction_id}/lift")
async def lift_form(
    request: Request,
    handle: str,
    sanction_id: int,
    session: SessionDep,
    viewer: MemberDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    member = await access_admin_member(session, viewer, handle)
    sanction = await access_sanction(session, sanction_id)
    if sanction.member_id != member.id:
        not_found("sanction")
    values = {"reason": reason, "sanction": sanction_id}
    form, errors = validate_form(Lift, values)
    if form is None:
        return await _member_page(
            request,
            session,
            viewer,
            member,
            failed=f"lift-{sanction_id}",
            values=values,
            errors=errors,
        )
    await lift(session, viewer, member, sanction, form)
    return RedirectResponse(f"{member_url(member)}?done=lift", status_code=303)


# The audit log


def _audit_url(filters: AuditFilters, before: int | None) -> str:
    query = urlencode(filters.query(before=before))
    return f"/review/audit?{query}" if query else "/review/audit"


@router.get("/review/audit", name="admin.audit")
async def audit_log(request: Request, session: SessionDep, viewer: MemberDep) -> Response:
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
    rows, next_before = [], None
    if filters is not None:
        try:
            rows, next_before = await audit_page(session, viewer, filters)
        except FieldErrors as problem:
            errors = problem.fields
    actions, kinds = await audit_choices(session)
    context = {
        "entries": rows,
        "values": values,
        "errors": errors,
        "actions": actions,
        "kinds": kinds,
        "boards": (await session.scalars(filter_boards(viewer))).all(),
        "staff": is_staff(viewer),
        "next_url": _audit_url(filters, next_before) if filters and next_before else "",
        "newest_url": _audit_url(filters, None) if filters and filters.before else "",
    }
    return render(request, "admin/audit.html", context, status_code=422 if errors else 200)


# Watched words


async def _watched_page(
    request: Request,
    session: AsyncSession,
    *,
    done: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    trial: dict[str, Any] | None = None,
) -> Response:
    context = {
        "words": (await session.scalars(watched_word_rows())).all(),
        "done": DONE.get(done, ""),
        "values": values or {},
        "errors": errors or {},
        "trial": trial,
    }
    return render(request, "admin/watched_words.html", context, status_code=422 if errors else 200)


@router.get("/admin/watched-words", name="admin.watched_words")
async def watched_words_page(
    request: Request, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    ensure(can_administer(viewer), ONLY_ADMINS)
    return await _watched_page(request, session, done=done)


@router.post("/admin/watched-words")
async def add_word(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    phrase: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "",
) -> Response:
    ensure(can_administer(viewer), ONLY_ADMINS)
    values = {"phrase": phrase, "action": action}
    form, errors = validate_form(WatchedWordCreate, values)
    if form is not None:
        try:
            await add_watched_word(session, viewer, form)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse("/admin/watched-words?done=added", status_code=303)
    return await _watched_page(request, session, values=values, errors=errors)


@router.post("/admin/watched-words/{word_id}/remove")
async def remove_word(word_id: int, session: SessionDep, viewer: MemberDep) -> Response:
    ensure(can_administer(viewer), ONLY_ADMINS)
    word = await access_watched_word(session, word_id)
    await remove_watched_word(session, viewer, word)
    return RedirectResponse("/admin/watched-words?done=removed", status_code=303)


@router.post("/admin/watched-words/try")
async def try_text(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    sample: Annotated[str, Form()] = "",
) -> Response:
    """Show what the list would do to a text; nothing is stored."""
    ensure(can_administer(viewer), ONLY_ADMINS)
    verdict = check_text(await watched_words(session), sample[:5000])
    return await _watched_page(request, session, trial={"sample": sample, "verdict": verdict})


# Trust rules


async def _trust_page(
    request: Request,
    session: AsyncSession,
    *,
    done: str = "",
    promoted: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    rules = await load_rules(session)
    context = {
        "rules": rules,
        "qualifying": await qualifying_count(session, rules) if rules.enabled else 0,
        "done": DONE.get(done, ""),
        "promoted": promoted,
        "values": values or rules.model_dump(),
        "errors": errors or {},
    }
    return render(request, "admin/trust.html", context, status_code=422 if errors else 200)


@router.get("/admin/trust", name="admin.trust")
async def trust_page(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    done: str = "",
    promoted: str = "",
) -> Response:
    ensure(can_administer(viewer), ONLY_ADMINS)
    return await _trust_page(request, session, done=done, promoted=promoted[:10])


@router.post("/admin/trust")
async def save_trust(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    enabled: Annotated[str, Form()] = "",
    member_days: Annotated[str, Form()] = "",
    min_posts: Annotated[str, Form()] = "",
    clean_days: Annotated[str, Form()] = "",
) -> Response:
    ensure(can_administer(viewer), ONLY_ADMINS)
    values = {
        "enabled": bool(enabled),
        "member_days": member_days,
        "min_posts": min_posts,
        "clean_days": clean_days,
    }
    form, errors = validate_form(TrustRules, values)
    if form is None:
        return await _trust_page(request, session, values=values, errors=errors)
    await save_rules(session, viewer, form)
    return RedirectResponse("/admin/trust?done=saved", status_code=303)


@router.post("/admin/trust/apply")
async def apply_trust(session: SessionDep, viewer: MemberDep) -> Response:
    ensure(can_administer(viewer), ONLY_ADMINS)
    promoted = await promote_all_qualifying(session)
    return RedirectResponse(f"/admin/trust?promoted={len(promoted)}", status_code=303)
