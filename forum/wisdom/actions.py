"""Verbs that change wisdom and collections. Callers have checked the policies; nothing commits.

Every curator's change writes an audit row (target_kind "wisdom" or "collection") in the same
transaction, and the members concerned hear about approvals and refusals through notices.
"""

import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import Viewer
from forum.core.errors import FieldErrors
from forum.core.markdown import excerpt, own_text
from forum.core.time import utcnow
from forum.moderation.audit import record
from forum.moderation.models import SiteSetting
from forum.notifications.actions import notify
from forum.ratelimits.limits import hit, proposals_per_member
from forum.threads.models import Post, Thread
from forum.wisdom.forms import ApproveForm, CollectionForm, slugify
from forum.wisdom.models import Collection, CollectionItem, Wisdom, WisdomStatus, WisdomTag
from forum.wisdom.queries import (
    SETTINGS_KEY,
    collections_by_slug,
    existing_proposals,
    item_positions,
    seniors_may_curate,
    slug_taken,
)

NOT_IN_POST = (
    "That passage isn't in this post word for word. Copy it from the post as written; "
    "only spaces and line breaks may differ."
)
# Slugs the /resources pages use for themselves.
RESERVED_SLUGS = frozenset({"new"})


async def count_proposal(session: AsyncSession, viewer: Viewer) -> None:
    """Raises RateLimited past 20 proposals an hour."""
    await hit(session, proposals_per_member(), viewer.member_id)  # type: ignore[arg-type]


# Is the passage in the post?


def normalise(text: str) -> str:
    """One form of the words for comparing: NFC, and any run of whitespace as one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# Quote-replies and citations in the Markdown source, which carry other members' words.
_QUOTED_SOURCE = re.compile(r"\[quote=\d+\].*?\[/quote\]|^\s*\[wisdom=\d+\]\s*$", re.S | re.M)


def passage_in_post(passage: str, post: Post) -> bool:
    """Word for word in what readers see, or in the Markdown the author typed, leaving out
    what the post quotes from others."""
    needle = normalise(passage)
    if not needle:
        return False
    own_source = _QUOTED_SOURCE.sub(" ", post.source)
    return needle in normalise(own_text(post.html)) or needle in normalise(own_source)


# Proposing


class AlreadyProposed(Exception):
    """The same passage of the same post was proposed before."""

    def __init__(self, wisdom: Wisdom) -> None:
        super().__init__(f"already proposed as wisdom {wisdom.id}")
        self.wisdom = wisdom


async def propose_wisdom(
    session: AsyncSession, viewer: Viewer, post: Post, *, passage: str, title: str = ""
) -> Wisdom:
    """Caller checked can_propose_wisdom() and counted the proposal; post has thread and author.

    Raises FieldErrors (passage) when the words aren't in the post, AlreadyProposed for a
    passage proposed before.
    """
    assert viewer.member_id is not None
    if not passage_in_post(passage, post):
        raise FieldErrors({"passage": NOT_IN_POST})
    wanted = normalise(passage)
    for earlier in await existing_proposals(session, post.id):  # type: ignore[arg-type]
        if normalise(earlier.text) == wanted:
            raise AlreadyProposed(earlier)
    wisdom = Wisdom(
        post_id=post.id,
        thread_id=post.thread_id,
        board_id=post.thread.board_id,
        author_id=post.author_id,
        author_name=post.author.handle,
        text=passage,
        title=title,
        post_created_at=post.created_at,
        source_edited_at=post.edited_at,
        proposed_by_id=viewer.member_id,
        proposed_by_name=viewer.handle,
    )
    session.add(wisdom)
    await session.flush()
    return wisdom


# Curating quotes


def wisdom_label(wisdom: Wisdom) -> str:
    return wisdom.title or excerpt(wisdom.text, 80)


def _titles(collections: Sequence[Collection]) -> str:
    quoted = [f"“{c.title}”" for c in collections]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


async def approve_wisdom(
    session: AsyncSession, actor: Viewer, wisdom: Wisdom, form: ApproveForm
) -> list[Collection]:
    """Caller checked may_curate() and locked the quote. Returns the collections it joined.

    Raises FieldErrors (collections) for no collection or an unknown one.
    """
    chosen = list(await collections_by_slug(session, form.collections))
    missing = set(form.collections) - {c.slug for c in chosen}
    if missing:
        raise FieldErrors({"collections": f"There is no collection “{sorted(missing)[0]}”."})
    if form.new_collection:
        chosen.append(await create_collection(session, actor, title=form.new_collection))
    if not chosen:
        raise FieldErrors({"collections": "Choose at least one collection, or name a new one."})
    joined = []
    for collection in chosen:
        if await _append_item(session, actor, collection, wisdom_id=wisdom.id) is not None:
            joined.append(collection)
    now = utcnow()
    first_time = wisdom.pinned_at is None
    wisdom.status = WisdomStatus.APPROVED
    wisdom.reviewed_by_name = actor.handle
    wisdom.reviewed_at = now
    wisdom.pinned_at = wisdom.pinned_at or now
    if form.title:
        wisdom.title = form.title
    await _add_tags(session, wisdom, form.tags)
    await session.flush()
    await record(
        session,
        actor,
        "wisdom.approve",
        target_kind="wisdom",
        target_id=wisdom.id,
        target_label=wisdom_label(wisdom),
        board_id=wisdom.board_id,
        collections=[c.slug for c in joined],
        tags=form.tags,
        first_time=first_time,
    )
    if joined:
        await _tell_of_approval(session, actor, wisdom, joined)
    return joined


async def _tell_of_approval(
    session: AsyncSession, actor: Viewer, wisdom: Wisdom, joined: Sequence[Collection]
) -> None:
    link = f"/wisdom/{wisdom.id}"
    titles = _titles(joined)
    if wisdom.author_id is not None and wisdom.author_id != actor.member_id:
        await notify(session, wisdom.author_id, f"Your words were added to {titles}.", link)
    proposer = wisdom.proposed_by_id
    if proposer is not None and proposer not in (actor.member_id, wisdom.author_id):
        await notify(
            session, proposer, f"The passage you proposed was added to {titles}. Thank you.", link
        )


async def _add_tags(session: AsyncSession, wisdom: Wisdom, tags: Sequence[str]) -> None:
    if not tags:
        return
    rows = [{"wisdom_id": wisdom.id, "tag": tag} for tag in tags]
    await session.execute(insert(WisdomTag).values(rows).on_conflict_do_nothing())


async def reject_wisdom(session: AsyncSession, actor: Viewer, wisdom: Wisdom, reason: str) -> None:
    """Caller checked may_curate() and locked the quote; an approved quote leaves its collections'
    pages (the items stay, unseen, should it be approved again)."""
    before = wisdom.status
    wisdom.status = WisdomStatus.REJECTED
    wisdom.reviewed_by_name = actor.handle
    wisdom.reviewed_at = utcnow()
    wisdom.review_note = reason
    await session.flush()
    await record(
        session,
        actor,
        "wisdom.reject",
        target_kind="wisdom",
        target_id=wisdom.id,
        target_label=wisdom_label(wisdom),
        board_id=wisdom.board_id,
        reason=reason,
        before=before,
    )
    proposer = wisdom.proposed_by_id
    if proposer is not None and proposer != actor.member_id:
        await notify(
            session,
            proposer,
            f"A curator didn't add the passage you proposed to the library. Reason: {reason}",
            f"/wisdom/{wisdom.id}",
        )


async def retitle_wisdom(session: AsyncSession, actor: Viewer, wisdom: Wisdom, title: str) -> None:
    """Caller checked may_curate(). An empty title shows the quote's opening words instead."""
    if title == wisdom.title:
        return
    before = wisdom.title
    wisdom.title = title
    await session.flush()
    await record(
        session,
        actor,
        "wisdom.retitle",
        target_kind="wisdom",
        target_id=wisdom.id,
        target_label=wisdom_label(wisdom),
        board_id=wisdom.board_id,
        before=before,
        after=title,
    )


