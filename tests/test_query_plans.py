"""Query health: the hot pages' queries read through indexes, and deep pages cost what page 1 does.

A forum of ~20,000 posts is bulk-loaded into the test's own transaction with plain INSERTs (the
actions hash passwords and render Markdown, far too slow for this many rows) and analysed. Each
test calls the app's own query function, captures the SELECT it sends, and walks the plan from
EXPLAIN (ANALYZE, FORMAT JSON) of that exact SQL and its parameters.
"""

from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from forum.accounts.handles import handle_key, handle_skeleton
from forum.accounts.models import Member
from forum.accounts.queries import access_member
from forum.auth.models import ApiToken, LoginSession
from forum.auth.viewer import GUEST, SESSION_COOKIE, Viewer, get_viewer
from forum.boards.models import Board
from forum.boards.queries import boards_with_latest
from forum.config import settings
from forum.core.security import hash_secret
from forum.core.time import utcnow
from forum.moderation.review_queries import recently_resolved
from forum.threads.models import Post, Thread
from forum.threads.queries import (
    access_post,
    access_thread,
    board_threads,
    own_story,
    page_count,
    quoted_authors,
    recent_threads_by,
    thread_header,
    thread_page_posts,
)

BOARDS = 3
MEMBERS = 50
THREADS = 300
BIG_THREAD_POSTS = 5000
POSTS_PER_THREAD = 50  # the 299 other threads: 14,950 posts, ~20,000 with the big one
PINNED = (12, 15, 21)  # thread numbers; all on the first board, which the board page lists
# Tables that grow with use. Boards are a handful of rows an admin makes, so a Seq Scan
# over them is fine (and with no index on `position`, the home page's ORDER BY needs one).
GROWING = {
    "posts",
    "threads",
    "members",
    "login_sessions",
    "api_tokens",
    "notifications",
    "queue_items",
    "board_moderators",
}


@dataclass(frozen=True)
class Forum:
    public_board_id: int
    profile_member_id: int
    profile_thread_count: int
    big_thread_id: int
    deep_post_id: int
    quoted: frozenset[int]
    session_secret: str
    token_secret: str


@pytest.fixture
async def forum(session: AsyncSession) -> Forum:
    """Three boards (the third members-only), 50 members, 300 threads, 19,950 posts, analysed."""
    board_ids = (
        await session.scalars(
            insert(Board).returning(Board.id, sort_by_parameter_order=True),
            [
                {
                    "slug": f"plans-{number}",
                    "name": f"Plans {number}",
                    "position": number,
                    "is_members_only": number == BOARDS,
                }
                for number in range(1, BOARDS + 1)
            ],
        )
    ).all()
    member_ids = (
        await session.scalars(
            insert(Member).returning(Member.id, sort_by_parameter_order=True),
            [
                {
                    "handle": f"Planner{number}",
                    "handle_key": handle_key(f"Planner{number}"),
                    "handle_skeleton": handle_skeleton(f"Planner{number}"),
                    "password_hash": "$argon2id$not-a-real-hash",
                }
                for number in range(MEMBERS)
            ],
        )
    ).all()
    now = utcnow()
    thread_rows = [
        {
            "board_id": board_ids[number % BOARDS],
            # Member 0 starts every fifth thread, so the profile query has more than it shows.
            "author_id": member_ids[0] if number % 5 == 0 else member_ids[1 + number % 49],
            "title": f"Story {number}",
            "post_count": BIG_THREAD_POSTS if number == 0 else POSTS_PER_THREAD,
            "is_pinned": number in PINNED,
            "created_at": now - timedelta(hours=THREADS - number),
        }
        for number in range(THREADS)
    ]
    thread_ids = (
        await session.scalars(
            insert(Thread).returning(Thread.id, sort_by_parameter_order=True), thread_rows
        )
    ).all()
    # Positions 1..post_count per thread, as reply_to_thread hands them out.
    await session.execute(
        text(
            """
            INSERT INTO posts (thread_id, author_id, position, source, html, created_at)
            SELECT t.id, m.ids[1 + (t.id + p) % cardinality(m.ids)], p,
                   'Update ' || p, '<p>Update ' || p || '</p>',
                   t.created_at + p * interval '1 minute'
            FROM threads AS t
            CROSS JOIN LATERAL generate_series(1, t.post_count) AS p
            CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM members) AS m
            WHERE t.id = ANY(:thread_ids)
            """
        ),
        {"thread_ids": list(thread_ids)},
    )
    await session.execute(
        text(
            """
            UPDATE threads AS t SET last_post_id = p.id, last_post_at = p.created_at
            FROM posts AS p
            WHERE p.thread_id = t.id AND p.position = t.post_count AND t.id = ANY(:thread_ids)
            """
        ),
        {"thread_ids": list(thread_ids)},
    )
    await session.execute(
        text(
            """
            UPDATE boards AS b
            SET thread_count = s.threads, post_count = s.posts,
                last_post_id = s.last_post_id, last_post_at = s.last_post_at
            FROM (
                SELECT board_id, count(*) AS threads, sum(post_count) AS posts,
                       (array_agg(last_post_id ORDER BY last_post_at DESC))[1] AS last_post_id,
                       max(last_post_at) AS last_post_at
                FROM threads WHERE id = ANY(:thread_ids) GROUP BY board_id
            ) AS s
            WHERE b.id = s.board_id
            """
        ),
        {"thread_ids": list(thread_ids)},
    )
    await session.execute(
        insert(LoginSession),
        [
            {
                "token_hash": hash_secret(f"session-{number}"),
                "member_id": member_ids[number % MEMBERS],
                "expires_at": now + timedelta(days=30),
            }
            for number in range(500)
        ],
    )
    await session.execute(
        insert(ApiToken),
        [
            {
                "token_hash": hash_secret(f"fpt_token-{number}"),
                "member_id": member_ids[number % MEMBERS],
                "name": f"script {number}",
            }
            for number in range(200)
        ],
    )
    # ANALYZE works inside the transaction and sees its uncommitted rows; without it the
    # planner would guess at table sizes and the plans would say little about production.
    for table in ("boards", "members", "threads", "posts", "login_sessions", "api_tokens"):
        await session.execute(text(f"ANALYZE {table}"))
    big_thread_id = thread_ids[0]
    deep_posts = dict(
        (
            await session.execute(
                select(Post.position, Post.id).where(
                    Post.thread_id == big_thread_id, Post.position.in_((4000, 4990))
                )
            )
        ).all()
    )
    return Forum(
        public_board_id=board_ids[0],
        profile_member_id=member_ids[0],
        profile_thread_count=THREADS // 5,
        big_thread_id=big_thread_id,
        deep_post_id=deep_posts[4990],
        quoted=frozenset(deep_posts.values()),
        session_secret="session-7",
        token_secret="fpt_token-7",
    )


