"""The demo community's words: boards, members, threads, wisdom and rules, written for this forum."""

# (slug, name, description)
CATEGORIES = [
    (
        "our-stories",
        "Our stories",
        "Where members say what is happening and how they are holding up.",
    ),
    ("finding-our-feet", "Finding our feet", "Practical help from members who have been there."),
    (
        "about",
        "About this forum",
        "News from the moderators and the advice we keep coming back to.",
    ),
]

# (slug, name, description, category, members only, story board, archived)
BOARDS = [
    (
        "introductions",
        "Introductions",
        "Say hello and tell us a little about where you are.",
        "our-stories",
        False,
        False,
        False,
    ),
    (
        "my-story",
        "My story",
        "One ongoing thread per member: post updates as your story unfolds.",
        "our-stories",
        False,
        True,
        False,
    ),
    (
        "standing",
        "Standing and detaching",
        "Holding steady while a spouse is in crisis. Members only.",
        "finding-our-feet",
        True,
        False,
        False,
    ),
    (
        "co-parenting",
        "Co-parenting",
        "Raising children together while apart, or while things are uncertain.",
        "finding-our-feet",
        False,
        False,
        False,
    ),
    (
        "resources",
        "Resources",
        "Books, articles and the advice our members return to most.",
        "about",
        False,
        False,
        False,
    ),
    (
        "news-2025",
        "News from 2025",
        "Last year's notes from the moderators, kept for reference.",
        "about",
        False,
        False,
        True,
    ),
]

# The demo's administrator comes first; SteadyOak wears the senior badge.
MEMBERS = ["Willow.Creek", "Harbor_Light", "SteadyOak", "NewDawn-22", "Quick.Deals"]
ADMIN = "Willow.Creek"
SENIOR = "SteadyOak"

LISTENING = (
    "Sitting back and listening is hard, and it usually tells you more than any argument would."
)
DETACHING = "Detaching means I stop trying to manage his feelings and start looking after my own."
CHILDREN = "Never asking the children what the other parent said."
WAITING_A_DAY = "writing my thoughts here first, then waiting a day before answering him"

# (board, author, title, opening post, [(replier, reply)]); a reply of None quotes the opening.
THREADS = [
    (
        "news-2025",
        "Willow.Creek",
        "The glossary is here",
        "New members kept asking what H, W, R and MLC mean. Hover over (or tap) any of them "
        "in a post and the glossary explains it. Moderators keep the list.",
        [],
    ),
    (
        "introductions",
        "NewDawn-22",
        "Hello from someone who just found this place",
        "I found this forum at two in the morning after another sleepless night. "
        "My W told me last month she needs \"space to think\". I don't know what I'm doing yet, "
        "but reading here has already helped me breathe.",
        [
            (
                "Willow.Creek",
                "Welcome. You are not alone here. Take it one day at a time, "
                "and be gentle with yourself while you find your feet.",
            ),
        ],
    ),
    (
        "my-story",
        "Harbor_Light",
        "Harbor_Light's story: learning to listen",
        "Update, week 12. H and I talked about the school holidays today. For once I said very "
        "little and let him talk. Some of what he said was unfair, but some of it was worth "
        "hearing, and I noticed I didn't need to argue with any of it.\n\n"
        f"**What helped:** {WAITING_A_DAY}.",
        [
            (
                "SteadyOak",
                f"This is real progress. {LISTENING} Keep writing your updates; "
                "they help others too.",
            ),
            ("NewDawn-22", None),
            (
                "Harbor_Light",
                "Update, week 13. A wobbly week. H says he isn't sure the M can be saved and "
                "that R talk makes him feel trapped. I didn't chase. I went for a long walk "
                "instead and wrote here when I got back.",
            ),
            (
                "Harbor_Light",
                "Update, week 14. We sat through the parents' evening side by side and it was "
                "almost easy. I don't know where this goes, but I'm sleeping again.",
            ),
        ],
    ),
    (
        "co-parenting",
        "SteadyOak",
        "Keeping the children out of the middle",
        "Three things that worked for us:\n\n1. One shared calendar, no messages through the "
        f"kids.\n2. Handovers at school, not at the door.\n3. {CHILDREN}",
        [],
    ),
    (
        "co-parenting",
        "Quick.Deals",
        "Make money from home while you heal",
        "Turn your heartbreak into income! Our course shows you how. Message me for the link.",
        [],
    ),
    (
        "standing",
        "Willow.Creek",
        "Detaching is not the same as giving up",
        f"{DETACHING} It does not mean I stopped caring. "
        "Some days the two feel the same; they aren't.",
        [],
    ),
]

# (thread title, passage, title, tags): approved into the pinned collection, in this order.
WISDOM = [
    (
        "Harbor_Light's story: learning to listen",
        LISTENING,
        "Listening tells you more than arguing",
        ["listening"],
    ),
    ("Detaching is not the same as giving up", DETACHING, "What detaching means", ["detaching"]),
    (
        "Keeping the children out of the middle",
        CHILDREN,
        "Keep the children out of the middle",
        ["co-parenting"],
    ),
]
COLLECTION = (
    "When your spouse says they need space",
    "Advice members come back to in the first weeks, when everything feels urgent "
    "and nothing is certain.",
)
# A newcomer thanks the forum and cites the first quote; another passage waits for a curator.
CITING_REPLY = "Thank you all. I read this one every morning:"
PROPOSED = ("Harbor_Light's story: learning to listen", WAITING_A_DAY, "NewDawn-22")
SPAM_REPORT = "Selling a course in a thread about children. Not what this place is for."

# The shorthand newcomers meet in their first story thread; moderators add more on /glossary.
GLOSSARY = [
    ("H", "Husband"),
    ("W", "Wife"),
    ("M", "Marriage"),
    ("R", "Reconciliation: working to rebuild the marriage together"),
    ("MLC", "Mid-life crisis"),
    ("MLCer", "Someone going through a mid-life crisis"),
    ("BS", "Betrayed spouse"),
    ("OW", "Other woman: the person a spouse is having an affair with"),
    ("LC", "Limited contact: keeping contact with a spouse to what is needed"),
]

DESCRIPTION = (
    "A peer-support community for people going through a marriage crisis, a separation "
    "or a loss, and finding their feet again."
)
RULES = """\
Everyone here is going through something hard. These few rules keep it a safe place to say so.

1. **Be kind.** Disagree with an idea if you must, never with the person.
2. **Share what worked for you; don't give orders.** Each of us chooses our own way.
3. **Keep it private.** Never post anything that could identify another member, a spouse or a
   child, and never repeat elsewhere what was written here.
4. **No selling and no recruiting.** Moderators remove it without warning.
5. **We are peers, not counsellors.** If you are in danger, contact your local emergency
   services first.
"""
