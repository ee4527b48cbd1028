"""What `forum serve` does around uvicorn: the database's lifetime, signals, and a short greeting.

The embedded PostgreSQL must stop whichever way the forum is asked to: Ctrl-C (SIGINT), `kill`,
Docker and systemd (SIGTERM), or a closed terminal (SIGHUP). Python's default for SIGTERM and
SIGHUP ends the process on the spot, skipping every cleanup, and uvicorn re-raises the signal
that stopped it to whatever handler was there before it. An exception raised from a handler
is no answer: landing inside a garbage-collector or weakref callback, it is printed and
swallowed, and the forum runs on. So a handler only records the request (and passes it to a
running server); the steps below check it, and the embedded server is left in a `finally`.
"""

import logging
import os
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

from sqlalchemy.engine import make_url

from forum.config import settings
from forum.db import database_url, embedded_pgdata

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopRequest:
    """A signal handler that remembers a stop was asked for and tells the server, if any."""

    def __init__(self) -> None:
        self.asked = False
        self.server: Any = None  # a uvicorn Server once it runs

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.asked = True
        if self.server is not None:
            # uvicorn's own handlers cover SIGINT and SIGTERM while it serves; a hang-up
            # reaches here and shuts down the same way.
            self.server.handle_exit(signal.SIGTERM, frame)


def run(
    *,
    host: str,
    port: int,
    workers: int,
    access_log: bool,
    prepare: Callable[[str], list[str]],
) -> None:
    """Start the database, run `prepare(address)` (migrations, demo, sign-in lines), then serve
    until told to stop; the embedded server, if this process started one, stops with it.
    A stop asked for while starting up takes effect once the current step is done."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    stop = StopRequest()
    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    _quiet_logging()
    address = settings.base_url or f"http://{_shown_host(host)}:{port}"
    try:
        # Resolved once here (starting the embedded server if needed) so that workers share it.
        os.environ["DATABASE_URL"] = database_url()
        if stop.asked:
            return
        sign_in = prepare(address)
        config = uvicorn.Config(
            "forum.main:app",
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            proxy_headers=False,  # the app applies FORUM_TRUSTED_PROXIES itself
            log_level="warning",
        )
        # Bound before the greeting, so "ready" is never printed for a port another program has
        # (uvicorn says so and exits, and the database is left below).
        sockets = [config.bind_socket()]
        if stop.asked:
            return
        _greet(address, sign_in)
        if workers > 1:
            # The supervisor queues signals itself; a closed terminal stops every worker.
            supervisor = Multiprocess(config, sockets=sockets)
            supervisor.handle_hup = supervisor.handle_term  # type: ignore[method-assign]
            supervisor.run()
        else:
            stop.server = uvicorn.Server(config)
            stop.server.run(sockets=sockets)
    finally:
        _leave_database()


def _leave_database() -> None:
    pgdata = embedded_pgdata()
    if pgdata is None:
        return
    from forum import embedded

    embedded.stop_all()
    print(f"Stopped. The forum's data stays in {_shown_path(pgdata)}.", flush=True)


def _quiet_logging() -> None:
    """The terminal is for people: the forum's own lines, warnings and errors from the rest."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("forum").setLevel(logging.INFO)


def _greet(address: str, sign_in: list[str]) -> None:
    pgdata = embedded_pgdata()
    if pgdata is not None:
        data = f"{_shown_path(pgdata)} (embedded PostgreSQL; its log is in {_shown_path(pgdata / 'log')})"
    else:
        data = make_url(database_url()).render_as_string(hide_password=True)
    lines = [
        "",
        f"Forum ready at {address}",
        f"  Data      {data}",
        *(f"  {line}" for line in sign_in),
        "  Stop      Ctrl-C",
        "",
    ]
    print("\n".join(lines), flush=True)


def _shown_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104 - only printed


def _shown_path(path: os.PathLike[str]) -> str:
    """Relative to where the operator stands when that is shorter (var/pgdata)."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
