"""Benchmark data: a large, seeded support community loaded through the forum's own schema.

    python -m bench.generate [--database-url URL] [--members N] [--threads N] [--posts N] ...

Drops and recreates the bench database, migrates it with Alembic, COPYs members, boards,
threads and posts with exact counters, checks them, and writes var/bench-data.json for the
load driver. Posts go in in time order, so ids and heap order follow created_at as they do on
a live forum (a thread's pages are scattered over the table, not packed together).
"""

import argparse
import asyncio
import bisect
import html
import itertools
import json
import math
import os
import random
import socket
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from alembic import command
from sqlalchemy.engine import make_url

from forum.accounts.handles import HandleError, clean_handle, handle_key, handle_skeleton
from forum.accounts.passwords import hash_password
from forum.cli import alembic_config
from forum.core.markdown import quote_markdown, quoted_post_ids, render_markdown

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/forum_bench"
PASSWORD = "bench-password-not-secret"  # noqa: S105 - every bench member shares it, by design
EPOCH = datetime(2022, 1, 1, tzinfo=UTC)  # fixed, so a seed always gives the same rows
DAY_US = 86_400 * 10**6
SPAN_US = 1095 * DAY_US  # three years of activity
STORY_BOARD = 1  # index of "my-story" below
# Quotes are rendered once with these stand-ins; each use puts the real post id and handle in
# their place (handles are letters, digits and _-. so escaping them changes nothing).
QUOTE_ID, QUOTE_HANDLE = 987654321, "QuotedBenchMember"

# fmt: off
BOARDS = [  # slug, name, description, members only
    ("introductions", "Introductions", "Say hello and tell us where you are.", False),
    ("my-story", "My story", "One ongoing thread per member: post updates as your story unfolds.", False),
    ("standing", "Standing and detaching", "Holding steady while a spouse is in crisis.", True),
    ("co-parenting", "Co-parenting", "Raising children together while apart.", False),
    ("grief", "Grief", "For the losses nobody sends flowers for.", False),
    ("recovery", "Recovery", "Putting yourself back together, one day at a time.", False),
    ("understanding-mlc", "Understanding MLC", "What a mid-life crisis looks like from outside.", False),
    ("affairs", "Affairs and the OW/OM", "When there is someone else.", True),
    ("reconciliation", "Reconciliation", "Finding the way back, and what R really takes.", False),
    ("separation", "Separation and divorce", "Lawyers, paperwork and living apart.", False),
    ("faith", "Faith and hope", "Where members find their footing.", False),
    ("self-care", "Looking after yourself", "Sleep, food, friends and getting a life.", False),
    ("money-legal", "Money and legal", "Bills, houses and agreements. Not legal advice.", False),
    ("family-friends", "Family and friends", "When the people around you take sides.", False),
    ("kids-teens", "Kids and teens", "Helping children through it.", False),
    ("mens-corner", "Men's corner", "For the husbands who stand.", True),
    ("milestones", "Milestones and good days", "Share a win, however small.", False),
    ("rough-nights", "Rough nights", "For when it is 2am and you need someone.", True),
    ("resources", "Resources", "Books, articles and the advice we return to.", False),
    ("off-topic", "Off topic", "Gardens, pets, recipes: life outside the crisis.", False),
]
ADJ = ["Quiet", "Steady", "Gentle", "Brave", "Hopeful", "Patient", "Still", "Calm", "Bright",
       "Kind", "Silver", "Golden", "Morning", "Evening", "Northern", "Willow", "Cedar", "River",
       "Harbor", "New", "Open", "True", "Humble", "Faithful", "Wild", "Little", "Slow", "Warm"]
NOUN = ["Oak", "Harbor", "Light", "Creek", "River", "Stone", "Dawn", "Path", "Heart", "Sparrow",
        "Meadow", "Lantern", "Anchor", "Shore", "Garden", "Compass", "Tide", "Ember", "Bridge",
        "Hill", "Valley", "Wren", "Robin", "Maple", "Pine", "Rain", "Star", "Field", "Journey"]
FIRST = ["Anna", "Ben", "Clara", "Dan", "Elena", "Frank", "Grace", "Hugo", "Iris", "Jonas",
         "Kate", "Leo", "Maria", "Nico", "Olive", "Paul", "Rosa", "Sam", "Tess", "Will"]
