"""What members see when their Markdown becomes a post."""

from __future__ import annotations

import re

import pytest
from corpus import (
    HOSTILE,
    PATHOLOGICAL,
    Page,
    assert_safe_html,
    item_params,
    pathological_body,
    story_params,
)

from forum.core.markdown import (
    MAX_QUOTE_DEPTH,
    CitedWisdom,
    cited_wisdom_ids,
    excerpt,
    quote_markdown,
    quoted_post_ids,
    render_markdown,
)

# Our own corpus in tests/fixtures, plus ../shared's when it is beside the checkout.
XSS_ITEMS = item_params(HOSTILE)
PATHOLOGICAL_ITEMS = item_params(PATHOLOGICAL)


@pytest.mark.parametrize("item", XSS_ITEMS)
def test_no_attack_payload_can_put_script_into_a_post(item: dict) -> None:
    assert_safe_html(render_markdown(item["payload"], {1: "someone"}))


@pytest.mark.parametrize("item", item_params(HOSTILE, category="text-control"))
def test_harmless_angle_brackets_are_shown_as_typed(item: dict) -> None:
    assert Page(render_markdown(item["payload"])).text == " ".join(item["payload"].split())


def test_a_member_who_types_html_sees_their_words_not_a_gap() -> None:
    html = render_markdown("I feel <sad> today")

    assert "I feel &lt;sad&gt; today" in html
    assert Page(html).text == "I feel <sad> today"


@pytest.mark.parametrize("item", PATHOLOGICAL_ITEMS)
def test_pathological_bodies_at_the_length_limit_still_render(item: dict) -> None:
    body = pathological_body(item["generate"])

    html = render_markdown(body)

    assert isinstance(html, str)
    assert len(excerpt(html)) <= 200


def test_bare_web_addresses_become_clickable_links() -> None:
    page = Page(render_markdown("See https://example.org/help for more."))

    assert [link["href"] for link in page.links()] == ["https://example.org/help"]
    assert page.text == "See https://example.org/help for more."


def test_double_tildes_strike_words_through() -> None:
    assert "<s>not this</s>" in render_markdown("I said ~~not this~~ that.")


def test_pipe_tables_render_as_tables_without_inline_styles() -> None:
    html = render_markdown("| day | mood |\n|:---|---:|\n| Mon | ok |\n")
    page = Page(html)

    assert {"table", "thead", "tbody", "tr", "th", "td"} <= set(page.tags)
    assert "style" not in html
    assert page.text == "day mood Mon ok"


def test_headings_in_a_post_never_outrank_the_page_title() -> None:
    page = Page(render_markdown("# Big\n\n## Smaller\n\n###### Smallest"))

    assert page.tags == ["h3", "h4", "h6"]
    assert page.text == "Big Smaller Smallest"


def test_every_link_is_marked_nofollow_ugc_noopener() -> None:
    html = render_markdown(
        "[a](https://a.example) <https://b.example> c.example.com [d](/p/1) me@example.com\n\n"
        "[quote=1]\nhi\n[/quote]",
        {1: "ann"},
    )
    links = Page(html).links()

    assert len(links) == 6
    assert all(link["rel"] == "nofollow ugc noopener" for link in links)


def test_links_to_relative_and_mailto_addresses_work_but_other_schemes_stay_text() -> None:
    page = Page(render_markdown("[rules](/rules) [mail](mailto:mods@example.org) [f](ftp://x.y)"))

    assert [link["href"] for link in page.links()] == ["/rules", "mailto:mods@example.org"]
    assert "[f](ftp://x.y)" in page.text


def test_images_become_plain_links_named_by_their_alt_text() -> None:
    page = Page(render_markdown('![my cat](https://img.example/cat.png "Tibbles")'))

    assert "img" not in page.tags
    assert page.links() == [
        {"href": "https://img.example/cat.png", "title": "Tibbles", "rel": "nofollow ugc noopener"}
    ]
    assert page.text == "my cat"


def test_an_image_without_alt_text_is_a_link_showing_its_address() -> None:
    page = Page(render_markdown("![](https://img.example/cat.png)"))

    assert page.text == "https://img.example/cat.png"
    assert page.links()[0]["href"] == "https://img.example/cat.png"


def test_an_image_inside_a_link_becomes_that_links_words() -> None:
    page = Page(render_markdown("[![badge](https://img.example/b.png)](https://example.org)"))

    assert [link["href"] for link in page.links()] == ["https://example.org"]
    assert page.text == "badge"


def test_a_quote_names_its_author_from_the_lookup_and_links_to_the_post() -> None:
    html = render_markdown(
        "[quote=345]\nYou are *not* alone.\n[/quote]\n\nThank you.", {345: "ann"}
    )

    assert html.startswith(
        '<blockquote class="quote">\n<p class="quote-by">'
        '<a href="/p/345" rel="nofollow ugc noopener">ann</a> wrote:</p>\n'
        "<p>You are <em>not</em> alone.</p>\n</blockquote>"
    )
    assert html.endswith("<p>Thank you.</p>\n")


