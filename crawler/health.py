"""Source health: is a source still yielding articles, failing, or refused by its site?

A pure judgement over one source's crawl cycles, oldest first: figures in, a state
and the reason for it out. The states:

- ``broken``: failed (nothing could be read, errors instead) `failed_cycles` cycles in a
  row, or yielded no new article for `silent_cycles` cycles although it used to;
- ``blocked``: the site refused marsad (HTTP 403 or 429, a bot challenge) that many
  cycles in a row;
- ``degraded``: it works, but its last cycles failed or were refused fewer times than
  that, or too few of its new articles have a date or a body;
- ``ok``; and ``unknown`` before its first cycle.

A source broken or blocked stays so until it yields a new article again: a site that
answers again but shows nothing new has not shown that it works.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import partial

from crawler.text import squash_spaces

OK, DEGRADED, BROKEN, BLOCKED, UNKNOWN = "ok", "degraded", "broken", "blocked", "unknown"
ALERTING = frozenset((BROKEN, BLOCKED))  # the states a "source looks broken" alert is for

USUAL_WINDOW = 10  # cycles up to its last new article that say what a source used to yield
QUALITY_WINDOW = 10  # the latest cycles with new articles that the shares are taken over
QUALITY_MIN = 5  # fewer new articles than this say nothing about a share
QUALITY_FLOOR = 0.5  # a share of dated (or bodied) new articles below this is degraded
_FAILING = ("failed", "blocked")


@dataclass(frozen=True)
class Cycle:
    """One source's figures in one finished crawl cycle."""

    fetched: int = 0  # pages read
    new: int = 0  # new articles stored
    errors: int = 0
    blocked: int = 0  # answers refusing marsad (not counted as errors)
    dated: int | None = None  # new articles with a publication date; None: not recorded
    with_text: int | None = None  # new articles with a body
    last_error: str | None = None
    refusal: str | None = None  # a page the site refused, and why

    @property
    def outcome(self) -> str:
        """yielded, blocked, failed (nothing read, errors instead) or quiet."""
        if self.new > 0:
            return "yielded"
        # A challenge page may have been counted as read too: refusals that outnumber
        # both the pages read and the errors make a refused cycle.
        if self.blocked and self.blocked >= max(self.fetched, self.errors):
            return "blocked"
        if self.fetched == 0 and self.errors:
            return "failed"
        return "quiet"


@dataclass(frozen=True)
class Verdict:
    state: str
    reason: str
    failed_cycles: int = 0  # the latest cycles in a row that failed or were refused
    silent_cycles: int = 0  # the latest cycles in a row without a new article
    usual_yield: float | None = None  # new articles a cycle before those
    dated_share: float | None = None  # of its latest new articles, those with a date
    text_share: float | None = None  # and those with a body

    @property
    def alerting(self) -> bool:
        return self.state in ALERTING

    def line(self) -> str:
        """"broken: no new article in 7 cycles (used to yield 12 a cycle)" """
        return f"{self.state}: {self.reason}"

    def figures(self) -> dict[str, float | int | None]:
        return {k: v for k, v in asdict(self).items() if k not in ("state", "reason")}


def assess(cycles: Sequence[Cycle], *, silent_cycles: int, failed_cycles: int) -> Verdict:
    """The health of a source from its cycles, oldest first."""
    if silent_cycles < 1 or failed_cycles < 1:
        raise ValueError("silent_cycles and failed_cycles must be at least 1")
    if not cycles:
        return Verdict(UNKNOWN, "not crawled yet")
    last_yield = max((i for i, c in enumerate(cycles) if c.new > 0), default=-1)
    earlier, dry = cycles[: last_yield + 1], cycles[last_yield + 1:]
    usual = _usual_yield(earlier)
    dated, bodied, sample = _quality(cycles)
    trailing = _trailing_failures(dry)
    verdict = partial(Verdict, failed_cycles=trailing, silent_cycles=len(dry), usual_yield=usual,
                      dated_share=_share(dated, sample), text_share=_share(bodied, sample))

    outage = _last_outage(dry, failed_cycles)
    if outage is not None:
        start, end = outage
        state, reason = _outage_reason(dry[start:end], trailing=end == len(dry))
        if end < len(dry):
            reason += f", and no new article in the {_cycles(len(dry) - end)} since"
        return verdict(state, reason)
    if usual is not None and len(dry) >= silent_cycles:
        reason = f"no new article in {_cycles(len(dry))} (used to yield {_per_cycle(usual)})"
        error = next((c.last_error for c in reversed(dry) if c.last_error), None)
        if error:
            reason += f"; last error: {error}"
        return verdict(BROKEN, reason)

    problems = []
    if trailing:
        problems.append(_outage_reason(dry[len(dry) - trailing:], trailing=True)[1])
    elif cycles[-1].blocked:
        problems.append(f"{cycles[-1].blocked} answers refused in the last cycle"
                        + (f": {cycles[-1].refusal}" if cycles[-1].refusal else ""))
    if sample >= QUALITY_MIN and dated < QUALITY_FLOOR * sample:
        problems.append(f"only {dated} of its latest {sample} new articles had a date")
    if sample >= QUALITY_MIN and bodied < QUALITY_FLOOR * sample:
        problems.append(f"only {bodied} of its latest {sample} new articles had a body")
    if problems:
        return verdict(DEGRADED, "; ".join(problems))
    return verdict(OK, _ok_reason(cycles[-1], len(dry), usual))


