"""An administrator sets up a category with two boards, one members-only, reorders them and
archives one, in a real browser; then the home page shows it, and guests never see the
members-only board."""

import pytest
from support import PASSWORD

pytestmark = pytest.mark.browser

ADMIN = "Willow.Creek"  # seeded as an administrator by tests/browser/conftest.py


async def _no_sideways_scroll(page, width: int) -> None:
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide in a {width}px window"


@pytest.mark.parametrize("width", [390, 1280])
async def test_an_administrator_sets_up_a_category_of_boards_and_the_home_page_follows(
    live_server, browser, screenshots, width
):
    category, open_room, quiet_room = f"Circle {width}", f"Open room {width}", f"Quiet room {width}"
    context = await browser.new_context(viewport={"width": width, "height": 900})
    page = await context.new_page()
    await page.goto(live_server + "/login")
    await page.get_by_label("Handle").fill(ADMIN)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(live_server + "/")

    await page.goto(live_server + "/admin/boards")
    await page.get_by_role("link", name="New category").click()
    await page.get_by_label("Name").fill(category)
    await page.get_by_role("button", name="Create the category").click()
    await page.wait_for_selector("text=Category created.")

    for name, members_only in ((open_room, False), (quiet_room, True)):
        await page.get_by_role("link", name="New board").click()
        await page.get_by_label("Name", exact=True).fill(name)
        await page.get_by_label("Description").fill(f"A place for {name.lower()}.")
        await page.get_by_label("Category", exact=True).select_option(label=category)
        if members_only:
            await page.get_by_label("Members only", exact=False).check()
        await _no_sideways_scroll(page, width)
        await page.get_by_role("button", name="Create the board").click()
        await page.wait_for_selector("text=Board created.")

    group = page.locator(f"#category-circle-{width}")
    names = group.locator(".admin-board-main h3 a")
    assert await names.all_inner_texts() == [open_room, quiet_room]
    await group.get_by_role("button", name=f"Move “{quiet_room}” up").click()
    await page.wait_for_load_state()
    assert await names.all_inner_texts() == [quiet_room, open_room]

    await group.get_by_role("button", name=f"Archive “{open_room}”").click()
    await page.wait_for_load_state()
    archived_row = group.locator(f"#board-open-room-{width}")
    assert "Archived" in await archived_row.inner_text()
    assert await archived_row.get_by_role("button", name=f"Unarchive “{open_room}”").count() == 1
    await _no_sideways_scroll(page, width)
    await page.screenshot(path=screenshots / f"board-admin-{width}.png", full_page=True)

    await page.goto(live_server + "/")
    section = page.locator(f"#category-circle-{width}")
    assert await section.locator("h2").inner_text() == category
    rows = section.locator(".board-row")
    assert await rows.locator("h3 a").all_inner_texts() == [quiet_room, open_room]
    assert "Members only" in await rows.nth(0).inner_text()
    assert "Archived" in await rows.nth(1).inner_text()
    await _no_sideways_scroll(page, width)
    await page.screenshot(path=screenshots / f"home-categories-{width}.png", full_page=True)
    await context.close()

    guest = await browser.new_context(viewport={"width": width, "height": 900})
    page = await guest.new_page()
    await page.goto(live_server + "/")
    section = page.locator(f"#category-circle-{width}")
    assert await section.locator(".board-row h3 a").all_inner_texts() == [open_room]
    assert quiet_room not in await page.content()
    await page.goto(live_server + f"/b/open-room-{width}")
    assert await page.get_by_text("This board is archived: read-only.").count() == 1
    assert await page.get_by_role("link", name="Log in to post").count() == 0
    await _no_sideways_scroll(page, width)
    await guest.close()
