"""Register, log in and out, profiles, and the account page (sessions and API tokens)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from forum.accounts.actions import (
    authenticate,
    create_api_token,
    end_other_sessions,
    end_session,
    revoke_api_token,
    start_session,
)
from forum.accounts.deletion import (
    NOT_CONFIRMED,
    ONLY_ADMINISTRATOR,
    confirm_password,
    delete_account,
    other_administrators,
    set_wisdom_keeps_handle,
)
from forum.accounts.forms import Registration
from forum.accounts.handles import handle_key
from forum.accounts.models import Member
from forum.accounts.queries import access_member, member_sessions, member_tokens
from forum.admin.trust import apply_trust_rules
from forum.auth.policies import can_delete_own_account
from forum.auth.viewer import SESSION_COOKIE, MemberDep, ViewerDep
from forum.config import settings
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure
from forum.core.forms import clean_text, validate_form
from forum.core.templating import render
from forum.core.time import exact_time, utcnow
from forum.core.urls import safe_next
from forum.db import SessionDep
from forum.ratelimits.limits import (
    RateLimited,
    client_ip,
    hit,
    login_per_handle,
    login_per_ip,
    registrations_per_ip,
)
from forum.site.actions import INVITATION_ONLY, REQUEST_SENT, STILL_WAITING, join
from forum.site.cache import current_site
from forum.site.settings import RegistrationMode, load_site
from forum.threads.queries import recent_threads_by
from forum.wisdom.queries import wisdom_by_member

router = APIRouter(dependencies=[Depends(verify_csrf)])


def logged_in_redirect(request: Request, secret: str, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure or request.url.scheme == "https",
    )
    return response


def _register_page(
    request: Request,
    mode: RegistrationMode,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "values": values or {},
        "errors": errors or {},
        "mode": mode,
        "invitation_only": INVITATION_ONLY,
    }
    return render(request, "accounts/register.html", context, status_code=status_code)


@router.get("/register", name="accounts.register")
async def register_page(request: Request, viewer: ViewerDep) -> Response:
    return _register_page(request, current_site(request).registration)


@router.get("/register/requested", name="accounts.join_requested")
async def join_requested(request: Request) -> Response:
    return render(request, "accounts/requested.html", {"message": REQUEST_SENT})


@router.post("/register")
async def register(
    request: Request,
    session: SessionDep,
    handle: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    values = {"handle": handle, "email": email}
    # Read now, not from the cache: an administrator may have closed the door a moment ago.
    mode = (await load_site(session)).registration
    if mode == RegistrationMode.INVITATION:
        return _register_page(request, mode, values, {"form": INVITATION_ONLY}, 403)
    form, errors = validate_form(
        Registration, {"handle": handle, "password": password, "email": email}
    )
    if form is not None:
        try:
            member = await join(session, form, mode)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            # Counted once an account exists, so that typing mistakes never lock anyone out;
            # over the limit, the refusal rolls the new account back.
            await hit(session, registrations_per_ip(), client_ip(request))
            if member.awaiting_approval:
                return RedirectResponse("/register/requested", status_code=303)
            secret = await start_session(session, member, request.headers.get("user-agent", ""))
            return logged_in_redirect(request, secret, "/")
    return _register_page(request, mode, values, errors, 422)


@router.get("/login", name="accounts.login")
async def login_page(request: Request, viewer: ViewerDep, next: str = "/") -> Response:
    return render(request, "accounts/login.html", {"values": {}, "errors": {}, "next": next})


@router.post("/login")
async def login(
    request: Request,
    session: SessionDep,
    handle: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        await hit(session, login_per_ip(), client_ip(request))
        await hit(session, login_per_handle(), handle_key(handle))
    except RateLimited as refused:
        # Shown on the form, and committed: a refused attempt still counts against the guesser.
        context = {"values": {"handle": handle}, "errors": {"form": str(refused)}, "next": next}
        response = render(request, "accounts/login.html", context, status_code=429)
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    member = await authenticate(session, handle, password)
    if member is None:
        # One message for an unknown handle and a wrong password alike.
        errors = {"form": "That handle and password don't match. Check both and try again."}
        context = {"values": {"handle": handle}, "errors": errors, "next": next}
        return render(request, "accounts/login.html", context, status_code=422)
    if refusal := _locked_out(member):
        # Told only after the right password, so it reveals nothing to a guesser.
        context = {"values": {"handle": handle}, "errors": {"form": refusal}, "next": next}
        return render(request, "accounts/login.html", context, status_code=403)
    await apply_trust_rules(session, member.id)  # type: ignore[arg-type]
    secret = await start_session(session, member, request.headers.get("user-agent", ""))
    return logged_in_redirect(request, secret, safe_next(next))


def _locked_out(member: Member) -> str:
    """Why a suspended, banned or still waiting member can't log in, or "" if they can."""
    if member.is_banned:
        return "This account is banned, so it can't log in."
    if member.awaiting_approval:
        return STILL_WAITING
    until = member.suspended_until
    if until is None or until <= utcnow():
        return ""
    if until > utcnow() + timedelta(days=365 * 50):
        return "This account is suspended until a moderator lifts the suspension."
    return f"This account is suspended until {exact_time(until)}. You can log in again then."


