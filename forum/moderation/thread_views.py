"""Thread tools for moderators, and posts' edit history."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from itertools import zip_longest
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException

from forum.auth.policies import (
    can_manage_thread,
    can_move_thread_into,
    can_see_history,
    moderates,
)
from forum.auth.viewer import MemberDep, Viewer
from forum.boards.models import Board
from forum.boards.queries import access_board
from forum.core.csrf import verify_csrf
from forum.core.errors import FieldErrors, ensure, not_found
from forum.core.forms import validate_form
from forum.core.templating import render
from forum.db import SessionDep
from forum.moderation.models import PostRevision
from forum.moderation.thread_tool_forms import (
    LARGEST_ID,
    Action,
    ToolRequest,
    missing_fields,
    thread_reference,
)
from forum.moderation.thread_tool_queries import (
    DELETED_PER_PAGE,
    deleted_thread_count,
    deleted_threads,
    moderated_boards,
    split_candidates,
)
from forum.moderation.thread_tools import (
    delete_thread,
    lock_thread,
    merge_thread,
    move_thread,
    pin_thread,
    restore_thread,
    split_thread,
    unlock_thread,
    unpin_thread,
)
from forum.threads.models import Post, State, Thread
from forum.threads.queries import access_post, access_thread, page_count

router = APIRouter(dependencies=[Depends(verify_csrf)])

NOT_YOURS = "Only moderators of this thread's board can use its thread tools."
NOT_YOUR_DELETED = "Only this board's moderators can see its deleted threads."
HISTORY_REFUSED = (
    "Only the person who wrote this post and the board's moderators can see its edit history."
)
ARCHIVED_TARGET = "That board is archived: read-only, so threads and posts can't go there."


# Using a tool: shared by the pages and the API


@dataclass(frozen=True)
class Outcome:
    """Where a tool left things: the thread acted on, and the one its posts went to, if any."""

    thread_id: int
    other_id: int | None = None

    @property
    def landing(self) -> int:
        return self.other_id or self.thread_id


async def _target_board(session: AsyncSession, viewer: Viewer, slug: str) -> Board:
    try:
        board = await access_board(session, viewer, slug)
    except HTTPException:
        raise FieldErrors({"board": "We couldn't find that board."}) from None
    if board.is_archived:
        raise FieldErrors({"board": ARCHIVED_TARGET})
    if not can_move_thread_into(viewer, board):
        raise FieldErrors({"board": "You don't moderate that board, so threads can't go there."})
    return board


async def _target_thread(session: AsyncSession, viewer: Viewer, reference: str) -> Thread:
    number = thread_reference(reference)
    if number is None:
        raise FieldErrors({"into": "Give the thread's number, or paste its link (like /t/123)."})
    try:
        if number > LARGEST_ID:
            not_found("thread")
        target = await access_thread(session, viewer, number)
    except HTTPException:
        raise FieldErrors({"into": f"We couldn't find thread {number}."}) from None
    if not can_manage_thread(viewer, target):
        raise FieldErrors({"into": "You don't moderate the board that thread is in."})
    if not can_move_thread_into(viewer, target.board):
        raise FieldErrors({"into": ARCHIVED_TARGET})
    return target


async def perform(
    session: AsyncSession, viewer: Viewer, thread: Thread, request: ToolRequest
) -> Outcome:
    """Use one tool on a thread. Caller checked can_manage_thread(); boards and threads named in
    the request are checked here. Raises FieldErrors naming each field to fix."""
    assert thread.id is not None
    missing = missing_fields(request)
    if missing:
        raise FieldErrors(missing)
    reason = request.reason
    match request.action:
        case "pin":
            await pin_thread(session, viewer, thread, reason)
        case "unpin":
            await unpin_thread(session, viewer, thread, reason)
        case "lock":
            await lock_thread(session, viewer, thread, reason)
        case "unlock":
            await unlock_thread(session, viewer, thread, reason)
        case "delete":
            await delete_thread(session, viewer, thread, reason)
        case "restore":
            await restore_thread(session, viewer, thread, reason)
        case "move":
            board = await _target_board(session, viewer, request.board or "")
            await move_thread(session, viewer, thread, board, reason)
        case "merge":
            into = await _target_thread(session, viewer, request.into or "")
            await merge_thread(session, viewer, thread, into, reason)
            return Outcome(thread.id, into.id)
        case "split":
            board = thread.board
            if request.board and request.board != board.slug:
                board = await _target_board(session, viewer, request.board)
            elif not can_move_thread_into(viewer, board):
                raise FieldErrors({"board": ARCHIVED_TARGET})
            new = await split_thread(
                session,
                viewer,
                thread,
                request.post_ids,
                title=request.title or "",
                board=board,
                reason=reason,
            )
            return Outcome(thread.id, new.id)
    return Outcome(thread.id)


# Pages


def _page_number(text: str) -> int:
    """The split list's page the form came from; the page shown is capped at the last one."""
    return int(text) if re.fullmatch(r"[1-9][0-9]{0,8}", text) else 1


