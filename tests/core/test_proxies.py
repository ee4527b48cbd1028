"""Behind a reverse proxy: the visitor's own address and scheme, believed only from trusted proxies."""

import pytest
from support import PASSWORD, csrf

from forum.app import create_app
from forum.config import settings

PROXY = "127.0.0.1"  # the address the test transport connects from


async def _register(client, handle, forwarded_for=None, **headers):
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    data = {"handle": handle, "password": PASSWORD, "csrf_token": csrf(client)}
    response = await client.post("/register", data=data, headers=headers)
    client.cookies.delete("forum_session")
    return response


@pytest.fixture
def behind_proxy(monkeypatch, client_of):
    """A client of an app that believes the proxy at PROXY, allowing one registration an hour."""
    monkeypatch.setattr(settings, "trusted_proxies", [f"{PROXY}/32"])
    monkeypatch.setattr(settings, "registrations_per_ip", 1)
    return client_of(create_app())


async def test_visitors_behind_a_trusted_proxy_are_counted_by_their_own_address(behind_proxy):
    async with behind_proxy as client:
        first = await _register(client, "Morning.Walk", "203.0.113.7")
        neighbour = await _register(client, "Evening.Walk", "198.51.100.20")
        same_visitor = await _register(client, "Night.Walk", "203.0.113.7")

    assert first.status_code == 303
    assert neighbour.status_code == 303  # a different visitor, not the proxy's shared address
    assert same_visitor.status_code == 429


async def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(client, monkeypatch):
    monkeypatch.setattr(settings, "registrations_per_ip", 1)

    first = await _register(client, "Morning.Walk", "203.0.113.7")
    spoofed = await _register(client, "Evening.Walk", "198.51.100.20")

    assert first.status_code == 303
    # Without FORUM_TRUSTED_PROXIES anyone could claim any address and dodge the limit.
    assert spoofed.status_code == 429


async def test_cookies_are_secure_when_the_trusted_proxy_says_the_visit_is_https(behind_proxy):
    async with behind_proxy as client:
        response = await _register(
            client, "Morning.Walk", "203.0.113.7", **{"X-Forwarded-Proto": "https"}
        )

    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()


async def test_cookies_over_plain_http_are_not_marked_secure_by_default(client):
    response = await _register(client, "Morning.Walk")

    assert response.status_code == 303
    assert "secure" not in response.headers["set-cookie"].lower()


def test_an_https_base_url_makes_cookies_secure_unless_the_operator_says_otherwise(monkeypatch):
    monkeypatch.setattr(settings, "base_url", "https://forum.example.org")
    assert settings.cookies_secure
    monkeypatch.setattr(settings, "secure_cookies", False)
    assert not settings.cookies_secure
    monkeypatch.setattr(settings, "base_url", "http://127.0.0.1:8000")
    monkeypatch.setattr(settings, "secure_cookies", None)
    assert not settings.cookies_secure