@router.post("/logout", name="accounts.logout")
async def logout(session: SessionDep, viewer: ViewerDep) -> Response:
    if viewer.member_id is not None and viewer.session_id is not None:
        await end_session(session, viewer.member_id, viewer.session_id)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/u/{handle}", name="accounts.profile")
async def profile(
    request: Request, handle: str, session: SessionDep, viewer: ViewerDep
) -> Response:
    member = await access_member(session, handle)
    threads = (await session.scalars(recent_threads_by(viewer, member.id))).all()
    # Their words the curators pinned in the wisdom library.
    wisdom = await wisdom_by_member(session, viewer, member.id)  # type: ignore[arg-type]
    context = {"member": member, "threads": threads, "wisdom": wisdom}
    return render(request, "accounts/profile.html", context)


async def _account_page(
    request: Request,
    session: SessionDep,
    member_id: int,
    new_token: str | None = None,
    *,
    errors: dict[str, str] | None = None,
    keep_handle: bool | None = None,
    status_code: int = 200,
) -> Response:
    member = await session.get_one(Member, member_id)
    context = {
        "sessions": (await session.scalars(member_sessions(member_id))).all(),
        "tokens": (await session.scalars(member_tokens(member_id))).all(),
        "new_token": new_token,
        "keeps_handle": member.wisdom_keeps_handle,
        # The deletion form's own choice: what was just submitted, else the saved setting.
        "delete_keeps_handle": member.wisdom_keeps_handle if keep_handle is None else keep_handle,
        "only_admin": member.is_admin and not await other_administrators(session, member_id),
        "errors": errors or {},
    }
    return render(request, "accounts/settings.html", context, status_code=status_code)


@router.get("/account", name="accounts.settings")
async def account(request: Request, session: SessionDep, viewer: MemberDep) -> Response:
    assert viewer.member_id is not None
    return await _account_page(request, session, viewer.member_id)


@router.post("/account/tokens")
async def new_token(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    assert viewer.member_id is not None
    name = " ".join(clean_text(name).split())[:60] or "API token"
    secret = await create_api_token(session, viewer.member_id, name)
    # Shown in this response only: afterwards just its hash exists.
    return await _account_page(request, session, viewer.member_id, new_token=secret)


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(token_id: int, session: SessionDep, viewer: MemberDep) -> Response:
    assert viewer.member_id is not None
    await revoke_api_token(session, viewer.member_id, token_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/sessions/{session_id}/revoke")
async def revoke_session(session_id: int, session: SessionDep, viewer: MemberDep) -> Response:
    assert viewer.member_id is not None
    await end_session(session, viewer.member_id, session_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/sessions/revoke-others")
async def revoke_other_sessions(session: SessionDep, viewer: MemberDep) -> Response:
    assert viewer.member_id is not None
    await end_other_sessions(session, viewer.member_id, viewer.session_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/wisdom-handle")
async def wisdom_handle(
    session: SessionDep, viewer: MemberDep, keep_handle: Annotated[bool, Form()] = False
) -> Response:
    assert viewer.member_id is not None
    await set_wisdom_keeps_handle(session, viewer.member_id, keep_handle)
    return RedirectResponse("/account#your-wisdom", status_code=303)


@router.post("/account/delete")
async def delete_own_account(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    password: Annotated[str, Form()] = "",
    keep_handle_on_wisdom: Annotated[bool, Form()] = False,
) -> Response:
    assert viewer.member_id is not None
    member = await session.get_one(Member, viewer.member_id)
    others = await other_administrators(session, viewer.member_id, lock=True)
    ensure(can_delete_own_account(viewer, others), ONLY_ADMINISTRATOR)
    try:
        confirmed = await confirm_password(session, member, password)
    except RateLimited as refused:
        # Shown beside the field, and committed: a refused attempt still counts.
        errors = {"password": str(refused)}
        response = await _account_page(
            request,
            session,
            viewer.member_id,
            errors=errors,
            keep_handle=keep_handle_on_wisdom,
            status_code=429,
        )
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    if not confirmed:
        return await _account_page(
            request,
            session,
            viewer.member_id,
            errors={"password": NOT_CONFIRMED},
            keep_handle=keep_handle_on_wisdom,
            status_code=422,
        )
    await delete_account(session, member, keep_handle_on_wisdom=keep_handle_on_wisdom)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
