"""The forum's own settings, chosen by its administrators: title, description, rules, joining.

They live in site_settings under "site", as one JSON object with a `version` that goes up by
one on every change. Pages read them from a per-process cache (forum.site.cache) that compares
that version at most once a second; decisions that change state (may this person register
now?) call load_site() on the request's own session instead.
"""

import logging
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import Viewer
from forum.config import settings
from forum.core.forms import clean_text
from forum.core.markdown import render_markdown
from forum.moderation.audit import record
from forum.moderation.models import SiteSetting

log = logging.getLogger("forum")

KEY = "site"
TITLE_MAX = 80
DESCRIPTION_MAX = 300
# What the home page says until an administrator writes their own description.
DEFAULT_DESCRIPTION = (
    "A place to tell your story, ask for advice and hear from people who have been there."
)
NO_RULES = "The administrators haven't written the rules yet."


class RegistrationMode(StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITATION = "invitation"


# How the settings page and the admin hub name each mode, and what it means for a newcomer.
REGISTRATION_CHOICES = {
    RegistrationMode.OPEN: (
        "Open",
        "Anyone can join with a handle and start posting at once.",
    ),
    RegistrationMode.APPROVAL: (
        "Approved by a moderator",
        "Anyone can ask to join; they can log in once a moderator approves them.",
    ),
    RegistrationMode.INVITATION: (
        "Invitation only",
        "Only people with an invitation link from a moderator or administrator can join.",
    ),
}


class SiteSettings(BaseModel):
    """The settings as stored, and as pages see them. Defaults stand for anything never saved."""

    version: int = 0
    title: str = Field(default_factory=lambda: settings.site_name)
    description: str = DEFAULT_DESCRIPTION
    rules: str = ""  # Markdown, as the administrator wrote it
    rules_html: str = ""  # rendered and sanitised when saved, never at display time
    registration: RegistrationMode = RegistrationMode.OPEN

    def audited(self) -> dict[str, Any]:
        """What an audit entry keeps: the choices, not the version or the derived HTML."""
        return self.model_dump(
            mode="json", include={"title", "description", "rules", "registration"}
        )


def _one_line(value: object) -> object:
    return " ".join(clean_text(value).split()) if isinstance(value, str) else value


class SiteSettingsForm(BaseModel):
    """The settings form and the API's PUT, after merging in fields the API left out."""

    title: str
    description: str = ""
    rules: str = ""
    registration: RegistrationMode

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: object) -> object:
        value = _one_line(value)
        if value == "":
            raise ValueError("Give the forum a name; it shows at the top of every page.")
        if isinstance(value, str) and len(value) > TITLE_MAX:
            raise ValueError(f"Keep the name to {TITLE_MAX} characters (it has {len(value)}).")
        return value

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: object) -> object:
        value = _one_line(value)
        if isinstance(value, str) and len(value) > DESCRIPTION_MAX:
            raise ValueError(
                f"Keep the description to {DESCRIPTION_MAX} characters, a sentence or two "
                f"(it has {len(value)})."
            )
        return value

    @field_validator("rules", mode="before")
    @classmethod
    def _rules(cls, value: object) -> object:
        value = clean_text(value).strip() if isinstance(value, str) else value
        if isinstance(value, str) and len(value) > settings.body_max_chars:
            raise ValueError(
                f"The rules can be up to {settings.body_max_chars:,} characters "
                f"(they have {len(value):,})."
            )
        return value

    @field_validator("registration", mode="before")
    @classmethod
    def _registration(cls, value: object) -> object:
        if value not in tuple(RegistrationMode):
            raise ValueError("Choose how people join: open, approval or invitation.")
        return value


def parse_site(value: Any) -> SiteSettings:
    """The stored object as settings; a hand-edited invalid row falls back to the defaults."""
    if value is None:
        return SiteSettings()
    try:
        return SiteSettings.model_validate(value)
    except ValidationError:
        # A broken row must not stop the forum: say so, and keep its version so caches settle.
        log.warning("site_settings.site is not valid; using the default site settings")
        version = value.get("version") if isinstance(value, dict) else None
        return SiteSettings(version=version if isinstance(version, int) else 0)


async def load_site(session: AsyncSession, *, lock: bool = False) -> SiteSettings:
    """The settings as committed now, read on this session (never the cache)."""
    # A column read, not session.get(): the identity map would keep a value saved since.
    statement = select(SiteSetting.value).where(SiteSetting.key == KEY)
    if lock:
        statement = statement.with_for_update()
    return parse_site((await session.execute(statement)).scalar_one_or_none())


async def save_site(session: AsyncSession, actor: Viewer, form: SiteSettingsForm) -> SiteSettings:
    """Caller checked can_change_site_settings(). Returns what is now stored; audited with the
    settings before and after. Saving what is already there changes nothing."""
    # The row is made once, then locked: two administrators saving at once get two versions.
    await session.execute(
        insert(SiteSetting).values(key=KEY, value={"version": 0}).on_conflict_do_nothing()
    )
    before = await load_site(session, lock=True)
    after = SiteSettings(
        version=before.version + 1,
        title=form.title,
        description=form.description,
        rules=form.rules,
        rules_html=render_markdown(form.rules) if form.rules else "",
        registration=form.registration,
    )
    if after.audited() == before.audited():
        return before
    await session.execute(
        update(SiteSetting)
        .where(SiteSetting.key == KEY)
        .values(value=after.model_dump(mode="json"))
    )
    await record(
        session,
        actor,
        "site.settings",
        target_kind="site",
        target_id=None,
        target_label="Site settings",
        before=before.audited(),
        after=after.audited(),
    )
    return after
