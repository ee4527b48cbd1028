"""The wisdom library over JSON: propose, curate, and read quotes and collections.

Same policies, loaders and actions as the pages (forum.wisdom.views), so both agree.
"""

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.viewer import MemberDep, Viewer, ViewerDep
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors
from forum.core.forms import field_messages
from forum.db import SessionDep
from forum.wisdom import actions
from forum.wisdom.forms import (
    ApproveForm,
    CollectionForm,
    CollectionUpdate,
    ProposeForm,
    RejectForm,
    RetitleForm,
)
from forum.wisdom.models import Collection
from forum.wisdom.queries import (
    access_collection,
    access_wisdom,
    attribution,
    board_choices,
    collection_items,
    collections_holding,
    collections_with_counts,
    may_curate,
    proposals,
    source_note,
    wisdom_tags,
)
from forum.wisdom.views import (
    access_post_to_propose,
    curated_wisdom,
    ensure_curator,
    item_target,
)

router = APIRouter(prefix="/api/v1", tags=["wisdom"], dependencies=[Depends(verify_csrf)])


# Shapes


class WisdomOut(BaseModel):
    id: int
    status: str
    title: str
    text: str
    # The handle, or "a former member" once the account is gone.
    author: str
    post_id: int | None
    thread_id: int | None
    post_url: str | None
    post_created_at: datetime
    # "", "changed" (edited since), "hidden" (by moderators) or "gone".
    source: str
    tags: list[str]
    collections: list[str]
    citation_count: int
    pinned_at: datetime | None
    url: str
    # Only for curators and the proposer.
    proposed_by: str | None = None
    review_note: str | None = None


class WisdomProposal(BaseModel):
    post_id: int
    passage: str
    title: str = ""


class ApproveIn(BaseModel):
    collections: list[str] = Field(default_factory=list)
    new_collection: str = ""
    title: str = ""
    tags: list[str] = Field(default_factory=list)


class RejectIn(BaseModel):
    reason: str


class RetitleIn(BaseModel):
    title: str


class CollectionIn(BaseModel):
    title: str
    intro: str = ""
    tags: list[str] = Field(default_factory=list)


class ItemIn(BaseModel):
    """Exactly one of wisdom_id and thread_id."""

    wisdom_id: int | None = None
    thread_id: int | None = None
    note: str = Field("", max_length=1000)

    @model_validator(mode="after")
    def _one_kind(self) -> "ItemIn":
        if (self.wisdom_id is None) == (self.thread_id is None):
            raise ValueError("Send exactly one of wisdom_id and thread_id.")
        return self


class CollectionOut(BaseModel):
    slug: str
    title: str
    intro: str
    tags: list[str]
    pinned_board: str | None
    pinned_home: bool
    item_count: int
    url: str


class ThreadRef(BaseModel):
    id: int
    title: str
    url: str


class ItemOut(BaseModel):
    id: int
    position: int
    kind: str
    note: str
    wisdom: WisdomOut | None = None
    thread: ThreadRef | None = None


class CollectionDetail(CollectionOut):
    items: list[ItemOut]