# Visibility turns only on whether the viewer is a guest; the member's id doesn't matter.
MEMBER = Viewer(member_id=1, handle="Planner1", role="member")
VIEWERS = pytest.mark.parametrize("viewer", [GUEST, MEMBER], ids=["guest", "member"])


@dataclass(frozen=True)
class Scan:
    """One plan node that reads a table, and how many of the table's rows it looked at."""

    node: str
    table: str
    indexes: frozenset[str]
    rows_read: float


@dataclass(frozen=True)
class Plan:
    root: dict[str, Any]

    def nodes(self) -> Iterator[dict[str, Any]]:
        stack = [self.root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.get("Plans", []))

    def node_types(self) -> set[str]:
        return {node["Node Type"] for node in self.nodes()}

    def scans(self, table: str | None = None) -> list[Scan]:
        found = []
        for node in self.nodes():
            if "Relation Name" not in node or table not in (None, node["Relation Name"]):
                continue
            # A Bitmap Heap Scan names the table; the Bitmap Index Scans under it name the index.
            indexes = {
                child["Index Name"]
                for child in Plan(node).nodes()
                if "Index Name" in child and (child is node or "Relation Name" not in child)
            }
            # Rows returned plus rows looked at and thrown away, over all loops: an index that
            # only narrows the search to the thread, leaving position to a Filter, shows here.
            looked_at = (
                node["Actual Rows"]
                + node.get("Rows Removed by Filter", 0)
                + node.get("Rows Removed by Index Recheck", 0)
            )
            rows_read = looked_at * node["Actual Loops"]
            found.append(
                Scan(node["Node Type"], node["Relation Name"], frozenset(indexes), rows_read)
            )
        return found

    def indexes(self, table: str) -> set[str]:
        return {index for scan in self.scans(table) for index in scan.indexes}

    def rows_read(self, table: str) -> float:
        return sum(scan.rows_read for scan in self.scans(table))