STORY = [
    "{Sp} came home late again on {day} and barely said a word to me.",
    "I kept it light and friendly, the way you all taught me, and it didn't turn into a fight.",
    "{Sp} says the M was never right, which is the MLC script almost word for word.",
    "As far as I can tell the {ow} is still in the picture.",
    "I'm holding LC now: only the kids, the bills and the house.",
    "Day {n} of detaching. Some days it holds and some days it really doesn't.",
    "{Kid} asked me why {he} sleeps at a friend's place now, and I didn't know what to say.",
    "{He} rewrote our whole history in one evening. Apparently I was never there for {him}.",
    "I didn't chase, I didn't plead, I just said I'd be here and left the room.",
    "It's been {n} weeks since {he} moved out and the house still feels too big.",
    "My counsellor asked what I want, and for the first time I said it out loud: to stand.",
    "We had a civil handover on {day}. Twenty minutes, no drama, which felt like a win.",
    "{He} texted at midnight wanting to talk about R, then went silent for {n} days.",
    "I found out about the {ow} from a bank statement, of all things.",
    "I'm eating again and sleeping most nights, which is more than I could say a month ago.",
    "The BS in me wants answers; the part of me that has read this forum knows I won't get them.",
    "{He} says {he} needs space to find {him}self. I said fine, and meant it this time.",
    "My mother thinks I'm a fool to stand. Maybe, but it's my M and my choice.",
    "Some of what {he} said was unfair, and some of it was worth hearing.",
    "I caught myself checking {his} location again and put the phone in a drawer.",
    "{Kid} had a school play on {day} and we sat together. It felt almost normal.",
    "I cried in the car park at work, then went in and had a perfectly ordinary afternoon.",
    "{He} wants to sell the house. I said I'd think about it and talk to a lawyer first.",
    "The MLCer I married would never have said any of this; I hardly recognise {him}.",
    "Twenty years, and now I'm told I'm the reason {he} was never happy.",
    "I've started running again. Badly, slowly, but it's mine.",
]
ADVICE = [
    "Detaching isn't the same as not caring; it's caring without gripping.",
    "Standing is a choice you make for yourself, not a promise you owe anyone.",
    "Let {sp} feel the consequences of {his} choices instead of cushioning them.",
    "Write it here first, then wait a day before you answer {him}.",
    "MLCers often rewrite the past. You don't have to argue with the rewrite.",
    "Keep the focus on you: sleep, food, a walk, one small thing you enjoy.",
    "In the fog nothing you say will land, so say less and mean it.",
    "LC means logistics only. No long talks about feelings, no R talk at the door.",
    "The {ow} is a symptom, not the cause. That doesn't make it hurt less.",
    "You can stand and still protect yourself legally. Those aren't opposites.",
    "When {he} pushes, don't push back; step aside and let {him} hear {his} own words.",
    "Get a life, as the old-timers here say. It's the best thing you can do for both of you.",
    "It's okay to be angry. Just don't hand the anger to {him} to use against you.",
    "Kids need one calm parent more than they need the full story.",
    "Grief comes in waves. Let it, and don't judge yourself for the bad days.",
    "Nobody can tell you whether to stand or to let go. Only you know that.",
    "I was where you are {n} months ago. It did not feel survivable, and it was.",
    "Don't make big decisions in the first weeks after the bomb unless you have to.",
    "Your feelings are facts about you, not instructions. You don't have to act on them.",
    "Listen more than you talk; an MLCer will often say a true thing by accident.",
]
SHORT = [
    "Sending you strength today.", "Hugs. One day at a time.", "This. Exactly this.",
    "Checking in: how did the talk go?", "Proud of you for holding your boundaries.",
    "Been there. It does get easier, I promise.", "Thinking of you tonight.",
    "Well said. Saving this one.", "Stay the course, friend.", "*Breathe.* You're doing fine.",
    "You're not alone in this.", "**Big** step. Well done.", "Following along and cheering you on.",
]
LIST_ITEMS = [
    "a walk every morning, rain or not", "**no** checking {his} social media",
    "writing here before bed", "seeing my counsellor every other week",
    "texts to {sp} about logistics only (LC)", "one evening a week with friends",
    "saying *I hear you* instead of defending myself", "keeping the kids' routine the same",
    "a separate bank account, quietly", "not asking about the {ow}",
]
LINKS = ["https://example.org/library/detaching-with-love", "https://example.org/articles/what-is-mlc",
         "https://example.com/guides/limited-contact", "https://example.net/grief/the-waves"]
