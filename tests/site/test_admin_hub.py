"""/admin: where an administrator lands after setting the forum up, with every admin area."""

from support import PASSWORD

from forum.setup.actions import issue_setup_token

AREAS = {
    "/admin/settings": "Site settings",
    "/admin/boards": "Boards and categories",
    "/admin/invitations": "Invitations",
    "/review/registrations": "Join requests",
    "/review/members": "Members",
    "/admin/watched-words": "Watched words",
    "/admin/trust": "Trust rules",
    "/review/audit": "Audit log",
}


async def test_the_first_administrator_lands_on_first_steps_for_a_brand_new_forum(
    client, session, post_form
):
    token = await issue_setup_token(session)
    made = await post_form(client, "/setup", token=token, handle="First.Keeper", password=PASSWORD)
    assert made.headers["location"] == "/admin"

    hub = await client.get("/admin")

    assert hub.status_code == 200
    assert "First steps" in hub.text
    assert 'href="/admin/boards">Create a category and boards' in hub.text
    assert 'href="/admin/settings#rules">Write the community rules' in hub.text
    assert 'href="/admin/settings#joining">Choose how people join' in hub.text
    for address, name in AREAS.items():
        assert f'<a href="{address}">{name}</a>' in hub.text


async def test_first_steps_go_once_the_forum_has_boards_and_waiting_people_are_counted(
    client, admin, log_in, make_board, waiting_member
):
    await make_board("my-story")
    await waiting_member()
    await log_in(client, admin)

    hub = await client.get("/admin")

    assert "First steps" not in hub.text
    assert "1 person is waiting to join" in hub.text
    assert 'aria-current="page">Administration</a>' in hub.text  # its tab in the admin menu


async def test_only_administrators_open_the_hub(client, session, user, moderator, log_in):
    for member in (user, moderator):
        await session.refresh(member)
        client.cookies.clear()
        await log_in(client, member)
        assert (await client.get("/admin")).status_code == 403
    client.cookies.clear()
    guest = await client.get("/admin")
    assert guest.status_code == 303 and guest.headers["location"] == "/login?next=/admin"