async def _tools_page(
    request: Request,
    session: AsyncSession,
    viewer: Viewer,
    thread: Thread,
    page: int,
    *,
    failed: str = "",
    values: dict[str, object] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    assert thread.id is not None
    pages = page_count(thread.post_count)
    page = min(page, pages)
    deleted = thread.state == State.DELETED
    context = {
        "thread": thread,
        "boards": (await session.scalars(moderated_boards(viewer))).all(),
        "page": page,
        "pages": pages,
        "candidates": [] if deleted else await split_candidates(session, thread.id, page),
        "deleted": await deleted_threads(session, thread.board_id, limit=10) if deleted else [],
        "failed": failed,
        "values": values or {},
        "errors": errors or {},
    }
    return render(
        request, "moderation/thread_tools.html", context, status_code=422 if errors else 200
    )


@router.get("/t/{thread_id}/tools", name="moderation.thread_tools")
async def tools_page(
    request: Request,
    thread_id: int,
    session: SessionDep,
    viewer: MemberDep,
    page: int = Query(1, ge=1),
) -> Response:
    thread = await access_thread(session, viewer, thread_id)
    ensure(can_manage_thread(viewer, thread), NOT_YOURS)
    return await _tools_page(request, session, viewer, thread, page)


@router.post("/t/{thread_id}/tools/{action}", name="moderation.use_thread_tool")
async def use_tool(
    request: Request,
    thread_id: int,
    action: Action,
    session: SessionDep,
    viewer: MemberDep,
    reason: Annotated[str, Form()] = "",
    board: Annotated[str, Form()] = "",
    into: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    post_ids: Annotated[list[str] | None, Form()] = None,
    page: Annotated[str, Form()] = "1",
) -> Response:
    thread = await access_thread(session, viewer, thread_id)
    ensure(can_manage_thread(viewer, thread), NOT_YOURS)
    values = {"reason": reason, "board": board, "into": into, "title": title}
    form, errors = validate_form(
        ToolRequest, {**values, "action": action, "post_ids": post_ids or []}
    )
    if form is not None:
        try:
            # A refusal after a lock or a flush must leave nothing behind for the commit.
            async with session.begin_nested():
                outcome = await perform(session, viewer, thread, form)
        except FieldErrors as problem:
            errors = problem.fields
            # Rolling back the savepoint expired what it touched: load the thread again.
            thread = await access_thread(session, viewer, thread_id)
        else:
            return RedirectResponse(f"/t/{outcome.landing}", status_code=303)
    values["post_ids"] = set(post_ids or [])
    return await _tools_page(
        request,
        session,
        viewer,
        thread,
        _page_number(page),
        failed=action,
        values=values,
        errors=errors,
    )


@router.get("/b/{slug}/deleted", name="moderation.deleted_threads")
async def deleted_threads_page(
    request: Request,
    slug: str,
    session: SessionDep,
    viewer: MemberDep,
    page: int = Query(1, ge=1),
) -> Response:
    board = await access_board(session, viewer, slug)
    ensure(moderates(viewer, board.id), NOT_YOUR_DELETED)  # type: ignore[arg-type]
    total = await deleted_thread_count(session, board.id)  # type: ignore[arg-type]
    context = {
        "listing": board,
        "deleted": await deleted_threads(session, board.id, page),  # type: ignore[arg-type]
        "total": total,
        "page": page,
        "pages": page_count(total, DELETED_PER_PAGE),
    }
    return render(request, "moderation/thread_tools.html", context)


@router.get("/p/{post_id}/history", name="moderation.post_history")
async def history_page(
    request: Request, post_id: int, session: SessionDep, viewer: MemberDep
) -> Response:
    post = await access_post(session, viewer, post_id)
    ensure(can_see_history(viewer, post, post.thread.board_id), HISTORY_REFUSED)
    versions = await load_versions(session, post)
    return render(request, "threads/history.html", {"post": post, "versions": versions})


# Edit history


@dataclass(frozen=True)
class Segment:
    """A run of text, kept as plain text: templates and the API escape it like any other."""

    kind: Literal["same", "added", "removed"]
    text: str


@dataclass(frozen=True)
class DiffLine:
    # "gap" stands for unchanged lines left out between changes.
    kind: Literal["same", "added", "removed", "changed", "gap"]
    segments: tuple[Segment, ...] = ()


GAP = DiffLine("gap")
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
# Word-by-word comparison is quadratic at worst; a very long paragraph shows as whole lines.
_WORD_DIFF_MAX_TOKENS = 3000


def _words(tokens: list[str]) -> int:
    return sum(1 for token in tokens if not token.isspace())


def _whole(kind: Literal["same", "added", "removed"], line: str) -> DiffLine:
    return DiffLine(kind, (Segment(kind, line),))


def _changed_line(before: str, after: str) -> list[DiffLine]:
    """One line rewritten: the words taken out and put in, or two whole lines if little is shared."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    if len(old) + len(new) > _WORD_DIFF_MAX_TOKENS:
        return [_whole("removed", before), _whole("added", after)]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    # Lines alike only in their spaces are different lines: count the words they share.
    kept = sum(
        _words(old[block.a : block.a + block.size]) for block in matcher.get_matching_blocks()
    )
    if not kept or kept * 2 < min(_words(old), _words(new)):
        return [_whole("removed", before), _whole("added", after)]
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(new[j1:j2])))
    return [DiffLine("changed", tuple(segments))]


def line_diff(before: str, after: str, context: int = 2) -> list[DiffLine]:
    """What changed from one version to the next, line by line (difflib), with changed lines
    compared word by word and long unchanged stretches left out."""
    old, new = before.splitlines(), after.splitlines()
    if old == new:
        return []  # only spacing at the ends of lines changed
    lines: list[DiffLine] = []
    groups = SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context)
    last = 0
    for group in groups:
        if group[0][1] > last:
            lines.append(GAP)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [_whole("same", line) for line in old[i1:i2]]
            elif tag == "delete":
                lines += [_whole("removed", line) for line in old[i1:i2]]
            elif tag == "insert":
                lines += [_whole("added", line) for line in new[j1:j2]]
            else:
                for was, now in zip_longest(old[i1:i2], new[j1:j2]):
                    if was is None:
                        lines.append(_whole("added", now))
                    elif now is None:
                        lines.append(_whole("removed", was))
                    else:
                        lines += _changed_line(was, now)
        last = group[-1][2]
    if last < len(old) and lines:
        lines.append(GAP)
    return lines


@dataclass(frozen=True)
class Version:
    """One text a post has had: who wrote it, when, and how it differs from the one before."""

    number: int
    source: str
    by: str
    by_moderator: bool
    at: datetime
    is_current: bool
    changes: list[DiffLine]


def post_revisions(post_id: int) -> Select[tuple[PostRevision]]:
    """A post's earlier texts, oldest first."""
    return (
        select(PostRevision)
        .where(PostRevision.post_id == post_id)
        .order_by(PostRevision.created_at, PostRevision.id)
    )


def post_versions(post: Post, author: str, revisions: Sequence[PostRevision]) -> list[Version]:
    """Newest first. A revision keeps the text an edit replaced, so version k+1 is the work of
    the editor named on revision k, and the first version is the author's."""
    texts = [revision.source for revision in revisions] + [post.source]
    makers = [(author, False, post.created_at)] + [
        (revision.editor_name, revision.editor_id != post.author_id, revision.created_at)
        for revision in revisions
    ]
    versions = [
        Version(
            number=index + 1,
            source=text,
            by=makers[index][0],
            by_moderator=makers[index][1],
            at=makers[index][2],
            is_current=index == len(texts) - 1,
            changes=line_diff(texts[index - 1], text) if index else [],
        )
        for index, text in enumerate(texts)
    ]
    return versions[::-1]


async def load_versions(session: AsyncSession, post: Post) -> list[Version]:
    """Caller loaded the post with its author (access_post) and checked can_see_history()."""
    revisions = (await session.scalars(post_revisions(post.id))).all()  # type: ignore[arg-type]
    return post_versions(post, post.author.handle, revisions)
