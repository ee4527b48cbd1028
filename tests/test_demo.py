"""The demo `make run` adds: something in every feature, so a newcomer can see what the forum does."""

from sqlalchemy import func, select
from support import csrf

from forum.boards.models import Board
from forum.demo import ADMIN, seed_demo
from forum.moderation.models import QueueItem
from forum.wisdom.models import Collection, Wisdom


async def _log_in(client, handle, password):
    data = {"handle": handle, "password": password, "csrf_token": csrf(client)}
    return await client.post("/login", data=data)


async def test_the_demo_fills_every_feature_and_its_administrator_can_sign_in(client, session):
    password = await seed_demo(session)
    assert password

    home = await client.get("/")
    assert "When your spouse says they need space" in home.text  # pinned on the home page
    assert "finding their feet again" in home.text  # the site's description
    assert "Our stories" in home.text and "Finding our feet" in home.text  # categories
    rules = await client.get("/rules")
    assert "We are peers, not counsellors." in rules.text
    assert "Standing and detaching" not in home.text  # members only: not for guests
    wisdom = (await session.scalars(select(Wisdom.status))).all()
    assert sorted(wisdom) == ["approved", "approved", "approved", "proposed"]
    assert await session.scalar(select(func.count()).select_from(QueueItem)) == 1
    archived = await session.scalars(select(Board.slug).where(Board.is_archived))
    assert archived.all() == ["news-2025"]
    story = await session.scalars(select(Board.slug).where(Board.is_story_board))
    assert story.all() == ["my-story"]

    assert (await _log_in(client, ADMIN, password)).status_code == 303
    assert "Review" in (await client.get("/")).text
    review = await client.get("/review")
    assert "Make money from home while you heal" in review.text


async def test_the_demo_is_added_once(session):
    assert await seed_demo(session)
    assert await seed_demo(session) is None
    assert await session.scalar(select(func.count()).select_from(Collection)) == 1
