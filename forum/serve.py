"""What `forum serve` does around uvicorn: the database's lifetime, signals, and a short greeting.

The embedded PostgreSQL must stop whichever way the forum is asked to: Ctrl-C (SIGINT), `kill`,
Docker and systemd (SIGTERM), or a closed terminal (SIGHUP). uvicorn shuts down gracefully on
SIGINT and SIGTERM, then re-raises the signal to whatever handler was there before it; Python's
default for SIGTERM and SIGHUP ends the process on the spot, skipping every cleanup. So both get
a handler that raises SystemExit, and the embedded server is left in a `finally`.
"""

import logging
import os
import signal
from collections.abc import Callable
from types import FrameType

from sqlalchemy.engine import make_url

from forum.config import settings
from forum.db import database_url, embedded_pgdata


def _stop_requested(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # a stop that was asked for is not a failure


def run(
    *,
    host: str,
    port: int,
    workers: int,
    access_log: bool,
    prepare: Callable[[str], list[str]],
) -> None:
    """Start the database, run `prepare(address)` (migrations, demo, sign-in lines), then serve
    until told to stop; the embedded server, if this process started one, stops with it."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    signal.signal(signal.SIGTERM, _stop_requested)
    signal.signal(signal.SIGHUP, _stop_requested)
    _quiet_logging()
    address = settings.base_url or f"http://{_shown_host(host)}:{port}"
    try:
        # Resolved once here (starting the embedded server if needed) so that workers share it.
        os.environ["DATABASE_URL"] = database_url()
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
        _greet(address, sign_in)
        if workers > 1:
            supervisor = Multiprocess(config, sockets=sockets)
            # A closed terminal stops every worker, as it stops a single one.
            supervisor.handle_hup = supervisor.handle_term  # type: ignore[method-assign]
            supervisor.run()
        else:
            server = uvicorn.Server(config)
            # uvicorn listens for SIGINT and SIGTERM only; a hang-up shuts down the same way.
            signal.signal(signal.SIGHUP, lambda *_: server.handle_exit(signal.SIGTERM, None))
            server.run(sockets=sockets)
    except KeyboardInterrupt:
        pass
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
