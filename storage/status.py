"""The daemon's heartbeat, and what `marsad status` reads from the archive and judges.

The heartbeat is one row: the daemon that runs (or last ran) on the archive, its last
beat and its next cycle. Cycles themselves are the crawl runs (storage.runs), and
alerts the outbox rows (storage.outbox): status reads them where they are, as it
reads source health from storage.health.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.database import transaction
from storage.errors import StorageError

# Alerts still to be delivered: waiting, or claimed by a delivering process.
_UNDELIVERED = ("pending", "sending")


def record_heartbeat(db: Database, *, pid: int, host: str, started_at: str, beat_at: str,
                     next_cycle_at: str | None, stopped_at: str | None = None) -> None:
    """Record the daemon's beat (timestamps in UTC ISO 8601); a new daemon replaces the
    row of the one before it. A beat that comes late, after its daemon recorded its stop,
    leaves the stop in place."""
    if not isinstance(pid, int) or pid < 1:
        raise StorageError(f"heartbeat: pid must be a process id, not {pid!r}")
    with transaction(db) as conn:
        conn.execute(
            """INSERT INTO heartbeat (id, pid, host, started_at, beat_at, next_cycle_at,
                                      stopped_at)
               VALUES (1, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, host = excluded.host,
                   started_at = excluded.started_at, beat_at = excluded.beat_at,
                   next_cycle_at = excluded.next_cycle_at, stopped_at = excluded.stopped_at
               WHERE heartbeat.stopped_at IS NULL OR heartbeat.pid != excluded.pid
                   OR heartbeat.started_at != excluded.started_at""",
            (pid, host, started_at, beat_at, next_cycle_at, stopped_at))


def heartbeat(db: Database) -> dict | None:
    """pid, host, started_at, beat_at, next_cycle_at, stopped_at; None if no daemon ever
    ran on this archive."""
    return _first(db, "SELECT pid, host, started_at, beat_at, next_cycle_at, stopped_at"
                      " FROM heartbeat WHERE id = 1")


def _first(db: Database, sql: str) -> dict | None:
    rows = list(db.query(sql))
    return rows[0] if rows else None


def alert_counts(db: Database) -> dict[str, dict[str, int]]:
    """Per channel that has any: alerts pending, sending and failed."""
    counts: dict[str, dict[str, int]] = {}
    for row in db.query("SELECT channel, status, COUNT(*) AS n FROM alerts"
                        " WHERE status IN ('pending', 'sending', 'failed')"
                        " GROUP BY channel, status ORDER BY channel"):
        counts.setdefault(row["channel"], {"pending": 0, "sending": 0, "failed": 0})
        counts[row["channel"]][row["status"]] = row["n"]
    return counts


def oldest_undelivered(db: Database) -> dict | None:
    rows = list(db.query(
        "SELECT id, story, notice, channel, status, attempts, created_at, next_attempt_at"
        " FROM alerts WHERE status IN (?, ?) ORDER BY created_at, id LIMIT 1", _UNDELIVERED))
    return rows[0] if rows else None


def archive_status(db: Database) -> dict:
    """The daemon, the cycles and the outbox as stored, for `marsad status` (no
    judgement: see `problems`)."""
    return {
        "daemon": heartbeat(db),
        # The newest cycle, finished or not, and the newest that finished.
        "last_cycle": _first(db, "SELECT id, started_at, finished_at, status FROM runs"
                                 " ORDER BY id DESC LIMIT 1"),
        "last_finished_cycle": _first(db, "SELECT id, started_at, finished_at, status"
                                          " FROM runs WHERE finished_at IS NOT NULL"
                                          " ORDER BY finished_at DESC, id DESC LIMIT 1"),
        "alerts": alert_counts(db),
        "oldest_pending_alert": oldest_undelivered(db),
    }


def problems(status: dict, now: datetime, max_age: float) -> list[str]:
    """Why the archive's monitoring is unhealthy, one phrase a problem; none when healthy.
    `status`: archive_status's, with the `unhealthy_sources` of storage.health; `max_age`
    (seconds): how old the last finished cycle may be."""
    found = []
    finished = status["last_finished_cycle"]
    if finished is None:
        found.append("no cycle has finished yet")
    else:
        age = (now - datetime.fromisoformat(finished["finished_at"])).total_seconds()
        if age > max_age:
            found.append(f"the last cycle finished {span(age)} ago, longer than "
                         f"{span(max_age)}")
        if finished["status"].startswith("failed"):
            found.append(f"the last cycle {finished['status']}")
    for channel, counts in status["alerts"].items():
        if counts["failed"]:
            found.append(f"{counts['failed']} failed alert{'s' * (counts['failed'] != 1)} "
                         f"on {channel}")
    for source in status["unhealthy_sources"]:
        if source["broken"]:
            found.append(f"source {source['source']}: {source['reason']}")
    return found


def span(seconds: float) -> str:
    """A duration for people, in its two largest units: 11000 -> '3h 3m'."""
    left = max(0, round(seconds))
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if left >= size or (unit == "s" and not parts):
            parts.append(f"{left // size}{unit}")
            left %= size
    return " ".join(parts[:2])
