"""Watched words: phrases administrators list, each refusing, holding or flagging a post.

Matching is by whole words and phrases, ignoring case and Unicode width: both sides are
folded with NFKC and casefold, so "ＳＰＡＭ" and "Spam" match "spam" and "STRASSE" matches
"straße". A phrase matches only where no word character touches either end, so "ass"
never matches inside "class", and its words may be separated by any run of whitespace.

Known limit: Python's ``\\w`` does not count combining marks (Unicode category M) as word
characters. After NFKC that hardly matters for Latin, Greek or Cyrillic, whose accents
compose into single letters, but in scripts written with vowel signs (Devanagari, Thai)
a phrase can match at the start of a longer word.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class WatchedAction(StrEnum):
    BLOCK = "block"  # the post is refused and the member asked to reword it
    HOLD = "hold"  # the post waits for a moderator's approval
    FLAG = "flag"  # the post goes up but lands in the review queue


# When phrases with different actions match, the strongest wins.
_STRENGTH = {WatchedAction.FLAG: 1, WatchedAction.HOLD: 2, WatchedAction.BLOCK: 3}


@dataclass(frozen=True)
class WatchedWord:
    """One row of the administrators' list: a phrase as they wrote it, and its action."""

    phrase: str
    action: WatchedAction


@dataclass(frozen=True)
class Verdict:
    """What the list says about a post.

    ``action`` is the strongest matched action (block > hold > flag), or None if nothing
    matched. ``matches`` holds every matched phrase as the administrator wrote it, in
    list order, once each. ``blocked_by`` is the subset of ``matches`` whose action is
    block; it exists so ``block_message`` can name them without the list at hand.
    """

    action: WatchedAction | None
    matches: tuple[str, ...]
    blocked_by: tuple[str, ...] = ()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def normalise_phrase(phrase: str) -> str:
    """The phrase folded (NFKC, casefold), inner whitespace collapsed to single spaces, stripped.

    Two phrases that normalise alike match the same texts, so the list keeps this form
    unique. An empty result means the phrase can never match and is ignored.
    """
    return " ".join(_fold(phrase).split())


@lru_cache(maxsize=1024)
def _pattern(normalised: str) -> re.Pattern[str]:
    # Each word is escaped, so "c++" and "a.b" are literal; any whitespace run may separate
    # them. The lookarounds, unlike \b, also hold at ends that are not word characters.
    words = r"\s+".join(re.escape(word) for word in normalised.split(" "))
    return re.compile(rf"(?<!\w){words}(?!\w)")


def _found(normalised: str, folded_texts: Sequence[str]) -> bool:
    pattern = _pattern(normalised)
    first_word = normalised.split(" ", 1)[0]
    # A leading lookbehind stops the regex engine skipping ahead to a literal prefix, which
    # makes a search ~25x slower. A plain substring test first is exact (the phrase can't
    # match where its first word is absent) and rules out most phrases for most posts.
    return any(first_word in text and pattern.search(text) for text in folded_texts)


def check_text(words: Sequence[WatchedWord], *texts: str) -> Verdict:
    """Check every given text (for example a title and a body) against the watched list.

    Texts are searched separately, so a phrase cannot match across the end of one and the
    start of the next. Phrases that are empty once normalised are ignored.
    """
    folded_texts = [_fold(text) for text in texts]
    strongest: WatchedAction | None = None
    matches: dict[str, str] = {}  # normalised -> first spelling, so duplicates list once
    blocked_by: dict[str, str] = {}
    for word in words:
        normalised = normalise_phrase(word.phrase)
        if not normalised or not _found(normalised, folded_texts):
            continue
        action = WatchedAction(word.action)  # a plain string from the database works too
        if strongest is None or _STRENGTH[action] > _STRENGTH[strongest]:
            strongest = action
        matches.setdefault(normalised, word.phrase)
        if action is WatchedAction.BLOCK:
            blocked_by.setdefault(normalised, matches[normalised])
    return Verdict(strongest, tuple(matches.values()), tuple(blocked_by.values()))


def block_message(verdict: Verdict) -> str:
    """What to tell a member whose post was refused, naming only the block phrases.

    Plain text: the phrases are the administrators' own words, so templates must escape it
    as they escape everything else.
    """
    if not verdict.blocked_by:
        # A Verdict built without blocked_by; say why without guessing which phrase.
        reason = "a word or phrase this forum doesn't allow"
    else:
        reason = ", ".join(f'"{phrase}"' for phrase in verdict.blocked_by)
    return (
        f"Your post can't be published because it contains {reason}. "
        "Please reword it; your text is kept below."
    )
