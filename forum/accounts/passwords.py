"""Password hashing (argon2id) and the strength rules members see when choosing one."""

import re
import threading
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn 0-4; 3 means "safely unguessable" (about 10^8 guesses or more)
# zxcvbn's matching grows quickly with length; the first 100 characters say enough.
_ZXCVBN_PREFIX = 100
FORUM_WORDS = ("forum", "support", "peer", "community", "member")

# argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, 64 MiB) with 2 lanes instead
# of 4 to match a 2-core server: about 80 ms a hash there instead of 120 ms, same memory.
_zxcvbn_lock = threading.Lock()

_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)

_TOO_SHORT = f"Please use at least {MIN_LENGTH} characters for your password."
_TOO_LONG = f"Please keep your password to {MAX_LENGTH} characters or fewer."
_DEFAULT_TIP = (
    "A few unrelated words strung together make a strong password that is easy to remember."
)


def _normalise(password: str) -> str:
    # NFKC so the same password typed on another keyboard or device still matches.
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    """Return an encoded argon2id hash of `password` (NFKC-normalised)."""
    return _hasher.hash(_normalise(password))


def verify_password(password_hash: str, password: str) -> bool:
    """True if `password` matches; False on mismatch or an unreadable hash, never raises."""
    try:
        return _hasher.verify(password_hash, _normalise(password))
    except (VerificationError, InvalidHashError, TypeError, ValueError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True if the hash was made with other parameters (or cannot be read at all)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, TypeError, ValueError):
        return True


# Made once at import so a burn costs exactly what a real verification costs.
_DUMMY_HASH = hash_password("not a real password, only burns time")


def burn_password_check(password: str) -> None:
    """Spend the time of one real verification, so unknown handles can't be told by timing."""
    verify_password(_DUMMY_HASH, password)


def password_problem(password: str, *, handle: str = "") -> str | None:
    """None if the password is acceptable, else a member-facing message saying what to change."""
    password = _normalise(password)
    if len(password) < MIN_LENGTH:
        return _TOO_SHORT
    if len(password) > MAX_LENGTH:
        return _TOO_LONG

    words = _guessable_words(handle)
    sample = password[:_ZXCVBN_PREFIX]
    result = _judge(sample, words)
    if result["score"] < MIN_SCORE:
        return _weak_message(result)

    # zxcvbn undervalues "Word2024forum!": its year pattern stops at 2019 and it prices
    # site words as add-ons. Judge what is left once the handle, forum words and years
    # are taken out, since an attacker aiming at this forum tries those first.
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    rest = re.sub(rf"{pattern}|(?:19|20)\d\d", "", sample, flags=re.IGNORECASE)
    # (zxcvbn cannot score an empty string; nothing left is as weak as it gets.)
    if rest != sample and (not rest.strip() or _judge(rest, words)["score"] < MIN_SCORE):
        return (
            "That password leans on your handle, the forum's name or a year, which makes it "
            f"easy to guess. {_DEFAULT_TIP}"
        )
    return None


def _judge(sample: str, words: list[str]) -> dict:
    # zxcvbn keeps the user inputs in a module global, so concurrent calls would judge
    # one member's password against another member's handle.
    with _zxcvbn_lock:
        return zxcvbn(sample, user_inputs=words, max_length=_ZXCVBN_PREFIX)


def _guessable_words(handle: str) -> list[str]:
    # The whole handle and its parts ("paul.smith" gives paul and smith); very short
    # parts would strip letters out of ordinary words, so they are left to zxcvbn.
    handle = _normalise(handle).strip().casefold()
    parts = [handle, *re.split(r"[_.\-]+", handle)]
    return sorted({w for w in [*parts, *FORUM_WORDS] if len(w) >= 3})


def _weak_message(result: dict) -> str:
    feedback = result["feedback"]
    warning = feedback.get("warning") or ""
    if not warning and any(m.get("dictionary_name") == "user_inputs" for m in result["sequence"]):
        warning = "It is too close to your handle or the forum's name."
    tips = [warning, *(feedback.get("suggestions") or [])]
    tips = [t.strip() for t in tips if t and t.strip()] or [_DEFAULT_TIP]
    return "That password would be easy to guess. " + " ".join(tips)
