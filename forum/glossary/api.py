"""The JSON API for the glossary: everyone reads it, moderators change it (as on /glossary)."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict

from forum.auth.policies import moderates_any
from forum.auth.viewer import MemberDep
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure
from forum.core.forms import validate_form
from forum.db import SessionDep
from forum.glossary.actions import add_term, edit_term, remove_term
from forum.glossary.forms import REASON_MAX, TermForm, TermPatch, clean_reason
from forum.glossary.queries import access_term, glossary_terms
from forum.glossary.views import ONLY_MODERATORS

router = APIRouter(prefix="/api/v1", tags=["glossary"], dependencies=[Depends(verify_csrf)])


class TermOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    term: str
    meaning: str
    created_by_name: str
    created_at: datetime
    updated_at: datetime


@router.get("/glossary", response_model=list[TermOut])
async def glossary(session: SessionDep) -> list[TermOut]:
    """Every term with its meaning, alphabetically ignoring case. Post HTML from the API
    already carries these as <abbr title="meaning">term</abbr>."""
    return [TermOut.model_validate(term) for term in await session.scalars(glossary_terms())]


@router.post("/glossary", response_model=TermOut, status_code=201)
async def create_term(data: TermForm, session: SessionDep, viewer: MemberDep) -> TermOut:
    """Add a term (moderators). Terms are case-sensitive: "H" and "h" are different terms."""
    ensure(moderates_any(viewer), ONLY_MODERATORS)
    return TermOut.model_validate(await add_term(session, viewer, data))


@router.patch("/glossary/{term_id}", response_model=TermOut)
async def update_term(
    term_id: int, data: TermPatch, session: SessionDep, viewer: MemberDep
) -> TermOut:
    """Rename a term, change its meaning, or both (moderators)."""
    ensure(moderates_any(viewer), ONLY_MODERATORS)
    term = await access_term(session, term_id)
    changes = data.model_dump(exclude_none=True)
    form, errors = validate_form(TermForm, {"term": term.term, "meaning": term.meaning, **changes})
    if form is None:
        raise FieldErrors(errors)
    return TermOut.model_validate(await edit_term(session, viewer, term, form))


@router.delete("/glossary/{term_id}", status_code=204)
async def delete_term(
    term_id: int,
    session: SessionDep,
    viewer: MemberDep,
    reason: str = Query("", max_length=REASON_MAX, description="A note for the audit log."),
) -> Response:
    """Remove a term (moderators); posts stop explaining it."""
    ensure(moderates_any(viewer), ONLY_MODERATORS)
    term = await access_term(session, term_id)
    await remove_term(session, viewer, term, clean_reason(reason))
    return Response(status_code=204)