TITLES = [
    "{Sp} moved out last week. Now what?", "Day {n} of standing", "Is this MLC or something else?",
    "How do you detach when you still share a house?", "First holiday apart", "The {ow} contacted me",
    "LC with {sp}: where do you draw the line?", "Small win today", "Feeling lost tonight",
    "A co-parenting schedule that actually works?", "Grieving the marriage I thought I had",
    "{n} months into R and still wobbly", "Lawyer meeting tomorrow, nervous",
    "{Sp} wants to talk about R. Too soon?", "Telling the kids", "What helped you most in month one?",
    "Anniversary coming up", "Does detaching ever stop hurting?", "Book recommendations for a BS",
    "{Sp} says {he} is 'confused'", "Weekend handovers", "Back after a long break",
]
TAGLINES = ["learning to stand", "one day at a time", "still here", "finding my feet",
            "the long road", "notes from the fog", "detaching with love", "after the bomb"]
# fmt: on


def spouse_words(rng: random.Random) -> dict[str, str]:
    """Slot values for one body, so that it talks about one spouse throughout."""
    h = rng.random() < 0.6
    words = {
        "sp": rng.choice(["H", "my H"] if h else ["W", "my W"]),
        "he": "he" if h else "she",
        "him": "him" if h else "her",
        "his": "his" if h else "her",
        "ow": "OW" if h else "OM",
        "kid": rng.choice(["our son", "our daughter", "the kids", "our youngest"]),
        "day": rng.choice(["Sunday", "Tuesday", "Friday", "the weekend", "my birthday"]),
        "n": str(rng.randrange(2, 60)),
    }
    return words | {k.capitalize(): v[0].upper() + v[1:] for k, v in words.items()}


def make_body(rng: random.Random, *, opener: bool) -> str:
    """One line to many paragraphs of Markdown; openers tell a story, replies mostly advise."""
    if not opener and rng.random() < 0.3:
        return rng.choice(SHORT)
    words = spouse_words(rng)
    # Shuffled decks, so that a long body doesn't say the same sentence twice.
    story, advice = rng.sample(STORY, len(STORY)), rng.sample(ADVICE, len(ADVICE))
    blocks = [f"### Update {words['n']}"] if opener and rng.random() < 0.2 else []
    for _ in range(rng.choice([2, 3, 3, 4, 5, 6, 9] if opener else [1, 1, 1, 2, 2, 3, 4, 6])):
        roll = rng.random()
        if roll < 0.08:
            items = [i.format(**words) for i in rng.sample(LIST_ITEMS, rng.randint(2, 5))]
            mark = "1." if rng.random() < 0.3 else "-"
            head = rng.choice(["What's helping me this week:", "My rules for LC:", "Small things:"])
            blocks.append(head + "\n\n" + "\n".join(f"{mark} {item}" for item in items))
        elif roll < 0.13:
            url = rng.choice(LINKS)
            blocks.append(rng.choice([f"This helped me: {url}", f"See [this piece]({url}) too."]))
        else:
            deck = story if opener or rng.random() < 0.3 else advice
            chosen = [deck.pop().format(**words) for _ in range(min(rng.randint(1, 5), len(deck)))]
            if not chosen:
                continue
            if rng.random() < 0.25:  # emphasis on one sentence
                i, mark = rng.randrange(len(chosen)), rng.choice(["*", "**"])
                chosen[i] = f"{mark}{chosen[i]}{mark}"
            blocks.append((" " if rng.random() < 0.85 else "\n").join(chosen))
    return "\n\n".join(blocks) or rng.choice(SHORT)


@dataclass
class Pool:
    """Distinct bodies rendered once: openers first, then replies, then a quote of each."""

    openers: int
    source: list[str]
    html: list[str]
    # For body i, a reply quoting it: its source and html split where the id and handle go,
    # and the index of the reply's own words (which a later quote of that reply quotes).
    quotes: list[tuple[list[str], list[str], int]]

    def quote(self, quoted: int, post_id: int, handle: str) -> tuple[str, str, int]:
        (s1, s2), (h1, h2, h3), own = self.quotes[quoted]
        return f"{s1}{post_id}{s2}", f"{h1}{post_id}{h2}{html.escape(handle)}{h3}", own