def _checked(model: type[Any], data: dict[str, Any]) -> Any:
    """The form shape the pages use, or 422 naming each field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise FieldErrors(field_messages(error)) from error


# Building answers


def _brief(row: Any, wisdom: Any, *, tags: list[str], slugs: list[str], note: str) -> WisdomOut:
    return WisdomOut(
        id=wisdom.id,
        status=wisdom.status,
        title=wisdom.title,
        text=wisdom.text,
        author=attribution(wisdom.author_id, row.author_handle or wisdom.author_name),
        post_id=wisdom.post_id,
        thread_id=wisdom.thread_id,
        post_url=f"/p/{wisdom.post_id}" if wisdom.post_id else None,
        post_created_at=wisdom.post_created_at,
        source=note,
        tags=tags,
        collections=slugs,
        citation_count=wisdom.citation_count,
        pinned_at=wisdom.pinned_at,
        url=f"/wisdom/{wisdom.id}",
    )


async def _wisdom_out(
    session: AsyncSession, viewer: Viewer, wisdom_id: int, curator: bool
) -> WisdomOut:
    row = await access_wisdom(session, viewer, wisdom_id, curator)
    wisdom = row.Wisdom
    out = _brief(
        row,
        wisdom,
        tags=await wisdom_tags(session, wisdom_id),
        slugs=[c.slug for c in await collections_holding(session, wisdom_id)],
        note=source_note(row),
    )
    if curator or (viewer.member_id is not None and wisdom.proposed_by_id == viewer.member_id):
        out.proposed_by = wisdom.proposed_by_name
        out.review_note = wisdom.review_note
    return out


def _collection_out(collection: Collection, count: int, boards: dict[int, str]) -> CollectionOut:
    """`boards` maps board ids to slugs (board_slugs()), for where the collection is pinned."""
    return CollectionOut(
        slug=collection.slug,
        title=collection.title,
        intro=collection.intro,
        tags=collection.tags,
        pinned_board=boards.get(collection.pinned_board_id or 0),
        pinned_home=collection.pinned_home,
        item_count=count,
        url=f"/resources/{collection.slug}",
    )


async def board_slugs(session: AsyncSession) -> dict[int, str]:
    return {b.id: b.slug for b in await board_choices(session)}


async def _collection_detail(
    session: AsyncSession, viewer: Viewer, collection: Collection
) -> CollectionDetail:
    rows = await collection_items(session, viewer, collection.id)  # type: ignore[arg-type]
    items = []
    for row in rows:
        item = row.CollectionItem
        out = ItemOut(
            id=item.id,
            position=item.position,
            kind="wisdom" if item.wisdom_id else "thread",
            note=item.note,
        )
        if row.Wisdom is not None:
            out.wisdom = _brief(row, row.Wisdom, tags=[], slugs=[], note="")
        else:
            out.thread = ThreadRef(
                id=item.thread_id, title=row.thread_title, url=f"/t/{item.thread_id}"
            )
        items.append(out)
    summary = _collection_out(collection, len(items), await board_slugs(session))
    return CollectionDetail(**summary.model_dump(), items=items)


# Quotes


@router.post("/wisdom", response_model=WisdomOut, status_code=201)
async def propose(data: WisdomProposal, session: SessionDep, viewer: MemberDep) -> Any:
    """Propose a passage of a post as wisdom; it must appear in the post word for word.
    A passage proposed before answers 409 with the existing quote's id."""
    post = await access_post_to_propose(session, viewer, data.post_id)
    form = _checked(ProposeForm, {"passage": data.passage, "title": data.title})
    await actions.count_proposal(session, viewer)
    try:
        wisdom = await actions.propose_wisdom(
            session, viewer, post, passage=form.passage, title=form.title
        )
    except actions.AlreadyProposed as duplicate:
        return JSONResponse(
            {
                "error": "already_proposed",
                "message": "That passage of this post was proposed already.",
                "fields": {"passage": "That passage of this post was proposed already."},
                "wisdom_id": duplicate.wisdom.id,
            },
            status_code=409,
        )
    return await _wisdom_out(session, viewer, wisdom.id, await may_curate(session, viewer))  # type: ignore[arg-type]


@router.get("/wisdom/proposals", response_model=list[WisdomOut])
async def proposal_list(session: SessionDep, viewer: MemberDep) -> list[WisdomOut]:
    """Proposals waiting for a curator, oldest first (curators only)."""
    await ensure_curator(session, viewer)
    answers = []
    for row in await proposals(session):
        out = _brief(row, row.Wisdom, tags=[], slugs=[], note=source_note(row))
        out.proposed_by = row.Wisdom.proposed_by_name
        answers.append(out)
    return answers


@router.get("/wisdom/{wisdom_id:int}", response_model=WisdomOut)
async def wisdom_detail(wisdom_id: int, session: SessionDep, viewer: ViewerDep) -> WisdomOut:
    """One quote; members-only sources and proposals answer 404 to those who may not see them."""
    return await _wisdom_out(session, viewer, wisdom_id, await may_curate(session, viewer))


@router.post("/wisdom/{wisdom_id:int}/approve", response_model=WisdomOut)
async def approve(
    wisdom_id: int, data: ApproveIn, session: SessionDep, viewer: MemberDep
) -> WisdomOut:
    """Approve into collections (slugs) and/or a new one; the author and proposer are told."""
    wisdom = await curated_wisdom(session, viewer, wisdom_id)
    form = _checked(ApproveForm, data.model_dump())
    await actions.approve_wisdom(session, viewer, wisdom, form)
    return await _wisdom_out(session, viewer, wisdom_id, curator=True)


