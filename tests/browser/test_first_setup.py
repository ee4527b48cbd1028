"""A forum set up from nothing in a browser: the one-time setup address makes the first
administrator, who shapes the forum and invites its first member."""

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from forum.db import async_url, transaction
from forum.setup.actions import issue_setup_token

pytestmark = pytest.mark.browser
ADMIN, NEWCOMER = "First.Light", "Sam.Arrives"
RULES = "Be gentle with each other.\n\n- Handles only, never real names.\n"


async def _setup_address(address: str, url: str) -> str:
    """What `forum serve` prints for a forum with no administrator."""
    engine = create_async_engine(async_url(url))
    async with transaction(engine) as session:
        token = await issue_setup_token(session)
    await engine.dispose()
    return f"{address}/setup?token={token}"


async def _no_sideways_scroll(page, width: int) -> None:
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide in a {width}px window"


async def _new_board(page, name: str, *, members_only: bool) -> None:
    await page.get_by_role("link", name="New board").click()
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Description").fill(f"{name}: say what is on your mind.")
    await page.get_by_label("Category", exact=True).select_option(label="Our stories")
    if members_only:
        await page.get_by_label("Members only", exact=False).check()
    await page.get_by_role("button", name="Create the board").click()
    await page.wait_for_selector("text=Board created.")


@pytest.mark.parametrize("width", [390, 1280])
async def test_a_forum_is_set_up_from_nothing_and_its_first_member_joins_by_invitation(
    new_forum, browser, screenshots, width
):
    address, url = new_forum
    setup_address = await _setup_address(address, url)
    viewport = {"width": width, "height": 900}
    admin = await browser.new_context(viewport=viewport, color_scheme="dark")
    page = await admin.new_page()

    await page.goto(setup_address)
    await page.get_by_label("Your handle").fill(ADMIN)
    await page.get_by_label("Password").fill("kettle on the windowsill")
    await page.get_by_role("button", name="Create the administrator").click()
    await page.wait_for_url(address + "/admin")
    assert await page.get_by_text("First steps").count() == 1
    await _no_sideways_scroll(page, width)
    await page.screenshot(path=screenshots / f"first-admin-{width}.png", full_page=True)

    await page.goto(address + "/admin/boards")
    await page.get_by_role("link", name="New category").click()
    await page.get_by_label("Name").fill("Our stories")
    await page.get_by_role("button", name="Create the category").click()
    await page.wait_for_selector("text=Category created.")
    await _new_board(page, "My story", members_only=False)
    await _new_board(page, "Behind closed doors", members_only=True)
    await _no_sideways_scroll(page, width)

    await page.goto(address + "/admin/settings")
    await page.locator("#rules-text").fill(RULES)
    await page.get_by_role("radio", name="Invitation only").check()
    await page.get_by_role("button", name="Save the settings").click()
    await page.wait_for_url("**/admin/settings?done=saved")

    await page.goto(address + "/admin/invitations")
    await page.get_by_label("Who it's for").fill("Sam from the Tuesday group")
    await page.get_by_role("button", name="Create the link").click()
    link = (await page.locator("#new-link").inner_text()).strip()
    await page.screenshot(path=screenshots / f"first-invitation-{width}.png", full_page=True)

    # The setup address was for one administrator only.
    again = await browser.new_context(viewport=viewport)
    stranger = await again.new_page()
    await stranger.goto(setup_address)
    assert await stranger.get_by_text("set up already").count() == 1
    await stranger.goto(address + "/register")
    assert await stranger.get_by_text("Joining is by invitation only.").count() == 1
    await stranger.goto(address + "/")
    home = await stranger.content()
    assert "My story" in home and "Behind closed doors" not in home
    await again.close()

    invited = await browser.new_context(viewport=viewport)
    newcomer = await invited.new_page()
    await newcomer.goto(link)
    assert await newcomer.get_by_text(f"{ADMIN} invited you to join.").count() == 1
    await newcomer.get_by_label("Handle").fill(NEWCOMER)
    await newcomer.get_by_label("Password").fill("lanterns along the harbour")
    await newcomer.get_by_role("button", name="Create account").click()
    await newcomer.wait_for_url(address + "/")
    section = newcomer.locator("#category-our-stories")
    names = await section.locator(".board-row h3 a").all_inner_texts()
    assert names == ["My story", "Behind closed doors"]
    await _no_sideways_scroll(newcomer, width)
    await newcomer.screenshot(path=screenshots / f"first-member-home-{width}.png", full_page=True)
    await newcomer.goto(address + "/rules")
    assert await newcomer.get_by_text("Handles only, never real names.").count() == 1
    await invited.close()
    await admin.close()
