"""Jinja2 pages: one environment, autoescaped, with the filters and globals every page uses."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from forum.auth.viewer import GUEST
from forum.config import settings
from forum.core.csrf import csrf_token
from forum.core.time import exact_time, relative_time

ROOT = Path(__file__).resolve().parents[2]
templates = Jinja2Templates(directory=ROOT / "templates")
templates.env.filters["ago"] = relative_time
templates.env.filters["exact"] = exact_time
templates.env.globals["site_name"] = settings.site_name
templates.env.globals["settings"] = settings


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the viewer and the CSRF token its forms need."""
    page = {
        "viewer": getattr(request.state, "viewer", GUEST),
        "csrf_token": csrf_token(request),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, page, status_code=status_code)
