"""The `forum` command: serve, migrate, check the schema, create an administrator, seed a demo."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncSession

from forum.boards.cli import cli as boards_cli
from forum.config import settings
from forum.core.templating import ROOT
from forum.db import engine, transaction
from forum.demo.content import ADMIN as DEMO_ADMIN

app = typer.Typer(help="Run and look after the forum.", no_args_is_help=True)
app.add_typer(boards_cli)  # forum board …, forum category … (forum/boards/cli.py)
T = TypeVar("T")


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    if url:
        config.attributes["database_url"] = url
    return config


def _in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        try:
            async with transaction(engine()) as session:
                return await work(session)
        finally:
            # Also after a refusal: the pool's connections belong to this event loop alone.
            await engine().dispose()

    return asyncio.run(run())


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    config = alembic_config()
    # Alembic's own logging setup would silence the forum's log lines that follow.
    config.attributes["configure_logging"] = False
    command.upgrade(config, "head")


@app.command("db-check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    command.check(alembic_config())


@app.command("seed-demo")
def seed_demo_command() -> None:
    """Add the demo boards, members and threads to an empty forum."""
    password = _in_session(_seed)
    if password is None:
        print("The forum already has boards; nothing added.")
        return
    print("Demo community added.")
    if password:
        print(f"Sign in as {DEMO_ADMIN}, the demo administrator, with the password {password}")


async def _seed(session: AsyncSession) -> str | None:
    """The demo administrator's password, which only a development forum prints; None if the
    forum had boards already."""
    from forum.demo import seed_demo

    password = await seed_demo(session)
    if password is None:
        return None
    return password if settings.environment == "development" else ""


@app.command("setup-link")
def setup_link(
    address: Annotated[str, typer.Option(help="Where the forum is reached.")] = "",
) -> None:
    """Print a new one-time address that makes the first administrator (retiring any older one)."""
    from forum.setup.actions import issue_setup_token

    token = _in_session(issue_setup_token)
    if token is None:
        print("This forum has an administrator already; `forum create-admin` makes another.")
        raise typer.Exit(1)
    print(f"Create the first administrator at {_base(address)}/setup?token={token}")


@app.command("reset-password")
def reset_password(handle: str) -> None:
    """Give HANDLE a new random password, print it once, and log them out everywhere."""
    from forum.accounts.actions import reset_password as reset

    try:
        password = _in_session(lambda s: reset(s, handle))
    except LookupError as problem:
        print(f"Not done: {problem}")
        raise typer.Exit(1) from problem
    print(f"{handle} can now log in with the password {password} (and should change it).")


@app.command("create-admin")
def create_admin(
    handle: str,
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, envvar="FORUM_ADMIN_PASSWORD"
        ),
    ],
) -> None:
    """Make HANDLE an administrator, registering it first if it doesn't exist."""
    from forum.accounts.actions import promote_or_register_admin

    try:
        created = _in_session(lambda s: promote_or_register_admin(s, handle, password))
    except ValueError as problem:
        print(f"Not done: {problem}")
        raise typer.Exit(1) from problem
    print(f"{handle} is {'a new' if created else 'now an'} administrator.")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    seed_if_empty: Annotated[
        bool, typer.Option(help="Add the demo community to an empty forum.")
    ] = False,
    access_log: bool = False,
) -> None:
    """Migrate, then serve the forum with uvicorn until Ctrl-C, SIGTERM or SIGHUP."""
    from forum import serve as serving

    def prepare(address: str) -> list[str]:
        migrate()
        return _in_session(lambda session: _sign_in_lines(session, address, seed_if_empty))

    serving.run(host=host, port=port, workers=workers, access_log=access_log, prepare=prepare)


async def _sign_in_lines(session: AsyncSession, address: str, seed: bool) -> list[str]:
    """What the terminal says about getting in: the demo's password the one time it is made,
    the setup address while nobody can administer the forum, else where to log in."""
    from forum.accounts.queries import member_by_handle
    from forum.setup.actions import issue_setup_token

    password = await _seed(session) if seed else None
    if password:
        return [f"Sign in   as {DEMO_ADMIN} (demo administrator), password {password}"]
    if token := await issue_setup_token(session):
        return [f"Set up    {address}/setup?token={token}  (makes the first administrator)"]
    demo_admin = await member_by_handle(session, DEMO_ADMIN)
    if settings.environment == "development" and demo_admin and demo_admin.is_admin:
        return [
            f"Sign in   as {DEMO_ADMIN} with the password printed when the demo was made",
            f"          (forgot it? `.venv/bin/forum reset-password {DEMO_ADMIN}`)",
        ]
    return [f"Sign in   {address}/login"]


def _base(address: str) -> str:
    return (address or settings.base_url or "http://127.0.0.1:8000").rstrip("/")


if __name__ == "__main__":
    app()
