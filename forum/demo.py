"""A small demo community for a fresh install, written for this forum."""

import secrets

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum.accounts.actions import register_member
from forum.accounts.forms import Registration
from forum.accounts.models import Member, Role
from forum.auth.viewer import Viewer
from forum.boards.models import Board
from forum.config import settings
from forum.core.markdown import quote_markdown
from forum.glossary.models import GlossaryTerm
from forum.threads.actions import reply_to_thread, start_thread
from forum.threads.models import Thread

BOARDS = [
    (
        "introductions",
        "Introductions",
        "Say hello and tell us a little about where you are.",
        False,
    ),
    (
        "my-story",
        "My story",
        "One ongoing thread per member: post updates as your story unfolds.",
        False,
    ),
    (
        "standing",
        "Standing and detaching",
        "Holding steady while a spouse is in crisis. Members only.",
        True,
    ),
    (
        "co-parenting",
        "Co-parenting",
        "Raising children together while apart, or while things are uncertain.",
        False,
    ),
    ("resources", "Resources", "Books, articles and the advice our members return to most.", False),
]

MEMBERS = ["Willow.Creek", "Harbor_Light", "SteadyOak", "NewDawn-22"]
# The demo's administrator: her password is made at seeding and shown once, in development only.
ADMIN = "Willow.Creek"

THREADS = [
    (
        "introductions",
        "NewDawn-22",
        "Hello from someone who just found this place",
        "I found this forum at two in the morning after another sleepless night. "
        "My W told me last month she needs \"space to think\". I don't know what I'm doing yet, "
        "but reading here has already helped me breathe.",
        [
            (
                "Willow.Creek",
                "Welcome. You are not alone here. Take it one day at a time, "
                "and be gentle with yourself while you find your feet.",
            ),
        ],
    ),
    (
        "my-story",
        "Harbor_Light",
        "Harbor_Light's story: learning to listen",
        "Update, week 12. H and I talked about the school holidays today. For once I said very "
        "little and let him talk. Some of what he said was unfair, but some of it was worth hearing, "
        "and I noticed I didn't need to argue with any of it.\n\n"
        "**What helped:** writing my thoughts here first, then waiting a day before answering him.",
        [
            (
                "SteadyOak",
                "This is real progress. Sitting back and listening is hard, and it usually "
                "tells you more than any argument would. Keep writing your updates; they help others too.",
            ),
            ("NewDawn-22", None),
        ],
    ),
    (
        "co-parenting",
        "SteadyOak",
        "Keeping the children out of the middle",
        "Three things that worked for us:\n\n1. One shared calendar, no messages through the kids.\n"
        "2. Handovers at school, not at the door.\n3. Never asking the children what the other parent said.",
        [],
    ),
    (
        "standing",
        "Willow.Creek",
        "Detaching is not the same as giving up",
        "Detaching means I stop trying to manage his feelings and start looking after my own. "
        "It does not mean I stopped caring. Some days the two feel the same; they aren't.",
        [],
    ),
]


# The shorthand newcomers meet in their first story thread; moderators add more on /glossary.
GLOSSARY = [
    ("H", "Husband"),
    ("W", "Wife"),
    ("M", "Marriage"),
    ("R", "Reconciliation: working to rebuild the marriage together"),
    ("MLC", "Mid-life crisis"),
    ("MLCer", "Someone going through a mid-life crisis"),
    ("BS", "Betrayed spouse"),
    ("OW", "Other woman: the person a spouse is having an affair with"),
    ("LC", "Limited contact: keeping contact with a spouse to what is needed"),
]


async def seed_demo(session: AsyncSession) -> str | None:
    """Fill an empty forum and return the demo administrator's password; None, doing nothing,
    if any board exists."""
    if await session.scalar(select(func.count()).select_from(Board)):
        return None
    boards = {}
    for position, (slug, name, description, members_only) in enumerate(BOARDS):
        board = Board(
            slug=slug,
            name=name,
            description=description,
            position=position,
            is_members_only=members_only,
            # The demo's history is already published; new members' posts wait from here on.
            approve_first_posts=0,
        )
        session.add(board)
        boards[slug] = board
    await session.flush()

    viewers = {}
    admin_password = secrets.token_urlsafe(12)
    for handle in MEMBERS:
        # The other demo members get a password nobody knows: they exist to be read.
        password = admin_password if handle == ADMIN else secrets.token_urlsafe(24)
        role = Role.ADMIN if handle == ADMIN else Role.MEMBER
        form = Registration(handle=handle, password=password)
        viewers[handle] = Viewer.of(await register_member(session, form, role=role))

    for slug, author, title, body, replies in THREADS:
        opening = await start_thread(session, viewers[author], boards[slug], title=title, body=body)
        thread = await session.get_one(Thread, opening.thread_id)
        for handle, text in replies:
            reply = text or quote_markdown(
                opening.id, "For once I said very little and let him talk."
            ) + ("Reading this gave me hope. I'm going to try the waiting-a-day idea this week.")
            await reply_to_thread(session, viewers[handle], thread, body=reply)
    session.add_all(
        GlossaryTerm(term=term, meaning=meaning, created_by_name="Willow.Creek")
        for term, meaning in GLOSSARY
    )
    for board in boards.values():
        board.approve_first_posts = settings.approve_first_posts
    # A long-standing member whose advice others lean on wears the senior badge.
    member = await session.get_one(Member, viewers["SteadyOak"].member_id)
    member.role = Role.SENIOR
    return admin_password
