"""Your own account over JSON: who you are, and deleting the account (as on /account)."""

from datetime import datetime

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from forum.accounts.deletion import (
    NOT_CONFIRMED,
    ONLY_ADMINISTRATOR,
    confirm_password,
    delete_account,
    other_administrators,
)
from forum.accounts.forms import AccountDeletion
from forum.accounts.models import Member
from forum.api.schemas import Out
from forum.auth.policies import can_delete_own_account
from forum.auth.viewer import SESSION_COOKIE, MemberDep
from forum.core.csrf import verify_csrf
from forum.core.errors import ensure
from forum.db import SessionDep

router = APIRouter(prefix="/api/v1", tags=["forum"], dependencies=[Depends(verify_csrf)])


class MemberOut(Out):
    handle: str
    role: str
    post_count: int
    created_at: datetime


@router.get("/me", response_model=MemberOut)
async def me(session: SessionDep, viewer: MemberDep) -> MemberOut:
    """The member the request is authenticated as."""
    return MemberOut.model_validate(await session.get_one(Member, viewer.member_id))


@router.delete("/me", status_code=204, response_class=Response)
async def delete_me(data: AccountDeletion, session: SessionDep, viewer: MemberDep) -> Response:
    """Delete your account: posts stay under an anonymous name; handle, email, logins, tokens,
    notices and moderator roles go. Wisdom quotes read "a former member" unless
    `keep_handle_on_wisdom`. A wrong password counts toward the login limit."""
    assert viewer.member_id is not None
    member = await session.get_one(Member, viewer.member_id)
    others = await other_administrators(session, viewer.member_id, lock=True)
    ensure(can_delete_own_account(viewer, others), ONLY_ADMINISTRATOR)
    if not await confirm_password(session, member, data.password):
        # Answered, not raised, so the counted attempt is committed.
        fields = {"password": NOT_CONFIRMED}
        body = {"error": "invalid_request", "message": f"password: {NOT_CONFIRMED}"}
        return JSONResponse({**body, "fields": fields}, status_code=422)
    await delete_account(session, member, keep_handle_on_wisdom=data.keep_handle_on_wisdom)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response