# Collections


async def _free_slug(session: AsyncSession, title: str) -> str:
    base = slugify(title)
    if base in RESERVED_SLUGS:
        base = f"{base}-collection"
    slug, number = base, 1
    while await slug_taken(session, slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


async def create_collection(
    session: AsyncSession,
    actor: Viewer,
    *,
    title: str,
    intro: str = "",
    tags: Sequence[str] = (),
) -> Collection:
    """Caller checked may_curate(). The slug comes from the title and never changes after."""
    collection = Collection(
        slug=await _free_slug(session, title),
        title=title,
        intro=intro,
        tags=list(tags),
        created_by_name=actor.handle,
    )
    session.add(collection)
    await session.flush()
    await record(
        session,
        actor,
        "collection.create",
        target_kind="collection",
        target_id=collection.id,
        target_label=collection.title,
    )
    return collection


async def edit_collection(
    session: AsyncSession, actor: Viewer, collection: Collection, form: CollectionForm
) -> None:
    """Caller checked may_curate(). The slug stays, so links and feeds keep working."""
    before = {"title": collection.title, "intro": collection.intro, "tags": collection.tags}
    after = {"title": form.title, "intro": form.intro, "tags": form.tags}
    if before == after:
        return
    collection.title, collection.intro, collection.tags = form.title, form.intro, form.tags
    collection.updated_at = utcnow()
    await session.flush()
    changed = [key for key in after if before[key] != after[key]]
    await record(
        session,
        actor,
        "collection.edit",
        target_kind="collection",
        target_id=collection.id,
        target_label=collection.title,
        changed=changed,
    )


async def pin_collection(
    session: AsyncSession,
    actor: Viewer,
    collection: Collection,
    *,
    board_id: int | None,
    home: bool,
) -> None:
    """Caller checked may_curate(). Pinned on at most one board, and/or the home page."""
    before = {"board_id": collection.pinned_board_id, "home": collection.pinned_home}
    after = {"board_id": board_id, "home": home}
    if before == after:
        return
    collection.pinned_board_id, collection.pinned_home = board_id, home
    collection.updated_at = utcnow()
    await session.flush()
    await record(
        session,
        actor,
        "collection.pin",
        target_kind="collection",
        target_id=collection.id,
        target_label=collection.title,
        before=before,
        after=after,
    )


async def _append_item(
    session: AsyncSession,
    actor: Viewer,
    collection: Collection,
    *,
    wisdom_id: int | None = None,
    thread_id: int | None = None,
    note: str = "",
) -> CollectionItem | None:
    """The new last item, or None if the quote or thread is in the collection already."""
    # The row lock hands out positions one at a time, as a thread's UPDATE does for posts.
    await session.execute(
        select(Collection.id).where(Collection.id == collection.id).with_for_update(key_share=True)
    )
    items = await item_positions(session, collection.id)  # type: ignore[arg-type]
    for item in items:
        if (wisdom_id and item.wisdom_id == wisdom_id) or (
            thread_id and item.thread_id == thread_id
        ):
            return None
    position = (items[-1].position + 1) if items else 1
    item = CollectionItem(
        collection_id=collection.id,  # type: ignore[arg-type]
        position=position,
        wisdom_id=wisdom_id,
        thread_id=thread_id,
        note=note,
        added_by_name=actor.handle,
    )
    session.add(item)
    collection.updated_at = utcnow()
    await session.flush()
    return item


async def add_item(
    session: AsyncSession,
    actor: Viewer,
    collection: Collection,
    *,
    wisdom: Wisdom | None = None,
    thread: Thread | None = None,
    note: str = "",
) -> CollectionItem:
    """Caller checked may_curate() and that the curator may see the quote or thread.

    Raises FieldErrors (ref) for a quote not yet approved or an item already there.
    """
    if wisdom is not None and wisdom.status != WisdomStatus.APPROVED:
        raise FieldErrors({"ref": "Approve that quote from the proposals first."})
    item = await _append_item(
        session,
        actor,
        collection,
        wisdom_id=wisdom.id if wisdom else None,
        thread_id=thread.id if thread else None,
        note=note,
    )
    if item is None:
        raise FieldErrors({"ref": "That is in this collection already."})
    if wisdom is not None and wisdom.pinned_at is None:
        wisdom.pinned_at = utcnow()
    await record(
        session,
        actor,
        "collection.add_item",
        target_kind="collection",
        target_id=collection.id,
        target_label=collection.title,
        wisdom_id=item.wisdom_id,
        thread_id=item.thread_id,
    )
    return item


async def move_item(
    session: AsyncSession, actor: Viewer, collection: Collection, item_id: int, up: bool
) -> bool:
    """Swap the item with its neighbour; False if there is no such item or no neighbour."""
    await session.execute(
        select(Collection.id).where(Collection.id == collection.id).with_for_update(key_share=True)
    )
    items = await item_positions(session, collection.id)  # type: ignore[arg-type]
    index = next((n for n, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        return False
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return False
    mine, theirs = items[index], items[other]
    # (collection, position) is unique: park one item while the other takes its place.
    here, there = mine.position, theirs.position
    mine.position = -1
    await session.flush()
    theirs.position = here
    await session.flush()
    mine.position = there
    collection.updated_at = utcnow()
    await session.flush()
    await record(
        session,
        actor,
        "collection.move_item",
        target_kind="collection",
        target_id=collection.id,
        target_label=collection.title,
        item_id=item_id,
        direction="up" if up else "down",
    )
    return True


async def remove_item(
    session: AsyncSession, actor: Viewer, collection: Collection, item_id: int
) -> bool:
    """The quote or thread leaves the collection (the quote itself stays)."""
    items = await item_positions(session, collection.id)  # type: ignore[arg-type]
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        return False
    await session.delete(item)
    collection.updated_at = utcnow()
    await session.flush()
    await record(
        session,
        actor,
        "collection.remove_item",
        target_kind="collection",
        target_id=collection.id,
        target_label=collection.title,
        wisdom_id=item.wisdom_id,
        thread_id=item.thread_id,
    )
    return True


# The site setting


async def save_seniors_curate(session: AsyncSession, actor: Viewer, allowed: bool) -> None:
    """Caller checked can_administer()."""
    before = await seniors_may_curate(session)
    if before == allowed:
        return
    value = {"seniors_curate": allowed}
    statement = insert(SiteSetting).values(key=SETTINGS_KEY, value=value)
    await session.execute(
        statement.on_conflict_do_update(index_elements=[SiteSetting.key], set_={"value": value})
    )
    await record(
        session,
        actor,
        "wisdom.settings",
        target_kind="site",
        target_id=None,
        target_label="Wisdom curators",
        before={"seniors_curate": before},
        after=value,
    )