@router.post("/wisdom/{wisdom_id:int}/reject", response_model=WisdomOut)
async def reject(
    wisdom_id: int, data: RejectIn, session: SessionDep, viewer: MemberDep
) -> WisdomOut:
    """Turn a proposal down with a reason the proposer reads."""
    wisdom = await curated_wisdom(session, viewer, wisdom_id)
    form = _checked(RejectForm, data.model_dump())
    await actions.reject_wisdom(session, viewer, wisdom, form.reason)
    return await _wisdom_out(session, viewer, wisdom_id, curator=True)


@router.patch("/wisdom/{wisdom_id:int}", response_model=WisdomOut)
async def retitle(
    wisdom_id: int, data: RetitleIn, session: SessionDep, viewer: MemberDep
) -> WisdomOut:
    """Give a quote a short title (empty shows its opening words)."""
    wisdom = await curated_wisdom(session, viewer, wisdom_id)
    form = _checked(RetitleForm, data.model_dump())
    await actions.retitle_wisdom(session, viewer, wisdom, form.title)
    return await _wisdom_out(session, viewer, wisdom_id, curator=True)


# Collections


@router.get("/collections", response_model=list[CollectionOut])
async def collection_list(session: SessionDep, viewer: ViewerDep) -> list[CollectionOut]:
    """Every collection, with how many of its items the caller may see."""
    rows = await collections_with_counts(session, viewer)
    boards = await board_slugs(session)
    return [_collection_out(r.Collection, r.item_count, boards) for r in rows]


@router.post("/collections", response_model=CollectionDetail, status_code=201)
async def create_collection(
    data: CollectionIn, session: SessionDep, viewer: MemberDep
) -> CollectionDetail:
    """A new collection; its slug comes from the title."""
    await ensure_curator(session, viewer)
    form = _checked(CollectionForm, data.model_dump())
    collection = await actions.create_collection(
        session, viewer, title=form.title, intro=form.intro, tags=form.tags
    )
    return await _collection_detail(session, viewer, collection)


@router.get("/collections/{slug}", response_model=CollectionDetail)
async def collection_detail(slug: str, session: SessionDep, viewer: ViewerDep) -> CollectionDetail:
    """A collection and the items the caller may see, in order."""
    return await _collection_detail(session, viewer, await access_collection(session, slug))


@router.patch("/collections/{slug}", response_model=CollectionDetail)
async def update_collection(
    slug: str, data: CollectionUpdate, session: SessionDep, viewer: MemberDep
) -> CollectionDetail:
    """Change the title, intro, tags or pins; fields left out stay as they are.
    `pinned_board` takes a board's slug, or "" to unpin."""
    await ensure_curator(session, viewer)
    collection = await access_collection(session, slug, lock=True)
    merged = {
        "title": collection.title if data.title is None else data.title,
        "intro": collection.intro if data.intro is None else data.intro,
        "tags": collection.tags if data.tags is None else data.tags,
    }
    form = _checked(CollectionForm, merged)
    await actions.edit_collection(session, viewer, collection, form)
    if data.pinned_board is not None or data.pinned_home is not None:
        board_id = collection.pinned_board_id
        if data.pinned_board is not None:
            boards = {b.slug: b.id for b in await board_choices(session)}
            if data.pinned_board and data.pinned_board not in boards:
                raise FieldErrors({"pinned_board": f"There is no board “{data.pinned_board}”."})
            board_id = boards.get(data.pinned_board)
        home = collection.pinned_home if data.pinned_home is None else data.pinned_home
        await actions.pin_collection(session, viewer, collection, board_id=board_id, home=home)
    return await _collection_detail(session, viewer, collection)


@router.post("/collections/{slug}/items", response_model=CollectionDetail, status_code=201)
async def add_item(
    slug: str, data: ItemIn, session: SessionDep, viewer: MemberDep
) -> CollectionDetail:
    """Add an approved quote or a published thread at the end, with an optional note."""
    await ensure_curator(session, viewer)
    collection = await access_collection(session, slug)
    kind, target_id = ("wisdom", data.wisdom_id) if data.wisdom_id else ("thread", data.thread_id)
    try:
        wisdom, thread = await item_target(session, viewer, kind, target_id)  # type: ignore[arg-type]
        await actions.add_item(
            session, viewer, collection, wisdom=wisdom, thread=thread, note=data.note.strip()
        )
    except FieldErrors as problem:
        raise FieldErrors({f"{kind}_id": problem.fields["ref"]}) from problem
    return await _collection_detail(session, viewer, collection)
