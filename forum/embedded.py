"""The embedded PostgreSQL a newcomer gets when no DATABASE_URL names a server.

pgserver runs one server per data directory and keeps the ids of the processes using it in
`.handle_pids.json`; the last one to leave stops it. Two things around that need care here:

- A process that dies without running its exit handlers (SIGKILL, a crash) stays in that list,
  so the server would never be stopped again. Every start first forgets the processes that
  no longer exist, then joins the server that is still running or starts a new one.
- Run as root, the first start creates a system user to own the data; two processes doing it
  at once make one of them fail. Starts are serialised by a lock file beside the data.

pgserver's own messages go to `<data>.log` next to the data directory, and PostgreSQL's to
`<data>/log`, so a terminal shows only what a person needs to read.
"""

import fcntl
import json
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import psutil

if TYPE_CHECKING:
    from pgserver import PostgresServer

PIDS_FILE = ".handle_pids.json"
_started: dict[Path, "PostgresServer"] = {}


def start(pgdata: Path) -> "PostgresServer":
    """Join or start the server for pgdata, creating its folders on first use."""
    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _messages_to_file(pgdata.parent / f"{pgdata.name}.log")
    with _locked(pgdata.parent / f".{pgdata.name}.lock"), warnings.catch_warnings():
        # pgserver keeps its lock file in the runtime directory; without XDG_RUNTIME_DIR (root,
        # containers) platformdirs warns about a fallback that works.
        warnings.simplefilter("ignore")
        import pgserver  # imported lazily: only installs without a server need it

        forget_dead_users(pgdata)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    _started[pgdata] = server
    return server


def stop_all() -> None:
    """Leave every server this process joined; the last process to leave one stops it.
    pgserver would do this at exit too; doing it here means it happens before we say so."""
    while _started:
        _, server = _started.popitem()
        server.cleanup()


def users(pgdata: Path) -> list[int]:
    """Ids of the processes pgserver counts as using the server."""
    try:
        return [int(pid) for pid in json.loads((pgdata / PIDS_FILE).read_text())]
    except (FileNotFoundError, ValueError, TypeError):
        return []


def forget_dead_users(pgdata: Path) -> list[int]:
    """Drop processes that have gone (or whose id now belongs to another program); return them."""
    listed = users(pgdata)
    alive = [pid for pid in listed if _is_python(pid)]
    if alive != listed:
        (pgdata / PIDS_FILE).write_text(json.dumps(alive))
    return [pid for pid in listed if pid not in alive]


def _is_python(pid: int) -> bool:
    """Only Python processes use the server: an id reused by anything else is not a user."""
    try:
        process = psutil.Process(pid)
        # exe(), not name(): a console script such as `forum` is named after its file.
        running = process.status() != psutil.STATUS_ZOMBIE
        return running and Path(process.exe()).name.startswith("python")
    except psutil.Error:
        return False


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _messages_to_file(path: Path) -> None:
    logger = logging.getLogger("pgserver")
    if any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
        return
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(f"%(asctime)s [{os.getpid()}] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
