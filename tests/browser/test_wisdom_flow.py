"""Advice becomes wisdom and is cited, in a real browser: a senior member advises, a reader
saves the passage, a moderator approves it into a pinned collection, and another member finds
it from the reply box and cites it."""

import re

import pytest
from support import PASSWORD, SENIOR

pytestmark = pytest.mark.browser

# Seeded in tests/browser/conftest.py (the report flow's moderator, and WISDOM_READERS).
MODERATOR = "Quiet.Keeper"
PROPOSER, CITER = "Ember.Reads", "Still.Water"
# Each width gets words of its own, so one run's quote never answers the other's search.
WORD = {390: "lighthouse", 1280: "harbourmaster"}


async def _member(browser, live_server, viewport, handle, *, dark=False):
    context = await browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light")
    page = await context.new_page()
    await page.goto(live_server + "/login")
    await page.get_by_label("Handle").fill(handle)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(live_server + "/")
    return context, page


async def _no_sideways_scroll(page, width):
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide in a {width}px window"


async def _select(post, phrase):
    """Select `phrase` inside the post as a reader's drag would, and let go of the mouse."""
    found = await post.locator(".prose").evaluate(
        """(prose, phrase) => {
            const walker = document.createTreeWalker(prose, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(phrase);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + phrase.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                const box = range.getBoundingClientRect();
                prose.dispatchEvent(new MouseEvent("mouseup", {
                    bubbles: true, clientX: box.right, clientY: box.bottom,
                }));
                return true;
            }
            return false;
        }""",
        phrase,
    )
    assert found, f"{phrase!r} is not in the post"


@pytest.mark.parametrize("width", [390, 1280])
async def test_advice_is_saved_approved_into_a_pinned_collection_and_cited_from_the_composer(
    live_server, browser, screenshots, width
):
    viewport = {"width": width, "height": 900}
    shots = screenshots / "w3"
    shots.mkdir(exist_ok=True)
    word = WORD[width]
    passage = (
        f"Sit back and listen, like a {word} watching the tide. Write down only what was true."
    )
    title = f"When H talks about the MLC ({width})"

    # A senior member answers with advice.
    context, page = await _member(browser, live_server, viewport, SENIOR)
    await page.goto(live_server + "/b/my-story/new")
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Your post").fill(
        f"I have been where you are.\n\n{passage}\n\nThe rest can wait until you are calmer."
    )
    await page.get_by_role("button", name="Start thread").click()
    await page.wait_for_selector(f"h1:has-text('{title}')")
    thread_url = page.url.split("#")[0].split("?")[0]
    await context.close()

    # A reader selects the passage and saves it as wisdom.
    context, page = await _member(browser, live_server, viewport, PROPOSER)
    await page.goto(thread_url)
    advice = page.locator(".post").first
    await _select(advice, passage)
    # wisdom.js offers its own "Save as wisdom" under the selection, with the words filled in.
    pick = page.locator("a.wisdom-pick")
    await pick.wait_for(state="visible")
    await pick.click()
    await page.wait_for_url(re.compile(r"/p/\d+/wisdom"))
    assert await page.get_by_label("The passage").input_value() == passage
    await page.get_by_role("button", name="Propose").click()
    await page.wait_for_url(re.compile(r"/wisdom/\d+\?proposed=1"))
    wisdom_id = int(re.search(r"/wisdom/(\d+)", page.url)[1])
    await context.close()

    # A moderator makes a collection, pins it on the board, and approves the quote into it.
    collection = f"Listening first {width}"
    context, page = await _member(browser, live_server, viewport, MODERATOR)
    await page.goto(live_server + "/resources/new")
    await page.get_by_label("Title").fill(collection)
    await page.get_by_role("button", name="Create the collection").click()
    await page.wait_for_url(re.compile(r"/resources/[^/]+/edit"))
    collection_url = page.url.split("/edit")[0]
    await page.get_by_label("Pinned at the top of").select_option(label="My story")
    await page.get_by_role("button", name="Save pins").click()
    await page.wait_for_url(re.compile(r"done=pinned"))
    await page.goto(live_server + "/wisdom/proposals")
    proposal = page.locator(f"#w{wisdom_id}")
    await proposal.get_by_text("Approve into collections").click()
    await proposal.get_by_label(collection).check()
    await proposal.get_by_role("button", name="Approve").click()
    await page.wait_for_url(re.compile(r"done=approved"))
    await page.goto(live_server + "/b/my-story")
    assert await page.locator(f"a[href='{collection_url.removeprefix(live_server)}']").count() >= 1
    await context.close()

    # Another member finds it from the reply box by its words, and cites it.
    context, page = await _member(browser, live_server, viewport, CITER)
    await page.goto(thread_url)
    reply = page.get_by_label("Your reply")
    await reply.fill("This is what got me through the first month:")
    await page.locator(".cite-panel summary").click()
    await page.get_by_label("Find wisdom by its words").fill(f"{word} tide")
    result = page.locator(".cite-result", has_text=word)
    await result.wait_for()
    assert await page.locator(".cite-result").count() == 1
    await result.get_by_role("button", name="Insert").click()
    assert await reply.input_value() == (
        f"This is what got me through the first month:\n[wisdom={wisdom_id}]\n"
    )
    await _no_sideways_scroll(page, width)
    await page.locator("#reply").screenshot(path=shots / f"flow-composer-{width}.png")
    await page.get_by_role("button", name="Post reply").click()
    citation = page.locator(".post").last.locator("blockquote.wisdom")
    await citation.wait_for()

    assert passage in await citation.inner_text()
    by = citation.locator(".wisdom-by a").first
    assert await by.inner_text() == SENIOR
    assert await by.get_attribute("href") == f"/wisdom/{wisdom_id}"
    await _no_sideways_scroll(page, width)
    await page.locator(".post").last.screenshot(path=shots / f"flow-citation-{width}.png")

    # The quote's own page counts the citation and links the citing post.
    await by.click()
    await page.wait_for_url(f"**/wisdom/{wisdom_id}")
    facts = page.locator(".wisdom-facts")
    assert "Cited" in await facts.inner_text() and "1 time" in await facts.inner_text()
    cited_in = page.locator("#cited-h + ul li")
    assert await cited_in.count() == 1
    assert title in await cited_in.inner_text()
    assert CITER in await cited_in.inner_text()
    await _no_sideways_scroll(page, width)
    await context.close()
