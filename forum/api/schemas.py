"""What the JSON API returns. Emails and password hashes never appear here."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


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


class ThreadOut(Out):
    id: int
    board_slug: str
    title: str
    author: MemberOut
    created_at: datetime
    last_post_at: datetime
    reply_count: int
    is_pinned: bool
    is_locked: bool


class PostOut(Out):
    id: int
    thread_id: int
    position: int
    author: MemberOut
    source: str
    html: str
    created_at: datetime
    edited_at: datetime | None
    url: str


class ThreadPage(BaseModel):
    thread: ThreadOut
    posts: list[PostOut]
    page: int
    pages: int


class BoardPage(BaseModel):
    board: BoardOut
    threads: list[ThreadOut]
    page: int
    pages: int
