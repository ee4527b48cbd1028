"""Settings read from the environment (prefix FORUM_) and, in development, from .env."""

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FORUM_", env_file=".env", extra="ignore")

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
    # Set when served over HTTPS so that cookies carry the Secure flag.
    secure_cookies: bool = False

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("Set FORUM_SECRET_KEY to a long random value in production.")
        return self


settings = Settings()
