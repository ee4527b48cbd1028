"""Load test: the forum as in production (uvicorn, 2 workers, no access log) on the bench
database, driven by wrk from a separate process over loopback, against a no-database ceiling.

    python -m bench.run [--duration 20] [--connections 16]

Needs `python -m bench.generate` first (it writes var/bench-data.json).
"""

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("requests.lua")
WARMUP_SECONDS = 3


@dataclass
class Result:
    name: str
    what: str
    requests: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    errors: int = 0
    ceiling_rps: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Scenario:
    name: str
    what: str
    lines: list[str]
    target: str = ""  # the forum unless given
    cookie: str = ""


def plain_url(url: str) -> str:
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def start_server(module: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "uvicorn"),
        module,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code in (200, 404):
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"{module} did not start on port {port}")


def workers_of(server: subprocess.Popen[bytes]) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) != server.pid:
            continue
        # uvicorn's children are its workers plus multiprocessing's resource tracker.
        if b"resource_tracker" not in (stat.parent / "cmdline").read_bytes():
            children.append(int(stat.parent.name))
    return sorted(children)


def memory_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
    return int(values["VmRSS"]) / 1024, int(values["VmHWM"]) / 1024


def run_wrk(
    base: str, lines: list[str], duration: int, connections: int, cookie: str = ""
) -> dict[str, float]:
    targets = VAR / "bench-targets.tsv"
    targets.write_text("\n".join(lines) + "\n")
    # One wrk thread: its epoll loop keeps 16 connections busy without taking a second core.
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base,
        "--",
        str(targets),
        "1",
    ]
    output = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_COOKIE": cookie},
    ).stdout
    line = next(row for row in output.splitlines() if row.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def row(name: str, what: str, numbers: dict[str, float]) -> Result:
    seconds = numbers["duration_us"] / 1e6
    return Result(
        name=name,
        what=what,
        requests=int(numbers["requests"]),
        rps=numbers["requests"] / seconds,
        p50=numbers["p50_us"] / 1000,
        p95=numbers["p95_us"] / 1000,
        p99=numbers["p99_us"] / 1000,
        errors=int(numbers["errors"] + numbers["status_errors"]),
    )


def get_line(path: str) -> str:
    return f"GET\t{path}\t\t"


async def pick_targets(url: str, seed: int) -> dict[str, object]:
    """Random threads and pages, the biggest story thread, public boards."""
    rng = random.Random(seed)
    connection = await asyncpg.connect(plain_url(url))
    try:
        threads = await connection.fetch(
            "SELECT t.id, t.post_count, t.is_locked, b.is_members_only FROM threads t"
            " JOIN boards b ON b.id = t.board_id"
        )
        story = await connection.fetchrow(
            "SELECT id, post_count FROM threads ORDER BY post_count DESC LIMIT 1"
        )
        boards = await connection.fetch("SELECT slug, is_members_only FROM boards")
        total_posts = await connection.fetchval("SELECT count(*) FROM posts")
    finally:
        await connection.close()
    per_page = 25

    def page_paths(rows: list[asyncpg.Record], count: int) -> list[str]:
        chosen = rng.sample(list(rows), min(count, len(rows)))
        return [
            f"/t/{r['id']}?page={rng.randint(1, -(-r['post_count'] // per_page))}" for r in chosen
        ]

    public = [r for r in threads if not r["is_members_only"]]
    # Locked threads refuse replies (403), which would count as errors.
    open_threads = [r for r in threads if not r["is_locked"]]
    return {
        "guest_threads": page_paths(public, 2000),
        "member_threads": page_paths(list(threads), 2000),
        "story_first": f"/t/{story['id']}?page=1",
        "story_last": f"/t/{story['id']}?page={-(-story['post_count'] // per_page)}",
        "story_posts": story["post_count"],
        "boards": [f"/b/{b['slug']}" for b in boards if not b["is_members_only"]],
        "reply_threads": [r["id"] for r in rng.sample(open_threads, min(500, len(open_threads)))],
        "total_posts": total_posts,
    }


async def settle(url: str) -> None:
    """Tidy up after earlier runs' replies and write out dirty pages now, so that autovacuum
    and the checkpointer don't wake up in the middle of a scenario."""
    connection = await asyncpg.connect(plain_url(url))
    try:
        await connection.execute("VACUUM (ANALYZE) posts, threads, boards, members")
        await connection.execute("CHECKPOINT")
    except asyncpg.InsufficientPrivilegeError:
        pass  # only superusers may; the warm-up runs absorb it instead
    finally:
        await connection.close()


def log_in(base: str, handle: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"handle": handle, "password": password, "csrf_token": token}
    )
    if response.status_code != 303:
        raise SystemExit(f"could not log in as {handle}: {response.status_code}")
    return client


def api_token(client: httpx.Client) -> str:
    page = client.get("/account")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    made = client.post("/account/tokens", data={"name": "bench", "csrf_token": csrf})
    return made.text.split('<code class="token">')[1].split("</code>")[0]


