"""Markdown to sanitised HTML for posts, rendered once when a post is written.

Posts use CommonMark plus bare-URL links, ``~~strikethrough~~`` and pipe tables.
A single newline inside a paragraph is kept as a line break. Raw HTML is shown
as text, images become plain links, and the output is sanitised with nh3.

Quote syntax, each marker alone on its own line (up to 3 spaces of indent)::

    [quote=345]
    the quoted words, any Markdown
    [/quote]

A wisdom citation is one line, ``[wisdom=12]``, alone on its line. It renders as the
quote's stored words and attribution, looked up by the caller when the post is written;
an id the caller didn't supply (unknown, unapproved, not visible) stays as typed.

``[quote]`` without an id quotes without attribution. Quotes nest. An unclosed
``[quote=N]`` runs to the end of the block that holds it (as a code fence does),
a stray ``[/quote]`` is shown as text, and so are markers nested deeper than
``MAX_QUOTE_DEPTH``. Markers inside code blocks are code, not quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from html import escape
from html.parser import HTMLParser
from typing import Any, NamedTuple

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
HEADING_SHIFT = 2  # h1 -> h3, so a post never outranks the page's own headings
MAX_QUOTE_DEPTH = 8

_OPEN_RE = re.compile(r"\[quote(?:=(\d{1,18}))?\]", re.IGNORECASE)
_CLOSE_RE = re.compile(r"\[/quote\]", re.IGNORECASE)
_WISDOM_RE = re.compile(r"\[wisdom=(\d{1,18})\]", re.IGNORECASE)
_BLANK_LINES_RE = re.compile(r"\n\s*\n")
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Browsers ignore controls and whitespace when reading a URL's scheme.
_URL_IGNORED_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_NEWLINE_RE = re.compile(r"\r\n?|\n")  # markdown-it's own line split, so line maps agree
_RENDERED_RE = re.compile(r"\s*<(?:p|h[1-6]|blockquote|ul|ol|pre|table|hr)[\s>]")


class _PostMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Allow only http(s), mailto and relative URLs, so other links stay text."""
        scheme = _SCHEME_RE.match(_URL_IGNORED_RE.sub("", url))
        return scheme is None or scheme[1].lower() in ALLOWED_SCHEMES


