"""Jinja2 pages: one environment, autoescaped, with the filters and globals every page uses."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from forum.auth.devices import device_name
from forum.auth.policies import can_edit_post, can_read_post, can_report, can_see_history
from forum.auth.viewer import GUEST
from forum.config import settings
from forum.core.csrf import csrf_token
from forum.core.time import exact_time, month_year, relative_time, utcnow
from forum.site.cache import current_site

ROOT = Path(__file__).resolve().parents[2]
templates = Jinja2Templates(directory=ROOT / "templates")
# Checking template files for changes on every render is for development only.
templates.env.auto_reload = settings.environment == "development"
templates.env.filters["ago"] = pass_context(
    lambda context, moment: relative_time(moment, context["now"])
)
templates.env.filters["exact"] = exact_time
templates.env.filters["month_year"] = month_year
templates.env.filters["device_name"] = device_name
# Pages ask the one policy module what to offer; the server checks again on every action.
for policy in (can_edit_post, can_read_post, can_report, can_see_history):
    templates.env.globals[policy.__name__] = policy
templates.env.globals["site_name"] = settings.site_name
templates.env.globals["settings"] = settings


def count_of(number: int, singular: str, plural: str = "") -> str:
    """'1 post', '1,204 posts', '2 replies' (given the plural)."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


templates.env.filters["count_of"] = count_of


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the viewer, the site settings and the CSRF token its forms need."""
    site = current_site(request)
    page = {
        "viewer": getattr(request.state, "viewer", GUEST),
        "csrf_token": csrf_token(request),
        "now": utcnow(),  # one clock reading per page for every "5 minutes ago"
        "site": site,
        "site_name": site.title,  # the administrators' title, over the configured default
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, page, status_code=status_code)
