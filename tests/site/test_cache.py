"""Pages read the settings from a per-process cache that every process refreshes within a second."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from forum.app import create_app
from forum.site.cache import REFRESH_SECONDS


class Clock:
    """A monotonic clock the test moves by hand, instead of sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def settings_queries(session) -> Iterator[list[str]]:
    """The SQL statements that read site_settings while the block runs."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        if "site_settings" in statement:
            seen.append(statement)

    connection = session.bind.sync_connection
    event.listen(connection, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", note)


async def test_a_change_saved_through_one_process_shows_in_another_within_a_second(
    app, client, client_of, admin, log_in, post_form
):
    other = create_app()  # a second worker process, with its own cache
    clock = other.state.site_cache.clock = Clock()
    async with client_of(other) as elsewhere:
        assert "Common Ground" in (await elsewhere.get("/rules")).text

        await log_in(client, admin)
        saved = await post_form(
            client,
            "/admin/settings",
            title="Still Standing",
            description="",
            rules="",
            registration="open",
        )
        assert saved.status_code == 303
        # The saving process shows the change at once.
        assert '<a class="brand" href="/">Still Standing</a>' in (await client.get("/rules")).text
        # The other one keeps its copy until a second has passed since it last looked...
        clock.now += REFRESH_SECONDS / 2
        assert '<a class="brand" href="/">Common Ground</a>' in (await elsewhere.get("/rules")).text
        # ...then sees the new version.
        clock.now += REFRESH_SECONDS / 2
        page = await elsewhere.get("/rules")
        assert '<a class="brand" href="/">Still Standing</a>' in page.text
        assert '<meta name="description"' not in page.text  # the description was emptied


async def test_pages_make_no_settings_query_while_the_cache_is_fresh(
    app, client, session, user, log_in, make_board, set_site, monkeypatch
):
    await make_board("my-story")
    await set_site(title="Still Standing")
    clock = Clock()
    monkeypatch.setattr(app.state.site_cache, "clock", clock)
    await log_in(client, user)

    with settings_queries(session) as first:
        assert "Still Standing" in (await client.get("/")).text
    assert len(first) == 1  # the cold cache reads the row once

    with settings_queries(session) as fresh:
        for path in ("/", "/rules", "/b/my-story", "/register", "/api/v1/site"):
            assert (await client.get(path)).status_code == 200
    assert fresh == []

    clock.now += REFRESH_SECONDS
    with settings_queries(session) as stale:
        assert "Still Standing" in (await client.get("/")).text
        assert "Still Standing" in (await client.get("/rules")).text
    assert len(stale) == 1  # one check of the version, and the row is unchanged
