"""Settings read from the environment (prefix FORUM_) and, in development, from .env."""

from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEV_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    # Empty variables count as unset, as compose passes `${FORUM_X:-}` when nothing is chosen.
    model_config = SettingsConfigDict(
        env_prefix="FORUM_", env_file=".env", extra="ignore", env_ignore_empty=True
    )

    environment: Literal["development", "test", "production"] = "development"
    # DATABASE_URL names a PostgreSQL server; unset means "start the embedded one under data_dir".
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("FORUM_DATABASE_URL", "DATABASE_URL")
    )
    data_dir: Path = Path("var")
    # Connections per worker process; keep workers × this under PostgreSQL's max_connections.
    db_pool_size: int = 20
    secret_key: str = DEV_SECRET
    site_name: str = "Common Ground"

    title_max_chars: int = 150
    body_max_chars: int = 50_000
    request_max_bytes: int = 1024 * 1024
    posts_per_page: int = 25
    threads_per_page: int = 30
    session_days: int = 30
    # Rate limits (per window: 15 minutes for logins, an hour for registrations, a minute for posts).
    login_attempts_per_handle: int = 10
    login_attempts_per_ip: int = 30
    registrations_per_ip: int = 5
    posts_per_minute: int = 6
    new_member_threads_per_day: int = 3
    reports_per_hour: int = 10
    # A member is new for this many days and until this many posts are up: new members'
    # reports don't hide posts and they start few threads a day. Boards say how many first
    # posts wait for approval (default below, 0 turns it off).
    new_member_days: int = 7
    new_member_posts: int = 2
    approve_first_posts: int = 2
    # Reports from this many members who are not new hide a post until a moderator looks.
    reports_to_hide: int = 3
    # Search engines stay out unless the operator lets them index public boards.
    allow_indexing: bool = False
    # The address members reach the forum at, as the operator publishes it (https://… behind a
    # proxy). Printed links use it; unset, they use the address `forum serve` listens on.
    base_url: str | None = None
    # Cookies carry the Secure flag when the operator says the site is served over HTTPS: this
    # setting, or a base_url starting with https://. A browser drops Secure cookies over plain
    # HTTP, so turning it on for http://127.0.0.1 would make logging in impossible.
    secure_cookies: bool | None = None
    # Addresses (or networks, 10.0.0.0/8) of reverse proxies whose X-Forwarded-For and
    # X-Forwarded-Proto headers are believed. Unset, the peer's own address is the client's.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _addresses(cls, value: object) -> object:
        # Written "10.0.0.1, 172.16.0.0/12": a comma list reads more naturally than JSON.
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        for entry in value if isinstance(value, list) else []:
            try:
                ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
        return value

    @property
    def cookies_secure(self) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        return (self.base_url or "").startswith("https://")

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("Set FORUM_SECRET_KEY to a long random value in production.")
        return self


settings = Settings()
