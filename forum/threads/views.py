"""Thread pages, new threads, replies, quotes, edits and post permalinks."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Row

from forum.auth.policies import can_edit_post, can_reply, can_start_thread, moderates
from forum.auth.viewer import MemberDep, Viewer, ViewerDep
from forum.boards.models import Board
from forum.boards.queries import access_board
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure
from forum.core.forms import validate_form
from forum.core.markdown import quote_markdown
from forum.core.middleware import flags
from forum.core.templating import render
from forum.core.time import exact_time
from forum.db import SessionDep
from forum.glossary.annotate import current_glossary
from forum.ratelimits.limits import count_post
from forum.threads.actions import edit_post, reply_to_thread, start_thread
from forum.threads.forms import PostCreate, PostUpdate, ThreadCreate
from forum.threads.models import Post, State
from forum.threads.queries import (
    access_post,
    access_thread,
    own_story,
    page_count,
    page_of_position,
    thread_header,
    thread_page_posts,
)

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _silenced(viewer: Viewer) -> str:
    if viewer.is_silenced and viewer.silenced_until is not None:
        return f"You can read but not post until {exact_time(viewer.silenced_until)}."
    return ""


ARCHIVED = "This board is archived: read-only."
STORY_EXISTS = "You already have a story here: post an update to it."
STORY_WAITING = (
    "You already have a story here, waiting for a moderator's approval: "
    "you can post updates to it once it is up."
)


def story_message(state: str) -> str:
    return STORY_WAITING if state == State.PENDING else STORY_EXISTS


def why_not_reply(viewer: Viewer, thread: object) -> str:
    """The refusal a member can act on when can_reply() says no."""
    if silenced := _silenced(viewer):
        return silenced
    if getattr(thread, "board_is_archived", False):
        return ARCHIVED
    if getattr(thread, "state", "visible") != "visible":
        return "This thread takes replies once it is published."
    return "This thread is locked, so it takes no new replies."


def why_not_start(viewer: Viewer, board: Board) -> str:
    if board.is_archived:
        return ARCHIVED
    return _silenced(viewer) or "You can't start threads in this board."


def why_not_edit(thread: object) -> str:
    if getattr(thread, "board_is_archived", False):
        return ARCHIVED
    return "You can only edit your own posts."


def post_url(post: Post | Row) -> str:
    return f"/t/{post.thread_id}?page={page_of_position(post.position)}#p{post.id}"


@router.get("/b/{slug}/new", name="threads.new")
async def new_thread_page(
    request: Request, slug: str, session: SessionDep, viewer: MemberDep
) -> Response:
    board = await access_board(session, viewer, slug)
    ensure(can_start_thread(viewer, board), why_not_start(viewer, board))
    if story := await own_story(session, viewer, board):
        # One ongoing story per member here: "New thread" leads to the story's reply box.
        return RedirectResponse(f"/t/{story.id}?story=exists#reply", status_code=303)
    return render(request, "threads/new.html", {"board": board, "values": {}, "errors": {}})


@router.post("/b/{slug}/new")
async def new_thread(
    request: Request,
    slug: str,
    session: SessionDep,
    viewer: MemberDep,
    title: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
) -> Response:
    board = await access_board(session, viewer, slug)
    ensure(can_start_thread(viewer, board), why_not_start(viewer, board))
    values = {"title": title, "body": body}
    if story := await own_story(session, viewer, board, lock=True):
        # Refused with what they wrote kept, and the way to their story.
        context = {
            "board": board,
            "values": values,
            "errors": {},
            "story_id": story.id,
            "story_message": story_message(story.state),
        }
        return render(request, "threads/new.html", context, status_code=409)
    form, errors = validate_form(ThreadCreate, values)
    if form is not None:
        try:
            await count_post(session, viewer, starts_thread=True)
            post = await start_thread(session, viewer, board, title=form.title, body=form.body)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse(post_url(post), status_code=303)
    context = {"board": board, "values": values, "errors": errors}
    return render(request, "threads/new.html", context, status_code=422)


@router.get("/t/{thread_id}", name="threads.detail")
async def thread_page(
    request: Request,
    thread_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    page: int = Query(1, ge=1),
    story: str = "",
) -> Response:
    thread = await thread_header(session, viewer, thread_id)
    if isinstance(thread, int):
        # A merged thread's posts live on in another thread: old links follow them there.
        return RedirectResponse(f"/t/{thread}", status_code=303)
    pages = page_count(thread.post_count)
    if page > pages:
        return RedirectResponse(f"/t/{thread.id}?page={pages}", status_code=303)
    posts = await thread_page_posts(session, viewer, thread, page)
    flags(request).indexable = not thread.is_members_only
    context = {
        "thread": thread,
        "posts": posts,
        "page": page,
        "pages": pages,
        "can_reply": can_reply(viewer, thread),
        "moderator": moderates(viewer, thread.board_id),
        "values": {},
        "errors": {},
        # Sent here by "New thread" in a story board where this is the member's story.
        "story_message": story_message(thread.state)
        if story == "exists" and thread.author_id == viewer.member_id
        else "",
        # Glossary terms are explained at display time, never stored in the posts.
        "glossary": await current_glossary(session),
    }
    return render(request, "threads/detail.html", context)


@router.post("/t/{thread_id}/reply", name="threads.reply")
async def reply(
    request: Request,
    thread_id: int,
    session: SessionDep,
    viewer: MemberDep,
    body: Annotated[str, Form()] = "",
) -> Response:
    thread = await access_thread(session, viewer, thread_id)
    ensure(can_reply(viewer, thread), why_not_reply(viewer, thread))
    form, errors = validate_form(PostCreate, {"body": body})
    if form is not None:
        try:
            await count_post(session, viewer, starts_thread=False)
            post = await reply_to_thread(session, viewer, thread, body=form.body)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse(post_url(post), status_code=303)
    context = {"thread": thread, "values": {"body": body}, "errors": errors}
    return render(request, "threads/reply.html", context, status_code=422)


@router.get("/p/{post_id}", name="threads.post")
async def permalink(post_id: int, session: SessionDep, viewer: ViewerDep) -> Response:
    post = await access_post(session, viewer, post_id)
    return RedirectResponse(post_url(post), status_code=303)


@router.get("/p/{post_id}/quote", name="threads.quote")
async def quote_page(
    request: Request, post_id: int, session: SessionDep, viewer: MemberDep
) -> Response:
    """Reply page with the post quoted; works without JavaScript."""
    post = await access_post(session, viewer, post_id)
    ensure(can_reply(viewer, post.thread), why_not_reply(viewer, post.thread))
    ensure(post.state == State.VISIBLE, "Only published posts can be quoted.")
    body = quote_markdown(post.id, post.source)
    context = {"thread": post.thread, "quoted": post, "values": {"body": body}, "errors": {}}
    return render(request, "threads/reply.html", context)


@router.get("/p/{post_id}/edit", name="threads.edit")
async def edit_page(
    request: Request, post_id: int, session: SessionDep, viewer: MemberDep
) -> Response:
    post = await access_post(session, viewer, post_id)
    ensure(can_edit_post(viewer, post, post.thread), why_not_edit(post.thread))
    context = {"post": post, "values": {"body": post.source}, "errors": {}}
    return render(request, "threads/edit.html", context)


@router.post("/p/{post_id}/edit")
async def edit(
    request: Request,
    post_id: int,
    session: SessionDep,
    viewer: MemberDep,
    body: Annotated[str, Form()] = "",
) -> Response:
    post = await access_post(session, viewer, post_id)
    ensure(can_edit_post(viewer, post, post.thread), why_not_edit(post.thread))
    form, errors = validate_form(PostUpdate, {"body": body})
    if form is not None:
        try:
            await edit_post(session, viewer, post, body=form.body)
        except FieldErrors as problem:
            errors = problem.fields
        else:
            return RedirectResponse(post_url(post), status_code=303)
    context = {"post": post, "values": {"body": body}, "errors": errors}
    return render(request, "threads/edit.html", context, status_code=422)