async def explain(session: AsyncSession, call: Awaitable[object]) -> Plan:
    """Await the app's own call, then EXPLAIN ANALYZE the one SELECT it sent to the database.

    Capturing the SQL at the cursor explains exactly what the app runs, whether the statement
    is built per call or prepared once with bind parameters.
    """
    connection = await session.connection()
    sent: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(connection.sync_connection, "before_cursor_execute", record)
    try:
        await call
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", record)
    assert len(sent) == 1, f"expected one query, the app sent {len(sent)}"
    [(statement, parameters)] = sent

    # The test tables are small, so the planner often (rightly) prefers reading a few pages
    # sequentially even when a good index exists. With enable_seqscan off a Seq Scan costs
    # 10^10, so the planner still picks one only when no index can serve the query: what we
    # assert is that a usable index EXISTS. JIT is off because those inflated costs would
    # otherwise trigger ~200 ms of JIT compilation per EXPLAIN.
    await session.execute(text("SET LOCAL enable_seqscan = off"))
    await session.execute(text("SET LOCAL jit = off"))
    result = await connection.exec_driver_sql(
        f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters
    )
    return Plan(result.scalar_one()[0]["Plan"])


def assert_no_seq_scan_on_growing_tables(plan: Plan) -> None:
    for scan in plan.scans():
        if scan.table in GROWING:
            assert scan.node != "Seq Scan", f"Seq Scan on {scan.table}: no index serves this query"


def request_with(header: str, value: str) -> Request:
    return Request({"type": "http", "headers": [(header.encode(), value.encode())]})


