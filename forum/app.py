"""create_app(): routers, middleware, error pages and static files."""

import logging

import asyncpg
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from forum.accounts.views import router as accounts_router
from forum.admin.views import router as admin_router
from forum.api.routes import router as api_router
from forum.boards.admin_views import router as boards_admin_router
from forum.boards.category_views import router as categories_admin_router
from forum.boards.queries import BoardMoved
from forum.boards.views import board_moved
from forum.boards.views import router as boards_router
from forum.config import settings
from forum.core.csrf import CsrfRefused, kept_fields
from forum.core.errors import FieldErrors, LoginRequired
from forum.core.middleware import SiteMiddleware
from forum.core.templating import ROOT, render
from forum.db import SessionDep
from forum.glossary.views import router as glossary_router
from forum.moderation.thread_views import router as thread_tools_router
from forum.moderation.views import router as review_router
from forum.notifications.views import router as notifications_router
from forum.ratelimits.limits import RateLimited
from forum.setup.views import router as setup_router
from forum.site.cache import SiteCache, refresh_site
from forum.site.views import router as site_router
from forum.threads.views import router as threads_router
from forum.wisdom.search_views import router as wisdom_search_router
from forum.wisdom.views import router as wisdom_router

log = logging.getLogger("forum")

TITLES = {
    400: "That request didn't make sense",
    403: "You can't do that",
    404: "Page not found",
    405: "That can't be done here",
    413: "That was too large",
    422: "Please check what you entered",
    429: "Slow down a little",
    500: "Something went wrong on our side",
}
CODES = {
    401: "login_required",
    403: "forbidden",
    404: "not_found",
    413: "too_large",
    429: "rate_limited",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str, **extra: object) -> Response:
    if _wants_json(request):
        code = CODES.get(status, "invalid_request" if status < 500 else "server_error")
        return JSONResponse({"error": code, "message": message, **extra}, status_code=status)
    context = {
        "status": status,
        "heading": TITLES.get(status, "Something went wrong"),
        "message": message,
        **extra,
    }
    return render(request, "errors/error.html", context, status_code=status)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "")
    if exc.status_code == 404 and message == "Not Found":
        message = "We couldn't find that page. It may have moved, or never existed."
    if isinstance(exc, CsrfRefused) and not _wants_json(request):
        return _error(request, exc.status_code, message, kept=exc.kept)
    return _error(request, exc.status_code, message)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    fields = {}
    for problem in exc.errors():
        location = [str(part) for part in problem.get("loc", ()) if part != "body"]
        name = ".".join(location[-1:]) or "body"
        fields.setdefault(name, problem.get("msg", "").removeprefix("Value error, "))
        if problem.get("type") == "missing":
            fields[name] = f"{name.replace('_', ' ').capitalize()} is required."
    if not _wants_json(request) and any(p.get("loc", ("",))[0] == "path" for p in exc.errors()):
        return _error(request, 404, "We couldn't find that page.")
    message = " ".join(f"{name}: {text}" for name, text in fields.items())
    return _error(request, 422, message, fields=fields)


async def _rate_limited(request: Request, exc: RateLimited) -> Response:
    kept: dict[str, str] = {}
    if not _wants_json(request) and request.method == "POST":
        kept = kept_fields(await request.form())  # parsed already by the route: no body read
    response = (
        _error(request, 429, str(exc), retry_after=exc.retry_after)
        if _wants_json(request)
        else _error(request, 429, str(exc), kept=kept)
    )
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _field_errors(request: Request, exc: FieldErrors) -> Response:
    """An action refused the input (a taken handle, a blocked word): the API names the field."""
    message = " ".join(f"{name}: {text}" for name, text in exc.fields.items())
    return _error(request, 422, message, fields=exc.fields)


async def _database_error(request: Request, exc: DBAPIError) -> Response:
    """A number too large for the database (/t/99999999999) matches nothing; the rest is ours."""
    if not isinstance(exc.orig.__cause__ if exc.orig else None, asyncpg.DataError):
        return await _server_error(request, exc)
    if request.method in ("GET", "HEAD"):
        return _error(
            request, 404, "We couldn't find that page. It may have moved, or never existed."
        )
    return _error(request, 422, "A number in the request is out of range; check the ids sent.")


async def _login_required(request: Request, exc: LoginRequired) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": "login_required", "message": str(exc)}, status_code=401)
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _error(request, 500, "We've logged the problem. Please try again in a moment.")


def create_app() -> FastAPI:
    app = FastAPI(
        title="Forum API",
        version="1",
        description="Boards, threads and posts. Authenticate with the session cookie "
        "(send X-CSRF-Token on writes) or `Authorization: Bearer <personal API token>`.",
        openapi_url="/api/v1/openapi.json",
        # Every route gets the site settings (title, rules, how people join) before it runs:
        # from this app's cache, with one small query a second at most (forum/site/cache.py).
        # Here rather than in get_viewer, because some routes never ask who is viewing.
        dependencies=[Depends(refresh_site)],
    )
    app.state.site_cache = SiteCache()
    app.add_middleware(SiteMiddleware)
    if settings.trusted_proxies:
        # Outermost, so that rate limits, logs and the Secure flag see the visitor's own address
        # and scheme, taken from X-Forwarded-For/-Proto only when a trusted proxy sent them.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    app.include_router(boards_router)
    # Before the wisdom pages, so /wisdom/search isn't read as /wisdom/{id}.
    app.include_router(wisdom_search_router)
    app.include_router(threads_router)
    app.include_router(accounts_router)
    app.include_router(review_router)
    app.include_router(thread_tools_router)
    app.include_router(notifications_router)
    app.include_router(admin_router)
    app.include_router(boards_admin_router)
    app.include_router(categories_admin_router)
    app.include_router(wisdom_router)
    app.include_router(glossary_router)
    app.include_router(setup_router)
    app.include_router(site_router)
    # Every feature's JSON routes, all under /api/v1, which no page path shares.
    app.include_router(api_router)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(BoardMoved, board_moved)  # a renamed board's old address
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(FieldErrors, _field_errors)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(Exception, _server_error)

    @app.get("/healthz", include_in_schema=False)
    async def healthz(session: SessionDep) -> dict[str, str]:
        await session.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app
