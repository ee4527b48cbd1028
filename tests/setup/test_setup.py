"""The first administrator, made through the one-time address the forum prints for its operator."""

from sqlalchemy import select
from support import PASSWORD, csrf

from forum.accounts.models import Member, Role
from forum.cli import _sign_in_lines
from forum.moderation.models import AuditEntry
from forum.setup.actions import issue_setup_token


async def _submit(client, token, **fields):
    data = {"token": token, "handle": "First.Keeper", "password": PASSWORD, **fields}
    return await client.post("/setup", data={**data, "csrf_token": csrf(client)})


async def test_the_setup_address_makes_the_first_administrator_and_logs_her_in(client, session):
    token = await issue_setup_token(session)
    assert token is not None

    form = await client.get(f"/setup?token={token}")
    assert form.status_code == 200
    assert "first administrator" in form.text
    done = await _submit(client, token)

    assert done.status_code == 303
    assert done.headers["location"] == "/admin"
    admin = (await session.scalars(select(Member).where(Member.handle == "First.Keeper"))).one()
    assert admin.role == Role.ADMIN
    me = await client.get("/api/v1/me")
    assert me.json()["handle"] == "First.Keeper"
    audit = (await session.scalars(select(AuditEntry.action))).all()
    assert "setup.first_admin" in audit


async def test_a_used_setup_address_says_how_to_get_a_new_one(client, session):
    token = await issue_setup_token(session)
    assert (await _submit(client, token)).status_code == 303
    client.cookies.clear()

    again = await client.get(f"/setup?token={token}")

    assert again.status_code == 403
    assert "set up already" in again.text
    # Nobody else can use it to become an administrator either.
    second = await _submit(client, token, handle="Second.Try")
    assert second.status_code == 403
    assert await session.scalar(select(Member).where(Member.handle == "Second.Try")) is None


async def test_a_wrong_or_replaced_setup_address_is_refused_with_the_way_to_renew_it(
    client, session
):
    old = await issue_setup_token(session)
    new = await issue_setup_token(session)  # a restart prints a new address

    for token in ("not-the-token", old, ""):
        page = await client.get(f"/setup?token={token}")
        assert page.status_code == 403
        assert "not valid" in page.text
        assert "forum setup-link" in page.text
    assert (await client.get(f"/setup?token={new}")).status_code == 200


async def test_a_refused_setup_form_keeps_what_was_typed_and_names_the_problem(client, session):
    token = await issue_setup_token(session)

    refused = await _submit(client, token, handle="Keeper of Boards!", email="keeper@example.org")

    assert refused.status_code == 422
    assert 'value="Keeper of Boards!"' in refused.text
    assert 'value="keeper@example.org"' in refused.text
    assert 'id="handle-error"' in refused.text
    assert (await client.get(f"/setup?token={token}")).status_code == 200  # still unused


async def test_no_setup_address_exists_once_there_is_an_administrator(session, admin):
    assert await issue_setup_token(session) is None


async def test_the_terminal_tells_a_new_operator_where_to_set_up(client, session):
    lines = await _sign_in_lines(session, "http://127.0.0.1:8000", seed=False)

    assert len(lines) == 1
    assert "http://127.0.0.1:8000/setup?token=" in lines[0]
    token = lines[0].split("token=")[1].split()[0]
    assert (await client.get(f"/setup?token={token}")).status_code == 200


async def test_the_demo_prints_its_administrators_password_once(client, session):
    first = await _sign_in_lines(session, "http://127.0.0.1:8000", seed=True)
    password = first[0].rsplit("password ", 1)[1]
    later = await _sign_in_lines(session, "http://127.0.0.1:8000", seed=True)

    assert "Willow.Creek (demo administrator)" in first[0]
    assert password not in " ".join(later)
    assert "reset-password Willow.Creek" in " ".join(later)
    logged_in = await client.post(
        "/login",
        data={"handle": "Willow.Creek", "password": password, "csrf_token": csrf(client)},
    )
    assert logged_in.status_code == 303
