"""A newcomer tells their story and a senior member answers with a quote, in a real browser."""

import itertools

import pytest
from support import PASSWORD, SENIOR

pytestmark = pytest.mark.browser
_handles = itertools.count(1)


async def _no_sideways_scroll(page, width: int) -> None:
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide in a {width}px window"


@pytest.mark.parametrize("width", [390, 1280])
async def test_newcomer_posts_a_story_and_a_senior_replies_with_an_attributed_quote(
    live_server, browser, screenshots, width
):
    newcomer = f"New.Dawn{next(_handles)}w{width}"
    viewport = {"width": width, "height": 900}

    newcomer_context = await browser.new_context(viewport=viewport)
    page = await newcomer_context.new_page()
    await page.goto(live_server + "/register")
    await page.get_by_label("Handle").fill(newcomer)
    await page.get_by_label("Password").fill("harbour lanterns drift softly")
    await page.get_by_role("button", name="Create account").click()
    await page.wait_for_url(live_server + "/")
    assert await page.get_by_role("link", name=newcomer).count() == 1

    await page.get_by_role("link", name="My story").first.click()
    await page.get_by_role("link", name="New thread").click()
    await page.get_by_label("Title").fill("Week one: the R talk")
    await page.get_by_label("Your post").fill(
        "H said a lot tonight.\n\nI mostly listened, and some of it was true."
    )
    await page.get_by_role("button", name="Start thread").click()
    await page.wait_for_selector("h1:has-text('Week one: the R talk')")
    thread_url = page.url.split("#")[0]
    await _no_sideways_scroll(page, width)
    await newcomer_context.close()

    senior_context = await browser.new_context(viewport=viewport)
    page = await senior_context.new_page()
    await page.goto(live_server + "/login")
    await page.get_by_label("Handle").fill(SENIOR)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(live_server + "/")
    await page.goto(thread_url)
    await page.get_by_role("link", name="Quote").first.click()
    reply_box = page.get_by_label("Your reply")
    quoted = await reply_box.input_value()
    assert quoted.startswith("[quote=") and "I mostly listened" in quoted
    # Trim the quote to the one sentence being answered, as the page suggests.
    post_id = quoted.split("]")[0].removeprefix("[quote=")
    await reply_box.fill(
        f"[quote={post_id}]\nI mostly listened, and some of it was true.\n[/quote]\n\n"
        "That is the hardest part. Sit back, listen, and write down what was true."
    )
    await page.get_by_role("button", name="Post reply").click()
    await page.wait_for_selector("blockquote.quote")

    attribution = page.locator("blockquote.quote .quote-by a")
    assert await attribution.inner_text() == newcomer
    assert await attribution.get_attribute("href") == f"/p/{post_id}"
    assert "Sit back, listen" in await page.locator(".post").last.inner_text()
    await _no_sideways_scroll(page, width)
    await page.screenshot(path=screenshots / f"thread-with-quote-{width}.png", full_page=True)

    await page.locator("blockquote.quote .quote-by a").click()
    await page.wait_for_url(f"**#p{post_id}")
    await senior_context.close()


async def test_registration_errors_keep_what_was_typed(live_server, browser, screenshots):
    context = await browser.new_context(viewport={"width": 390, "height": 900}, color_scheme="dark")
    page = await context.new_page()
    await page.goto(live_server + "/register")
    await page.get_by_label("Handle").fill("x!")
    await page.get_by_label("Password").fill("password123")
    await page.get_by_label("Email (optional)").fill("me@example.org")
    # The browser's own checks would stop a too-short handle; turn them off to reach the server's.
    await page.evaluate("document.querySelector('form.stack').noValidate = true")
    await page.get_by_role("button", name="Create account").click()
    await page.wait_for_selector(".field-error")
    assert await page.get_by_label("Handle").input_value() == "x!"
    assert await page.get_by_label("Email (optional)").input_value() == "me@example.org"
    assert await page.locator("#handle-error").count() == 1
    assert await page.locator("#password-error").count() == 1  # every problem at once
    await page.screenshot(path=screenshots / "register-errors-390-dark.png", full_page=True)
    await context.close()
