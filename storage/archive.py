"""The Archive: one object over the SQLite file for the crawl, the CLI and alert delivery."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlite_utils import Database

from crawler import clock
from storage import (
    articles,
    catalogue,
    health,
    outbox,
    runs,
    status,
    story_views,
    validators,
)
from storage.database import begin_batch, commit_batch, open_database, rollback_batch
from storage.records import AlertMessage, ArticleRecord, StoreResult, TopicMatchRecord
from storage.search import search as run_search
from storage.times import archive_time


class Archive:
    """The article archive. Timestamps given to it are normalised to UTC ISO 8601."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db: Database = open_database(self.path)

    def __repr__(self) -> str:
        return f"Archive({str(self.path)!r})"

    def close(self) -> None:
        commit_batch(self.db)
        self.db.close()

    def begin_batch(self) -> None:
        """Group the following writes into one commit (see `commit_batch`)."""
        begin_batch(self.db)

    def commit_batch(self) -> None:
        commit_batch(self.db)

    def rollback_batch(self) -> None:
        rollback_batch(self.db)

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # URL identity

    def has_url(self, url: str) -> bool:
        """True when url is a known variant (canonical or alias) of a stored article."""
        return catalogue.has_url(self.db, url)

    def known_url_keys(self) -> set[str]:
        return catalogue.known_url_keys(self.db)

    def unfetched_read_also(self, max_depth: int, since: str) -> list[tuple[str, int, str]]:
        """Read-also links that were to be followed but whose target is not stored
        (it failed to download): (target URL, linking article's depth, its URL)."""
        return catalogue.unfetched_read_also(self.db, max_depth,
                                             archive_time(since, field="since"))

    # articles

    def store_article(
        self,
        article: ArticleRecord,
        *,
        matches: Sequence[TopicMatchRecord] = (),
        alerts: Sequence[tuple[str, str]] = (),
    ) -> StoreResult:
        """Store a new article or merge a copy of a known one, in one transaction.

        alerts are (topic, channel) pairs; at most one alert is ever queued per
        (story, channel), whichever copy of the story brings it.
        """
        return articles.store_article(
            self.db, article, matches=matches, alerts=alerts, now=clock.utc_iso(clock.now())
        )

    def article(self, url: str) -> dict | None:
        return catalogue.article(self.db, url)

    def read_also_graph(self) -> list[tuple[str, str]]:
        return catalogue.read_also_graph(self.db)

    def search(self, query: str, *, limit: int = 20) -> list[dict]:
        return run_search(self.db, query, limit=limit)

    def export_articles(self) -> Iterator[dict]:
        return catalogue.export_articles(self.db)

    # crawl runs

    def start_run(self, started_at: str) -> int:
        return runs.start_run(self.db, started_at)

    def record_source(
        self, run_id: int, source: str, *, fetched: int, new: int, errors: int,
        last_error: str | None, dropped: Mapping[str, int] | None = None, blocked: int = 0,
        refusal: str | None = None, dated: int | None = None, with_text: int | None = None,
    ) -> None:
        runs.record_source(self.db, run_id, source, fetched=fetched, new=new, errors=errors,
                           last_error=last_error, dropped=dropped, blocked=blocked,
                           refusal=refusal, dated=dated, with_text=with_text)

    def last_article_id(self) -> int:
        return runs.last_article_id(self.db)

    def new_article_quality(self, after_id: int) -> dict[str, tuple[int, int]]:
        """Per source, of the articles stored after `after_id`: (dated, with a body)."""
        return runs.new_article_quality(self.db, after_id)

    def finish_run(self, run_id: int, finished_at: str, status: str) -> None:
        runs.finish_run(self.db, run_id, finished_at, status)

    def source_stats(self) -> list[dict]:
        return runs.source_stats(self.db)

    # source health

    def judge_sources(self, run_id: int, sources: Iterable[str], *, silent_cycles: int,
                      failed_cycles: int, channels: Sequence[str],
                      urls: Mapping[str, str | None],
                      configured: Iterable[str] | None = None) -> list[health.Judged]:
        """Judge each source after a run; notices of sources that broke or work again
        are queued on every channel (see storage.health.judge)."""
        return health.judge(self.db, run_id, sources, silent_cycles=silent_cycles,
                            failed_cycles=failed_cycles, channels=channels, urls=urls,
                            now=clock.utc_iso(clock.now()), configured=configured)

    def unhealthy_sources(self) -> list[dict]:
        return health.unhealthy_sources(self.db)

    # conditional requests

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(etag, last_modified) last seen for url."""
        return validators.validators(self.db, url)

    def save_validators(self, entries: Iterable[tuple[str, str | None, str | None]]) -> None:
        validators.save_validators(self.db, entries, now=clock.utc_iso(clock.now()))

    # alert outbox

    def due_alerts(self, now: str, *, limit: int = 100) -> list[AlertMessage]:
        return outbox.due_alerts(self.db, archive_time(now, field="now"), limit=limit)

    def claim_alert(self, alert_id: int, owner: str, lease_until: str, *,
                    taken_from: str | None = None) -> bool:
        return outbox.claim(self.db, alert_id, owner,
                            archive_time(lease_until, field="lease"), taken_from=taken_from)

    def mark_sent(self, alert_id: int, when: str, *, owner: str) -> None:
        outbox.mark_sent(self.db, alert_id, archive_time(when, field="sent time"),
                         owner=owner)

    def mark_retry(self, alert_id: int, error: str, next_attempt_at: str, *, owner: str,
                   uncertain: bool = False) -> None:
        outbox.mark_retry(self.db, alert_id, error,
                          archive_time(next_attempt_at, field="next attempt time"),
                          owner=owner, uncertain=uncertain)

    def mark_failed(self, alert_id: int, error: str, *, owner: str) -> None:
        outbox.mark_failed(self.db, alert_id, error, owner=owner)

    def channel_back(self, channel: str, now: str) -> int:
        return outbox.channel_back(self.db, channel, archive_time(now, field="now"))

    def requeue_failed(self) -> int:
        """Failed alerts back to pending, to be tried again by the next delivery."""
        return outbox.requeue_failed(self.db, clock.utc_iso(clock.now()))

    def list_alerts(self) -> list[dict]:
        return outbox.list_alerts(self.db)

    # stories

    def stories(self, since: str | None = None, topic: str | None = None,
                limit: int | None = None) -> list[dict]:
        """Stories newest first (see storage.story_views.list_stories); `since` is an
        ISO 8601 instant: stories first seen then or later."""
        cutoff = None if since is None else archive_time(since, field="since")
        return story_views.list_stories(self.db, since=cutoff, topic=topic, limit=limit)

    def story(self, key: str) -> dict | None:
        """One story's timeline (see storage.story_views.story_timeline); None if unknown."""
        return story_views.story_timeline(self.db, key)

    # the daemon's heartbeat and `marsad status`

    def record_heartbeat(self, *, pid: int, host: str, started_at: str | datetime,
                         beat_at: str | datetime, next_cycle_at: str | datetime | None,
                         stopped_at: str | datetime | None = None) -> None:
        """The running daemon's beat (see storage.status.record_heartbeat)."""
        status.record_heartbeat(
            self.db, pid=pid, host=host,
            started_at=archive_time(started_at, field="daemon start"),
            beat_at=archive_time(beat_at, field="heartbeat"),
            next_cycle_at=(None if next_cycle_at is None
                           else archive_time(next_cycle_at, field="next cycle")),
            stopped_at=(None if stopped_at is None
                        else archive_time(stopped_at, field="stop time")))

    def status(self) -> dict:
        """The daemon, the last cycles and the outbox for `marsad status`."""
        return status.archive_status(self.db)
