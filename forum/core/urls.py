"""Local paths only: a `next=` parameter must never send a member to another site."""


def safe_next(target: str | None, default: str = "/") -> str:
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target
