"""The account page names devices the way a member would recognise them."""

import pytest

from forum.auth.devices import device_name

CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
EDGE_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0"
FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:121.0) Gecko/20100101 Firefox/121.0"


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (CHROME_LINUX, "Chrome on Linux"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (EDGE_WINDOWS, "Edge on Windows"),
        (FIREFOX_MAC, "Firefox on macOS"),
        ("pytest", "Unknown device"),
        ("", "Unknown device"),
    ],
)
def test_a_session_is_named_by_browser_and_system(agent, name):
    assert device_name(agent) == name


async def test_the_account_page_shows_the_short_name(client, session, user, log_in):
    from forum.accounts.actions import start_session

    await start_session(session, user, FIREFOX_MAC)
    await log_in(client, user)
    page = await client.get("/account")
    assert "Firefox on macOS" in page.text
    assert f'title="{FIREFOX_MAC}"' in page.text
