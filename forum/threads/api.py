"""Threads and posts over JSON: start, read, reply and edit, by session cookie or API token.

Same policies, queries and actions as the pages (forum.threads.views), so both agree.
"""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Row

from forum.api.schemas import ThreadOut
from forum.auth.policies import can_edit_post, can_read_post, can_reply, can_start_thread
from forum.auth.viewer import MemberDep, Viewer, ViewerDep
from forum.boards.queries import access_board
from forum.core.csrf import verify_csrf
from forum.core.errors import ensure
from forum.db import SessionDep
from forum.glossary.annotate import current_glossary
from forum.ratelimits.limits import count_post
from forum.threads.actions import edit_post, reply_to_thread, start_thread
from forum.threads.forms import PostCreate, PostUpdate, ThreadCreate
from forum.threads.queries import (
    access_post,
    access_thread,
    own_story,
    page_count,
    post_with_source,
    thread_header,
    thread_page_posts,
)
from forum.threads.views import (
    post_url,
    story_message,
    why_not_edit,
    why_not_reply,
    why_not_start,
)

router = APIRouter(prefix="/api/v1", tags=["forum"], dependencies=[Depends(verify_csrf)])


# Shapes


class AuthorOut(BaseModel):
    handle: str
    role: str
    post_count: int
    member_since: datetime


class PostOut(BaseModel):
    id: int
    thread_id: int
    position: int
    author: AuthorOut
    # "visible", or "pending", "hidden" or "deleted" for those who may see such posts at all.
    state: str
    # Why a post is hidden or waiting; its words are empty for readers who may not see them.
    state_reason: str
    html: str
    source: str | None = None
    created_at: datetime
    edited_at: datetime | None
    url: str

    @classmethod
    def of(cls, row: Row, url: str, readable: bool = True) -> "PostOut":
        """From a thread-page row; the Markdown source only where the row has it."""
        return cls(
            id=row.id,
            thread_id=row.thread_id,
            position=row.position,
            author=AuthorOut(
                handle=row.author_handle,
                role=row.author_role,
                post_count=row.author_posts,
                member_since=row.author_since,
            ),
            state=row.state,
            state_reason=row.state_reason,
            html=row.html if readable else "",
            source=getattr(row, "source", None) if readable else None,
            created_at=row.created_at,
            edited_at=row.edited_at,
            url=url,
        )


class ThreadPage(BaseModel):
    board_slug: str
    thread: ThreadOut
    posts: list[PostOut]
    page: int
    pages: int


async def _post(session: SessionDep, viewer: Viewer, post_id: int, board_id: int) -> PostOut:
    # Read back after a write: counters and the rendered HTML as stored.
    row = await post_with_source(session, post_id)
    readable = can_read_post(viewer, row, board_id)
    out = PostOut.of(row, post_url(row), readable)
    out.html = (await current_glossary(session)).annotate(out.id, out.html)
    return out


# Threads


def story_exists(story: Row) -> JSONResponse:
    return JSONResponse(
        {
            "error": "story_exists",
            "message": story_message(story.state),
            "thread_id": story.id,
            "url": f"/t/{story.id}",
        },
        status_code=409,
    )


@router.post("/boards/{slug}/threads", response_model=PostOut, status_code=201)
async def create_thread(
    slug: str, data: ThreadCreate, session: SessionDep, viewer: MemberDep
) -> PostOut:
    """Start a thread; returns its opening post. In a story board, a member who has a story
    there already (published or waiting for approval) gets 409 with `error` "story_exists" and
    the story's `thread_id` and `url`."""
    board = await access_board(session, viewer, slug)
    ensure(can_start_thread(viewer, board), why_not_start(viewer, board))
    if story := await own_story(session, viewer, board, lock=True):
        return story_exists(story)  # type: ignore[return-value]
    await count_post(session, viewer, starts_thread=True)
    post = await start_thread(session, viewer, board, title=data.title, body=data.body)
    return await _post(session, viewer, post.id, board.id)


@router.get("/threads/{thread_id}", response_model=ThreadPage)
async def thread_detail(
    thread_id: int, session: SessionDep, viewer: ViewerDep, page: int = Query(1, ge=1)
) -> ThreadPage:
    """A thread with one page of its posts (25 a page). A merged thread answers 308, pointing
    at the thread its posts joined. Each post's html explains glossary terms as the page does,
    <abbr title="meaning">term</abbr>; `source` stays exactly as written."""
    thread = await thread_header(session, viewer, thread_id)
    if isinstance(thread, int):
        return merged_pointer(thread)  # type: ignore[return-value]
    posts = await thread_page_posts(session, viewer, thread, page)
    out = [PostOut.of(p, post_url(p), can_read_post(viewer, p, thread.board_id)) for p in posts]
    glossary = await current_glossary(session)
    for post in out:
        post.html = glossary.annotate(post.id, post.html)
    return ThreadPage(
        board_slug=thread.board_slug,
        thread=ThreadOut.of(thread),
        posts=out,
        page=page,
        pages=page_count(thread.post_count),
    )


@router.post("/threads/{thread_id}/posts", response_model=PostOut, status_code=201)
async def create_reply(
    thread_id: int, data: PostCreate, session: SessionDep, viewer: MemberDep
) -> PostOut:
    """Reply to a thread. To quote a post, put `[quote=POST_ID]…[/quote]` in the body."""
    thread = await access_thread(session, viewer, thread_id)
    ensure(can_reply(viewer, thread), why_not_reply(viewer, thread))
    await count_post(session, viewer, starts_thread=False)
    post = await reply_to_thread(session, viewer, thread, body=data.body)
    return await _post(session, viewer, post.id, thread.board_id)


# Posts


@router.get("/posts/{post_id}", response_model=PostOut)
async def post_detail(post_id: int, session: SessionDep, viewer: ViewerDep) -> PostOut:
    """One post, with its Markdown source and rendered HTML (glossary terms explained)."""
    post = await access_post(session, viewer, post_id)
    return await _post(session, viewer, post.id, post.thread.board_id)


@router.patch("/posts/{post_id}", response_model=PostOut)
async def update_post(
    post_id: int, data: PostUpdate, session: SessionDep, viewer: MemberDep
) -> PostOut:
    """Edit your own post; the page then shows it as edited."""
    post = await access_post(session, viewer, post_id)
    ensure(can_edit_post(viewer, post, post.thread), why_not_edit(post.thread))
    await edit_post(session, viewer, post, body=data.body)
    return await _post(session, viewer, post.id, post.thread.board_id)


def merged_pointer(thread_id: int) -> JSONResponse:
    """A merged thread's API address answers with a permanent redirect to the one its posts joined."""
    url = f"/api/v1/threads/{thread_id}"
    return JSONResponse(
        {"merged_into": thread_id, "url": url}, status_code=308, headers={"Location": url}
    )
