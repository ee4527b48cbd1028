"""CSRF: every state change from a browser carries the token its page was given."""

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from forum.auth.viewer import SESSION_COOKIE
from forum.core.middleware import CSRF_COOKIE, flags
from forum.core.security import csrf_token_for, csrf_token_valid

FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
# Fields worth handing back when a stale form is refused, so nothing typed is lost.
# ("rules" and "description": an administrator's site settings can be long too.)
KEPT_FIELDS = ("title", "body", "description", "rules")


def kept_fields(form: FormData) -> dict[str, str]:
    """What the member typed, to hand back on a page that refused to save it."""
    return {k: v for k in KEPT_FIELDS if isinstance(v := form.get(k), str) and v}


class CsrfRefused(HTTPException):
    def __init__(self, kept: dict[str, str]) -> None:
        super().__init__(
            status_code=403,
            detail="This form had expired, so nothing was saved. Reload the page and try again.",
        )
        self.kept = kept


class LazyToken:
    """The form token, computed (and its cookie set) only if a template actually prints it."""

    def __init__(self, request: Request) -> None:
        self._request = request

    def __str__(self) -> str:
        page = flags(self._request)
        page.csrf_issued = True
        return csrf_token_for(page.csrf_cookie)

    __html__ = __str__


def csrf_token(request: Request) -> LazyToken:
    return LazyToken(request)


async def verify_csrf(request: Request) -> None:
    """Route dependency for every POST, PATCH and DELETE."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return  # a token is not sent by browsers on their own, so it can't be forged this way
    if request.url.path.startswith("/api/") and SESSION_COOKIE not in request.cookies:
        return  # no credential rides along, so nothing to forge: the API answers 401 instead
    cookie = request.cookies.get(CSRF_COOKIE)
    token = request.headers.get(HEADER)
    kept: dict[str, str] = {}
    content_type = request.headers.get("content-type", "")
    if token is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(FORM_FIELD)
        token = value if isinstance(value, str) else None
        kept = kept_fields(form)
    if not csrf_token_valid(cookie, token):
        raise CsrfRefused(kept)
