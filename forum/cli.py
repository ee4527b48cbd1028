"""The `forum` command: serve, migrate, check the schema, create an administrator, seed a demo."""

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncSession

from forum.core.templating import ROOT
from forum.db import database_url, engine, transaction

app = typer.Typer(help="Run and look after the forum.", no_args_is_help=True)
T = TypeVar("T")
log = logging.getLogger("forum")


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    if url:
        config.attributes["database_url"] = url
    return config


def _in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        async with transaction(engine()) as session:
            result = await work(session)
        await engine().dispose()
        return result

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
    from forum.demo import seed_demo

    added = _in_session(seed_demo)
    print("Demo community added." if added else "The forum already has boards; nothing added.")


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
    access_log: bool = True,
) -> None:
    """Migrate, then serve the forum with uvicorn."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Resolve once here (starting the embedded server if needed) so that workers share it.
    os.environ["DATABASE_URL"] = database_url()
    migrate()
    if seed_if_empty:
        seed_demo_command()
    log.info("Forum ready at http://%s:%d", host, port)
    uvicorn.run(
        "forum.main:app",
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        proxy_headers=False,
        log_level="info",
    )


if __name__ == "__main__":
    app()
