"""Terms explained in posts: whole words, case-sensitive, longest first, nothing else touched."""

import re
from html.parser import HTMLParser

import pytest
from corpus import (
    HOSTILE,
    PATHOLOGICAL,
    Page,
    assert_safe_html,
    item_params,
    own_story,
    pathological_body,
    shared_story,
)

from forum.core.markdown import render_markdown
from forum.glossary.annotate import Glossary

# Our own corpus in tests/fixtures, plus ../shared's when it is beside the checkout.
XSS = item_params(HOSTILE)
PATHOLOGICAL_ITEMS = item_params(PATHOLOGICAL)
ABBR = re.compile(r'<abbr title="([^"]*)" tabindex="0">(.*?)</abbr>')


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    """The words a reader sees, with tags removed and nothing put in their place."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def explained(html: str) -> list[tuple[str, str]]:
    """(term, meaning) for every abbreviation the annotator added, in order."""
    return [(term, meaning) for meaning, term in ABBR.findall(html)]


def unwrapped(html: str) -> str:
    """The annotated HTML with the annotator's abbreviations taken off again."""
    return ABBR.sub(r"\2", html)


def terms_explained(source: str, common_terms: dict[str, str]) -> dict[str, int]:
    """Annotate a story: every term is explained each time, nothing else changes; the counts."""
    glossary = Glossary.of(common_terms.items())
    html = render_markdown(source)
    annotated = glossary.annotate_html(html)
    words = text_of(html)
    found = {}
    for term in common_terms:
        occurrences = len(re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", words))
        wrapped = [pair for pair in explained(annotated) if pair[0] == term]
        assert len(wrapped) == occurrences, term
        assert all(meaning == common_terms[term] for _, meaning in wrapped)
        found[term] = occurrences
    assert text_of(annotated) == words
    assert unwrapped(annotated) == html
    return found


def test_every_term_in_the_example_post_is_explained_and_nothing_else_changes(common_terms):
    found = terms_explained(shared_story(), common_terms)
    # What the story actually uses: her H, their M, an R talk, the MLCer; "MLC" never alone.
    assert {term for term, count in found.items() if count} == {"H", "M", "R", "MLCer"}
    assert found["H"] >= 5


def test_every_term_in_our_own_story_update_is_explained_and_nothing_else_changes(common_terms):
    found = terms_explained(own_story(), common_terms)
    # His W, the M and R he didn't ask about, their LC, the MLC and the MLCer, the H once.
    expected = {"W", "M", "R", "LC", "MLC", "MLCer", "H"}
    assert {term for term, count in found.items() if count} == expected
    assert found["W"] >= 4


def test_code_links_and_existing_abbreviations_keep_their_words():
    glossary = Glossary.of([("H", "Husband")])
    html = render_markdown(
        "H wrote `H` and [H's page](https://example.org/H) and **H**\n\n```\nH in a fence\n```"
    )
    html += '<p><abbr title="Already said">H</abbr> and <a href="/p/1"><em>H</em></a> H</p>'
    annotated = glossary.annotate_html(html)
    assert "<code>H</code>" in annotated
    assert "H in a fence" in annotated
    assert ">H's page</a>" in annotated
    assert '<abbr title="Already said">H</abbr>' in annotated
    assert '<a href="/p/1"><em>H</em></a>' in annotated
    # The first word, the bold one and the last one: nothing inside code, links or abbr.
    assert explained(annotated) == [("H", "Husband")] * 3
    assert "<strong><abbr" in annotated


def test_attributes_are_never_rewritten_even_when_they_hold_terms_and_angle_brackets():
    glossary = Glossary.of([("H", "Husband"), ("title", "Not a tag"), ("href", "Nor this")])
    html = '<p title="H > W, title &quot;H&quot;"><a href="/H" title="H">x</a> H</p>'
    annotated = glossary.annotate_html(html)
    assert annotated == (
        '<p title="H > W, title &quot;H&quot;"><a href="/H" title="H">x</a> '
        '<abbr title="Husband" tabindex="0">H</abbr></p>'
    )


def test_the_longest_term_wins_and_partial_words_are_left_alone():
    glossary = Glossary.of([("MLC", "Mid-life crisis"), ("MLCer", "Someone in one")])
    annotated = glossary.annotate_html("<p>The MLCer, the MLC and the MLCers.</p>")
    assert explained(annotated) == [("MLCer", "Someone in one"), ("MLC", "Mid-life crisis")]
    assert "MLCers." in annotated


def test_terms_are_whole_words_and_case_counts():
    glossary = Glossary.of([("H", "Husband"), ("h", "hours, in our timetable thread")])
    annotated = glossary.annotate_html("<p>H said. (H) H's car. Hello Hh 2h h. ÉH</p>")
    assert explained(annotated) == [
        ("H", "Husband"),
        ("H", "Husband"),
        ("H", "Husband"),
        ("h", "hours, in our timetable thread"),
    ]
    assert "Hello Hh 2h" in annotated and "ÉH" in annotated


def test_terms_match_the_words_as_read_and_stay_escaped():
    glossary = Glossary.of([("R&R", "Rest and recovery"), ("no contact", "No contact at all")])
    html = render_markdown("A weekend of R&R <now>, then no  contact.")
    annotated = glossary.annotate_html(html)
    assert '<abbr title="Rest and recovery" tabindex="0">R&amp;R</abbr> &lt;now&gt;' in annotated
    assert explained(annotated)[1] == ("no  contact", "No contact at all")
    assert text_of(annotated) == text_of(html)


def test_a_meaning_holding_markup_is_escaped_in_the_title():
    meaning = '<script>alert(1)</script>" onmouseover="alert(2)'
    annotated = Glossary.of([("OW", meaning)]).annotate_html("<p>The OW again.</p>")
    assert_safe_html(annotated)
    assert "<script" not in annotated
    assert Page(annotated).elements[1] == ("abbr", {"title": meaning, "tabindex": "0"})


@pytest.mark.parametrize("item", XSS)
def test_no_attack_payload_becomes_unsafe_when_annotated(item, common_terms):
    # Terms that are also tag, attribute and scheme names: none may be rewritten there.
    hostile = {"a": "x", "href": "y", "javascript": "z", "onerror": "w", "script": "<script>"}
    glossary = Glossary.of({**common_terms, **hostile}.items())
    html = render_markdown(item["payload"])
    annotated = glossary.annotate_html(html)
    assert_safe_html(annotated)
    assert text_of(annotated) == text_of(html)
    assert unwrapped(annotated) == html


@pytest.mark.parametrize("item", PATHOLOGICAL_ITEMS)
def test_pathological_posts_annotate_safely(item, common_terms):
    glossary = Glossary.of({**common_terms, "a": "x", "b": "y"}.items())
    html = render_markdown(pathological_body(item["generate"]))
    annotated = glossary.annotate_html(html)
    assert_safe_html(annotated)
    assert unwrapped(annotated) == html


def test_each_post_is_annotated_once_per_version_of_its_html_and_the_glossary():
    glossary = Glossary.of([("H", "Husband")])
    first = glossary.annotate(7, "<p>H said</p>")
    assert glossary.annotate(7, "<p>H said</p>") is first
    assert glossary.annotate(7, "<p>H said more</p>") is not first
    changed = Glossary.of([("H", "Husband, or former husband")])
    assert changed.version != glossary.version
    assert "former" in changed.annotate(7, "<p>H said</p>")
    assert Glossary.of([("H", "Husband")]).version == glossary.version


def test_an_empty_glossary_returns_posts_untouched():
    glossary = Glossary.of([])
    html = "<p>H said</p>"
    assert not glossary
    assert glossary.annotate(1, html) is html
