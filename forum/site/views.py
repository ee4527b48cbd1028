"""The rules page, the administration hub and the site settings form.

Invitations, the invitation link itself and join requests are in join_views.py.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from forum.auth.policies import can_change_site_settings
from forum.auth.viewer import MemberDep, ViewerDep
from forum.core.csrf import verify_csrf
from forum.core.errors import ensure
from forum.core.forms import validate_form
from forum.core.templating import render
from forum.db import SessionDep
from forum.site.cache import remember_when_committed
from forum.site.join_views import router as join_router
from forum.site.queries import has_boards, waiting_count
from forum.site.settings import (
    DESCRIPTION_MAX,
    NO_RULES,
    REGISTRATION_CHOICES,
    TITLE_MAX,
    SiteSettings,
    SiteSettingsForm,
    load_site,
    save_site,
)

router = APIRouter(dependencies=[Depends(verify_csrf)])

ONLY_ADMINS = "Only administrators can change the forum's settings."
SAVED = "Saved. Every page shows the change within a second."


@router.get("/rules", name="site.rules")
async def rules(request: Request, viewer: ViewerDep) -> Response:
    """Public, like the register page that links here: people read the rules before joining."""
    return render(request, "site/rules.html", {"no_rules": NO_RULES})


@router.get("/admin", name="site.admin")
async def admin_hub(request: Request, session: SessionDep, viewer: MemberDep) -> Response:
    ensure(can_change_site_settings(viewer), "Only administrators can open the administration.")
    # Read fresh: the first-steps box must not lag behind what the administrator just did.
    site = await load_site(session)
    context = {
        "current": site,
        "brand_new": not await has_boards(session),
        "waiting": await waiting_count(session),
        "mode_label": REGISTRATION_CHOICES[site.registration][0],
    }
    return render(request, "site/admin.html", context)


def _settings_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    *,
    done: str = "",
) -> Response:
    context = {
        "values": values,
        "errors": errors or {},
        "done": done,
        "choices": REGISTRATION_CHOICES,
        "title_max": TITLE_MAX,
        "description_max": DESCRIPTION_MAX,
    }
    return render(request, "site/settings.html", context, status_code=422 if errors else 200)


def _values(site: SiteSettings) -> dict[str, str]:
    return {
        "title": site.title,
        "description": site.description,
        "rules": site.rules,
        "registration": site.registration.value,
    }


@router.get("/admin/settings", name="site.settings")
async def settings_page(
    request: Request, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    ensure(can_change_site_settings(viewer), ONLY_ADMINS)
    site = await load_site(session)
    return _settings_page(request, _values(site), done=SAVED if done == "saved" else "")


@router.post("/admin/settings")
async def save_settings(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    rules: Annotated[str, Form()] = "",
    registration: Annotated[str, Form()] = "",
) -> Response:
    ensure(can_change_site_settings(viewer), ONLY_ADMINS)
    values = {
        "title": title,
        "description": description,
        "rules": rules,
        "registration": registration,
    }
    form, errors = validate_form(SiteSettingsForm, values)
    if form is None:
        # Everything typed comes back, the rules above all: they may be long.
        return _settings_page(request, values, errors)
    saved = await save_site(session, viewer, form)
    remember_when_committed(session, request, saved)
    return RedirectResponse("/admin/settings?done=saved", status_code=303)


# Invitations, the invitation link and join requests have their own module; one router here
# lets create_app() include the feature's pages in one line.
router.include_router(join_router)
