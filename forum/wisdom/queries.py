"""Statements for wisdom quotes and collections a viewer may see, and the wisdom site setting.

A quote is as private as the board its words came from: members-only boards make members-only
quotes. Proposed and rejected quotes show only to curators and to whoever proposed them.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forum.accounts.models import Member, Role
from forum.auth.policies import can_curate_wisdom, can_see_wisdom, moderates_any
from forum.auth.viewer import GUEST, Viewer
from forum.boards.models import Board
from forum.core.errors import not_found
from forum.core.markdown import excerpt
from forum.moderation.models import SiteSetting
from forum.threads.models import Post, State, Thread
from forum.wisdom.models import (
    Collection,
    CollectionItem,
    Wisdom,
    WisdomCitation,
    WisdomStatus,
    WisdomTag,
)

SETTINGS_KEY = "wisdom"
FORMER_MEMBER = "a former member"


# The site setting


async def seniors_may_curate(session: AsyncSession) -> bool:
    """The administrators' choice; off until they turn it on."""
    value = (
        await session.execute(select(SiteSetting.value).where(SiteSetting.key == SETTINGS_KEY))
    ).scalar_one_or_none()
    return bool((value or {}).get("seniors_curate", False))


async def may_curate(session: AsyncSession, viewer: Viewer) -> bool:
    """can_curate_wisdom() with the setting read only when it can change the answer."""
    if viewer.role != Role.SENIOR or moderates_any(viewer):
        return can_curate_wisdom(viewer, seniors_may=False)
    return can_curate_wisdom(viewer, await seniors_may_curate(session))


# One quote


def attribution(author_id: int | None, author_name: str) -> str:
    """Who said it, as pages and feeds print it.

    A quote outlives its author's account. Once the account is deleted (author_id NULL),
    author_name holds the handle only if the author chose to keep it on their wisdom
    (Member.wisdom_keeps_handle), and is empty otherwise: then it reads "a former member".
    """
    if author_id is not None:
        return author_name
    return author_name or FORMER_MEMBER


def members_only(board: Any = Board) -> ColumnElement[bool]:
    # A quote whose board is unknown stays with members: privacy errs on the writer's side.
    return func.coalesce(board.is_members_only, true())


_SourcePost, _SourceThread, _Author = aliased(Post), aliased(Thread), aliased(Member)
WISDOM_DETAIL = (
    select(
        Wisdom,
        members_only().label("members_only"),
        _Author.handle.label("author_handle"),
        _SourcePost.state.label("post_state"),
        _SourcePost.edited_at.label("post_edited_at"),
        _SourceThread.title.label("thread_title"),
        _SourceThread.state.label("thread_state"),
    )
    .outerjoin(Board, Wisdom.board_id == Board.id)
    .outerjoin(_Author, Wisdom.author_id == _Author.id)
    .outerjoin(_SourcePost, Wisdom.post_id == _SourcePost.id)
    .outerjoin(_SourceThread, Wisdom.thread_id == _SourceThread.id)
)


async def access_wisdom(
    session: AsyncSession, viewer: Viewer, wisdom_id: int, curator: bool
) -> Row[Any]:
    """The quote with its source's state (row.Wisdom, row.post_state, …), or the same 404
    whether it is missing, members-only for a guest, or a proposal the viewer may not see."""
    row = (await session.execute(WISDOM_DETAIL.where(Wisdom.id == wisdom_id))).first()
    if row is None or not can_see_wisdom(viewer, row.Wisdom, row.members_only, curator):
        not_found("quote")
    return row


def source_note(row: Row[Any]) -> str:
    """ "gone", "hidden", "changed" or "" for a WISDOM_DETAIL or proposals row."""
    wisdom: Wisdom = row.Wisdom
    if wisdom.post_id is None or row.post_state in (None, State.DELETED):
        return "gone"
    if row.thread_state in (None, State.DELETED):
        return "gone"
    if row.post_state == State.HIDDEN:
        return "hidden"
    if row.post_edited_at != wisdom.source_edited_at:
        return "changed"
    return ""


async def wisdom_tags(session: AsyncSession, wisdom_id: int) -> list[str]:
    statement = select(WisdomTag.tag).where(WisdomTag.wisdom_id == wisdom_id).order_by("tag")
    return list((await session.scalars(statement)).all())


async def collections_holding(session: AsyncSession, wisdom_id: int) -> Sequence[Row[Any]]:
    statement = (
        select(Collection.slug, Collection.title)
        .join(CollectionItem, CollectionItem.collection_id == Collection.id)
        .where(CollectionItem.wisdom_id == wisdom_id)
        .order_by(Collection.title)
    )
    return (await session.execute(statement)).all()


