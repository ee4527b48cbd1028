"""An administrator writes the rules and makes joining invitation-only; a newcomer joins through
the link, and a second use of it is refused with who to ask.

The test puts joining back to open when it ends, since the other flows register at /register.
"""

import itertools
import re

import pytest
from support import PASSWORD

pytestmark = pytest.mark.browser
_handles = itertools.count(1)
ADMIN = "Willow.Creek"  # seeded as an administrator by tests/browser/conftest.py
RULES = "Be kind. Everyone here is going through something hard.\n\n- No real names.\n"


async def _no_sideways_scroll(page, width: int) -> None:
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide in a {width}px window"


async def _choose_joining(page, live_server: str, mode: str) -> None:
    await page.goto(live_server + "/admin/settings")
    await page.locator(f'input[name="registration"][value="{mode}"]').check()
    await page.get_by_role("button", name="Save the settings").click()
    await page.wait_for_url("**/admin/settings?done=saved")


@pytest.mark.parametrize("width", [390, 1280])
async def test_an_invited_newcomer_joins_and_the_link_works_only_once(
    live_server, browser, screenshots, width
):
    viewport = {"width": width, "height": 900}
    newcomer = f"Invited.Guest{next(_handles)}w{width}"
    admin_context = await browser.new_context(viewport=viewport)
    page = await admin_context.new_page()
    await page.goto(live_server + "/login")
    await page.get_by_label("Handle").fill(ADMIN)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(live_server + "/")
    try:
        await page.goto(live_server + "/admin")
        await page.get_by_role("link", name="Site settings").first.click()
        await page.locator("#rules-text").fill(RULES)
        await page.get_by_role("radio", name="Invitation only").check()
        await page.get_by_role("button", name="Save the settings").click()
        await page.wait_for_url("**/admin/settings?done=saved")
        await _no_sideways_scroll(page, width)
        await page.screenshot(path=screenshots / f"site-settings-{width}.png", full_page=True)

        await page.goto(live_server + "/admin/invitations")
        await page.get_by_label("Who it's for").fill(f"Sam, {width}px")
        await page.get_by_role("button", name="Create the link").click()
        link = (await page.locator("#new-link").inner_text()).strip()
        assert re.fullmatch(re.escape(live_server) + r"/invite/[\w-]{20,}", link)
        await _no_sideways_scroll(page, width)
        await page.screenshot(path=screenshots / f"site-invitations-{width}.png", full_page=True)

        guest = await browser.new_context(viewport=viewport)
        invited = await guest.new_page()
        await invited.goto(live_server + "/register")
        assert await invited.get_by_text("Joining is by invitation only.").count() == 1
        await invited.goto(link)
        assert await invited.get_by_text(f"{ADMIN} invited you to join.").count() == 1
        rules_link = invited.get_by_role("link", name="community rules", exact=True)
        assert await rules_link.get_attribute("href") == "/rules"
        await _no_sideways_scroll(invited, width)
        await invited.screenshot(path=screenshots / f"site-invite-{width}.png", full_page=True)
        await invited.get_by_label("Handle").fill(newcomer)
        await invited.get_by_label("Password").fill("harbour lanterns drift softly")
        await invited.get_by_role("button", name="Create account").click()
        await invited.wait_for_url(live_server + "/")
        assert await invited.get_by_role("link", name=newcomer).count() == 1
        await invited.goto(live_server + "/rules")
        assert await invited.get_by_text("No real names.").count() == 1
        await guest.close()

        stranger = await browser.new_context(viewport=viewport)
        again = await stranger.new_page()
        await again.goto(link)
        refusal = again.get_by_role("alert")
        assert "has been used already" in await refusal.inner_text()
        assert f"Ask {ADMIN} (who sent it) or another member of staff" in (
            await refusal.inner_text()
        )
        assert await again.get_by_label("Handle").count() == 0
        await _no_sideways_scroll(again, width)
        await again.screenshot(path=screenshots / f"site-invite-used-{width}.png", full_page=True)
        await stranger.close()

        await page.goto(live_server + "/admin/invitations")
        row = page.get_by_role("row").filter(has_text=f"Sam, {width}px")
        assert "Used" in await row.inner_text() and newcomer in await row.inner_text()
    finally:
        await _choose_joining(page, live_server, "open")
        await admin_context.close()
