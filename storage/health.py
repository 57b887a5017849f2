"""Source health in the archive: each source's cycles read back, its verdict kept, and
one notice when it breaks and one when it works again, queued in the outbox.

The judgement itself is crawler.health's (pure). Here a source's last verdict is kept
in source_health; a change between a working state and an alerting one (broken or
blocked) writes a health notice and its outbox rows, one per channel, in the same
transaction as the new verdict: the notice is queued exactly once, and never lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from crawler.health import ALERTING, Cycle, Verdict, assess
from storage.database import transaction
from storage.records import AlertMessage

TOPIC = "source health"  # the topic column of a notice's outbox rows
USUAL_CYCLES = 20  # cycles up to its last new article read besides the ones after it
MAX_DRY_CYCLES = 2000  # cycles read after the last new article, at most

# Only cycles that ran to their end: one stopped early or failing to store says nothing
# about its sources.
_CYCLES = """SELECT rs.fetched, rs.new, rs.errors, rs.blocked, rs.dated, rs.with_text,
       rs.last_error, rs.refusal
FROM run_sources AS rs JOIN runs AS r ON r.id = rs.run_id
WHERE rs.source = :source AND r.status = 'finished' AND rs.run_id > :after
      AND rs.run_id <= :upto
ORDER BY rs.run_id DESC LIMIT :limit"""
_NO_RUN_ID = 2**63 - 1


@dataclass(frozen=True)
class Judged:
    """What judging a source changed: its verdict, and the notice it raised if any."""

    source: str
    verdict: Verdict
    notice: str | None = None  # "broken" or "recovered"


def cycles(db: Database, source: str) -> list[Cycle]:
    """The source's finished cycles, oldest first: those since its last new article (at
    most MAX_DRY_CYCLES), after the USUAL_CYCLES up to and with that article's cycle."""
    last = db.execute(
        "SELECT MAX(rs.run_id) FROM run_sources AS rs JOIN runs AS r ON r.id = rs.run_id"
        " WHERE rs.source = ? AND rs.new > 0 AND r.status = 'finished'", [source]).fetchone()[0]
    rows = list(db.query(_CYCLES, {"source": source, "after": last or 0, "upto": _NO_RUN_ID,
                                   "limit": MAX_DRY_CYCLES}))
    if last is not None:
        rows += db.query(_CYCLES, {"source": source, "after": 0, "upto": last,
                                   "limit": USUAL_CYCLES})
    return [Cycle(**row) for row in reversed(rows)]


def judge(db: Database, run_id: int, sources: Iterable[str], *, silent_cycles: int,
          failed_cycles: int, channels: Sequence[str], urls: Mapping[str, str | None],
          now: str, configured: Iterable[str] | None = None) -> list[Judged]:
    """Judge each source after run `run_id`, keep its verdict, and queue a notice on each
    channel for every source that broke or works again. `urls`: a page of each source
    for the notice to link to. With `configured` (every source's name), the verdicts of
    sources no longer configured are forgotten: a source removed while broken must not
    keep the archive unhealthy (its cycles and notices stay)."""
    verdicts = {source: assess(cycles(db, source), silent_cycles=silent_cycles,
                               failed_cycles=failed_cycles) for source in sources}
    judged = []
    with transaction(db) as conn:
        for source, verdict in verdicts.items():
            before = conn.execute("SELECT state, reason, since FROM source_health"
                                  " WHERE source = ?", (source,)).fetchone()
            state, reason, since = before or (None, "", now)
            kind = None
            if verdict.alerting and state not in ALERTING:
                kind, text = "broken", verdict.line()
                title = f"Source looks {verdict.state}: {source}"
            elif state in ALERTING and not verdict.alerting:
                kind = "recovered"
                text = f"yields again: {verdict.reason}; it was {state}: {reason}"
                title = f"Source works again: {source}"
            if kind is not None:
                notice = conn.execute(
                    "INSERT INTO health_notices (source, kind, title, reason, url, created_at,"
                    " run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (source, kind, title, text, urls.get(source), now, run_id)).lastrowid
                conn.executemany(
                    "INSERT INTO alerts (notice, channel, topic, status, created_at,"
                    " next_attempt_at) VALUES (?, ?, ?, 'pending', ?, ?)",
                    [(notice, channel, TOPIC, now, now) for channel in dict.fromkeys(channels)])
            db.table("source_health").upsert(
                {"source": source, "state": verdict.state, "reason": verdict.reason,
                 "since": since if state == verdict.state else now, "run_id": run_id,
                 "figures": json.dumps(verdict.figures(), sort_keys=True)}, pk="source")
            judged.append(Judged(source, verdict, kind))
        if configured is not None:
            conn.execute("DELETE FROM source_health WHERE source NOT IN"
                         " (SELECT value FROM json_each(?))", (json.dumps(list(configured)),))
    return judged


def notice_message(db: Database, record: Mapping) -> AlertMessage:
    """The outbox row of a health notice as channels render it: the notice's title, the
    source, when it was judged, a page of the source, and the reason as its text."""
    notice = db.execute("SELECT source, title, reason, url, created_at FROM health_notices"
                        " WHERE id = ?", [record["notice"]]).fetchone()
    source, title, reason, url, created_at = notice
    return AlertMessage(
        alert_id=record["id"],
        story=f"health-notice-{record['notice']}",  # for the email's Message-ID
        channel=record["channel"],
        topic=TOPIC,
        title=title,
        url=url or "",
        source=source,
        published=created_at,
        language="en",
        text=reason,
        attempts=record["attempts"],
        created_at=record["created_at"],
        claimed_by=record["claimed_by"] if record["status"] == "sending" else None,
        lease_until=record["lease_until"] if record["status"] == "sending" else None,
        uncertain=record["uncertain"],
        extra={"notice": record["notice"]},
    )


def source_health(db: Database) -> dict[str, dict]:
    """Per source judged: state, reason, since (when it entered that state), figures."""
    rows = db.query("SELECT source, state, reason, since, figures FROM source_health")
    return {row["source"]: {"state": row["state"], "reason": row["reason"],
                            "since": row["since"], "figures": json.loads(row["figures"])}
            for row in rows}


def unhealthy_sources(db: Database) -> list[dict]:
    """Sources whose last verdict is not ok, worst first, each {"source", "state",
    "reason" (with the state: "broken: no new article in 7 cycles (...)"), "since",
    "broken" (True for broken and blocked: the states a notice went out for)}."""
    rows = db.query("SELECT source, state, reason, since FROM source_health"
                    " WHERE state NOT IN ('ok', 'unknown')"
                    " ORDER BY state NOT IN ('broken', 'blocked'), source")
    return [{"source": row["source"], "state": row["state"],
             "reason": f"{row['state']}: {row['reason']}", "since": row["since"],
             "broken": row["state"] in ALERTING} for row in rows]