async def test_thread_page_reads_posts_through_the_thread_position_index(session, forum):
    last_page = page_count(BIG_THREAD_POSTS)
    thread = await thread_header(session, MEMBER, forum.big_thread_id)
    for page in (1, last_page // 2, last_page):
        plan = await explain(session, thread_page_posts(session, MEMBER, thread, page))

        assert plan.indexes("posts") == {"uq_posts_thread_position"}
        assert plan.indexes("members") == {"pk_members"}
        assert plan.rows_read("posts") == settings.posts_per_page
        assert_no_seq_scan_on_growing_tables(plan)


async def test_thread_page_deep_in_a_long_thread_reads_as_many_posts_as_the_first(session, forum):
    thread = await thread_header(session, MEMBER, forum.big_thread_id)
    first = await explain(session, thread_page_posts(session, MEMBER, thread, 1))
    last_page = page_count(BIG_THREAD_POSTS)
    deep = await explain(session, thread_page_posts(session, MEMBER, thread, last_page))

    # Compare rows actually read, not the planner's estimates: positions 1-25 exist in every
    # thread, so page 1 is estimated at far more rows than page 200, whatever the index.
    assert first.rows_read("posts") == settings.posts_per_page
    # OFFSET, or an index on thread_id alone, would look at the 4,975 earlier posts here.
    assert deep.rows_read("posts") == first.rows_read("posts")


@VIEWERS
async def test_thread_page_heading_finds_the_thread_by_primary_key(session, forum, viewer):
    plan = await explain(session, thread_header(session, viewer, forum.big_thread_id))

    assert plan.indexes("threads") == {"pk_threads"}
    assert plan.rows_read("threads") == 1
    assert_no_seq_scan_on_growing_tables(plan)


@VIEWERS
async def test_thread_lookup_finds_the_thread_by_primary_key(session, forum, viewer):
    plan = await explain(session, access_thread(session, viewer, forum.big_thread_id))

    assert plan.indexes("threads") == {"pk_threads"}
    assert plan.rows_read("threads") == 1
    assert_no_seq_scan_on_growing_tables(plan)


async def test_board_page_takes_its_threads_from_the_listing_index(session, forum):
    plan = await explain(session, board_threads(session, forum.public_board_id, 1))

    # The page's ids come from the listing index in display order, so LIMIT stops after a page;
    # only then are those 30 threads read (by primary key) and joined.
    assert "ix_threads_board_listing" in plan.indexes("threads")
    listing = [scan for scan in plan.scans("threads") if "ix_threads_board_listing" in scan.indexes]
    assert [scan.rows_read for scan in listing] == [settings.threads_per_page]
    assert plan.indexes("posts") == {"pk_posts"}  # each thread's last post
    assert plan.rows_read("posts") <= settings.threads_per_page
    assert_no_seq_scan_on_growing_tables(plan)


async def test_a_later_board_page_skips_index_entries_not_whole_threads(session, forum):
    first = await explain(session, board_threads(session, forum.public_board_id, 1))
    later = await explain(session, board_threads(session, forum.public_board_id, 3))

    # OFFSET walks past earlier pages' index entries, but threads, posts and members are read
    # only for the page shown.
    assert later.rows_read("posts") == first.rows_read("posts")
    assert later.rows_read("members") == first.rows_read("members")
    assert_no_seq_scan_on_growing_tables(later)


@VIEWERS
async def test_home_page_finds_each_boards_latest_post_by_primary_key(session, forum, viewer):
    plan = await explain(session, boards_with_latest(session, viewer))

    assert plan.indexes("posts") == {"pk_posts"}
    assert plan.indexes("threads") == {"pk_threads"}
    assert plan.indexes("members") == {"pk_members"}
    assert plan.rows_read("posts") <= BOARDS
    assert_no_seq_scan_on_growing_tables(plan)


@VIEWERS
async def test_post_permalink_finds_the_post_by_primary_key(session, forum, viewer):
    plan = await explain(session, access_post(session, viewer, forum.deep_post_id))

    assert plan.indexes("posts") == {"pk_posts"}
    assert plan.indexes("threads") == {"pk_threads"}
    assert plan.rows_read("posts") == 1
    assert_no_seq_scan_on_growing_tables(plan)


async def test_member_profile_finds_the_member_through_the_handle_key_index(session, forum):
    plan = await explain(session, access_member(session, "Planner0"))

    assert plan.indexes("members") == {"uq_members_handle_key"}
    assert plan.rows_read("members") == 1
    assert_no_seq_scan_on_growing_tables(plan)


@VIEWERS
async def test_member_profile_finds_recent_threads_through_the_author_index(session, forum, viewer):
    statement = recent_threads_by(viewer, forum.profile_member_id)
    plan = await explain(session, session.scalars(statement))

    assert plan.indexes("threads") == {"ix_threads_author_recent"}
    # Newest first straight from the index, stopping at the limit, not all 60 of theirs.
    assert "Sort" not in plan.node_types()
    assert plan.rows_read("threads") < forum.profile_thread_count
    assert_no_seq_scan_on_growing_tables(plan)


@VIEWERS
async def test_quoting_finds_the_quoted_authors_by_post_primary_key(session, forum, viewer):
    plan = await explain(session, session.execute(quoted_authors(viewer, set(forum.quoted))))

    assert plan.indexes("posts") == {"pk_posts"}
    assert plan.rows_read("posts") == len(forum.quoted)
    assert_no_seq_scan_on_growing_tables(plan)


async def test_session_cookie_finds_its_login_through_the_token_hash_index(session, forum):
    request = request_with("cookie", f"{SESSION_COOKIE}={forum.session_secret}")
    plan = await explain(session, get_viewer(request, session))

    assert request.state.viewer.member_id is not None
    assert plan.indexes("login_sessions") == {"uq_login_sessions_token_hash"}
    assert plan.rows_read("login_sessions") == 1
    # Unread notices and the moderators' queue count ride along in the same statement,
    # each correlated to the one member: no subquery may wander over the members table.
    assert plan.rows_read("members") == 1
    assert plan.indexes("notifications") == {"ix_notifications_unread"}
    assert plan.indexes("board_moderators") == {"pk_board_moderators"}
    assert_no_seq_scan_on_growing_tables(plan)


async def test_api_token_finds_its_row_through_the_token_hash_index(session, forum):
    request = request_with("authorization", f"Bearer {forum.token_secret}")
    plan = await explain(session, get_viewer(request, session))

    assert request.state.viewer.via_token
    assert plan.indexes("api_tokens") == {"uq_api_tokens_token_hash"}
    assert plan.rows_read("api_tokens") == 1
    assert_no_seq_scan_on_growing_tables(plan)


async def test_recently_resolved_reviews_come_from_their_own_index(session, forum):
    # Verdicts pile up: a few hundred resolved items, across boards, most recent last.
    await session.execute(
        text(
            "INSERT INTO queue_items (post_id, board_id, is_open, priority, report_count,"
            " is_held, flagged_words, resolution, resolution_note, resolved_by_name, resolved_at)"
            " SELECT p.id, t.board_id, false, 0, 1, false, '', 'dismiss', '', 'Planner1',"
            " now() - p.id * interval '1 minute'"
            " FROM posts p JOIN threads t ON t.id = p.thread_id ORDER BY p.id LIMIT 400"
        )
    )
    await session.execute(text("ANALYZE queue_items"))
    moderator = Viewer(member_id=1, handle="Planner1", role="moderator")
    plan = await explain(session, session.execute(recently_resolved(moderator)))

    assert plan.indexes("queue_items") == {"ix_queue_items_resolved"}


async def test_a_members_story_in_a_story_board_is_found_through_the_author_index(session, forum):
    # The board page looks it up for members in story boards: "Start" or "Update your story".
    story_board = Board(
        id=forum.public_board_id, slug="plans-1", name="Plans 1", is_story_board=True
    )
    author = Viewer(member_id=forum.profile_member_id, handle="Planner0", role="member")
    plan = await explain(session, own_story(session, author, story_board))

    assert plan.indexes("threads") == {"ix_threads_author_recent"}
    # Only the member's own threads are looked at, never the board's or the forum's.
    assert plan.rows_read("threads") <= forum.profile_thread_count
    assert_no_seq_scan_on_growing_tables(plan)
