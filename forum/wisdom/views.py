"""Wisdom pages: proposing a passage, the curators' queue, quote permalinks and resources."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from forum.auth.policies import can_administer, can_propose_wisdom
from forum.auth.viewer import MemberDep, Viewer, ViewerDep
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure, not_found
from forum.core.forms import validate_form
from forum.core.markdown import excerpt, render_markdown
from forum.core.middleware import flags
from forum.core.templating import render
from forum.core.time import exact_time
from forum.db import SessionDep
from forum.glossary.annotate import current_glossary
from forum.threads.models import Post, State, Thread
from forum.threads.queries import access_post, access_thread
from forum.wisdom import actions
from forum.wisdom.feeds import router as feeds_router
from forum.wisdom.forms import (
    ApproveForm,
    CollectionForm,
    ItemForm,
    ProposeForm,
    RejectForm,
    RetitleForm,
)
from forum.wisdom.models import Collection, Wisdom, WisdomStatus
from forum.wisdom.queries import (
    access_collection,
    access_wisdom,
    all_collections,
    attribution,
    board_choices,
    citing_posts,
    collection_items,
    collections_holding,
    collections_with_counts,
    may_curate,
    proposals,
    seniors_may_curate,
    source_note,
    wisdom_for_update,
    wisdom_tags,
)

router = APIRouter(dependencies=[Depends(verify_csrf)])
router.include_router(feeds_router)

CURATORS_ONLY = (
    "Only moderators curate the wisdom library, and senior members when the administrators "
    "allow it."
)
ADMINS_ONLY = "Only administrators choose who curates the wisdom library."
THANKS = "Thanks — a curator will look at it."


def why_not_propose(viewer: Viewer, post: Post) -> str:
    if viewer.is_silenced and viewer.silenced_until is not None:
        return f"You can read but not post until {exact_time(viewer.silenced_until)}."
    if post.state != State.VISIBLE:
        return "Only published posts can be saved as wisdom."
    return "You can't save this post as wisdom."


async def access_post_to_propose(session: AsyncSession, viewer: Viewer, post_id: int) -> Post:
    """The post (with thread, board and author) once the viewer may propose from it."""
    post = await access_post(session, viewer, post_id)
    ensure(can_propose_wisdom(viewer, post, post.thread.board_id), why_not_propose(viewer, post))
    return post


async def ensure_curator(session: AsyncSession, viewer: Viewer) -> None:
    ensure(await may_curate(session, viewer), CURATORS_ONLY)


async def curated_wisdom(session: AsyncSession, viewer: Viewer, wisdom_id: int) -> Wisdom:
    """A curator's view of the quote, locked for the change: 403 for others, 404 if missing."""
    await ensure_curator(session, viewer)
    await access_wisdom(session, viewer, wisdom_id, curator=True)
    return await wisdom_for_update(session, wisdom_id)


async def item_target(
    session: AsyncSession, viewer: Viewer, kind: str, target_id: int
) -> tuple[Wisdom | None, Thread | None]:
    """The quote or published thread a curator adds; FieldErrors (ref) if they can't see it."""
    try:
        if kind == "thread":
            thread = await access_thread(session, viewer, target_id)
            if thread.state != State.VISIBLE:
                raise FieldErrors({"ref": "Only published threads can join a collection."})
            return None, thread
        row = await access_wisdom(session, viewer, target_id, curator=True)
        return row.Wisdom, None
    except HTTPException as problem:
        if problem.status_code != 404:
            raise
        raise FieldErrors({"ref": f"There is no {kind} number {target_id}."}) from problem


# Proposing


@router.get("/p/{post_id}/wisdom", name="wisdom.propose")
async def propose_page(
    request: Request,
    post_id: int,
    session: SessionDep,
    viewer: MemberDep,
    passage: str = "",
    title: str = "",
) -> Response:
    """Works without JavaScript; the selection button fills `passage` from the query."""
    post = await access_post_to_propose(session, viewer, post_id)
    context = {"post": post, "values": {"passage": passage[:4000], "title": title}, "errors": {}}
    return render(request, "wisdom/propose.html", context)


