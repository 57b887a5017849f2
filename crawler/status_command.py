"""`marsad status`: the monitoring's health, for people and for monitors (a Docker
HEALTHCHECK, a systemd timer, a Nagios check) through its exit status.

Healthy (exit 0) unless the last finished cycle is older than `--max-age` (default
3 × schedule.interval, or a source's own interval where that is shorter) or failed,
an alert has failed, or a source looks broken (exit 1). Whether the daemon runs is
reported, not judged: an archive crawled by `marsad crawl` from cron is as healthy as
one with a daemon, and a dead daemon shows soon enough as a stale last cycle.
"""

from __future__ import annotations

import argparse
import sys

from crawler import clock, instance
from crawler.commands import UsageError
from crawler.config import Config, parse_duration
from crawler.config.values import MAX_DURATION, format_duration, shown
from crawler.output import emit
from crawler.story_commands import shown_text, when

DEFAULT_AGE_FACTOR = 3  # cycles a monitor may miss before the last one counts as stale


def cmd_status(config: Config, args: argparse.Namespace) -> int:
    from storage import Archive
    from storage.status import problems

    max_age = max_age_seconds(args.max_age, config)
    if not config.database.exists():
        message = f"no archive at {config.database}: no cycle has run yet"
        if args.json:
            emit({"healthy": False, "problems": [message], "archive": str(config.database)})
        print(f"marsad: status: {message}", file=sys.stderr)
        return 1
    with Archive(config.database) as archive:
        status = {**archive.status(), "unhealthy_sources": archive.unhealthy_sources()}
    now = clock.now()
    status["daemon"] = daemon_state(status["daemon"], instance.running_daemon(config.database))
    for channel in config.channels:  # configured channels show even with nothing queued
        status["alerts"].setdefault(channel, {"pending": 0, "sending": 0, "failed": 0})
    found = problems(status, now, max_age)
    record = {"healthy": not found, "problems": found, "archive": str(config.database),
              "checked_at": now.isoformat(timespec="seconds"), "max_age": max_age, **status}
    if args.json:
        emit(record)
    else:
        print("\n".join(status_lines(record)))
    return 0 if not found else 1


def max_age_seconds(text: str | None, config: Config) -> float:
    if text is None:
        return DEFAULT_AGE_FACTOR * shortest_schedule(config)
    try:
        seconds = parse_duration(text)
    except ValueError as error:
        raise UsageError(f"status: --max-age: {error}") from None
    if seconds <= 0:
        raise UsageError(f"status: --max-age: must be longer than 0, not {shown(text)}")
    if seconds > MAX_DURATION:
        raise UsageError(f"status: --max-age: {shown(text)} is too long: "
                         f"at most {format_duration(MAX_DURATION)} (100 years)")
    return seconds


def shortest_schedule(config: Config) -> float:
    """Seconds between the daemon's cycles on its busiest schedule: schedule.interval for
    the sources without an interval of their own, each other source's own. Any cycle
    counts as the last one, whichever schedule ran it."""
    own = [s.interval for s in config.sources if s.interval is not None]
    shared = [config.schedule_interval] if len(own) < len(config.sources) or not own else []
    return min(own + shared)


def daemon_state(beat: dict | None, holder: instance.Holder | None) -> dict:
    """The daemon as its lock (alive now or not) and its last heartbeat tell."""
    if holder is not None:
        # The heartbeat row may still be the previous daemon's for a moment after a start.
        fresh = beat if beat and beat["pid"] == holder.pid else {}
        return {"state": "running", "pid": holder.pid, "host": holder.host,
                "started_at": holder.since, "beat_at": fresh.get("beat_at"),
                "next_cycle_at": fresh.get("next_cycle_at")}
    if beat is None:
        return {"state": "never"}  # crawled by hand or from cron, or not yet at all
    state = "stopped" if beat["stopped_at"] else "died"
    return {"state": state, **{k: v for k, v in beat.items() if k != "next_cycle_at"}}


def status_lines(record: dict) -> list[str]:
    from storage.status import span

    daemon = record["daemon"]
    lines = [f"archive: {record['archive']}", f"daemon: {_daemon_line(daemon)}"]
    last, finished = record["last_cycle"], record["last_finished_cycle"]
    if last is None:
        lines.append("last cycle: none yet")
    else:
        lines.append(f"last cycle: started {when(last['started_at'])}, "
                     + (f"finished {when(last['finished_at'])} ({shown_text(last['status'])})"
                        if last["finished_at"] else "not finished"))
        if finished is not None and finished["id"] != last["id"]:
            lines.append(f"last finished cycle: {when(finished['finished_at'])} "
                         f"({shown_text(finished['status'])})")
    if daemon["state"] == "running":
        lines.append(f"next cycle: {when(daemon.get('next_cycle_at'))}")
    lines.append("alerts: " + ("; ".join(
        f"{channel}: {counts['pending'] + counts['sending']} pending, {counts['failed']} failed"
        for channel, counts in record["alerts"].items()) or "no channel"))
    oldest = record["oldest_pending_alert"]
    if oldest is not None:
        what = f"story {oldest['story']}" if oldest["story"] else "source health notice"
        lines.append(f"oldest pending alert: {when(oldest['created_at'])} on "
                     f"{oldest['channel']} ({what}, {oldest['attempts']} attempts)")
    sources = record["unhealthy_sources"]
    lines.append("sources: " + ("; ".join(
        f"{s['source']}: {shown_text(s['reason'], None)}" for s in sources) or "all healthy"))
    lines.append(f"max age: {span(record['max_age'])}")
    lines.append("healthy" if record["healthy"] else
                 "unhealthy: " + "; ".join(shown_text(p, None) for p in record["problems"]))
    return lines


def _daemon_line(daemon: dict) -> str:
    state = daemon["state"]
    if state == "never":
        return "none has run on this archive"
    who = f"pid {daemon['pid']} on {daemon['host']}, started {when(daemon['started_at'])}"
    if state == "running":
        return f"running, {who}; last heartbeat {when(daemon.get('beat_at'))}"
    if state == "stopped":
        return f"stopped {when(daemon['stopped_at'])} ({who})"
    return f"not running: ended without stopping after {when(daemon['beat_at'])} ({who})"
