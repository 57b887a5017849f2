"""A cycle's report as `marsad crawl` and `marsad demo` print it: a table of the sources
(pages fetched, new articles, errors, the last error), the cycle's totals, what was
dropped or blocked, and what delivery did; or all of it as one JSON object."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.output import emit
from crawler.text import squash_spaces
from crawler.vocabulary import DROP_REASONS

if TYPE_CHECKING:  # crawler.cycle brings Scrapy in: not worth it for a type
    from crawler.cycle import CycleReport


def print_cycle(report: CycleReport, *, as_json: bool = False) -> None:
    if as_json:
        emit({"sources": [vars(s) for s in report.sources], "articles_new": report.articles_new,
              "stories_new": report.stories_new, "alerts_queued": report.alerts_queued,
              "delivery": _delivery_dict(report.delivery), "failure": report.failure})
        return
    width = max([len(s.name) for s in report.sources] + [6])
    print(f"{'source':<{width}}  fetched  new  errors  last error")
    for s in report.sources:
        last = squash_spaces(s.last_error or "")[:80]
        print(f"{s.name:<{width}}  {s.fetched:>7}  {s.new:>3}  {s.errors:>6}  {last}")
    print(f"{report.articles_new} new articles, {report.stories_new} new stories, "
          f"{report.alerts_queued} alerts queued")
    for s in report.sources:
        if s.dropped:
            print(f"{s.name}: dropped {dropped_line(s.dropped)}")
        if s.blocked:
            more = f" and {s.blocked_pages - 1} more page(s)" if s.blocked_pages > 1 else ""
            print(f"{s.name}: blocked: {squash_spaces(s.blocked)}{more}")
    if report.delivery is not None:
        print(f"alerts: {_delivery_line(report.delivery)}")


def dropped_line(dropped: dict[str, int]) -> str:
    """"2 over the size limit, 1 forbidden by robots.txt" """
    return ", ".join(f"{n} {DROP_REASONS.get(reason, reason)}"
                     for reason, n in sorted(dropped.items()))


def _delivery_dict(delivery: Any) -> dict | None:
    if delivery is None:
        return None
    return {"sent": delivery.sent, "retried": delivery.retried, "failed": delivery.failed}


def _delivery_line(delivery: Any) -> str:
    return f"{delivery.sent} sent, {delivery.retried} to retry, {delivery.failed} failed"