@router.post("/p/{post_id}/wisdom")
async def propose(
    request: Request,
    post_id: int,
    session: SessionDep,
    viewer: MemberDep,
    passage: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
) -> Response:
    post = await access_post_to_propose(session, viewer, post_id)
    values = {"passage": passage, "title": title}
    form, errors = validate_form(ProposeForm, values)
    existing = None
    if form is not None:
        try:
            await actions.count_proposal(session, viewer)
            wisdom = await actions.propose_wisdom(
                session, viewer, post, passage=form.passage, title=form.title
            )
        except FieldErrors as problem:
            errors = problem.fields
        except actions.AlreadyProposed as duplicate:
            existing = duplicate.wisdom
        else:
            return RedirectResponse(f"/wisdom/{wisdom.id}?proposed=1", status_code=303)
    context = {"post": post, "values": values, "errors": errors, "existing": existing}
    return render(request, "wisdom/propose.html", context, status_code=409 if existing else 422)


# One quote


@router.get("/wisdom/{wisdom_id:int}", name="wisdom.detail")
async def wisdom_page(
    request: Request, wisdom_id: int, session: SessionDep, viewer: ViewerDep, proposed: str = ""
) -> Response:
    curator = await may_curate(session, viewer)
    row = await access_wisdom(session, viewer, wisdom_id, curator)
    wisdom: Wisdom = row.Wisdom
    flags(request).indexable = not row.members_only and wisdom.status == WisdomStatus.APPROVED
    context = await _wisdom_context(session, viewer, row, curator)
    if proposed and wisdom.proposed_by_id == viewer.member_id:
        context["thanks"] = THANKS
    return render(request, "wisdom/detail.html", context)


async def _wisdom_context(
    session: AsyncSession, viewer: Viewer, row: Any, curator: bool
) -> dict[str, Any]:
    wisdom: Wisdom = row.Wisdom
    assert wisdom.id is not None
    context: dict[str, Any] = {
        "row": row,
        "wisdom": wisdom,
        "author": attribution(wisdom.author_id, row.author_handle or wisdom.author_name),
        "note": source_note(row),
        "tags": await wisdom_tags(session, wisdom.id),
        "collections": await collections_holding(session, wisdom.id),
        "citations": await citing_posts(session, viewer, wisdom.id),
        # The quote is read by newcomers most of all: its shorthand is explained as in posts.
        "glossary": await current_glossary(session),
        "curator": curator,
        "choices": [],
        "values": {"title": wisdom.title},
        "errors": {},
    }
    if curator and wisdom.status == WisdomStatus.PROPOSED:
        context["choices"] = await all_collections(session)
    return context


@router.post("/wisdom/{wisdom_id:int}/title", name="wisdom.retitle")
async def retitle(
    request: Request,
    wisdom_id: int,
    session: SessionDep,
    viewer: MemberDep,
    title: Annotated[str, Form()] = "",
) -> Response:
    wisdom = await curated_wisdom(session, viewer, wisdom_id)
    form, errors = validate_form(RetitleForm, {"title": title})
    if form is None:
        row = await access_wisdom(session, viewer, wisdom_id, curator=True)
        context = await _wisdom_context(session, viewer, row, curator=True)
        context.update(values={"title": title}, errors=errors)
        return render(request, "wisdom/detail.html", context, status_code=422)
    await actions.retitle_wisdom(session, viewer, wisdom, form.title)
    return RedirectResponse(f"/wisdom/{wisdom_id}", status_code=303)


# The curators' queue


