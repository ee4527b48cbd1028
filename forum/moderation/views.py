"""The review queue, reporting a post, and moderating one post in context."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from forum.auth.policies import can_report, moderates_any
from forum.auth.viewer import MemberDep, Viewer
from forum.core.csrf import verify_csrf
from forum.core.errors import ensure, not_found
from forum.core.forms import validate_form
from forum.core.markdown import excerpt
from forum.core.templating import render
from forum.db import SessionDep
from forum.moderation.models import REASON_LABELS, Report, ReportReason
from forum.moderation.queue import AT_RISK_PRIORITY
from forum.moderation.reports import (
    REASON_ORDER,
    AlreadyReported,
    ReportCreate,
    has_open_report,
    report_post,
    report_refusal,
)
from forum.moderation.review_queries import (
    Show,
    access_review_post,
    latest_report_by,
    moderated_boards,
    open_item_of,
    post_review,
    queue_counts,
    queue_entries,
    recently_resolved,
)
from forum.moderation.verdict_forms import (
    ACTION_HINTS,
    ACTION_LABELS,
    DEFAULT_DAYS,
    DONE,
    NEEDS_REASON,
    POST_ACTIONS,
    RESOLVED_AS,
    SANCTIONS,
    TO_REPORTERS,
    UNDONE,
    Action,
    ActionForm,
)
from forum.moderation.verdicts import UndoRefused, offered, refusal, take_action, undo_action
from forum.ratelimits.limits import RateLimited
from forum.threads.models import Post
from forum.threads.queries import access_post

router = APIRouter(dependencies=[Depends(verify_csrf)])

SHOWS: tuple[Show, ...] = ("all", "reported", "held")
NOT_A_MODERATOR = "Only moderators can open the review queue."


# Reporting


def _report_form(
    request: Request,
    post: Post,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    already: bool = False,
    status_code: int = 200,
) -> Response:
    context = {
        "post": post,
        "thread": post.thread,
        "excerpt": excerpt(post.html, 300),
        "reasons": [(reason, REASON_LABELS[reason]) for reason in REASON_ORDER],
        "values": values,
        "errors": errors,
        "already": already,
    }
    return render(request, "moderation/report.html", context, status_code=status_code)


@router.get("/p/{post_id}/report", name="moderation.report")
async def report_page(
    request: Request, post_id: int, session: SessionDep, viewer: MemberDep
) -> Response:
    post = await access_post(session, viewer, post_id)
    ensure(can_report(viewer, post), report_refusal(viewer, post))
    already = await has_open_report(session, post_id, viewer.member_id)  # type: ignore[arg-type]
    return _report_form(request, post, {}, {}, already=already)


@router.post("/p/{post_id}/report")
async def report(
    request: Request,
    post_id: int,
    session: SessionDep,
    viewer: MemberDep,
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    post = await access_post(session, viewer, post_id)
    ensure(can_report(viewer, post), report_refusal(viewer, post))
    values = {"reason": reason, "note": note}
    form, errors = validate_form(ReportCreate, values)
    if form is None:
        return _report_form(request, post, values, errors, status_code=422)
    try:
        await report_post(session, viewer, post, post.thread.board_id, form)
    except AlreadyReported:
        return _report_form(request, post, values, {}, already=True, status_code=409)
    except RateLimited as refused:
        # The form comes back with the member's words; nothing was saved or counted.
        errors = {"form": str(refused)}
        response = _report_form(request, post, values, errors, status_code=429)
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    return RedirectResponse(f"/p/{post_id}/reported", status_code=303)


@router.get("/p/{post_id}/reported", name="moderation.reported")
async def reported(
    request: Request, post_id: int, session: SessionDep, viewer: MemberDep
) -> Response:
    post = await access_post(session, viewer, post_id)
    mine: Report | None = (
        await session.scalars(latest_report_by(post_id, viewer.member_id))  # type: ignore[arg-type]
    ).first()
    if mine is None:
        return RedirectResponse(f"/p/{post_id}", status_code=303)
    context = {"post": post, "at_risk": mine.reason == ReportReason.AT_RISK}
    return render(request, "moderation/reported.html", context)


# The queue


@router.get("/review", name="moderation.review")
async def review_queue(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    show: str = "all",
    board: str = "",
) -> Response:
    ensure(moderates_any(viewer), NOT_A_MODERATOR)
    chosen: Show = show if show in SHOWS else "all"  # type: ignore[assignment]
    context = {
        "counts": (await session.execute(queue_counts(viewer))).one(),
        "entries": await queue_entries(session, viewer, show=chosen, board_slug=board),
        "resolved": (await session.execute(recently_resolved(viewer))).all(),
        "boards": (await session.scalars(moderated_boards(viewer))).all(),
        "show": chosen,
        "board": board,
        "resolved_as": RESOLVED_AS,
    }
    return render(request, "moderation/review.html", context)


# One post in context


def _action(name: str) -> Action:
    if name not in {str(a) for a in Action}:
        not_found("page")
    return Action(name)


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


async def _item_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    post: Post,
    *,
    failed: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
    status_code: int = 200,
) -> Response:
    review = await post_review(session, post)
    board_id = post.thread.board_id
    params = request.query_params
    done = params.get("done", "") if not failed and not problem else ""
    context = {
        "review": review,
        "post": post,
        "thread": post.thread,
        "author": post.author,
        "actions": offered(viewer, post, post.author, board_id, review.item),
        "at_risk": review.item is not None and review.item.priority >= AT_RISK_PRIORITY,
        "post_actions": POST_ACTIONS,
        "sanctions": SANCTIONS,
        "default_days": DEFAULT_DAYS,
        "reason_labels": REASON_LABELS,
        "action_labels": ACTION_LABELS,
        "action_hints": ACTION_HINTS,
        "needs_reason": NEEDS_REASON,
        "resolved_as": RESOLVED_AS,
        "done_words": DONE,
        "to_reporters": TO_REPORTERS,
        "done": done if done in {str(a) for a in Action} else "",
        "done_item": _id(params.get("item", "")),
        "done_sanction": _id(params.get("sanction", "")),
        "undone": params.get("undone", "") if not failed and not problem else "",
        "undone_words": UNDONE,
        "failed": failed,
        "values": values or {},
        "errors": errors or {},
        "problem": problem,
    }
    return render(request, "moderation/post.html", context, status_code=status_code)


@router.get("/review/p/{post_id}", name="moderation.post")
async def review_post(
    request: Request, post_id: int, session: SessionDep, viewer: MemberDep
) -> Response:
    post = await access_review_post(session, viewer, post_id)
    return await _item_page(request, session, viewer, post)


@router.post("/review/p/{post_id}/undo/{action}", name="moderation.undo")
async def undo(
    request: Request,
    post_id: int,
    action: str,
    session: SessionDep,
    viewer: MemberDep,
    item_id: Annotated[str, Form()] = "",
    sanction_id: Annotated[str, Form()] = "",
) -> Response:
    verb = _action(action)
    post = await access_review_post(session, viewer, post_id)
    if verb in SANCTIONS:
        # Lifting a sanction takes the same rank as giving it.
        why = refusal(viewer, verb, post, post.author, post.thread.board_id, None)
        ensure(why is None, why or "")
    try:
        await undo_action(
            session, viewer, post, verb, item_id=_id(item_id), sanction_id=_id(sanction_id)
        )
    except UndoRefused as refused:
        return await _item_page(
            request, session, viewer, post, problem=str(refused), status_code=409
        )
    return RedirectResponse(f"/review/p/{post_id}?undone={verb}", status_code=303)


@router.post("/review/p/{post_id}/{action}", name="moderation.act")
async def act(
    request: Request,
    post_id: int,
    action: str,
    session: SessionDep,
    viewer: MemberDep,
    reason: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
) -> Response:
    verb = _action(action)
    post = await access_review_post(session, viewer, post_id)
    item = (await session.scalars(open_item_of(post_id, lock=True))).first()
    why = refusal(viewer, verb, post, post.author, post.thread.board_id, item)
    ensure(why is None, why or "")
    values = {"reason": reason, "days": days}
    form, errors = validate_form(ActionForm, {"action": verb, **values})
    if form is None:
        return await _item_page(
            request,
            session,
            viewer,
            post,
            failed=verb,
            values=values,
            errors=errors,
            status_code=422,
        )
    outcome = await take_action(session, viewer, post, item, form)
    target = f"/review/p/{post_id}?done={verb}"
    if outcome.item_id:
        target += f"&item={outcome.item_id}"
    if outcome.sanction_id:
        target += f"&sanction={outcome.sanction_id}"
    return RedirectResponse(target, status_code=303)