async def citing_posts(
    session: AsyncSession, viewer: Viewer, wisdom_id: int, limit: int = 50
) -> Sequence[Row[Any]]:
    """Published posts citing the quote that the viewer may read, newest first."""
    statement = (
        select(Post.id, Post.created_at, Thread.title.label("thread_title"), Member.handle)
        .select_from(WisdomCitation)
        .join(Post, WisdomCitation.post_id == Post.id)
        .join(Thread, Post.thread_id == Thread.id)
        .join(Board, Thread.board_id == Board.id)
        .join(Member, Post.author_id == Member.id)
        .where(
            WisdomCitation.wisdom_id == wisdom_id,
            Post.state == State.VISIBLE,
            Thread.state == State.VISIBLE,
        )
        .order_by(WisdomCitation.created_at.desc())
        .limit(limit)
    )
    if viewer.is_anonymous:
        statement = statement.where(Board.is_members_only.is_(False))
    return (await session.execute(statement)).all()


async def proposals(session: AsyncSession, limit: int = 100) -> Sequence[Row[Any]]:
    """Proposals waiting for a curator, oldest first, as WISDOM_DETAIL rows."""
    statement = (
        WISDOM_DETAIL.where(Wisdom.status == WisdomStatus.PROPOSED)
        .order_by(Wisdom.created_at, Wisdom.id)
        .limit(limit)
    )
    return (await session.execute(statement)).all()


async def existing_proposals(session: AsyncSession, post_id: int) -> Sequence[Wisdom]:
    """Every quote taken from the post, to spot a passage proposed twice."""
    return (await session.scalars(select(Wisdom).where(Wisdom.post_id == post_id))).all()


