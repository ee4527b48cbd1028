"""The glossary page for everyone, and moderators' forms to add, edit and remove terms."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.policies import moderates_any
from forum.auth.viewer import MemberDep, Viewer, ViewerDep
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure
from forum.core.forms import validate_form
from forum.core.templating import render
from forum.db import SessionDep
from forum.glossary.actions import add_term, edit_term, remove_term
from forum.glossary.forms import TermForm, clean_reason
from forum.glossary.models import GlossaryTerm
from forum.glossary.queries import access_term, glossary_terms

router = APIRouter(dependencies=[Depends(verify_csrf)])

ONLY_MODERATORS = (
    "Only moderators change the glossary. If a term is missing or unclear, tell one of them."
)
DONE = {
    "added": "Term added. Posts explain it from now on, old ones included.",
    "saved": "Term saved.",
    "removed": "Term removed. Posts no longer explain it.",
}


async def _glossary_page(
    request: Request,
    session: AsyncSession,
    viewer: Viewer,
    *,
    done: str = "",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    context: dict[str, Any] = {
        "moderator": moderates_any(viewer),
        "terms": (await session.scalars(glossary_terms())).all(),
        "done": DONE.get(done, ""),
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "glossary/list.html", context, status_code=422 if errors else 200)


def _edit_page(
    request: Request, term: GlossaryTerm, values: dict[str, str], errors: dict[str, str]
) -> Response:
    context = {"term": term, "values": values, "errors": errors}
    return render(request, "glossary/edit.html", context, status_code=422 if errors else 200)


@router.get("/glossary", name="glossary.list")
async def glossary_page(
    request: Request, session: SessionDep, viewer: ViewerDep, done: str = ""
) -> Response:
    """Every term and its meaning, alphabetically; moderators also get the forms."""
    return await _glossary_page(request, session, viewer, done=done)


@router.post("/glossary/terms", name="glossary.add")
async def add(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    term: Annotated[str, Form()] = "",
    meaning: Annotated[str, Form()] = "",
) -> Response:
    ensure(moderates_any(viewer), ONLY_MODERATORS)
    values = {"term": term, "meaning": meaning}
    form, errors = validate_form(TermForm, values)
    if form is not None:
        try:
            added = await add_term(session, viewer, form)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse(f"/glossary?done=added#term-{added.id}", status_code=303)
    return await _glossary_page(request, session, viewer, values=values, errors=errors)


@router.get("/glossary/terms/{term_id}", name="glossary.edit")
async def edit_page(
    request: Request, term_id: int, session: SessionDep, viewer: MemberDep
) -> Response:
    ensure(moderates_any(viewer), ONLY_MODERATORS)
    term = await access_term(session, term_id)
    return _edit_page(request, term, {"term": term.term, "meaning": term.meaning}, {})


@router.post("/glossary/terms/{term_id}")
async def edit(
    request: Request,
    term_id: int,
    session: SessionDep,
    viewer: MemberDep,
    term: Annotated[str, Form()] = "",
    meaning: Annotated[str, Form()] = "",
) -> Response:
    ensure(moderates_any(viewer), ONLY_MODERATORS)
    entry = await access_term(session, term_id)
    values = {"term": term, "meaning": meaning}
    form, errors = validate_form(TermForm, values)
    if form is not None:
        try:
            await edit_term(session, viewer, entry, form)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse(f"/glossary?done=saved#term-{entry.id}", status_code=303)
    return _edit_page(request, entry, values, errors)


@router.post("/glossary/terms/{term_id}/remove", name="glossary.remove")
async def remove(
    term_id: int,
    session: SessionDep,
    viewer: MemberDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    ensure(moderates_any(viewer), ONLY_MODERATORS)
    term = await access_term(session, term_id)
    await remove_term(session, viewer, term, clean_reason(reason))
    return RedirectResponse("/glossary?done=removed", status_code=303)
