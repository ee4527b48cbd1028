"""Hostile and awkward inputs, and what must never survive them.

Two corpora feed the same tests. The project's own, in tests/fixtures, always runs. The
larger shared one (../shared beside the checkout) adds its items when it is there: a
fresh clone has no ../shared, so its params skip with a reason, unless
FORUM_REQUIRE_CORPUS=1 (CI) makes its absence a failure. That rule lives here only.
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import pytest
from support import SHARED

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = SHARED / "security-corpus"
SHARED_STORY = SHARED / "seed" / "example-post.txt"
OWN_STORY = FIXTURES / "story-update.txt"
BODY_LIMIT = 50_000
REQUIRE_SHARED = os.environ.get("FORUM_REQUIRE_CORPUS") == "1"

# Elements that run code, load content or restyle the page: none may come from a post.
FORBIDDEN_TAGS = {"script", "style", "meta", "base", "form", "iframe", "object", "embed"}
FORBIDDEN_TAGS |= {"img", "svg", "math"}  # images leak IPs; svg/math enable mutation XSS
URL_ATTRS = {"href", "src", "action", "formaction"}
# Browsers skip these when reading a URL's scheme.
URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")


class Corpus(NamedTuple):
    own: str  # a file in tests/fixtures
    shared: str  # its counterpart in ../shared/security-corpus


HOSTILE = Corpus("hostile_markdown.jsonl", "xss_payloads.jsonl")
PATHOLOGICAL = Corpus("pathological_markdown.jsonl", "pathological_markdown.jsonl")
BAD_INPUTS = Corpus("bad_inputs.jsonl", "bad_inputs.jsonl")


def _absent_reason(path: Path) -> str:
    where = f"../shared/{path.relative_to(SHARED).as_posix()}"
    if REQUIRE_SHARED:
        return f"{where} is missing and FORUM_REQUIRE_CORPUS=1 requires it"
    return f"{where} is not beside this checkout; the project's own corpus in tests/fixtures still runs"


def _absent(path: Path) -> NoReturn:
    """Skip a test that needs path, or fail it under FORUM_REQUIRE_CORPUS=1."""
    if REQUIRE_SHARED:
        pytest.fail(_absent_reason(path), pytrace=False)
    pytest.skip(_absent_reason(path))


class Absent:
    """Stands in for shared data that is not there: any use of it skips or fails the test."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"Absent({self.path.name})"

    def __getitem__(self, key: object) -> NoReturn:
        _absent(self.path)

    def __iter__(self) -> NoReturn:
        _absent(self.path)

    def __len__(self) -> NoReturn:
        _absent(self.path)

    def __getattr__(self, name: str) -> NoReturn:
        if name.startswith("_"):
            raise AttributeError(name)
        _absent(self.path)


def _absent_param(path: Path, id: str) -> Any:
    """The one param standing in for a missing shared file: skipped, or failing when required."""
    marks = () if REQUIRE_SHARED else pytest.mark.skip(reason=_absent_reason(path))
    return pytest.param(Absent(path), id=id, marks=marks)


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def item_params(corpus: Corpus, category: str | None = None) -> list[Any]:
    """One param per item (of category, if given): our own always, the shared when present."""

    def params(path: Path) -> list[Any]:
        items = load_jsonl(path)
        if category is not None:
            items = [item for item in items if item["category"] == category]
        return [pytest.param(item, id=item["id"]) for item in items]

    shared = CORPUS / corpus.shared
    if not shared.exists():
        return [*params(FIXTURES / corpus.own), _absent_param(shared, f"shared-{corpus.shared}")]
    return params(FIXTURES / corpus.own) + params(shared)


def set_params(corpus: Corpus) -> list[Any]:
    """Two params, each a whole list of items: our own, then the shared one when present."""
    own = pytest.param(load_jsonl(FIXTURES / corpus.own), id=f"own-{corpus.own}")
    shared = CORPUS / corpus.shared
    if not shared.exists():
        return [own, _absent_param(shared, f"shared-{corpus.shared}")]
    return [own, pytest.param(load_jsonl(shared), id=f"shared-{corpus.shared}")]


