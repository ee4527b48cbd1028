"""One pure-ASGI layer for what every response needs: size limit, CSRF cookie, safety headers."""

import json
import secrets
from dataclasses import dataclass

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum.config import settings

CSRF_COOKIE = "forum_csrf"

# Posts never carry script, style or frames; the page's own files are all it may load.
CSP = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's interactive docs load their scripts from a CDN, so they get no CSP.
CSP_EXEMPT = ("/docs", "/redoc")


@dataclass
class ResponseFlags:
    """What the app tells this layer about a response. Request state is copied on its way in,
    so flags travel in this one shared object rather than as separate state keys."""

    csrf_cookie: str
    csrf_issued: bool = False  # a page printed a CSRF token
    indexable: bool = False  # public content that search engines may index, if allowed


def flags(request: object) -> ResponseFlags:
    return request.state.flags  # type: ignore[attr-defined,no-any-return]


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name:
                    return v
    return None


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class SiteMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            # No page or record has a NUL in its address; PostgreSQL would refuse the lookup.
            await _plain(send, 404, "No page has that address.", path)
            return
        limit = settings.request_max_bytes
        length = _content_length(scope)
        if length is not None and length > limit:
            await _plain(send, 413, _too_large_text(), path)
            return

        csrf_cookie = _cookie(scope, CSRF_COOKIE)
        new_cookie = None
        if not csrf_cookie:
            csrf_cookie = new_cookie = secrets.token_urlsafe(24)
        response_flags = ResponseFlags(csrf_cookie=csrf_cookie)
        scope.setdefault("state", {})["flags"] = response_flags

        received = 0

        async def limited_receive() -> Message:
            # Bodies sent without a length are counted as they arrive.
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(status_code=413, detail=_too_large_text())
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(_headers(path, response_flags))
                # Only a page that handed out a token sets the cookie: a stylesheet or a 404
                # fetched alongside a form must not replace the cookie the form was made for.
                if new_cookie and response_flags.csrf_issued:
                    secure = settings.cookies_secure or scope.get("scheme") == "https"
                    headers.append((b"set-cookie", _csrf_cookie_header(new_cookie, secure)))
                message["headers"] = headers
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)


def _headers(path: str, response_flags: ResponseFlags) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
    ]
    if not path.startswith(CSP_EXEMPT):
        headers.append((b"content-security-policy", CSP.encode()))
    if not (settings.allow_indexing and response_flags.indexable):
        headers.append((b"x-robots-tag", b"noindex, nofollow"))
    if not path.startswith("/static/"):
        # Pages can hold what members wrote in confidence: no shared cache may keep them.
        headers.append((b"cache-control", b"private, no-cache"))
    return headers


def _csrf_cookie_header(value: str, secure: bool) -> bytes:
    flag = "; Secure" if secure else ""
    # Long-lived, so it outlasts the login session and a returning member's first form works.
    return f"{CSRF_COOKIE}={value}; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax{flag}".encode()


def _too_large_text() -> str:
    return f"That request is larger than {settings.request_max_bytes // 1024} KiB."


async def _plain(send: Send, status: int, message: str, path: str) -> None:
    """A minimal answer for requests refused before they reach the app."""
    if path.startswith("/api/"):
        code = "too_large" if status == 413 else "not_found"
        body = json.dumps({"error": code, "message": message}).encode()
        kind = b"application/json"
    else:
        body = f"<!doctype html><title>{status}</title><p>{message} <a href='/'>Back to the boards</a>".encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
