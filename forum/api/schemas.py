"""What the JSON API returns. Emails and password hashes never appear here."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Row


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MemberOut(Out):
    handle: str
    role: str
    post_count: int
    created_at: datetime


class BoardOut(Out):
    slug: str
    name: str
    description: str
    is_members_only: bool
    thread_count: int
    post_count: int
    last_post_at: datetime | None


class ThreadOut(BaseModel):
    id: int
    title: str
    author: str
    created_at: datetime
    last_post_at: datetime
    reply_count: int
    is_pinned: bool
    is_locked: bool

    @classmethod
    def of(cls, row: Row) -> "ThreadOut":
        """From a board-page or thread-header row."""
        return cls(
            id=row.id,
            title=row.title,
            author=row.author_handle,
            created_at=row.created_at,
            last_post_at=row.last_post_at,
            reply_count=row.post_count - 1,
            is_pinned=row.is_pinned,
            is_locked=row.is_locked,
        )


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


class BoardPage(BaseModel):
    board: BoardOut
    threads: list[ThreadOut]
    page: int
    pages: int