def own_story() -> str:
    """The project's own example update in a story thread."""
    return OWN_STORY.read_text(encoding="utf-8")


def shared_story() -> str:
    """The shared seed post; skips the calling test when absent (fails when required)."""
    if not SHARED_STORY.exists():
        _absent(SHARED_STORY)
    return SHARED_STORY.read_text(encoding="utf-8")


def story_params(own: Callable[[str], Any] = str, shared: Callable[[str], Any] = str) -> list[Any]:
    """Two params: own(our story's text), then shared(the seed post's text) when present."""
    mine = pytest.param(own(own_story()), id="own-story")
    if not SHARED_STORY.exists():
        return [mine, _absent_param(SHARED_STORY, "shared-story")]
    return [mine, pytest.param(shared(shared_story()), id="shared-story")]


class Page(HTMLParser):
    """The tags, attributes and text of an HTML fragment, parsed as a browser would."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.paragraphs: list[list[str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag == "p":
            self.paragraphs.append([])
        self.text_parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.text_parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        if self.paragraphs:
            self.paragraphs[-1].append(data)

    @property
    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())

    def links(self) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == "a"]


def lines_from_comprehension(expression: str) -> list[str]:
    """Evaluate "<str expr> for x in range(N)" built from + and *, without eval()."""
    comp = ast.parse(f"[{expression}]", mode="eval").body
    assert isinstance(comp, ast.ListComp) and len(comp.generators) == 1
    loop = comp.generators[0]
    assert isinstance(loop.target, ast.Name) and isinstance(loop.iter, ast.Call)
    assert isinstance(loop.iter.func, ast.Name) and loop.iter.func.id == "range"

    def value(node: ast.expr, x: int) -> str | int:
        if isinstance(node, ast.Constant) and isinstance(node.value, str | int):
            return node.value
        if isinstance(node, ast.Name) and node.id == loop.target.id:
            return x
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mult):
            left, right = value(node.left, x), value(node.right, x)
            return left + right if isinstance(node.op, ast.Add) else left * right  # type: ignore[operator]
        raise ValueError(f"unsupported generator: {expression}")

    count = value(loop.iter.args[0], 0)
    assert isinstance(count, int)
    return [str(value(comp.elt, x)) for x in range(count)]


def pathological_body(generate: list | dict, limit: int | None = BODY_LIMIT) -> str:
    if isinstance(generate, dict):
        body = "".join(lines_from_comprehension(generate["lines"]))
    else:
        body = "".join(chunk * times for chunk, times in generate)
    return body[:limit]


# A page's own scripts: a file from /static/js and nothing inline (the CSP refuses inline too).
OWN_SCRIPT = re.compile(r'<script src="/static/js/[a-z-]+\.js" defer></script>')


def assert_safe_html(html: str, *, page_meta: bool = False) -> None:
    """Nothing in html can run script, load a frame or restyle the page (the corpus README).

    With page_meta, html is a whole page whose own <meta> tags and script files are allowed,
    but never a refresh.
    """
    if page_meta:
        html = OWN_SCRIPT.sub("", html)
    page = Page(html)
    forbidden = FORBIDDEN_TAGS - {"meta"} if page_meta else FORBIDDEN_TAGS
    assert not forbidden & set(page.tags), html
    # A second, textual net in case the stdlib parser and a browser disagree.
    assert not re.search(rf"<\s*/?\s*({'|'.join(forbidden)})\b", html, re.I), html
    for tag, attrs in page.elements:
        assert not (tag == "meta" and "http-equiv" in attrs), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in {"srcdoc", "style"}, (tag, name)
            lowered = value.lower()
            assert "expression(" not in lowered and "url(javascript" not in lowered
            if name in URL_ATTRS:
                url = URL_IGNORED.sub("", lowered)
                assert not url.startswith(("javascript:", "vbscript:", "data:")), (tag, value)
