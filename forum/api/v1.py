"""The JSON API: the pages' capabilities for apps and scripts, by session cookie or API token."""

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from forum.accounts.deletion import (
    NOT_CONFIRMED,
    ONLY_ADMINISTRATOR,
    confirm_password,
    delete_account,
    other_administrators,
)
from forum.accounts.forms import AccountDeletion
from forum.accounts.models import Member
from forum.api.schemas import BoardOut, BoardPage, MemberOut, PostOut, ThreadOut, ThreadPage
from forum.api.thread_tools import merged_pointer
from forum.auth.policies import (
    can_delete_own_account,
    can_edit_post,
    can_read_post,
    can_reply,
    can_start_thread,
)
from forum.auth.viewer import SESSION_COOKIE, MemberDep, Viewer, ViewerDep
from forum.boards.queries import access_board, visible_boards
from forum.config import settings
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
    board_threads,
    page_count,
    post_with_source,
    thread_header,
    thread_page_posts,
)
from forum.threads.views import post_url, why_not_reply, why_not_start

router = APIRouter(prefix="/api/v1", tags=["forum"], dependencies=[Depends(verify_csrf)])


async def _post(session: SessionDep, viewer: Viewer, post_id: int, board_id: int) -> PostOut:
    # Read back after a write: counters and the rendered HTML as stored.
    row = await post_with_source(session, post_id)
    readable = can_read_post(viewer, row, board_id)
    out = PostOut.of(row, post_url(row), readable)
    out.html = (await current_glossary(session)).annotate(out.id, out.html)
    return out


@router.get("/me", response_model=MemberOut)
async def me(session: SessionDep, viewer: MemberDep) -> MemberOut:
    """The member the request is authenticated as."""
    return MemberOut.model_validate(await session.get_one(Member, viewer.member_id))


@router.delete("/me", status_code=204, response_class=Response)
async def delete_me(data: AccountDeletion, session: SessionDep, viewer: MemberDep) -> Response:
    """Delete your account: posts stay under an anonymous name; handle, email, logins, tokens,
    notices and moderator roles go. Wisdom quotes read "a former member" unless
    `keep_handle_on_wisdom`. A wrong password counts toward the login limit."""
    assert viewer.member_id is not None
    member = await session.get_one(Member, viewer.member_id)
    others = await other_administrators(session, viewer.member_id, lock=True)
    ensure(can_delete_own_account(viewer, others), ONLY_ADMINISTRATOR)
    if not await confirm_password(session, member, data.password):
        # Answered, not raised, so the counted attempt is committed.
        fields = {"password": NOT_CONFIRMED}
        body = {"error": "invalid_request", "message": f"password: {NOT_CONFIRMED}"}
        return JSONResponse({**body, "fields": fields}, status_code=422)
    await delete_account(session, member, keep_handle_on_wisdom=data.keep_handle_on_wisdom)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/boards", response_model=list[BoardOut])
async def boards(session: SessionDep, viewer: ViewerDep) -> list[BoardOut]:
    """Boards the caller may see, in the forum's order."""
    return [BoardOut.model_validate(b) for b in (await session.scalars(visible_boards(viewer)))]


@router.get("/boards/{slug}/threads", response_model=BoardPage)
async def board_page(
    slug: str, session: SessionDep, viewer: ViewerDep, page: int = Query(1, ge=1)
) -> BoardPage:
    """A page of a board's threads: pinned first, then by last activity."""
    board = await access_board(session, viewer, slug)
    threads = await board_threads(session, board.id, page)
    return BoardPage(
        board=BoardOut.model_validate(board),
        threads=[ThreadOut.of(t) for t in threads],
        page=page,
        pages=page_count(board.thread_count, settings.threads_per_page),
    )


@router.post("/boards/{slug}/threads", response_model=PostOut, status_code=201)
async def create_thread(
    slug: str, data: ThreadCreate, session: SessionDep, viewer: MemberDep
) -> PostOut:
    """Start a thread; returns its opening post."""
    board = await access_board(session, viewer, slug)
    ensure(can_start_thread(viewer, board), why_not_start(viewer))
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
    ensure(can_edit_post(viewer, post, post.thread), "You can only edit your own posts.")
    await edit_post(session, viewer, post, body=data.body)
    return await _post(session, viewer, post.id, post.thread.board_id)