def test_a_quoted_handle_is_escaped_not_rendered_as_markup() -> None:
    html = render_markdown("[quote=345]\nhi\n[/quote]", {345: "<b>x</b>"})

    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "b" not in Page(html).tags


def test_a_quote_of_an_unknown_or_hidden_post_has_no_attribution() -> None:
    html = render_markdown("[quote=999]\nwords someone never wrote\n[/quote]", {345: "ann"})
    page = Page(html)

    assert page.elements[0] == ("blockquote", {"class": "quote"})
    assert page.links() == []
    assert "wrote:" not in page.text


def test_typing_a_handle_into_the_marker_cannot_forge_attribution() -> None:
    page = Page(render_markdown('[quote="ann"]\nfake\n[/quote]', {345: "ann"}))

    assert "blockquote" not in page.tags
    assert page.links() == []


def test_quotes_can_nest_inside_quotes() -> None:
    source = "[quote=2]\nouter\n[quote=1]\ninner\n[/quote]\nmore outer\n[/quote]\nreply"
    html = render_markdown(source, {1: "bo", 2: "al"})

    assert Page(html).text == "al wrote: outer bo wrote: inner more outer reply"
    assert html.count('<blockquote class="quote">') == 2
    assert html.index("inner") < html.index("</blockquote>") < html.index("more outer")


def test_quotes_nested_too_deep_show_their_markers_as_text() -> None:
    depth = MAX_QUOTE_DEPTH + 2
    source = "[quote=1]\n" * depth + "core\n" + "[/quote]\n" * depth + "\nreply"
    html = render_markdown(source, {1: "al"})

    assert html.count("<blockquote") == MAX_QUOTE_DEPTH
    assert html.count("<p>[quote=1]</p>") == html.count("<p>[/quote]</p>") == 2
    assert html.endswith("</blockquote>\n<p>reply</p>\n")


def test_a_quote_inside_a_list_item_keeps_its_paragraphs() -> None:
    html = render_markdown("- one\n- [quote=1]\n  quoted\n  [/quote]\n- three", {1: "al"})

    assert "<p>quoted</p>\n</blockquote>\n</li>\n<li>three</li>" in html


def test_a_forgotten_closing_marker_quotes_to_the_end_and_a_stray_one_shows() -> None:
    unclosed = render_markdown("[quote=1]\nquoted\n\nstill quoted", {1: "al"})
    stray = Page(render_markdown("mine\n[/quote]"))

    assert unclosed.rstrip().endswith("<p>still quoted</p>\n</blockquote>")
    assert stray.text == "mine [/quote]"


def test_quote_markers_inside_code_are_just_code() -> None:
    source = "```\n[quote=1]\n```"

    assert "blockquote" not in Page(render_markdown(source, {1: "al"})).tags
    assert quoted_post_ids(source) == set()


def test_quoted_post_ids_lists_each_quoted_post() -> None:
    source = "[quote=3]\n[quote=1]\na\n[/quote]\n[/quote]\n- [quote=7]\n  b\n  [/quote]\n[quote]\nc"

    assert quoted_post_ids(source) == {1, 3, 7}
    assert quoted_post_ids("no quotes here [quote=4] inline") == set()


def test_quoting_a_post_gives_a_ready_block_with_room_to_reply() -> None:
    block = quote_markdown(12, "Hang in there.\n\nIt gets **easier**.\n")

    assert block == "[quote=12]\nHang in there.\n\nIt gets **easier**.\n[/quote]\n\n"


def test_quoting_a_post_that_quotes_another_drops_the_older_quote() -> None:
    original = "[quote=4]\nold words\n[quote=3]\nolder\n[/quote]\n[/quote]\n\nnew words"
    block = quote_markdown(5, original)
    page = Page(render_markdown(block + "my reply", {5: "cy", 4: "bo", 3: "al"}))

    assert quoted_post_ids(block) == {5}
    assert page.text == "cy wrote: new words my reply"


def test_quoting_a_selection_with_a_stray_marker_cannot_break_out_of_the_quote() -> None:
    block = quote_markdown(5, "end of a quote\n[/quote]\nmy words")
    html = render_markdown(block + "reply", {5: "cy"})

    assert html.endswith("<p>end of a quote<br>\nmy words</p>\n</blockquote>\n<p>reply</p>\n")