async def _proposals_page(
    request: Request,
    session: AsyncSession,
    viewer: Viewer,
    *,
    done: str = "",
    failed: int | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    rows = await proposals(session)
    context = {
        "entries": [
            {
                "row": row,
                "author": attribution(
                    row.Wisdom.author_id, row.author_handle or row.Wisdom.author_name
                ),
                "note": source_note(row),
            }
            for row in rows
        ],
        "choices": await all_collections(session),
        "done": done,
        "failed": failed,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "wisdom/proposals.html", context, status_code=422 if errors else 200)


DONE = {
    "approved": "Approved. The author and the proposer have been told.",
    "rejected": "Rejected. The proposer has been told why.",
}


@router.get("/wisdom/proposals", name="wisdom.proposals")
async def proposals_page(
    request: Request, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    await ensure_curator(session, viewer)
    return await _proposals_page(request, session, viewer, done=DONE.get(done, ""))


@router.post("/wisdom/{wisdom_id:int}/approve", name="wisdom.approve")
async def approve(
    request: Request,
    wisdom_id: int,
    session: SessionDep,
    viewer: MemberDep,
    collections: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    new_collection: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
) -> Response:
    wisdom = await curated_wisdom(session, viewer, wisdom_id)
    values = {
        "collections": collections,
        "new_collection": new_collection,
        "title": title,
        "tags": tags,
    }
    form, errors = validate_form(ApproveForm, values)
    if form is not None:
        try:
            await actions.approve_wisdom(session, viewer, wisdom, form)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse("/wisdom/proposals?done=approved", status_code=303)
    return await _proposals_page(
        request, session, viewer, failed=wisdom_id, values=values, errors=errors
    )


@router.post("/wisdom/{wisdom_id:int}/reject", name="wisdom.reject")
async def reject(
    request: Request,
    wisdom_id: int,
    session: SessionDep,
    viewer: MemberDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    wisdom = await curated_wisdom(session, viewer, wisdom_id)
    ensure(wisdom.status != WisdomStatus.REJECTED, "This quote was turned down already.")
    form, errors = validate_form(RejectForm, {"reason": reason})
    if form is None:
        values = {"reason": reason, "action": "reject"}
        return await _proposals_page(
            request, session, viewer, failed=wisdom_id, values=values, errors=errors
        )
    await actions.reject_wisdom(session, viewer, wisdom, form.reason)
    return RedirectResponse("/wisdom/proposals?done=rejected", status_code=303)


# Who curates


@router.get("/wisdom/settings", name="wisdom.settings")
async def settings_page(
    request: Request, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    ensure(can_administer(viewer), ADMINS_ONLY)
    context = {"seniors_curate": await seniors_may_curate(session), "done": bool(done)}
    return render(request, "wisdom/settings.html", context)


@router.post("/wisdom/settings")
async def save_settings(
    session: SessionDep, viewer: MemberDep, seniors_curate: Annotated[str, Form()] = ""
) -> Response:
    ensure(can_administer(viewer), ADMINS_ONLY)
    await actions.save_seniors_curate(session, viewer, bool(seniors_curate))
    return RedirectResponse("/wisdom/settings?done=1", status_code=303)


# Resources: collections


@router.get("/resources", name="wisdom.resources")
async def resources(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    rows = await collections_with_counts(session, viewer)
    flags(request).indexable = True
    context = {
        "rows": rows,
        # Introductions are Markdown; the list shows the opening words as plain text.
        "intros": {row.Collection.id: excerpt(row.Collection.intro, 220) for row in rows},
        "curator": await may_curate(session, viewer),
    }
    return render(request, "wisdom/resources.html", context)


@router.get("/resources/new", name="wisdom.new_collection")
async def new_collection_page(request: Request, session: SessionDep, viewer: MemberDep) -> Response:
    await ensure_curator(session, viewer)
    return render(request, "wisdom/collection_new.html", {"values": {}, "errors": {}})


@router.post("/resources/new")
async def create_collection(
    request: Request,
    session: SessionDep,
    viewer: MemberDep,
    title: Annotated[str, Form()] = "",
    intro: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
) -> Response:
    await ensure_curator(session, viewer)
    values = {"title": title, "intro": intro, "tags": tags}
    form, errors = validate_form(CollectionForm, values)
    if form is None:
        context = {"values": values, "errors": errors}
        return render(request, "wisdom/collection_new.html", context, status_code=422)
    collection = await actions.create_collection(
        session, viewer, title=form.title, intro=form.intro, tags=form.tags
    )
    return RedirectResponse(f"/resources/{collection.slug}/edit", status_code=303)


@router.get("/resources/{slug}", name="wisdom.collection")
async def collection_page(
    request: Request, slug: str, session: SessionDep, viewer: ViewerDep
) -> Response:
    collection = await access_collection(session, slug)
    flags(request).indexable = True
    context = {
        "collection": collection,
        "intro_html": render_markdown(collection.intro) if collection.intro else "",
        "items": await collection_items(session, viewer, collection.id),  # type: ignore[arg-type]
        "curator": await may_curate(session, viewer),
        "attribution": attribution,
    }
    return render(request, "wisdom/collection.html", context)


async def _edit_page(
    request: Request,
    session: AsyncSession,
    viewer: Viewer,
    collection: Collection,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    item_values: dict[str, Any] | None = None,
    item_errors: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    context = {
        "collection": collection,
        "items": await collection_items(session, viewer, collection.id),  # type: ignore[arg-type]
        "boards": await board_choices(session),
        "attribution": attribution,
        "values": values
        or {
            "title": collection.title,
            "intro": collection.intro,
            "tags": ", ".join(collection.tags),
        },
        "errors": errors or {},
        "item_values": item_values or {"kind": "wisdom"},
        "item_errors": item_errors or {},
        "done": done,
    }
    failed = bool(errors or item_errors)
    return render(request, "wisdom/collection_edit.html", context, 422 if failed else 200)


EDIT_DONE = {
    "saved": "Saved.",
    "pinned": "Pins saved.",
    "added": "Added at the end.",
    "moved": "Moved.",
    "removed": "Removed from the collection.",
}


@router.get("/resources/{slug}/edit", name="wisdom.edit_collection")
async def edit_collection_page(
    request: Request, slug: str, session: SessionDep, viewer: MemberDep, done: str = ""
) -> Response:
    await ensure_curator(session, viewer)
    collection = await access_collection(session, slug)
    return await _edit_page(request, session, viewer, collection, done=EDIT_DONE.get(done, ""))


@router.post("/resources/{slug}/edit")
async def edit_collection(
    request: Request,
    slug: str,
    session: SessionDep,
    viewer: MemberDep,
    title: Annotated[str, Form()] = "",
    intro: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
) -> Response:
    await ensure_curator(session, viewer)
    collection = await access_collection(session, slug, lock=True)
    values = {"title": title, "intro": intro, "tags": tags}
    form, errors = validate_form(CollectionForm, values)
    if form is None:
        return await _edit_page(request, session, viewer, collection, values=values, errors=errors)
    await actions.edit_collection(session, viewer, collection, form)
    return RedirectResponse(f"/resources/{slug}/edit?done=saved", status_code=303)


@router.post("/resources/{slug}/pins")
async def pin_collection(
    slug: str,
    session: SessionDep,
    viewer: MemberDep,
    board: Annotated[str, Form()] = "",
    home: Annotated[str, Form()] = "",
) -> Response:
    await ensure_curator(session, viewer)
    collection = await access_collection(session, slug, lock=True)
    boards = {b.slug: b.id for b in await board_choices(session)}
    if board and board not in boards:
        not_found("board")
    await actions.pin_collection(
        session, viewer, collection, board_id=boards.get(board), home=bool(home)
    )
    return RedirectResponse(f"/resources/{slug}/edit?done=pinned", status_code=303)


@router.post("/resources/{slug}/items")
async def add_item(
    request: Request,
    slug: str,
    session: SessionDep,
    viewer: MemberDep,
    kind: Annotated[str, Form()] = "wisdom",
    ref: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    await ensure_curator(session, viewer)
    collection = await access_collection(session, slug)
    values = {"kind": kind, "ref": ref, "note": note}
    form, errors = validate_form(ItemForm, values)
    if form is not None:
        target = form.target()
        try:
            if target is None:
                raise FieldErrors({"ref": "Give a quote's or thread's address, or its number."})
            wisdom, thread = await item_target(session, viewer, *target)
            await actions.add_item(
                session, viewer, collection, wisdom=wisdom, thread=thread, note=form.note
            )
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse(f"/resources/{slug}/edit?done=added", status_code=303)
    return await _edit_page(
        request, session, viewer, collection, item_values=values, item_errors=errors
    )


@router.post("/resources/{slug}/items/{item_id}/move")
async def move_item(
    slug: str,
    item_id: int,
    session: SessionDep,
    viewer: MemberDep,
    direction: Annotated[str, Form()] = "up",
) -> Response:
    await ensure_curator(session, viewer)
    collection = await access_collection(session, slug)
    await actions.move_item(session, viewer, collection, item_id, up=direction != "down")
    return RedirectResponse(f"/resources/{slug}/edit?done=moved#item-{item_id}", status_code=303)


@router.post("/resources/{slug}/items/{item_id}/remove")
async def remove_item(slug: str, item_id: int, session: SessionDep, viewer: MemberDep) -> Response:
    await ensure_curator(session, viewer)
    collection = await access_collection(session, slug)
    if not await actions.remove_item(session, viewer, collection, item_id):
        not_found("item")
    return RedirectResponse(f"/resources/{slug}/edit?done=removed", status_code=303)