def build_pool(rng: random.Random, openers: int, replies: int) -> Pool:
    source = [make_body(rng, opener=i < openers) for i in range(openers + replies)]
    quotes = []
    for body in source:
        own = rng.randrange(openers, len(source))
        quoted = next((b for b in body.split("\n\n") if not b.startswith("#")), body)
        text = quote_markdown(QUOTE_ID, quoted) + source[own]
        out = render_markdown(text, {QUOTE_ID: QUOTE_HANDLE})
        assert text.count(str(QUOTE_ID)) == out.count(str(QUOTE_ID)) == out.count(QUOTE_HANDLE) == 1
        h1, rest = out.split(str(QUOTE_ID))
        quotes.append((text.split(str(QUOTE_ID)), [h1, *rest.split(QUOTE_HANDLE)], own))
    return Pool(openers, source, [render_markdown(s) for s in source], quotes)


class Members:
    """Handles, join times and activity; member ids follow join order."""

    def __init__(self, rng: random.Random, count: int) -> None:
        self.handles: list[str] = []
        skeletons: set[str] = set()  # stricter than handle_key, so it covers that too
        while len(self.handles) < count:
            a, n, d = rng.choice(ADJ), rng.choice(NOUN), rng.randrange(1, 1000)
            raw = rng.choice([f"{a}{n}", f"{a}_{n}", f"{a}.{n}", f"{a}{n}-{d % 90 + 10}",
                              f"{rng.choice(FIRST)}.{n}", f"{a}{n}{d}".lower()])  # fmt: skip
            try:
                handle = clean_handle(raw)
            except HandleError:
                continue
            if handle_skeleton(handle) not in skeletons:
                skeletons.add(handle_skeleton(handle))
                self.handles.append(handle)
        # A tenth were there at launch; the rest joined over the years.
        launch = count // 10 + 1
        self.joined = sorted(
            -rng.randrange(60 * DAY_US) if i < launch else rng.randrange(SPAN_US * 9 // 10)
            for i in range(count)
        )
        self.activity = list(itertools.accumulate(rng.lognormvariate(0, 1.3) for _ in range(count)))

    def pick(self, rng: random.Random, at: int) -> int:
        """A member who had joined by `at`; busier members more often."""
        joined = max(bisect.bisect_right(self.joined, at), 1)
        return bisect.bisect_right(self.activity, rng.random() * self.activity[joined - 1]) + 1


@dataclass
class ThreadPlan:
    board: int  # index into BOARDS
    author: int
    title: str
    times: list[int]  # microseconds after EPOCH, strictly increasing by position
    is_story: bool


def plan_threads(
    args: argparse.Namespace, rng: random.Random, members: Members
) -> list[ThreadPlan]:
    """Size, board, author and post times of every thread, in id (= start time) order."""
    others = args.threads - args.story_threads
    rest = args.posts - args.story_threads * args.story_posts
    # Long tail: most threads get a handful of replies, a few run to thousands.
    weights = [rng.lognormvariate(0, 1.5) for _ in range(others)]
    total = sum(weights)
    sizes = [1 + int((rest - others) * w / total) for w in weights]
    for i in rng.sample(range(others), rest - sum(sizes)):
        sizes[i] += 1
    board_weights = list(itertools.accumulate(rng.uniform(0.3, 3.0) for _ in range(args.boards)))
    plans = []
    for i, size in enumerate([args.story_posts] * args.story_threads + sizes):
        story = i < args.story_threads
        if story:  # the big stories run for nearly the whole three years
            length, board = rng.randrange(SPAN_US * 9 // 10, SPAN_US * 97 // 100), STORY_BOARD
        else:
            gap = rng.lognormvariate(math.log(4 * 3600e6), 1.0)  # typically hours apart
            length = min(int(gap * (size - 1)), SPAN_US * 97 // 100)
            board = rng.choices(range(args.boards), cum_weights=board_weights)[0]
        times = [rng.randrange(SPAN_US - length)]
        gaps = [rng.expovariate(1.0) for _ in range(size - 1)]
        scale = length / (sum(gaps) or 1)
        for g in gaps:  # a second apart at least, so positions follow created_at strictly
            times.append(times[-1] + max(10**6, int(g * scale)))
        author = members.pick(rng, times[0])
        if story:
            title = f"{members.handles[author - 1]}'s story: {rng.choice(TAGLINES)}"
        else:
            title = rng.choice(TITLES).format(**spouse_words(rng))
        plans.append(ThreadPlan(board, author, title, times, story))
    plans.sort(key=lambda plan: plan.times[0])
    return plans


class Progress:
    """One stderr line: done/total, rate and time left."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.started, self.shown = label, total, time.monotonic(), 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self.shown < 0.5:
            return
        self.shown, rate = now, done / max(now - self.started, 1e-6)
        bar = "#" * (30 * done // max(self.total, 1))
        sys.stderr.write(f"\r{self.label} [{bar:<30}] {done:,}/{self.total:,} {rate:,.0f}/s "
                         f"ETA {(self.total - done) / max(rate, 1):.0f}s  ")  # fmt: skip
        if done >= self.total:
            sys.stderr.write("\n")


def post_rows(rng: random.Random, plans: list[ThreadPlan], members: Members, pool: Pool):
    """Every post as a COPY row, in created_at order (which is id order)."""
    timeline = sorted((at, tid) for tid, plan in enumerate(plans, 1) for at in plan.times)
    progress = Progress("posts", len(timeline))
    positions = [0] * (len(plans) + 1)
    recent: list[list[tuple[int, int, int]]] = [[] for _ in range(len(plans) + 1)]
    for post_id, (at, thread_id) in enumerate(timeline, 1):
        plan = plans[thread_id - 1]
        position = positions[thread_id] = positions[thread_id] + 1
        earlier = recent[thread_id]  # (post id, author, own words) of the thread's last posts
        if position == 1:
            author, own = plan.author, rng.randrange(pool.openers)
            source, rendered = pool.source[own], pool.html[own]
        else:
            owner_share = 0.35 if plan.is_story else 0.15
            author = plan.author if rng.random() < owner_share else members.pick(rng, at)
            if earlier and rng.random() < 0.2:
                quoted_id, quoted_author, quoted_own = rng.choice(earlier)
                handle = members.handles[quoted_author - 1]
                source, rendered, own = pool.quote(quoted_own, quoted_id, handle)
            else:  # story owners often post long updates rather than replies
                update = plan.is_story and author == plan.author and rng.random() < 0.5
                own = rng.randrange(0 if update else pool.openers, len(pool.source))
                source, rendered = pool.source[own], pool.html[own]
        earlier.append((post_id, author, own))
        if len(earlier) > 8:
            del earlier[0]
        created = moment(at)
        edited = created + timedelta(minutes=rng.randrange(1, 180)) if rng.random() < 0.04 else None
        if post_id % 4096 == 0:
            progress.update(post_id)
        yield (post_id, thread_id, author, position, source, rendered, created, edited)
    progress.update(len(timeline))


def moment(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


# fmt: off
COLUMNS = {
    "members": "id handle handle_key handle_skeleton email password_hash role post_count created_at",
    "boards": "id slug name description position is_members_only thread_count post_count last_post_id last_post_at created_at",
    "threads": "id board_id author_id title post_count is_pinned is_locked last_post_id created_at last_post_at",
    "posts": "id thread_id author_id position source html created_at edited_at",
}
FINISH = [
    # Circular keys: boards and threads went in with last_post_id NULL, before the posts.
    """UPDATE threads t SET last_post_id = p.id FROM posts p
       WHERE p.thread_id = t.id AND p.position = t.post_count""",
    # Post ids follow created_at, so a board's latest post is its threads' highest last post.
    """UPDATE boards b SET last_post_id = l.id
       FROM (SELECT board_id, max(last_post_id) AS id FROM threads GROUP BY board_id) l WHERE l.board_id = b.id""",
    """UPDATE members m SET post_count = c.n
       FROM (SELECT author_id, count(*) AS n FROM posts GROUP BY author_id) c WHERE c.author_id = m.id""",
    # So that the forum's own inserts carry on after the bench ids.
    *(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {t}), false)"  # noqa: S608 - constant names
      for t in COLUMNS),
]
CHECKS = {  # each counts the rows that are wrong
    "thread post_count": "SELECT count(*) FROM threads t WHERE post_count <> (SELECT count(*) FROM posts p WHERE p.thread_id = t.id)",
    "positions": "SELECT count(*) FROM (SELECT 1 FROM posts GROUP BY thread_id HAVING min(position) <> 1 OR max(position) <> count(*)) x",
    "position order": "SELECT count(*) FROM posts a JOIN posts b ON b.thread_id = a.thread_id AND b.position = a.position + 1 WHERE b.created_at <= a.created_at",
    "thread first post": "SELECT count(*) FROM threads t LEFT JOIN posts p ON p.thread_id = t.id AND p.position = 1 WHERE p.author_id IS DISTINCT FROM t.author_id OR p.created_at <> t.created_at",
    "thread last post": "SELECT count(*) FROM threads t LEFT JOIN posts p ON p.id = t.last_post_id WHERE p.thread_id IS DISTINCT FROM t.id OR p.position <> t.post_count OR p.created_at <> t.last_post_at",
    "board counts": "SELECT count(*) FROM boards b LEFT JOIN (SELECT board_id, count(*) AS n, sum(post_count) AS posts, max(last_post_at) AS at FROM threads GROUP BY board_id) t ON t.board_id = b.id WHERE thread_count <> coalesce(n, 0) OR post_count <> coalesce(posts, 0) OR last_post_at IS DISTINCT FROM at",
    "board last post": "SELECT count(*) FROM boards b LEFT JOIN (SELECT DISTINCT ON (t.board_id) t.board_id, p.id FROM posts p JOIN threads t ON t.id = p.thread_id ORDER BY t.board_id, p.created_at DESC, p.id DESC) l ON l.board_id = b.id WHERE b.last_post_id IS DISTINCT FROM l.id",
    "member post_count": "SELECT count(*) FROM members m WHERE post_count <> (SELECT count(*) FROM posts p WHERE p.author_id = m.id)",
}
# fmt: on


def rows(args: argparse.Namespace, rng: random.Random, plans: list[ThreadPlan],
         members: Members, pool: Pool) -> dict[str, object]:  # fmt: skip
    """COPY rows per table; member post counts and last_post_ids are set by FINISH."""
    password_hash = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once for all
    boards = []
    for i, (slug, name, description, members_only) in enumerate(BOARDS[: args.boards]):
        mine = [p for p in plans if p.board == i]
        last = max((p.times[-1] for p in mine), default=None)
        boards.append((i + 1, slug, name, description, i, members_only, len(mine),
                       sum(len(p.times) for p in mine), None, None if last is None else moment(last),
                       EPOCH - timedelta(days=90)))  # fmt: skip
    threads, pinned = [], set()
    for tid, plan in enumerate(plans, 1):
        is_pinned = plan.board not in pinned  # each board's oldest thread, say a welcome
        pinned.add(plan.board)
        is_locked = not plan.is_story and rng.random() < 0.005
        threads.append((tid, plan.board + 1, plan.author, plan.title, len(plan.times), is_pinned,
                        is_locked, None, moment(plan.times[0]), moment(plan.times[-1])))  # fmt: skip
    return {
        "members": [(i, h, handle_key(h), handle_skeleton(h), None, password_hash, "member", 0,
                     moment(members.joined[i - 1])) for i, h in enumerate(members.handles, 1)],
        "boards": boards,
        "threads": threads,
        "posts": post_rows(rng, plans, members, pool),
    }  # fmt: skip


async def load(url: str, tables: dict[str, object], seed: int) -> str:
    """Load every table in one transaction, check the result, return the database's size."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SET synchronous_commit = off")
        async with conn.transaction():
            for table, records in tables.items():
                await conn.copy_records_to_table(
                    table, columns=COLUMNS[table].split(), records=records
                )
            for statement in FINISH:
                await conn.execute(statement)
        sys.stderr.write("vacuum, analyze and check...\n")
        # Sets hint bits and the visibility map now rather than during the first bench run.
        await conn.execute("VACUUM (FREEZE, ANALYZE)")
        await check(conn, random.Random(seed))
        return await conn.fetchval("SELECT pg_size_pretty(pg_database_size(current_database()))")
    finally:
        await conn.close()


async def check(conn: asyncpg.Connection, rng: random.Random) -> None:
    """Stop if a counter is off, or if stored HTML isn't what render_markdown makes."""
    for name, query in CHECKS.items():
        if wrong := await conn.fetchval(query):
            raise SystemExit(f"bench: {wrong} rows fail the {name} check")
    posts = await conn.fetchval("SELECT count(*) FROM posts")
    ids = rng.sample(range(1, posts + 1), min(posts, 300))
    for post_id, source, stored in await conn.fetch(
        "SELECT id, source, html FROM posts WHERE id = ANY($1::int[])", ids
    ):
        authors = await conn.fetch(
            "SELECT p.id, m.handle FROM posts p JOIN members m ON m.id = p.author_id "
            "WHERE p.id = ANY($1::int[])",
            list(quoted_post_ids(source)),
        )
        if render_markdown(source, {a["id"]: a["handle"] for a in authors}) != stored:
            raise SystemExit(f"bench: post {post_id}'s html isn't what render_markdown makes")


def server_url(explicit: str | None) -> str:
    """--database-url, BENCH_DATABASE_URL, the local server, or an embedded one under var/."""
    if url := explicit or os.environ.get("BENCH_DATABASE_URL"):
        return url
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return DEFAULT_URL
    except OSError:
        import pgserver  # only needed without a server

        # Left running (cleanup_mode=None) so that the load driver can use it after we exit.
        (ROOT / "var").mkdir(exist_ok=True)  # a fresh clone has no var/ yet
        server = pgserver.get_server(ROOT / "var" / "bench-pgdata", cleanup_mode=None)
        return server.get_uri("forum_bench")


async def recreate_database(url: str) -> None:
    target = make_url(url)
    name = target.database or ""
    # This drops the database it is given: refuse anything that isn't obviously a bench one.
    if "bench" not in name or '"' in name:
        raise SystemExit(f"bench: refusing to drop {name!r}; its name must contain 'bench'")
    for maintenance in ("postgres", "test"):
        try:
            conn = await asyncpg.connect(target.set(database=maintenance).render_as_string(False))
        except (OSError, asyncpg.PostgresError):
            continue
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return
    raise SystemExit("bench: can't reach the server's 'postgres' or 'test' database")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--database-url", help=f"else $BENCH_DATABASE_URL, {DEFAULT_URL} if a "
                        "server answers there, else an embedded server in var/bench-pgdata")  # fmt: skip
    for flag, default in (("members", 5000), ("boards", 20), ("threads", 20_000), ("posts", 1_000_000),
                          ("story-threads", 3), ("story-posts", 20_000), ("seed", 1)):  # fmt: skip
        parser.add_argument(f"--{flag}", type=int, default=default, help=f"default {default:,}")
    args = parser.parse_args(argv)
    if not 2 <= args.boards <= len(BOARDS):
        parser.error(f"--boards must be 2..{len(BOARDS)} (the story board is the second)")
    if args.members < 1 or not 0 <= args.story_threads < args.threads:
        parser.error("need a member, and more threads than story threads")
    if args.posts < args.story_threads * args.story_posts + args.threads - args.story_threads:
        parser.error("--posts is too small: story posts plus one post for every other thread")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.monotonic()
    url = make_url(server_url(args.database_url)).set(drivername="postgresql")
    url = url.render_as_string(hide_password=False)
    asyncio.run(recreate_database(url))
    config = alembic_config(url)
    config.attributes["configure_logging"] = False
    command.upgrade(config, "head")  # the real schema, never created any other way

    sys.stderr.write("members, post bodies and thread plans...\n")
    rng = random.Random(args.seed)
    members = Members(rng, args.members)
    pool = build_pool(rng, openers=1000, replies=3000)
    plans = plan_threads(args, rng, members)
    size = asyncio.run(load(url, rows(args, rng, plans, members, pool), args.seed))

    boards = BOARDS[: args.boards]
    sample = rng.sample(range(1, len(plans) + 1), min(2000, len(plans)))
    data = {
        "database_url": url,
        "password": PASSWORD,
        "handles": members.handles[:64],  # for logging in
        "story_threads": [
            {"id": tid, "post_count": len(p.times)} for tid, p in enumerate(plans, 1) if p.is_story
        ],
        "sample_threads": [[tid, len(plans[tid - 1].times)] for tid in sample],
        # Guests get a 404 for these, as for everything on a members-only board.
        "members_only_sample_thread_ids": sorted(
            tid for tid in sample if boards[plans[tid - 1].board][3]
        ),
        "board_slugs": [b[0] for b in boards],
        "members_only_board_slugs": [b[0] for b in boards if b[3]],
        "seed": args.seed,
        "sizes": {
            k: getattr(args, k)
            for k in ("members", "boards", "threads", "posts", "story_threads", "story_posts")
        },
    }
    out = ROOT / "var" / "bench-data.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n")
    print(
        f"bench: {args.posts:,} posts, {args.threads:,} threads, {args.members:,} members, "
        f"{args.boards} boards in {make_url(url).render_as_string(hide_password=True)} "
        f"({size}) in {time.monotonic() - started:.0f}s; wrote {out.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