def test_code_keeps_angle_brackets_and_ampersands_as_text() -> None:
    html = render_markdown("Use `a < b && c`:\n\n```html\n<script>alert(1)</script>\n```")
    page = Page(html)

    assert "script" not in page.tags
    assert page.text == "Use a < b && c : <script>alert(1)</script>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_excerpt_is_short_plain_text() -> None:
    source = "# Hello\n\nI *really* needed this & more. " + "word " * 100

    text = excerpt(source, length=60)

    assert len(text) <= 60
    assert text.startswith("Hello I really needed this & more. word")
    assert text.endswith("word…")
    assert "<" not in text


def test_an_excerpt_of_rendered_html_skips_the_words_it_quotes() -> None:
    html = render_markdown("[quote=1]\ntheir words\n[/quote]\nmy words", {1: "al"})

    assert excerpt(html) == "my words"
    assert excerpt("[quote=1]\nonly a quote\n[/quote]") == "only a quote"


def test_an_excerpt_of_markdown_keeps_what_looks_like_html() -> None:
    assert excerpt("I feel <sad> today") == "I feel <sad> today"


@pytest.mark.parametrize("source", story_params())
def test_a_real_post_keeps_every_paragraph_and_gains_no_markup(source: str) -> None:
    page = Page(render_markdown(source))
    source_paragraphs = [p.split() for p in re.split(r"\n\s*\n", source) if p.strip()]

    assert set(page.tags) <= {"p", "em", "strong"}
    assert [" ".join(p).split() for p in page.paragraphs] == source_paragraphs


# Wisdom citations: `[wisdom=N]` alone on a line, shown from what the caller looked up.

SIT_BACK = CitedWisdom("Sit back and listen.\n\nWrite down what was true.", "Job.Listens", 345)


def test_a_wisdom_citation_shows_the_stored_words_author_and_source_post() -> None:
    page = Page(
        render_markdown("This helped me:\n[wisdom=12]\nThank you.", cited_wisdom={12: SIT_BACK})
    )

    paragraphs = ["".join(words).strip() for words in page.paragraphs]
    assert paragraphs[1:3] == ["Sit back and listen.", "Write down what was true."]
    assert [link["href"] for link in page.links()] == ["/wisdom/12", "/p/345"]
    assert "— Job.Listens · from a post" in page.text
    assert page.text.endswith("Thank you.")


def test_a_citation_whose_source_post_is_gone_has_no_post_link() -> None:
    gone = SIT_BACK._replace(by="a former member", post_id=None)

    page = Page(render_markdown("[wisdom=12]", cited_wisdom={12: gone}))

    assert [link["href"] for link in page.links()] == ["/wisdom/12"]
    assert page.text.endswith("— a former member")


def test_a_citation_the_caller_did_not_look_up_stays_as_typed() -> None:
    html = render_markdown("[wisdom=12]\n[wisdom=13]", cited_wisdom={12: SIT_BACK})

    assert "<p>[wisdom=13]</p>" in html
    assert html.count('class="quote wisdom"') == 1


def test_words_typed_around_a_citation_never_become_part_of_it() -> None:
    forged = "[wisdom=12]\n\u2014 Quiet.Keeper said: leave him tonight"

    page = Page(render_markdown(forged, cited_wisdom={12: SIT_BACK}))

    blockquote_text = render_markdown(forged, cited_wisdom={12: SIT_BACK}).split("</blockquote>")[0]
    assert "leave him" not in blockquote_text
    assert "Job.Listens" in blockquote_text
    assert page.text.endswith("Quiet.Keeper said: leave him tonight")


@pytest.mark.parametrize(
    "source", ["see [wisdom=12] here", "`[wisdom=12]`", "    [wisdom=12]", "```\n[wisdom=12]\n```"]
)
def test_a_citation_inside_a_sentence_or_code_is_not_a_citation(source: str) -> None:
    assert cited_wisdom_ids(source) == set()
    assert Page(render_markdown(source, cited_wisdom={12: SIT_BACK})).links() == []


def test_cited_ids_are_read_from_lines_of_their_own_inside_quotes_too() -> None:
    source = "[wisdom=1]\n[quote=9]\n[wisdom=2]\n[/quote]\n  [WISDOM=3]  \n[wisdom=1]"

    assert cited_wisdom_ids(source) == {1, 2, 3}


@pytest.mark.parametrize("item", XSS_ITEMS)
def test_no_attack_payload_in_stored_wisdom_can_put_script_into_a_citing_post(item: dict) -> None:
    cited = CitedWisdom(item["payload"], item["payload"][:30], 1)

    html = render_markdown("[wisdom=7]", cited_wisdom={7: cited})

    assert_safe_html(html)
    assert 'href="/wisdom/7"' in html


def test_an_excerpt_skips_cited_wisdom_like_a_quote() -> None:
    html = render_markdown("[wisdom=12]\nmy words", cited_wisdom={12: SIT_BACK})

    assert excerpt(html) == "my words"