async def wisdom_for_update(session: AsyncSession, wisdom_id: int) -> Wisdom:
    """The row locked for a curator's change, or 404. Caller has checked the viewer may see it."""
    statement = (
        select(Wisdom)
        .where(Wisdom.id == wisdom_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    wisdom = (await session.scalars(statement)).first()
    if wisdom is None:
        not_found("quote")
    return wisdom


async def wisdom_by_member(
    session: AsyncSession, viewer: Viewer, member_id: int, limit: int = 10
) -> Sequence[Wisdom]:
    """A member's approved quotes, newest pinned first (their profile)."""
    statement = (
        select(Wisdom)
        .outerjoin(Board, Wisdom.board_id == Board.id)
        .where(
            Wisdom.author_id == member_id,
            Wisdom.status == WisdomStatus.APPROVED,
            Wisdom.pinned_at.is_not(None),
        )
        .order_by(Wisdom.pinned_at.desc())
        .limit(limit)
    )
    if viewer.is_anonymous:
        statement = statement.where(members_only().is_(False))
    return (await session.scalars(statement)).all()


async def newly_pinned_public(session: AsyncSession, limit: int = 30) -> Sequence[Wisdom]:
    """The site feed: newest pinned quotes from public boards."""
    statement = (
        select(Wisdom)
        .join(Board, Wisdom.board_id == Board.id)
        .where(
            Wisdom.status == WisdomStatus.APPROVED,
            Wisdom.pinned_at.is_not(None),
            Board.is_members_only.is_(False),
        )
        .order_by(Wisdom.pinned_at.desc(), Wisdom.id.desc())
        .limit(limit)
    )
    return (await session.scalars(statement)).all()


# Collections

_WisdomBoard, _ItemThread, _ThreadBoard = aliased(Board), aliased(Thread), aliased(Board)
_WisdomAuthor, _ThreadAuthor = aliased(Member), aliased(Member)


def _item_visible(viewer: Viewer) -> ColumnElement[bool]:
    """Approved quotes and published threads; for guests, only those from public boards."""
    guest = viewer.is_anonymous
    return or_(
        and_(
            Wisdom.status == WisdomStatus.APPROVED,
            members_only(_WisdomBoard).is_(False) if guest else true(),
        ),
        and_(
            _ItemThread.state == State.VISIBLE,
            _ThreadBoard.is_members_only.is_(False) if guest else true(),
        ),
    )


def _with_item_sources(statement: Select[Any]) -> Select[Any]:
    return (
        statement.outerjoin(Wisdom, CollectionItem.wisdom_id == Wisdom.id)
        .outerjoin(_WisdomBoard, Wisdom.board_id == _WisdomBoard.id)
        .outerjoin(_ItemThread, CollectionItem.thread_id == _ItemThread.id)
        .outerjoin(_ThreadBoard, _ItemThread.board_id == _ThreadBoard.id)
    )


async def collections_with_counts(session: AsyncSession, viewer: Viewer) -> Sequence[Row[Any]]:
    """Every collection (row.Collection) with how many of its items the viewer may see."""
    counted = func.count(CollectionItem.id).filter(_item_visible(viewer))
    statement = _with_item_sources(
        select(Collection, counted.label("item_count")).outerjoin(
            CollectionItem, CollectionItem.collection_id == Collection.id
        )
    )
    statement = statement.group_by(Collection.id).order_by(Collection.title, Collection.id)
    return (await session.execute(statement)).all()


async def all_collections(session: AsyncSession) -> Sequence[Collection]:
    """For curators' choices (approve into, add to)."""
    statement = select(Collection).order_by(Collection.title, Collection.id)
    return (await session.scalars(statement)).all()


async def access_collection(session: AsyncSession, slug: str, *, lock: bool = False) -> Collection:
    """The collection, or 404. Collections are public; their items are filtered one by one."""
    statement = select(Collection).where(Collection.slug == slug)
    if lock:
        statement = statement.with_for_update(key_share=True)
    collection = (await session.scalars(statement)).first()
    if collection is None:
        not_found("collection")
    return collection


async def collections_by_slug(session: AsyncSession, slugs: Sequence[str]) -> Sequence[Collection]:
    if not slugs:
        return []
    statement = select(Collection).where(Collection.slug.in_(slugs)).order_by(Collection.id)
    return (await session.scalars(statement)).all()


def _items_statement(viewer: Viewer) -> Select[Any]:
    return (
        _with_item_sources(
            select(
                CollectionItem,
                Wisdom,
                _ItemThread.title.label("thread_title"),
                _ItemThread.post_count.label("thread_posts"),
                _ThreadAuthor.handle.label("thread_author"),
                _ThreadBoard.name.label("thread_board"),
                _WisdomAuthor.handle.label("author_handle"),
            )
        )
        .outerjoin(_WisdomAuthor, Wisdom.author_id == _WisdomAuthor.id)
        .outerjoin(_ThreadAuthor, _ItemThread.author_id == _ThreadAuthor.id)
        .where(_item_visible(viewer))
    )


async def collection_items(
    session: AsyncSession, viewer: Viewer, collection_id: int
) -> Sequence[Row[Any]]:
    """The items the viewer may see, in the curators' order. Rows carry CollectionItem and
    Wisdom (None for a thread) and the thread's title, size, board and starter."""
    statement = (
        _items_statement(viewer)
        .where(CollectionItem.collection_id == collection_id)
        .order_by(CollectionItem.position)
    )
    return (await session.execute(statement)).all()


async def newest_public_items(
    session: AsyncSession, collection_id: int, limit: int = 50
) -> Sequence[Row[Any]]:
    """A collection's feed: public items, newest added first."""
    statement = (
        _items_statement(GUEST)
        .where(CollectionItem.collection_id == collection_id)
        .order_by(CollectionItem.created_at.desc(), CollectionItem.id.desc())
        .limit(limit)
    )
    return (await session.execute(statement)).all()


async def item_positions(session: AsyncSession, collection_id: int) -> list[CollectionItem]:
    """Every item of the collection in order, for moving and adding. Caller locked the collection."""
    statement = (
        select(CollectionItem)
        .where(CollectionItem.collection_id == collection_id)
        .order_by(CollectionItem.position)
    )
    return list((await session.scalars(statement)).all())


async def pinned_collections(
    session: AsyncSession, *, board_id: int | None = None, home: bool = False
) -> list[dict[str, str]]:
    """The collections pinned on a board's page or the home page (slug, title and the intro as
    plain text): one query, for a list of links."""
    where = Collection.pinned_board_id == board_id if board_id is not None else false()
    if home:
        where = Collection.pinned_home.is_(True)
    statement = (
        select(Collection.slug, Collection.title, Collection.intro)
        .where(where)
        .order_by(Collection.title)
        .limit(5)
    )
    return [
        {"slug": row.slug, "title": row.title, "intro": excerpt(row.intro, 140)}
        for row in await session.execute(statement)
    ]


async def slug_taken(session: AsyncSession, slug: str) -> bool:
    statement = select(Collection.id).where(Collection.slug == slug)
    return (await session.execute(statement)).first() is not None


async def board_choices(session: AsyncSession) -> Sequence[Row[Any]]:
    """Boards a collection can be pinned on (curators are members: they see every board)."""
    statement = select(Board.id, Board.slug, Board.name).order_by(Board.position, Board.id)
    return (await session.execute(statement)).all()
