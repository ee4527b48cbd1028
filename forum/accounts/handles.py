"""Pseudonymous member handles: validation, case-insensitive keys and lookalike skeletons.

Lookalike data comes from the `confusable-homoglyphs` package (3.3.1), which bundles
Unicode's UTS #39 confusables.txt as `confusables.json` and Scripts.txt (Unicode 15.0) as
`categories.json`. Stored skeletons are only comparable while that data is unchanged, so
keep the package pinned; `SKELETON_DATA_VERSION` fingerprints the table we derive from it,
and a change there means every stored skeleton must be recomputed in a migration.
"""

import hashlib
import re
import unicodedata

from confusable_homoglyphs import categories, confusables

MIN_LENGTH = 3
MAX_LENGTH = 30
PUNCTUATION = "_-."
# Letters in Thai, Hebrew or Devanagari may carry a few marks; more than this is Zalgo text.
MAX_MARKS_PER_LETTER = 3

# fmt: off
RESERVED_HANDLES = (
    "admin", "administrator", "admins", "moderator", "moderators", "mod", "mods",
    "staff", "team", "official", "system", "support", "help", "forum", "root", "owner",
    "sysop", "anonymous", "anon", "guest", "deleted", "former-member", "unknown",
    "nobody", "null", "none", "everyone", "noreply", "security",
)
# fmt: on

# UTS #39 "highly restrictive": these script mixes are how CJK languages are written.
_ALLOWED_SCRIPT_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_SCRIPT_NEUTRAL = frozenset({"COMMON", "INHERITED"})

# Default-ignorable code points (DerivedCoreProperties.txt) that are letters or marks, so
# the category check alone would let them through; they render as nothing.
_INVISIBLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0]
    + list(range(0x180B, 0x1810))
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)

_TOO_SHORT = f"Handles need at least {MIN_LENGTH} characters. Please make yours a little longer."
_TOO_LONG = f"Handles can be at most {MAX_LENGTH} characters. Please shorten yours."


