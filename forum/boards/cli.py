"""`forum board …` and `forum category …`: boards and categories from scripts and a terminal.

The same actions as the /admin/boards pages, so the same checks and the same audit rows, in
the name of the administrator given with --as, or of "system".

forum/cli.py loads this module for every command, `forum serve` included, so the forum's own
modules are imported inside the commands that use them, as forum/cli.py does: a heavier start
made `forum serve` miss the stop signal now and then (tests/test_serve.py).
"""

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from forum.auth.viewer import Viewer

T = TypeVar("T")
cli = typer.Typer()
board_app = typer.Typer(help="Create, list and change boards.", no_args_is_help=True)
category_app = typer.Typer(help="Create and list the categories that group boards.")
cli.add_typer(board_app, name="board")
cli.add_typer(category_app, name="category")

As = Annotated[
    str,
    typer.Option(
        "--as",
        metavar="HANDLE",
        help='The administrator the audit log names; "system" if left out.',
    ),
]
Position = Annotated[
    int | None, typer.Option(min=1, help="1 for the top of its category; the bottom if left out.")
]


class Refused(Exception):
    """A change the forum would not make; the message says why."""


def _run(work: Callable[["AsyncSession"], Awaitable[T]]) -> T:
    """Run `work` in one transaction; print why and exit 1 if it was refused."""
    from starlette.exceptions import HTTPException

    from forum.boards.queries import BoardMoved
    from forum.cli import _in_session  # at call time: forum.cli imports this module
    from forum.core.errors import FieldErrors

    try:
        return _in_session(work)
    except FieldErrors as problem:
        for field, message in problem.fields.items():
            typer.echo(f"Not done: {field.replace('_', ' ')}: {message}", err=True)
    except BoardMoved as moved:
        typer.echo(f"Not done: that board's address is now “{moved.new_slug}”.", err=True)
    except HTTPException as missing:
        typer.echo(f"Not done: {missing.detail}", err=True)
    except Refused as refused:
        typer.echo(f"Not done: {refused}", err=True)
    raise typer.Exit(1)


def _validated(model: type[T], **values: object) -> T:
    from forum.core.errors import FieldErrors
    from forum.core.forms import validate_form

    form, errors = validate_form(model, values)  # type: ignore[type-var]
    if form is None:
        raise FieldErrors(errors)
    return form


async def _actor(session: "AsyncSession", handle: str) -> "Viewer":
    from forum.accounts.queries import member_by_handle
    from forum.auth.policies import can_administer
    from forum.auth.viewer import Viewer
    from forum.moderation.audit import SYSTEM

    if not handle:
        return SYSTEM
    member = await member_by_handle(session, handle)
    if member is None:
        raise Refused(f"nobody has the handle “{handle}”.")
    actor = Viewer.of(member)
    if not can_administer(actor):
        raise Refused(f"{member.handle} is not an administrator.")
    return actor


# Boards


@board_app.command("create")
def create(
    slug: Annotated[
        str, typer.Argument(help="Its address, after /b/: lowercase, digits, hyphens.")
    ],
    name: Annotated[str, typer.Option(help="The name members see.")],
    description: str = "",
    category: Annotated[str, typer.Option(help="A category's address.")] = "",
    members_only: Annotated[bool, typer.Option(help="Only members can see it.")] = False,
    story: Annotated[bool, typer.Option(help="Each member keeps one story here.")] = False,
    approve_first_posts: Annotated[
        int | None, typer.Option(help="A member's first posts that wait for approval (0-20).")
    ] = None,
    position: Position = None,
    as_handle: As = "",
) -> None:
    """Create a board."""
    from forum.boards.actions import create_board
    from forum.boards.forms import BoardCreate

    values = {
        "name": name,
        "slug": slug,
        "description": description,
        "category": category,
        "is_members_only": members_only,
        "is_story_board": story,
        "position": position,
    }
    if approve_first_posts is not None:
        values["approve_first_posts"] = approve_first_posts

    async def work(session: "AsyncSession") -> str:
        board = await create_board(
            session, await _actor(session, as_handle), _validated(BoardCreate, **values)
        )
        return board.slug

    typer.echo(f"Board created: /b/{_run(work)}")