def _usual_yield(cycles: Sequence[Cycle]) -> float | None:
    """New articles a cycle over the last cycles up to (and with) its last new article."""
    window = cycles[-USUAL_WINDOW:]
    if not window:
        return None
    return sum(c.new for c in window) / len(window)


def _quality(cycles: Sequence[Cycle]) -> tuple[int, int, int]:
    """(dated, bodied, new) over the latest cycles whose new articles were examined."""
    dated = bodied = sample = seen = 0
    for cycle in reversed(cycles):
        if seen == QUALITY_WINDOW:
            break
        if cycle.new > 0 and cycle.dated is not None and cycle.with_text is not None:
            seen += 1
            sample += cycle.new
            # Clamped: another crawl's articles may have been counted in the same stretch.
            dated += min(cycle.dated, cycle.new)
            bodied += min(cycle.with_text, cycle.new)
    return dated, bodied, sample


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _trailing_failures(cycles: Sequence[Cycle]) -> int:
    count = 0
    for cycle in reversed(cycles):
        if cycle.outcome not in _FAILING:
            break
        count += 1
    return count


def _last_outage(cycles: Sequence[Cycle], length: int) -> tuple[int, int] | None:
    """(start, end) of the latest run of at least `length` failed or refused cycles."""
    end = len(cycles)
    while end > 0:
        if cycles[end - 1].outcome not in _FAILING:
            end -= 1
            continue
        start = end
        while start > 0 and cycles[start - 1].outcome in _FAILING:
            start -= 1
        if end - start >= length:
            return start, end
        end = start
    return None


def _outage_reason(run: Sequence[Cycle], *, trailing: bool) -> tuple[str, str]:
    """The state and reason of a run of failed or refused cycles."""
    if len(run) > 1:
        when = f"{len(run)} cycles in a row"
    else:
        when = "the last cycle" if trailing else "1 cycle"
    if all(c.outcome == "blocked" for c in run):
        last = next((c.refusal for c in reversed(run) if c.refusal), None)
        return BLOCKED, f"the site refused marsad in {when}" + (f": {last}" if last else "")
    last = next((c.last_error for c in reversed(run) if c.last_error), None)
    return BROKEN, f"failed {when}" + (f" (last error: {last})" if last else "")


def _cycles(count: int) -> str:
    return f"{count} cycle{'s' * (count != 1)}"


def _per_cycle(usual: float) -> str:
    if usual >= 10:
        return f"{usual:.0f} a cycle"
    if usual >= 1:
        return f"{usual:.1f}".removesuffix(".0") + " a cycle"
    return f"1 every {round(1 / usual)} cycles"


def _ok_reason(last: Cycle, dry: int, usual: float | None) -> str:
    if last.new:
        return f"{last.new} new article{'s' * (last.new != 1)} in the last cycle"
    if usual is None:
        return "no new article yet"
    return f"last new article {_cycles(dry)} ago"


def describe(health: Mapping | None) -> str:
    """One line for a stored verdict (storage.runs.source_stats' `health`): "broken: no
    new article in 7 cycles (used to yield 12 a cycle), since ...; dated 90%, bodied 100%"."""
    if not health:
        return "not judged yet"
    line = f"{health['state']}: {health['reason']}, since {health['since']}"
    shares = [f"{label} {round(100 * health[key])}%"
              for key, label in (("dated_share", "dated"), ("text_share", "with a body"))
              if health.get(key) is not None]
    if shares:
        line += f"; new articles {', '.join(shares)}"
    return squash_spaces(line)