class HandleError(ValueError):
    """A handle was refused; `message` says, kindly, what the member should change."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def clean_handle(raw: str) -> str:
    """Return the normalised display handle (NFKC, trimmed), or raise HandleError."""
    # NFKC can shrink a string only a few times over, so anything this long is too long
    # and is refused before we spend time normalising it.
    if len(raw) > MAX_LENGTH * 10:
        raise HandleError(_TOO_LONG)
    handle = _nfkc(raw).strip()
    if not handle:
        raise HandleError("Please choose a handle.")
    if len(handle) < MIN_LENGTH:
        raise HandleError(_TOO_SHORT)
    if len(handle) > MAX_LENGTH:
        raise HandleError(_TOO_LONG)

    marks = 0
    for i, char in enumerate(handle):
        kind = unicodedata.category(char)
        if kind in ("Mn", "Mc") and ord(char) not in _INVISIBLE:
            marks += 1
            if i == marks - 1 or not _is_letter(handle[i - marks]):
                raise HandleError(
                    "Accent marks can only go on letters. Please remove the stray one."
                )
            if marks > MAX_MARKS_PER_LETTER:
                raise HandleError(
                    "That handle has too many accent marks on one letter. Please use fewer."
                )
            continue
        marks = 0
        if not (_is_letter(char) or kind == "Nd" or char in PUNCTUATION):
            raise HandleError(
                f"Handles can use letters, numbers, _, - and . only. Please remove {_describe(char)}."
            )

    if handle[0] in PUNCTUATION or handle[-1] in PUNCTUATION:
        raise HandleError("Please start and end your handle with a letter or a number.")
    if re.search(r"[_.\-]{2}", handle):
        raise HandleError("Please don't put two of _ - . next to each other.")

    scripts = {categories.alias(char) for char in handle} - _SCRIPT_NEUTRAL
    if len(scripts) > 1 and not any(scripts <= mix for mix in _ALLOWED_SCRIPT_MIXES):
        names = " and ".join(sorted(s.replace("_", " ").title() for s in scripts))
        raise HandleError(
            f"That handle mixes {names} letters, which can make it look like someone else's. "
            "Please write it in one alphabet."
        )

    if _reserved_key(handle) in _RESERVED_KEYS:
        raise HandleError("That handle is kept for the forum itself. Please choose another.")
    return handle


def handle_key(handle: str) -> str:
    """Case-insensitive uniqueness key: NFKC, trimmed, casefolded (and NUL-free, for lookups)."""
    return _nfkc(_nfkc(handle.replace("\x00", "")).strip().casefold())


def handle_skeleton(handle: str) -> str:
    """Lookalike key: handles that look alike (any case, any of _ - .) share a skeleton."""
    text = _nfkc(handle).strip()
    # UTS #39 skeleton first, so capitals that only look alike in their upper case
    # (Cyrillic В and Latin B, Latin I and l) meet before casefolding pulls them apart.
    text = _to_prototypes(text)
    text = _to_prototypes(text.casefold())
    return text.translate(_SAME_PUNCTUATION)


def handle_unavailable(*, lookalike: bool) -> HandleError:
    """The error to show when the key (or, with lookalike=True, the skeleton) is taken."""
    if lookalike:
        return HandleError(
            "That handle looks too much like a member's existing one. Please choose another."
        )
    return HandleError("Someone already uses that handle. Please choose another.")


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L") and ord(char) not in _INVISIBLE


def _describe(char: str) -> str:
    if char.isspace():
        return "the spaces"
    kind = unicodedata.category(char)
    if ord(char) in _INVISIBLE or kind in ("Cf", "Cc", "Co", "Cs", "Cn", "Mn", "Me", "Mc"):
        return "the invisible or unusual character"
    return f'the "{char}"'


def _build_prototypes() -> dict[str, str]:
    """Map each confusable code point to its UTS #39 prototype (possibly several chars)."""

    # The package stores confusables.txt as a symmetric graph, with the left-to-right marks
    # from the file's comments still around right-to-left characters. Every line maps one
    # code point to a prototype that is never itself mapped, so each component is a star:
    # a node with one neighbour is a source unless that neighbour is also a one-neighbour
    # node. For such isolated pairs the direction is lost; either way the two share a
    # skeleton, and the lower code point is kept so the choice is stable.
    def strip(text: str) -> str:
        return text.replace("\u200e", "").replace("\u200f", "")

    graph: dict[str, set[str]] = {}
    for node, entries in confusables.confusables_data.items():
        graph.setdefault(strip(node), set()).update(strip(e["c"]) for e in entries)

    prototypes = {}
    for node, neighbours in graph.items():
        if len(node) != 1 or len(neighbours) != 1:
            continue
        (other,) = neighbours
        if len(other) > 1 or len(graph.get(other, ())) > 1 or other < node:
            prototypes[node] = other
    return prototypes


_PROTOTYPES = _build_prototypes()
SKELETON_DATA_VERSION = hashlib.sha256(
    "".join(f"{k}\t{v}\n" for k, v in sorted(_PROTOTYPES.items())).encode()
).hexdigest()[:16]
_SAME_PUNCTUATION = str.maketrans({"-": "_", ".": "_"})


def _to_prototypes(text: str) -> str:
    # UTS #39: skeleton(X) = NFD(map(NFD(X))).
    mapped = "".join(_PROTOTYPES.get(c, c) for c in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


# Reserved names also catch "admin2" and "adm1n": trailing digits are dropped and common
# digit-for-letter swaps undone before comparing skeletons.
_LEET = str.maketrans("34578", "eastb")


def _reserved_key(handle: str) -> str:
    stem = re.sub(r"[0-9_.\-]+$", "", _nfkc(handle)) or handle
    return handle_skeleton(stem.translate(_LEET)).replace("l", "i")


_RESERVED_KEYS = frozenset(_reserved_key(name) for name in RESERVED_HANDLES)
