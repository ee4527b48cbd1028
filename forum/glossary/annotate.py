"""Glossary terms explained where posts are shown: each one becomes <abbr title="meaning">.

Stored posts are never rewritten: the annotation happens on the sanitised HTML at display
time, so a term added today explains posts written years ago. Matches are whole words and
case-sensitive ("H said", never the H of "Hello"), the longest term wins ("MLCer" over
"MLC"), and code, links, existing abbreviations and attributes are left exactly as stored.
"""

import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape, unescape

from sqlalchemy.ext.asyncio import AsyncSession

from forum.db import fetch_rows
from forum.glossary.queries import term_meanings

# Another process's change to the glossary shows here within this many seconds.
GLOSSARY_TTL_SECONDS = 5.0
# The annotated-HTML cache is bounded by characters held, not entries: posts vary a hundredfold.
CACHE_CHARS = 8_000_000

# A tag or comment in sanitised HTML. Attribute values are quoted and may hold a raw ">",
# so quoted strings are consumed whole; text never holds a raw "<" (the sanitiser escapes it).
_TAG = re.compile(r"""<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
# Inside these the words stay as written: code is literal, a link's words are its own, and an
# abbreviation already explains itself (nesting one abbr in another would say it twice).
_LEAVE_ALONE = frozenset({"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "textarea"})


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One regex for every term: longest first so "MLCer" wins over "MLC"; lookarounds on \\w
    so "H." and "(H)" match but "Hello" does not; a space in a term matches any whitespace."""
    ordered = sorted(terms, key=lambda term: (-len(term), term))
    alternatives = (r"\s+".join(re.escape(word) for word in term.split()) for term in ordered)
    # Most positions in a post start no term: a cheap look at the first character rejects them
    # before the lookbehind and the alternation run (about 40% less time per post).
    firsts = "".join(sorted({term[0] for term in ordered}))
    return re.compile(
        "(?=[" + re.escape(firsts) + r"])(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"
    )


@dataclass(frozen=True, eq=False)
class Glossary:
    """The glossary as one compiled pattern; `version` changes whenever any term or meaning does."""

    meanings: dict[str, str]
    version: str
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> "Glossary":
        meanings = {term: meaning for term, meaning in pairs}
        fingerprint = json.dumps(sorted(meanings.items()), ensure_ascii=False)
        version = hashlib.blake2b(fingerprint.encode(), digest_size=12).hexdigest()
        pattern = _term_pattern(meanings) if meanings else None
        return cls(meanings, version, pattern)

    def __bool__(self) -> bool:
        return self.pattern is not None

    def annotate(self, post_id: int | None, html: str) -> str:
        """`html` (sanitised) with its terms explained, from the cache when this post's HTML and
        this glossary were seen before. Returns `html` itself when there are no terms."""
        if self.pattern is None:
            return html
        if post_id is None:
            return self.annotate_html(html)
        digest = hashlib.blake2b(html.encode(), digest_size=16).digest()
        return _CACHE.get_or_make((post_id, digest, self.version), lambda: self.annotate_html(html))

    def annotate_html(self, html: str) -> str:
        """The annotation itself, uncached: text between tags is searched, tags are copied."""
        if self.pattern is None:
            return html
        parts: list[str] = []
        leave_alone = 0  # depth inside elements whose words stay as written
        position = 0
        for tag in _TAG.finditer(html):
            text = html[position : tag.start()]
            if text:
                parts.append(text if leave_alone else self._annotate_text(text))
            name = (tag[2] or "").lower()
            if name in _LEAVE_ALONE:
                if tag[1]:
                    leave_alone = max(leave_alone - 1, 0)
                elif not tag[3].rstrip().endswith("/"):
                    leave_alone += 1
            parts.append(tag[0])
            position = tag.end()
        rest = html[position:]
        if rest:
            parts.append(rest if leave_alone else self._annotate_text(rest))
        return "".join(parts)

    def _annotate_text(self, text: str) -> str:
        """One escaped text node; returned byte for byte unless a term occurs in it."""
        assert self.pattern is not None
        # Match on the words as read ("H&amp;W" is "H&W"), then escape every piece again.
        plain = unescape(text) if "&" in text else text
        if self.pattern.search(plain) is None:
            return text
        parts: list[str] = []
        last = 0
        for match in self.pattern.finditer(plain):
            word = match[0]
            meaning = self.meanings[" ".join(word.split())]
            parts.append(escape(plain[last : match.start()], quote=False))
            parts.append(
                f'<abbr title="{escape(meaning, quote=True)}" tabindex="0">'
                f"{escape(word, quote=False)}</abbr>"
            )
            last = match.end()
        parts.append(escape(plain[last:], quote=False))
        return "".join(parts)


EMPTY = Glossary.of(())


class _AnnotatedCache:
    """A least-recently-used map of annotated HTML, bounded by the characters it holds."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self.entries: OrderedDict[tuple[int, bytes, str], str] = OrderedDict()
        # Pages render in the event loop, but a threadpool render must not corrupt the order.
        self.lock = threading.Lock()

    def get_or_make(self, key: tuple[int, bytes, str], make: Callable[[], str]) -> str:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        made = make()
        with self.lock:
            if key not in self.entries:
                self.entries[key] = made
                self.chars += len(made)
            while self.chars > self.max_chars and self.entries:
                _, dropped = self.entries.popitem(last=False)
                self.chars -= len(dropped)
        return made

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.chars = 0


_CACHE = _AnnotatedCache(CACHE_CHARS)


class _Latest:
    """The glossary last read from the database in this process, and when."""

    glossary: Glossary | None = None
    read_at = 0.0


async def current_glossary(session: AsyncSession) -> Glossary:
    """The glossary for this request: one small query at most, none within a few seconds of the
    last one. Call once per request and pass the result to the page or the API answer."""
    now = time.monotonic()
    latest = _Latest.glossary
    if latest is not None and now - _Latest.read_at < GLOSSARY_TTL_SECONDS:
        return latest
    glossary = Glossary.of(
        (row.term, row.meaning) for row in await fetch_rows(session, term_meanings())
    )
    if latest is not None and latest.version == glossary.version:
        glossary = latest  # unchanged: keep the pattern already compiled
    _Latest.glossary, _Latest.read_at = glossary, now
    return glossary


def forget_glossary() -> None:
    """Read the glossary afresh on the next request (after a change, and between tests)."""
    _Latest.glossary = None
    _Latest.read_at = 0.0


def forget_annotations() -> None:
    """Drop every cached annotation; only tests need this, as versions keep entries apart."""
    _CACHE.clear()
