"""`forum serve` with the embedded PostgreSQL: it stops with the forum however the forum is
stopped, and a start after a crash recovers instead of keeping a dead process's claim on it."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from forum import embedded

READY = "Forum ready at"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_serving(pgdata: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(pgdata) in " ".join(
            process.info["cmdline"] or ()
        ):
            found.append(process)
    return found


class Forum:
    """A `forum serve` process as a newcomer starts it: no DATABASE_URL, its own data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.output = data_dir.parent / f"serve-{time.monotonic_ns()}.log"
        env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
        env["FORUM_DATA_DIR"] = str(data_dir)
        self.port = _free_port()
        with self.output.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 - the forum's own command
                [sys.executable, "-m", "forum.cli", "serve", "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=data_dir.parent,
            )
        deadline = time.monotonic() + 90
        while READY not in self.text():
            assert self.process.poll() is None, self.text()
            assert time.monotonic() < deadline, self.text()
            time.sleep(0.2)

    def text(self) -> str:
        return self.output.read_text()

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            tree = [p.cmdline() for p in psutil.Process(self.process.pid).children(recursive=True)]
            self.process.kill()
            pytest.fail(f"still running after {signum!r}: {tree}\n{self.text()}")


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: another pytest run starting meanwhile may prune its folders, and
    # this one holds a live database for the whole module.
    with tempfile.TemporaryDirectory(prefix="forum-serve-") as folder:
        path = Path(folder) / "var"
        yield path
        for process in _postgres_serving(path / "pgdata"):  # only if a test failed half-way
            process.kill()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_the_embedded_database_stops_with_the_forum(data_dir: Path, signum: int) -> None:
    forum = Forum(data_dir)
    assert _postgres_serving(data_dir / "pgdata")

    assert forum.stop(signum) == 0
    assert _postgres_serving(data_dir / "pgdata") == []
    assert "Stopped. The forum's data stays in" in forum.text()
    assert embedded.users(data_dir / "pgdata") == []


def test_a_start_after_a_crash_forgets_the_dead_process_and_still_stops(data_dir: Path) -> None:
    crashed = Forum(data_dir)
    crashed.process.kill()  # SIGKILL: no handler runs, the database is left behind
    crashed.process.wait(timeout=30)
    assert _postgres_serving(data_dir / "pgdata")
    assert embedded.users(data_dir / "pgdata") == [crashed.process.pid]

    again = Forum(data_dir)

    assert embedded.users(data_dir / "pgdata") == [again.process.pid]
    assert again.stop(signal.SIGTERM) == 0
    assert _postgres_serving(data_dir / "pgdata") == []


def test_the_terminal_says_where_the_data_is_and_how_to_begin(data_dir: Path) -> None:
    forum = Forum(data_dir)
    forum.stop(signal.SIGTERM)
    text = forum.text()
    greeting = text[text.index(READY) :].splitlines()

    assert f"http://127.0.0.1:{forum.port}" in greeting[0]
    assert "var/pgdata (embedded PostgreSQL" in text
    assert any(f"http://127.0.0.1:{forum.port}/setup?token=" in line for line in greeting)
    # What PostgreSQL and the migrations say goes to files, not to the person reading this.
    assert len(text.splitlines()) < 12, text
    assert "INFO" not in text
    assert (data_dir / "pgdata.log").exists() and (data_dir / "pgdata" / "log").exists()


def test_another_process_counted_by_a_dead_id_is_forgotten_but_the_living_are_kept(
    tmp_path: Path,
) -> None:
    sleeper = subprocess.Popen(["sleep", "30"])  # noqa: S607 - alive, but not a Python process
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    try:
        listed = [os.getpid(), sleeper.pid, finished.pid]
        (tmp_path / embedded.PIDS_FILE).write_text(str(listed))

        forgotten = embedded.forget_dead_users(tmp_path)

        assert embedded.users(tmp_path) == [os.getpid()]
        assert sorted(forgotten) == sorted([sleeper.pid, finished.pid])
    finally:
        sleeper.kill()
