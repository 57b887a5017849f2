"""Schema migrations. Never edit an applied migration: add the next one below it.

Later migrations add columns with ``db[table].add_column(...)`` or plain
``ALTER TABLE``; each runs once, inside a transaction, recorded in
``_sqlite_migrations`` under the set name "marsad".
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("marsad")

_INITIAL_SCHEMA = [
    """CREATE TABLE stories (
        key TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    )""",
    # A story may be known by several exact-text fingerprints (a copy whose
    # body was completed later adds its new fingerprint to its story).
    """CREATE TABLE story_fingerprints (
        fingerprint TEXT PRIMARY KEY,
        story TEXT NOT NULL REFERENCES stories(key)
    )""",
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        url_key TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        published TEXT,
        language TEXT,
        author TEXT,
        discovered_via TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        depth INTEGER NOT NULL DEFAULT 0,
        referrer TEXT,
        story TEXT NOT NULL REFERENCES stories(key)
    )""",
    "CREATE INDEX articles_story ON articles(story)",
    "CREATE INDEX articles_source ON articles(source)",
    """CREATE TABLE aliases (
        key TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        url TEXT NOT NULL
    )""",
    "CREATE INDEX aliases_article ON aliases(article_id)",
    """CREATE TABLE read_also (
        from_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        to_url TEXT NOT NULL,
        to_key TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (from_id, to_key)
    )""",
    "CREATE INDEX read_also_to ON read_also(to_key)",
    # Folded title and text (crawler.text.fold), rowid = articles.id.
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """CREATE TABLE topic_matches (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        score REAL NOT NULL,
        matched TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (article_id, topic)
    )""",
    """CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        story TEXT NOT NULL REFERENCES stories(key),
        channel TEXT NOT NULL,
        topic TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        next_attempt_at TEXT NOT NULL,
        sent_at TEXT,
        UNIQUE (story, channel)
    )""",
    "CREATE INDEX alerts_due ON alerts(status, next_attempt_at)",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running'
    )""",
    """CREATE TABLE run_sources (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        fetched INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        PRIMARY KEY (run_id, source)
    )""",
    "CREATE INDEX run_sources_source ON run_sources(source)",
    """CREATE TABLE validators (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        updated_at TEXT NOT NULL
    )""",
]


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    for statement in _INITIAL_SCHEMA:
        db.execute(statement)


# The outbox gains a 'sending' state: an alert is claimed (owner and lease) by one
# delivering process before it is sent, so that two processes on one archive never
# both send it. SQLite cannot change a CHECK constraint in place: the table is rebuilt.
_ALERTS_V2 = """CREATE TABLE alerts_v2 (
    id INTEGER PRIMARY KEY,
    story TEXT NOT NULL REFERENCES stories(key),
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    claimed_by TEXT,
    lease_until TEXT,
    uncertain INTEGER NOT NULL DEFAULT 0,
    UNIQUE (story, channel)
)"""
_COPY_ALERTS = """INSERT INTO alerts_v2 (id, story, channel, topic, article_id, status,
    attempts, last_error, created_at, next_attempt_at, sent_at)
