"""/setup: the page behind the one-time address that makes a fresh forum's first administrator."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from forum.accounts.actions import start_session
from forum.accounts.forms import Registration
from forum.accounts.views import logged_in_redirect
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors
from forum.core.forms import validate_form
from forum.core.templating import render
from forum.db import SessionDep
from forum.setup.actions import (
    ALREADY_SET_UP,
    SetupRefused,
    create_first_administrator,
    setup_problem,
)

router = APIRouter(dependencies=[Depends(verify_csrf)])

# Where the new administrator starts: making the forum's boards.
FIRST_PAGE = "/admin"


def _refused(request: Request, problem: str) -> Response:
    context = {"problem": problem, "renewable": problem != ALREADY_SET_UP}
    return render(request, "setup/refused.html", context, status_code=403)


@router.get("/setup", name="setup.form")
async def setup_form(request: Request, session: SessionDep, token: str = "") -> Response:
    if problem := await setup_problem(session, token):
        return _refused(request, problem)
    context = {"token": token, "values": {}, "errors": {}}
    return render(request, "setup/form.html", context)


@router.post("/setup")
async def setup(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Form()] = "",
    handle: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    if problem := await setup_problem(session, token):
        return _refused(request, problem)  # before the form, so nobody fixes fields in vain
    values = {"handle": handle, "email": email}
    data = {"handle": handle, "password": password, "email": email}
    form, errors = validate_form(Registration, data)
    if form is not None:
        try:
            member = await create_first_administrator(session, token, form)
        except SetupRefused as refused:
            return _refused(request, str(refused))
        except FieldErrors as problem:
            errors = problem.fields
        else:
            secret = await start_session(session, member, request.headers.get("user-agent", ""))
            return logged_in_redirect(request, secret, FIRST_PAGE)
    context = {"token": token, "values": values, "errors": errors}
    return render(request, "setup/form.html", context, status_code=422)