@board_app.command("edit")
def edit(
    slug: Annotated[str, typer.Argument(help="The board's address now.")],
    name: str | None = None,
    new_slug: Annotated[str | None, typer.Option("--slug", help="A new address.")] = None,
    description: str | None = None,
    category: Annotated[
        str | None, typer.Option(help='A category\'s address; "" for none.')
    ] = None,
    members_only: Annotated[
        bool | None, typer.Option("--members-only/--public", help="Who can see it.")
    ] = None,
    archive: Annotated[
        bool | None, typer.Option("--archive/--unarchive", help="Read-only, or open again.")
    ] = None,
    story: Annotated[bool | None, typer.Option("--story/--no-story")] = None,
    approve_first_posts: int | None = None,
    position: Annotated[
        int | None, typer.Option(min=1, help="1 for the top of its category.")
    ] = None,
    reason: Annotated[str, typer.Option(help="Why, for the audit log.")] = "",
    yes: Annotated[
        bool, typer.Option("--yes", help="Go ahead with a change of who can see the board.")
    ] = False,
    as_handle: As = "",
) -> None:
    """Change a board: only what the options name."""
    from forum.boards.actions import (
        NeedsConfirmation,
        archive_board,
        edit_board,
        unarchive_board,
    )
    from forum.boards.admin_queries import access_any_board
    from forum.boards.forms import BoardChanges

    values = {
        "name": name,
        "slug": new_slug,
        "description": description,
        "category": category,
        "is_members_only": members_only,
        "is_story_board": story,
        "approve_first_posts": approve_first_posts,
        "position": position,
    }
    changes = {key: value for key, value in values.items() if value is not None}

    async def work(session: "AsyncSession") -> tuple[str, bool]:
        actor = await _actor(session, as_handle)
        board = await access_any_board(session, slug)
        changed = await edit_board(
            session,
            actor,
            board,
            _validated(BoardChanges, **changes),
            confirm_visibility_change=yes,
            reason=reason,
        )
        if archive is True:
            changed = await archive_board(session, actor, board, reason) or changed
        if archive is False:
            changed = await unarchive_board(session, actor, board, reason) or changed
        return board.slug, changed

    try:
        final_slug, changed = _run(work)
    except NeedsConfirmation as warning:
        typer.echo(f"Not done: {warning}", err=True)
        typer.echo("Run it again with --yes to go ahead.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Board saved: /b/{final_slug}" if changed else "Nothing to change.")


@board_app.command("list")
def list_boards() -> None:
    """Every board, in the home page's order, with its counts and state."""
    rows = _run(_board_rows)
    if not rows:
        typer.echo("No boards yet.")
        return
    _table(["#", "ADDRESS", "NAME", "CATEGORY", "THREADS", "POSTS", "STATE"], rows, right={0, 4, 5})


async def _board_rows(session: "AsyncSession") -> list[list[str]]:
    from forum.boards.admin_queries import board_groups

    rows = []
    for group in await board_groups(session):
        for place, board in enumerate(group.boards, start=1):
            state = [
                "members only" if board.is_members_only else "",
                "archived" if board.is_archived else "",
                "story" if board.is_story_board else "",
                f"first {board.approve_first_posts} wait" if board.approve_first_posts else "",
            ]
            rows.append(
                [
                    str(place),
                    board.slug,
                    board.name,
                    group.category.slug if group.category else "-",
                    f"{board.thread_count:,}",
                    f"{board.post_count:,}",
                    ", ".join(part for part in state if part),
                ]
            )
    return rows


def _table(headings: list[str], rows: list[list[str]], right: set[int]) -> None:
    widths = [max(len(row[i]) for row in [headings, *rows]) for i in range(len(headings))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    typer.echo(line(headings))
    for row in rows:
        typer.echo(line(row))


# Categories


@category_app.command("create")
def create_category_command(
    slug: Annotated[str, typer.Argument(help="Its address: lowercase, digits, hyphens.")],
    name: Annotated[str, typer.Option(help="The heading on the home page.")],
    description: str = "",
    position: Annotated[int | None, typer.Option(min=1, help="1 for the first category.")] = None,
    as_handle: As = "",
) -> None:
    """Create a category (a heading that groups boards on the home page)."""
    from forum.boards.category_actions import create_category
    from forum.boards.forms import CategoryCreate

    values = {"name": name, "slug": slug, "description": description, "position": position}

    async def work(session: "AsyncSession") -> str:
        actor = await _actor(session, as_handle)
        return (await create_category(session, actor, _validated(CategoryCreate, **values))).slug

    typer.echo(f"Category created: {_run(work)}")


@category_app.command("list")
def list_categories() -> None:
    """Every category in order, with how many boards it has."""
    from forum.boards.admin_queries import board_groups

    async def work(session: "AsyncSession") -> list[list[str]]:
        categories = [g for g in await board_groups(session) if g.category is not None]
        return [
            [str(place), g.category.slug, g.category.name, str(len(g.boards))]  # type: ignore[union-attr]
            for place, g in enumerate(categories, start=1)
        ]

    rows = _run(work)
    if not rows:
        typer.echo("No categories yet.")
        return
    _table(["#", "ADDRESS", "NAME", "BOARDS"], rows, right={0, 3})
