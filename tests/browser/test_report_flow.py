"""A report reaches a moderator and its outcome reaches the reporter; a held first post goes up.

Each test leaves the review queue empty again, so the navigation's count starts from nothing.
"""

import itertools

import pytest
from support import PASSWORD, SENIOR

pytestmark = pytest.mark.browser
_handles = itertools.count(1)
MODERATOR = "Quiet.Keeper"  # seeded as a global moderator by tests/browser/conftest.py
UNKIND = "Nobody wants to read your whining. Grow up and stop posting."


async def _member(browser, live_server, viewport, handle, password=PASSWORD, *, dark=False):
    context = await browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light")
    page = await context.new_page()
    await page.goto(live_server + "/login")
    await page.get_by_label("Handle").fill(handle)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(live_server + "/")
    return context, page


async def _newcomer(browser, live_server, viewport, handle):
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    await page.goto(live_server + "/register")
    await page.get_by_label("Handle").fill(handle)
    await page.get_by_label("Password").fill("harbour lanterns drift softly")
    await page.get_by_role("button", name="Create account").click()
    await page.wait_for_url(live_server + "/")
    return context, page


async def _start_thread(page, live_server, board, title, body):
    await page.goto(f"{live_server}/b/{board}/new")
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Your post").fill(body)
    await page.get_by_role("button", name="Start thread").click()
    await page.wait_for_selector(f"h1:has-text('{title}')")
    return page.url.split("#")[0].split("?")[0]


async def _no_sideways_scroll(page, width):
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide in a {width}px window"


@pytest.mark.parametrize("width", [390, 1280])
async def test_a_report_is_hidden_by_a_moderator_and_the_reporter_is_told(
    live_server, browser, screenshots, width
):
    viewport = {"width": width, "height": 900}
    title = f"Week three {next(_handles)}w{width}"
    author, page = await _newcomer(browser, live_server, viewport, f"Sharp.Words{width}")
    thread_url = await _start_thread(page, live_server, "my-story", title, UNKIND)
    await author.close()

    reporter, page = await _member(browser, live_server, viewport, SENIOR)
    await page.goto(thread_url)
    await page.get_by_role("link", name="Report").first.click()
    await page.get_by_label("Unkind or abusive").check()
    await page.get_by_label("Anything moderators should know?").fill("Cruel to a newcomer.")
    await _no_sideways_scroll(page, width)
    await page.get_by_role("button", name="Send report").click()
    await page.wait_for_selector("h1:has-text('Thank you for telling us')")
    confirmation = await page.locator("main").inner_text()
    assert "Moderators will look at the post" in confirmation
    assert "notices" in confirmation
    assert "emergency services" not in confirmation  # only for "someone may be at risk"
    await page.screenshot(path=screenshots / f"report-sent-{width}.png", full_page=True)

    moderator, mod_page = await _member(browser, live_server, viewport, MODERATOR, dark=True)
    review_link = mod_page.locator("header a[href='/review']")
    assert (await review_link.inner_text()).split() == ["Review", "1"]
    await review_link.click()
    await mod_page.wait_for_selector("h1:has-text('Review')")
    assert "Unkind or abusive" in await mod_page.locator(".queue").inner_text()
    await mod_page.get_by_role("link", name=f"Review the post in {title}").click()
    await mod_page.wait_for_selector("h1:has-text('Review a post')")
    assert "Cruel to a newcomer." in await mod_page.locator(".report-list").inner_text()
    await mod_page.locator("details.action summary", has_text="Hide").click()
    reason = "Unkind to another member. Please keep replies gentle."
    await mod_page.locator("#hide-reason").fill(reason)
    await mod_page.locator("form[action$='/hide'] button").click()
    await mod_page.wait_for_selector(".review-banner")
    assert "Hidden" in await mod_page.locator(".review-banner").inner_text()
    assert await mod_page.get_by_role("button", name="Undo").count() == 1
    await _no_sideways_scroll(mod_page, width)
    await mod_page.screenshot(path=screenshots / f"review-hidden-{width}-dark.png", full_page=True)
    await moderator.close()

    await page.goto(live_server + "/")
    notices_link = page.locator("header a[href='/notifications']")
    assert (await notices_link.inner_text()).split() == ["Notices", "1"]
    await notices_link.click()
    notice = await page.locator(".notice-row.unread").first.inner_text()
    assert f"about a post in “{title}”" in notice
    assert "A moderator reviewed it and hid it." in notice
    await page.get_by_role("button", name="Mark all as read").click()
    await page.wait_for_selector(".notice-row:not(.unread)")
    await reporter.close()

    guest = await browser.new_context(viewport=viewport)
    page = await guest.new_page()
    await page.goto(thread_url)
    text = await page.locator(".posts").inner_text()
    assert f"Hidden by the moderators: {reason}" in text
    assert UNKIND not in text
    await guest.close()


async def test_a_new_members_first_post_waits_until_a_moderator_approves_it(
    live_server, browser, screenshots
):
    viewport = {"width": 1280, "height": 900}
    title = "Hello, I just found this place"
    newcomer, page = await _newcomer(browser, live_server, viewport, "Just.Arrived")
    thread_url = await _start_thread(
        page, live_server, "introductions", title, "My wife left last week. I can't sleep."
    )
    assert "Waiting for a moderator's approval." in await page.locator(".posts").inner_text()
    await newcomer.close()

    guest = await browser.new_context(viewport=viewport)
    guest_page = await guest.new_page()
    absent = await guest_page.goto(thread_url)
    assert absent.status == 404
    board = await guest_page.goto(live_server + "/b/introductions")
    assert board.ok and title not in await guest_page.locator("main").inner_text()

    moderator, page = await _member(browser, live_server, viewport, MODERATOR)
    await page.goto(live_server + "/review?show=held")
    assert "A new member's first posts wait" in await page.locator(".queue").inner_text()
    await page.get_by_role("link", name=f"Review the post in {title}").click()
    await page.locator("details.action summary", has_text="Approve").click()
    await page.locator("form[action$='/approve'] button").click()
    await page.wait_for_selector(".review-banner")
    assert "Approved" in await page.locator(".review-banner").inner_text()
    await page.screenshot(path=screenshots / "review-approved-1280.png", full_page=True)
    await moderator.close()

    shown = await guest_page.goto(thread_url)
    assert shown.ok
    assert "My wife left last week." in await guest_page.locator(".posts").inner_text()
    await guest.close()