SELECT id, story, channel, topic, article_id, status, attempts, last_error, created_at,
    next_attempt_at, sent_at FROM alerts"""


@migrations(name="m002_claims_caps_drops")
def m002_claims_caps_drops(db: Database) -> None:
    db.execute(_ALERTS_V2)
    db.execute(_COPY_ALERTS)
    db.execute("DROP TABLE alerts")
    db.execute("ALTER TABLE alerts_v2 RENAME TO alerts")
    db.execute("CREATE INDEX alerts_due ON alerts(status, next_attempt_at)")
    # 1 when the text used for matching and excerpts was cut at crawl.max_text_size.
    db.execute("ALTER TABLE articles ADD COLUMN text_capped INTEGER NOT NULL DEFAULT 0")
    # Pages and articles a run dropped, by reason: {"size": 2, "database": 1, ...}.
    db.execute("ALTER TABLE run_sources ADD COLUMN dropped TEXT NOT NULL DEFAULT '{}'")


@migrations(name="m003_stories")
def m003_stories(db: Database) -> None:
    """Stories by near-copy detection (storage.stories): the band index, follow-ups, and
    every stored article placed again under the new rules."""
    from storage.restory import restory

    db.execute("""CREATE TABLE story_bands (
        band INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (band, article_id)
    ) WITHOUT ROWID""")
    db.execute("ALTER TABLE stories ADD COLUMN follows TEXT REFERENCES stories(key)")
    # When the article's event happened, for ordering copies and follow-ups: its
    # publication time in UTC, else its fetch time.
    db.execute("ALTER TABLE articles ADD COLUMN event_time TEXT")
    db.execute("DROP TABLE story_fingerprints")
    restory(db.conn)
    db.execute("CREATE INDEX articles_story_time ON articles(story, event_time)")


@migrations(name="m004_story_views")
def m004_story_views(db: Database) -> None:
    """Indexes for `marsad stories` and `marsad story` (storage.story_views): articles
    walked newest first, and the follow-ups of a story found without a scan."""
    db.execute("CREATE INDEX articles_event_time ON articles(event_time)")
    db.execute("CREATE INDEX stories_follows ON stories(follows)")


# An outbox row is now a story's alert or a source health notice's: a notice has no story
# and no article, so both columns lose NOT NULL (the table is rebuilt, as in m002).
_ALERTS_V3 = """CREATE TABLE alerts_v3 (
    id INTEGER PRIMARY KEY,
    story TEXT REFERENCES stories(key),
    notice INTEGER REFERENCES health_notices(id),
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id),
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    claimed_by TEXT,
    lease_until TEXT,
    uncertain INTEGER NOT NULL DEFAULT 0,
    CHECK ((notice IS NULL AND story IS NOT NULL AND article_id IS NOT NULL)
           OR (notice IS NOT NULL AND story IS NULL AND article_id IS NULL)),
    UNIQUE (story, channel),
    UNIQUE (notice, channel)
)"""
_COPY_ALERTS_V3 = """INSERT INTO alerts_v3 (id, story, channel, topic, article_id, status,
    attempts, last_error, created_at, next_attempt_at, sent_at, claimed_by, lease_until,
    uncertain)
SELECT id, story, channel, topic, article_id, status, attempts, last_error, created_at,
    next_attempt_at, sent_at, claimed_by, lease_until, uncertain FROM alerts"""


@migrations(name="m005_source_health")
def m005_source_health(db: Database) -> None:
    """Source health (crawler.health, storage.health): refusals and the dated and bodied
    new articles of each source's cycle, each source's last verdict, and the "source
    looks broken" and recovery notices, delivered through the outbox like story alerts."""
    # Pages the site refused (403, 429, a bot challenge) and the first of them, and why;
    # dated and with_text stay NULL for cycles recorded before, which did not count them.
    db.execute("ALTER TABLE run_sources ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE run_sources ADD COLUMN refusal TEXT")
    db.execute("ALTER TABLE run_sources ADD COLUMN dated INTEGER")
    db.execute("ALTER TABLE run_sources ADD COLUMN with_text INTEGER")
    db.execute("CREATE INDEX run_sources_history ON run_sources(source, run_id)")
    db.execute("""CREATE TABLE source_health (
        source TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        reason TEXT NOT NULL,
        since TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        figures TEXT NOT NULL DEFAULT '{}'
    )""")
    db.execute("""CREATE TABLE health_notices (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('broken', 'recovered')),
        title TEXT NOT NULL,
        reason TEXT NOT NULL,
        url TEXT,
        created_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL
    )""")
    db.execute(_ALERTS_V3)
    db.execute(_COPY_ALERTS_V3)
    db.execute("DROP TABLE alerts")
    db.execute("ALTER TABLE alerts_v3 RENAME TO alerts")
    db.execute("CREATE INDEX alerts_due ON alerts(status, next_attempt_at)")


@migrations(name="m006_heartbeat")
def m006_heartbeat(db: Database) -> None:
    """The daemon's heartbeat for `marsad status` (storage.status): one row, the daemon
    that runs or last ran on the archive. Cycles stay in runs; status finds the last one
    that finished through the new index."""
    db.execute("""CREATE TABLE heartbeat (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at TEXT NOT NULL,
        beat_at TEXT NOT NULL,
        next_cycle_at TEXT,
        stopped_at TEXT
    )""")
    db.execute("CREATE INDEX runs_finished ON runs(finished_at)")


@migrations(name="m007_found_words")
def m007_found_words(db: Database) -> None:
    """Each topic match keeps the words its terms fired on as the article writes them
    («الفرنسية» for «فرنسي*»), for alerts; NULL for matches recorded before."""
    db.execute("ALTER TABLE topic_matches ADD COLUMN found TEXT")