def _quote_marker(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule: a `[quote=N]` or `[/quote]` line becomes a one-line marker token."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.src[pos : pos + 1] != "[" or state.is_code_block(start):
        return False
    line = state.src[pos : state.eMarks[start]].rstrip()
    opener = _OPEN_RE.fullmatch(line)
    if opener is None and _CLOSE_RE.fullmatch(line) is None:
        return False
    if silent:
        return True
    token = state.push("quote_marker", "", 0)
    token.map = [start, start + 1]
    token.content = line
    token.meta = {
        "opens": opener is not None,
        "post_id": int(opener[1]) if opener and opener[1] else None,
    }
    state.line = start + 1
    return True


class CitedWisdom(NamedTuple):
    """What a citation block shows, all of it from the database, none from the writer."""

    text: str
    by: str  # the handle, or "a former member"
    post_id: int | None  # the source post, while it is still up


def _wisdom_marker(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule: a `[wisdom=N]` line becomes a citation token."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.src[pos : pos + 1] != "[" or state.is_code_block(start):
        return False
    line = state.src[pos : state.eMarks[start]].rstrip()
    cited = _WISDOM_RE.fullmatch(line)
    if cited is None:
        return False
    if silent:
        return True
    token = state.push("wisdom_cite", "", 0)
    token.map = [start, start + 1]
    token.content = line
    token.meta = {"wisdom_id": int(cited[1])}
    state.line = start + 1
    return True


def _as_text(marker: Token) -> list[Token]:
    """A marker that pairs with nothing, as a paragraph showing what was typed."""
    inline = Token("inline", "", 0, map=marker.map, content=marker.content, children=[])
    return [
        Token("paragraph_open", "p", 1, map=marker.map, block=True, meta={"quote_marker": True}),
        inline,
        Token("paragraph_close", "p", -1, block=True),
    ]


def _pair_quotes(state: StateCore) -> None:
    """Core rule: pair quote markers within each block container, demote headings."""
    out: list[Token] = []
    # One frame per open container: the source-map of its end, and its open quotes
    # (False for an opener past MAX_QUOTE_DEPTH, shown as text with its closer).
    frames: list[tuple[list[int] | None, list[bool]]] = [([state.src.count("\n") + 1] * 2, [])]
    depth = 0

    def close_frame_quotes() -> None:
        nonlocal depth
        end_map, quotes = frames.pop()
        while quotes:
            if quotes.pop():
                depth -= 1
                out.append(Token("quote_close", "blockquote", -1, block=True, map=end_map))

    for token in state.tokens:
        quotes = frames[-1][1]
        if token.type == "quote_marker":
            if token.meta["opens"]:
                quotes.append(depth < MAX_QUOTE_DEPTH)
            if token.meta["opens"] and quotes[-1]:
                token.type, token.tag, token.nesting = "quote_open", "blockquote", 1
                depth += 1
                out.append(token)
            elif not token.meta["opens"] and quotes and quotes.pop():
                depth -= 1
                out.append(Token("quote_close", "blockquote", -1, block=True, map=token.map))
            else:
                out.extend(_as_text(token))
            continue
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"
        elif depth and token.type in ("paragraph_open", "paragraph_close"):
            token.hidden = False  # a tight list must not unwrap the paragraphs it quotes
        if token.nesting == -1:
            close_frame_quotes()
        out.append(token)
        if token.nesting == 1:
            frames.append(([token.map[1]] * 2 if token.map else None, []))
    close_frame_quotes()
    state.tokens = out


def _images_to_links(state: StateCore) -> None:
    """Core rule: images become links named by their alt text (or URL), never <img>.

    External images would leak readers' IP addresses to whoever hosts them.
    """
    text_of = state.md.renderer.renderInlineAsText
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "image":
                children.append(token)
                continue
            src = str(token.attrGet("src") or "")
            alt = text_of(token.children, state.md.options, state.env)
            label = Token("text", "", 0, content=alt or src)
            if in_link:  # a link inside a link is invalid HTML; keep just the words
                children.append(label)
                continue
            attrs: dict[str, str | int | float] = {"href": src}
            if token.attrGet("title"):
                attrs["title"] = token.attrs["title"]
            children += [
                Token("link_open", "a", 1, attrs=attrs),
                label,
                Token("link_close", "a", -1),
            ]
        block.children = children


def _render_quote_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    """Attribution comes only from the caller's lookup, so typing a handle can't forge it."""
    post_id = tokens[idx].meta["post_id"]
    handle = env.get("quoted_authors", {}).get(post_id) if post_id is not None else None
    if handle is None:
        return '<blockquote class="quote">\n'
    return (
        f'<blockquote class="quote">\n<p class="quote-by"><a href="/p/{post_id}">'
        f"{escape(str(handle))}</a> wrote:</p>\n"
    )


def _render_wisdom_cite(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    """The stored passage, never the writer's text: an id without a lookup stays as typed."""
    token = tokens[idx]
    wisdom_id = token.meta["wisdom_id"]
    cited = env.get("cited_wisdom", {}).get(wisdom_id)
    if cited is None:
        return f"<p>{escape(token.content)}</p>\n"
    paragraphs = [
        escape(part.strip("\n")).replace("\n", "<br>\n")
        for part in _BLANK_LINES_RE.split(_NEWLINE_RE.sub("\n", cited.text))
        if part.strip()
    ]
    body = "".join(f"<p>{part}</p>\n" for part in paragraphs)
    source = f' · <a href="/p/{int(cited.post_id)}">from a post</a>' if cited.post_id else ""
    return (
        f'<blockquote class="quote wisdom">\n{body}'
        f'<p class="wisdom-by">— <a href="/wisdom/{int(wisdom_id)}">{escape(cited.by)}</a>'
        f"{source}</p>\n</blockquote>\n"
    )


def _render_quote_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    return "</blockquote>\n"


def _build_markdown() -> MarkdownIt:
    md = _PostMarkdown("gfm-like", {"html": False, "breaks": True, "typographer": False})
    md.block.ruler.before(
        "table",
        "quote_marker",
        _quote_marker,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.block.ruler.before(
        "table",
        "wisdom_cite",
        _wisdom_marker,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.core.ruler.after("block", "pair_quotes", _pair_quotes)
    md.core.ruler.push("images_to_links", _images_to_links)
    md.add_render_rule("quote_open", _render_quote_open)
    md.add_render_rule("quote_close", _render_quote_close)
    md.add_render_rule("wisdom_cite", _render_wisdom_cite)
    return md


_MD = _build_markdown()

_BLOCK_TAGS = {"p", "br", "hr", "pre", "blockquote", "ul", "ol", "li"}
_HEADING_TAGS = {f"h{n}" for n in range(1, 7)}
_INLINE_TAGS = {"em", "strong", "del", "s", "code", "a", "abbr"}
_TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}
_CLEANER = nh3.Cleaner(
    tags=_BLOCK_TAGS | _HEADING_TAGS | _INLINE_TAGS | _TABLE_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}},
    allowed_classes={"blockquote": {"quote", "wisdom"}, "p": {"quote-by", "wisdom-by"}},
    url_schemes=set(ALLOWED_SCHEMES),
    link_rel=LINK_REL,
)


def render_markdown(
    source: str,
    quoted_authors: Mapping[int, str] | None = None,
    cited_wisdom: Mapping[int, CitedWisdom] | None = None,
) -> str:
    """Render a post's Markdown to sanitised HTML.

    `quoted_authors` maps quoted post ids to their authors' handles; other quotes go unnamed.
    `cited_wisdom` holds the wisdom the writer may cite; other `[wisdom=N]` lines stay text.
    """
    env = {"quoted_authors": quoted_authors or {}, "cited_wisdom": cited_wisdom or {}}
    html = _MD.render(source, env)
    return _CLEANER.clean(html)


def quoted_post_ids(source: str) -> set[int]:
    """Ids of the posts that the quote blocks in `source` attribute."""
    return {
        token.meta["post_id"]
        for token in _MD.parse(source)
        if token.type == "quote_open" and token.meta["post_id"] is not None
    }


def cited_wisdom_ids(source: str) -> set[int]:
    """Ids in the `[wisdom=N]` lines of `source` (outside code)."""
    return {token.meta["wisdom_id"] for token in _MD.parse(source) if token.type == "wisdom_cite"}


def _quote_line_spans(tokens: Sequence[Token]) -> Iterator[range]:
    """Source lines taken by outermost quote blocks and by stray quote markers."""
    depth = 0
    start = 0
    for token in tokens:
        if token.type == "quote_open":
            if depth == 0 and token.map:
                start = token.map[0]
            depth += 1
        elif token.type == "quote_close":
            depth -= 1
            if depth == 0 and token.map:
                yield range(start, token.map[1])
        elif depth == 0 and token.meta.get("quote_marker") and token.map:
            yield range(*token.map)


def quote_markdown(post_id: int, text: str) -> str:
    """A reply-box quote block of `text` (quotes inside it dropped), ending in a blank line."""
    lines = _NEWLINE_RE.split(text)
    dropped = {n for span in _quote_line_spans(_MD.parse(text)) for n in span}
    kept = [line for n, line in enumerate(lines) if n not in dropped]
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    body = "\n".join(kept)
    return f"[quote={int(post_id)}]\n{body}\n[/quote]\n\n"


class _TextExtractor(HTMLParser):
    """Collects the text of rendered HTML, apart and together with quoted posts."""

    _BLOCKS = frozenset(
        {"p", "br", "hr", "li", "pre", "blockquote", "tr", "th", "td"}
        | {f"h{n}" for n in range(1, 7)}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.own: list[str] = []
        self.everything: list[str] = []
        self._open_blockquotes: list[bool] = []  # True for a quote of another post

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "blockquote":
            classes = (dict(attrs).get("class") or "").split()
            self._open_blockquotes.append("quote" in classes)
        if tag in self._BLOCKS:
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote" and self._open_blockquotes:
            self._open_blockquotes.pop()
        if tag in self._BLOCKS:
            self.handle_data(" ")

    def handle_data(self, data: str) -> None:
        self.everything.append(data)
        if not any(self._open_blockquotes):
            self.own.append(data)


def own_text(html: str) -> str:
    """The words of rendered HTML outside quoted posts and cited wisdom, a space at each block."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.own)


def excerpt(source_or_html: str, length: int = 200) -> str:
    """Plain text (unescaped, no tags) of a post, at most `length` characters.

    Takes rendered HTML or Markdown source; skips quoted posts unless that leaves nothing.
    """
    is_html = _RENDERED_RE.match(source_or_html) is not None
    extractor = _TextExtractor()
    extractor.feed(source_or_html if is_html else render_markdown(source_or_html))
    extractor.close()
    text = " ".join("".join(extractor.own).split()) or " ".join(
        "".join(extractor.everything).split()
    )
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    # Break at a word if one ends in the second half, rather than mid-word.
    if cut.rfind(" ") > length // 2:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"
