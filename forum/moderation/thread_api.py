"""The JSON API for thread tools and edit history: the same verbs and policies as the pages."""

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import Row

from forum.auth.policies import can_manage_thread, can_see_history
from forum.auth.viewer import MemberDep
from forum.core.csrf import verify_csrf
from forum.core.errors import ensure
from forum.db import SessionDep
from forum.moderation.thread_tool_forms import ToolRequest
from forum.moderation.thread_tool_queries import managed_thread
from forum.moderation.thread_views import (
    HISTORY_REFUSED,
    NOT_YOURS,
    DiffLine,
    Version,
    load_versions,
    perform,
)
from forum.threads.queries import access_post, access_thread

router = APIRouter(prefix="/api/v1", tags=["thread_tools"], dependencies=[Depends(verify_csrf)])


class ManagedThreadOut(BaseModel):
    id: int
    title: str
    board: str
    # "visible", "pending" or "deleted"; a merged thread is deleted and names merged_into.
    state: str
    is_pinned: bool
    is_locked: bool
    # Positions handed out: after a split the old thread keeps its count, with gaps.
    post_count: int
    merged_into: int | None
    last_post_id: int | None
    last_post_at: datetime
    url: str

    @classmethod
    def of(cls, row: Row) -> "ManagedThreadOut":
        return cls(
            id=row.id,
            title=row.title,
            board=row.board_slug,
            state=row.state,
            is_pinned=row.is_pinned,
            is_locked=row.is_locked,
            post_count=row.post_count,
            merged_into=row.merged_into_id,
            last_post_id=row.last_post_id,
            last_post_at=row.last_post_at,
            url=f"/t/{row.id}",
        )


class ThreadActionOut(BaseModel):
    action: str
    thread: ManagedThreadOut
    # The thread a merge put the posts into, or the one a split made.
    result: ManagedThreadOut | None = None


class SegmentOut(BaseModel):
    kind: str
    text: str


class ChangeOut(BaseModel):
    # "same", "added", "removed", "changed" (see its segments) or "gap" (unchanged lines left out).
    kind: str
    segments: list[SegmentOut]

    @classmethod
    def of(cls, line: DiffLine) -> "ChangeOut":
        return cls(
            kind=line.kind, segments=[SegmentOut(kind=s.kind, text=s.text) for s in line.segments]
        )


class VersionOut(BaseModel):
    number: int
    source: str
    by: str
    by_moderator: bool
    at: datetime
    is_current: bool
    # How this version differs from the one before; empty for the first.
    changes: list[ChangeOut]

    @classmethod
    def of(cls, version: Version) -> "VersionOut":
        return cls(
            number=version.number,
            source=version.source,
            by=version.by,
            by_moderator=version.by_moderator,
            at=version.at,
            is_current=version.is_current,
            changes=[ChangeOut.of(line) for line in version.changes],
        )


class HistoryOut(BaseModel):
    post_id: int
    versions: list[VersionOut]


@router.post("/threads/{thread_id}/actions", response_model=ThreadActionOut)
async def thread_action(
    thread_id: int, data: ToolRequest, session: SessionDep, viewer: MemberDep
) -> ThreadActionOut:
    """Pin, unpin, lock, unlock, move (`board`: a slug), merge (`into`: a thread id or link),
    split (`post_ids`, `title`, optional `board`), delete or restore a thread.

    Every action takes a `reason` for the moderation log; lock, move, merge, split and delete
    require one."""
    thread = await access_thread(session, viewer, thread_id)
    ensure(can_manage_thread(viewer, thread), NOT_YOURS)
    outcome = await perform(session, viewer, thread, data)
    other = await managed_thread(session, outcome.other_id) if outcome.other_id else None
    return ThreadActionOut(
        action=data.action,
        thread=ManagedThreadOut.of(await managed_thread(session, outcome.thread_id)),
        result=ManagedThreadOut.of(other) if other else None,
    )


@router.get("/posts/{post_id}/history", response_model=HistoryOut)
async def post_history(post_id: int, session: SessionDep, viewer: MemberDep) -> HistoryOut:
    """A post's versions, newest first, each with what changed from the one before.
    For the post's author and its board's moderators."""
    post = await access_post(session, viewer, post_id)
    ensure(can_see_history(viewer, post, post.thread.board_id), HISTORY_REFUSED)
    versions = await load_versions(session, post)
    return HistoryOut(post_id=post_id, versions=[VersionOut.of(v) for v in versions])
