"""A member's notices: newest first, unread ones marked, and one button to mark them read."""

import re
from datetime import timedelta

from sqlalchemy import select
from support import csrf

from forum.core.time import utcnow
from forum.notifications.actions import notify
from forum.notifications.models import Notification


async def add_notices(session, member, count):
    start = utcnow() - timedelta(hours=count + 1)  # all older than a notice sent now
    for number in range(1, count + 1):
        session.add(
            Notification(
                member_id=member.id,
                message=f"Notice number {number}.",
                link=f"/p/{number}",
                created_at=start + timedelta(hours=number),
            )
        )
    await session.flush()


async def test_notices_are_listed_newest_first_with_unread_ones_marked(
    client, session, user, log_in
):
    await notify(session, user.id, "Your post in “Week one” is now up.", "/p/7")
    await add_notices(session, user, 2)
    older = (
        await session.scalars(
            select(Notification).where(Notification.message == "Notice number 1.")
        )
    ).one()
    older.read_at = utcnow()
    await session.flush()
    await log_in(client, user)
    page = await client.get("/notifications")
    assert page.status_code == 200
    text = page.text
    assert text.index("Your post in “Week one” is now up.") < text.index("Notice number 2.")
    assert text.index("Notice number 2.") < text.index("Notice number 1.")
    assert len(re.findall(r'class="notice-row unread"', text)) == 2
    assert '<a href="/p/7">See the post</a>' in text
    assert 'aria-label="2 unread"' in text  # the count beside "Notices" in the navigation


async def test_marking_all_read_clears_the_count(client, session, user, log_in):
    await add_notices(session, user, 3)
    await log_in(client, user)
    response = await client.post("/notifications/read", data={"csrf_token": csrf(client)})
    assert response.status_code == 303 and response.headers["location"] == "/notifications"
    page = await client.get("/notifications")
    assert 'aria-label="3 unread"' not in page.text
    assert 'class="notice-row unread"' not in page.text
    assert "Mark all as read" not in page.text
    unread = (
        await session.scalars(
            select(Notification.id).where(
                Notification.member_id == user.id, Notification.read_at.is_(None)
            )
        )
    ).all()
    assert unread == []


async def test_marking_read_without_the_form_token_is_refused(client, session, user, log_in):
    await add_notices(session, user, 1)
    await log_in(client, user)
    response = await client.post("/notifications/read", data={})
    assert response.status_code == 403


async def test_thirty_notices_a_page(client, session, user, log_in):
    await add_notices(session, user, 31)
    await log_in(client, user)
    first = await client.get("/notifications")
    assert "Notice number 31." in first.text and "Notice number 2." in first.text
    assert "Notice number 1." not in first.text
    assert "Page 1 of 2" in first.text
    second = await client.get("/notifications?page=2")
    assert "Notice number 1." in second.text and "Notice number 2." not in second.text
    beyond = await client.get("/notifications?page=9")
    assert beyond.status_code == 303 and beyond.headers["location"] == "/notifications?page=2"


async def test_members_see_only_their_own_notices_and_guests_log_in(
    client, session, user, other_user, log_in
):
    await notify(session, other_user.id, "A moderator gave you a warning.")
    await session.flush()
    guest = await client.get("/notifications")
    assert guest.status_code == 303 and guest.headers["location"].startswith("/login")
    await log_in(client, user)
    page = await client.get("/notifications")
    assert "A moderator gave you a warning." not in page.text
    assert "No notices yet." in page.text