async def counters_exact(url: str, thread_ids: list[int]) -> bool:
    connection = await asyncpg.connect(plain_url(url))
    try:
        wrong = await connection.fetchval(
            """
            SELECT count(*) FROM threads t
            JOIN LATERAL (SELECT count(*) AS n, max(position) AS top FROM posts p WHERE p.thread_id = t.id) p ON true
            WHERE t.id = ANY($1::int[])
              AND (t.post_count <> p.n OR t.post_count <> p.top
                   OR t.last_post_id <> (SELECT id FROM posts WHERE thread_id = t.id ORDER BY position DESC LIMIT 1))
            """,
            thread_ids,
        )
        boards_wrong = await connection.fetchval(
            "SELECT count(*) FROM boards b WHERE post_count <>"
            " (SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.board_id = b.id)"
        )
    finally:
        await connection.close()
    return wrong == 0 and boards_wrong == 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2, help="runs per scenario; the best counts")
    parser.add_argument("--only", nargs="*", help="run only these scenarios")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    data = json.loads((VAR / "bench-data.json").read_text())
    url, password, handles = data["database_url"], data["password"], data["handles"]
    targets = asyncio.run(pick_targets(url, args.seed))
    asyncio.run(settle(url))

    base = f"http://127.0.0.1:{args.port}"
    env = {
        "DATABASE_URL": url,
        "FORUM_SECRET_KEY": "bench-only-secret",
        "FORUM_ENVIRONMENT": "production",
        # The reply scenario posts far faster than any member may; its logins share one address.
        "FORUM_POSTS_PER_MINUTE": "1000000",
        "FORUM_LOGIN_ATTEMPTS_PER_IP": "1000000",
    }
    forum = start_server("forum.main:app", args.port, env)
    ceiling = None
    results: list[Result] = []
    try:
        reader = log_in(base, handles[0], password)
        cookie = "; ".join(f"{k}={v}" for k, v in reader.cookies.items())
        sample = reader.get(targets["story_first"]).content
        (VAR / "bench-ceiling.html").write_bytes(sample)
        ceiling_port = args.port + 1
        ceiling = start_server(
            "bench.ceiling:app",
            ceiling_port,
            {"BENCH_CEILING_PAGE": str(VAR / "bench-ceiling.html")},
        )

        ceiling_url = f"http://127.0.0.1:{ceiling_port}"
        ceiling_lines = [get_line("/ceiling")]

        def measure(*group: Scenario) -> None:
            """Measure scenarios that are compared with each other in interleaved rounds, so
            that this machine's drifting speed falls on them alike; the best round counts."""
            group = tuple(g for g in group if not args.only or g.name in args.only)
            if not group:
                return
            best: dict[str, Result] = {}
            for g in group:
                print(f"… {g.name}: {g.what}", file=sys.stderr)
                # An unmeasured run first fills caches and prepares statements in every worker.
                run_wrk(g.target or base, g.lines, WARMUP_SECONDS, args.connections, g.cookie)
            ceiling = row("ceiling", "", run_wrk(ceiling_url, ceiling_lines, 5, args.connections))
            for _ in range(args.repeat):
                for g in group:
                    numbers = run_wrk(
                        g.target or base, g.lines, args.duration, args.connections, g.cookie
                    )
                    result = row(g.name, g.what, numbers)
                    if g.name not in best or result.rps > best[g.name].rps:
                        best[g.name] = result
            for result in best.values():
                result.ceiling_rps = ceiling.rps
                results.append(result)

        measure(
            Scenario(
                "ceiling",
                f"constant {len(sample) // 1024} KiB page, no database",
                ceiling_lines,
                target=ceiling_url,
            )
        )
        measure(
            Scenario(
                "thread, guest",
                "random public thread, random page",
                [get_line(p) for p in targets["guest_threads"]],
            ),
            Scenario(
                "thread, member",
                "random thread, random page, logged in",
                [get_line(p) for p in targets["member_threads"]],
                cookie=cookie,
            ),
        )
        measure(
            Scenario(
                "story, first page",
                f"page 1 of a {targets['story_posts']:,}-post thread",
                [get_line(targets["story_first"])],
            ),
            Scenario(
                "story, last page",
                "last page of the same thread",
                [get_line(targets["story_last"])],
            ),
        )
        measure(
            Scenario(
                "board", "page 1 of a random public board", [get_line(p) for p in targets["boards"]]
            ),
            Scenario("home", "the home page", [get_line("/")]),
        )

        if not args.only or "replies" in args.only:
            tokens = [api_token(log_in(base, handle, password)) for handle in handles[:16]]
            body = json.dumps({"body": "Thank you for this. I am standing too, one day at a time."})
            lines = [
                f"POST\t/api/v1/threads/{thread_id}/posts\tBearer {tokens[i % 16]}\t{body}"
                for i, thread_id in enumerate(targets["reply_threads"])
            ]
            measure(Scenario("replies", "16 members posting replies at once (API)", lines))
            exact = asyncio.run(counters_exact(url, targets["reply_threads"]))
            results[-1].extra["counters_exact"] = exact

        memory = {pid: memory_mb(pid) for pid in workers_of(forum)}
    finally:
        for server in (forum, ceiling):
            if server:
                server.terminate()
                server.wait(timeout=30)

    report(results, memory, targets, args)


def report(
    results: list[Result],
    memory: dict[int, tuple[float, float]],
    targets: dict[str, object],
    args: argparse.Namespace,
) -> None:
    lines = [
        f"{targets['total_posts']:,} posts; {args.connections} connections, {args.duration} s a scenario, "
        f"best of {args.repeat} runs, 2 uvicorn workers, {os.cpu_count()} cores; each scenario's "
        "ceiling was measured just before it.",
        "",
        "| scenario | what | req/s | ceiling req/s | % of ceiling | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        share = f"{100 * r.rps / r.ceiling_rps:.1f}%" if r.name != "ceiling" else "–"
        note = ""
        if "counters_exact" in r.extra:
            note = " (counters exact)" if r.extra["counters_exact"] else " (COUNTERS WRONG)"
        lines.append(
            f"| {r.name} | {r.what}{note} | {r.rps:,.0f} | {r.ceiling_rps:,.0f} | {share} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | {r.errors} |"
        )
    lines.append("")
    lines.append(
        "Forum workers' resident memory at the end (peak): "
        + ", ".join(f"{now:.0f} MB ({peak:.0f} MB)" for now, peak in memory.values())
    )
    text = "\n".join(lines)
    (VAR / "bench-results.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
