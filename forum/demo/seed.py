"""Fill an empty forum with the demo community, through the same actions members and staff use."""

import secrets

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from forum.accounts.actions import register_member
from forum.accounts.forms import Registration
from forum.accounts.models import Member, Role
from forum.auth.viewer import Viewer
from forum.boards.models import Board, Category
from forum.config import settings
from forum.core.markdown import quote_markdown
from forum.demo import content
from forum.glossary.models import GlossaryTerm
from forum.moderation.models import ReportReason
from forum.moderation.reports import ReportCreate, report_post
from forum.site.settings import RegistrationMode, SiteSettingsForm, save_site
from forum.threads.actions import reply_to_thread, start_thread
from forum.threads.models import Post, Thread
from forum.wisdom.actions import approve_wisdom, create_collection, pin_collection, propose_wisdom
from forum.wisdom.forms import ApproveForm


async def seed_demo(session: AsyncSession) -> str | None:
    """Fill an empty forum and return the demo administrator's password; None, doing nothing,
    if any board exists."""
    if await session.scalar(select(func.count()).select_from(Board)):
        return None
    boards = await _boards(session)
    password = secrets.token_urlsafe(12)
    viewers = {}
    for handle in content.MEMBERS:
        # The others get a password nobody knows: they exist to be read.
        secret = password if handle == content.ADMIN else secrets.token_urlsafe(24)
        role = Role.ADMIN if handle == content.ADMIN else Role.MEMBER
        member = await register_member(
            session, Registration(handle=handle, password=secret), role=role
        )
        viewers[handle] = Viewer.of(member)
    session.add_all(
        GlossaryTerm(term=term, meaning=meaning, created_by_name=content.ADMIN)
        for term, meaning in content.GLOSSARY
    )
    form = SiteSettingsForm(
        title=settings.site_name,
        description=content.DESCRIPTION,
        rules=content.RULES,
        registration=RegistrationMode.OPEN,
    )
    await save_site(session, viewers[content.ADMIN], form)
    openings = await _threads(session, boards, viewers)
    await _wisdom(session, openings, viewers)
    await _report_spam(session, openings, viewers)
    for board in boards.values():
        # The demo's history is published; new members' first posts wait from here on.
        board.approve_first_posts = settings.approve_first_posts
        board.is_archived = board.slug in _ARCHIVED
    senior = await session.get_one(Member, viewers[content.SENIOR].member_id)
    senior.role = Role.SENIOR
    return password


_ARCHIVED = {slug for slug, *_, archived in content.BOARDS if archived}


async def _boards(session: AsyncSession) -> dict[str, Board]:
    categories = {}
    for position, (slug, name, description) in enumerate(content.CATEGORIES):
        categories[slug] = Category(
            slug=slug, name=name, description=description, position=position
        )
    session.add_all(categories.values())
    await session.flush()
    boards = {}
    for position, (slug, name, description, category, members_only, story, _) in enumerate(
        content.BOARDS
    ):
        boards[slug] = Board(
            slug=slug,
            name=name,
            description=description,
            position=position,
            category_id=categories[category].id,
            is_members_only=members_only,
            is_story_board=story,
            approve_first_posts=0,  # archived and approval states are set once history is in
        )
    session.add_all(boards.values())
    await session.flush()
    return boards


async def _threads(
    session: AsyncSession, boards: dict[str, Board], viewers: dict[str, Viewer]
) -> dict[str, Post]:
    """Start every thread with its replies; the opening posts by title."""
    openings = {}
    for slug, author, title, body, replies in content.THREADS:
        opening = await start_thread(session, viewers[author], boards[slug], title=title, body=body)
        openings[title] = opening
        thread = await session.get_one(Thread, opening.thread_id)
        for handle, text in replies:
            reply = (
                text
                or quote_markdown(opening.id, "For once I said very little and let him talk.")
                + "Reading this gave me hope. I'm going to try the waiting-a-day idea this week."
            )
            await reply_to_thread(session, viewers[handle], thread, body=reply)
    return openings


async def _post_saying(session: AsyncSession, thread_id: int, passage: str) -> Post:
    """The thread's post holding the passage, with what proposing wisdom reads from it."""
    posts = await session.scalars(
        select(Post)
        .options(joinedload(Post.thread), joinedload(Post.author))
        .where(Post.thread_id == thread_id)
        .order_by(Post.id)
    )
    return next(post for post in posts if passage in post.source)


async def _wisdom(
    session: AsyncSession, openings: dict[str, Post], viewers: dict[str, Viewer]
) -> None:
    """Quotes approved into a collection pinned on the home page, a citation, and a proposal."""
    admin = viewers[content.ADMIN]
    title, intro = content.COLLECTION
    collection = await create_collection(session, admin, title=title, intro=intro)
    approved = []
    for thread_title, passage, wisdom_title, tags in content.WISDOM:
        post = await _post_saying(session, openings[thread_title].thread_id, passage)
        wisdom = await propose_wisdom(session, viewers[content.SENIOR], post, passage=passage)
        form = ApproveForm(collections=[collection.slug], title=wisdom_title, tags=tags)
        await approve_wisdom(session, admin, wisdom, form)
        approved.append(wisdom)
    await pin_collection(session, admin, collection, board_id=None, home=True)

    welcome = await session.get_one(
        Thread, openings["Hello from someone who just found this place"].thread_id
    )
    citing = f"{content.CITING_REPLY}\n\n[wisdom={approved[0].id}]"
    await reply_to_thread(session, viewers["NewDawn-22"], welcome, body=citing)

    thread_title, passage, proposer = content.PROPOSED
    post = await _post_saying(session, openings[thread_title].thread_id, passage)
    await propose_wisdom(session, viewers[proposer], post, passage=passage)


async def _report_spam(
    session: AsyncSession, openings: dict[str, Post], viewers: dict[str, Viewer]
) -> None:
    """One open item in the review queue, so a moderator's first visit has something to do."""
    spam = openings["Make money from home while you heal"]
    form = ReportCreate(reason=ReportReason.SPAM, note=content.SPAM_REPORT)
    thread = await session.get_one(Thread, spam.thread_id)
    await report_post(session, viewers[content.SENIOR], spam, thread.board_id, form)
