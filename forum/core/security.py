"""Random secrets, their stored hashes, and the signed CSRF token."""

import hashlib
import hmac
import secrets

from forum.config import settings


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Session and API tokens are stored only as this hash: a database leak can't log anyone in."""
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token_for(cookie_value: str) -> str:
    """The form token is an HMAC of the CSRF cookie, so a planted cookie can't forge it."""
    key = settings.secret_key.encode()
    return hmac.new(key, b"csrf:" + cookie_value.encode(), hashlib.sha256).hexdigest()


def csrf_token_valid(cookie_value: str | None, token: str | None) -> bool:
    if not cookie_value or not token:
        return False
    return hmac.compare_digest(csrf_token_for(cookie_value), token)
