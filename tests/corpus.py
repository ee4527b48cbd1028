"""The shared security corpus (../shared/security-corpus), and what must never survive it."""

from __future__ import annotations

import ast
import json
import re
from html.parser import HTMLParser

from support import SHARED

CORPUS = SHARED / "security-corpus"
BODY_LIMIT = 50_000

# Elements that run code, load content or restyle the page: none may come from a post.
FORBIDDEN_TAGS = {"script", "style", "meta", "base", "form", "iframe", "object", "embed"}
FORBIDDEN_TAGS |= {"img", "svg", "math"}  # images leak IPs; svg/math enable mutation XSS
URL_ATTRS = {"href", "src", "action", "formaction"}
# Browsers skip these when reading a URL's scheme.
URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")


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


def load_jsonl(name: str) -> list[dict]:
    with (CORPUS / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


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
