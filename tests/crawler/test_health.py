"""Source health judged from cycle histories: one table of histories and the verdict
each must give, with its reason."""

from __future__ import annotations

import pytest

from crawler.health import Cycle, Verdict, assess, describe

RULES = {"silent_cycles": 6, "failed_cycles": 3}


def yielded(new: int = 12, dated: int | None = None, bodied: int | None = None) -> Cycle:
    return Cycle(fetched=new + 2, new=new, dated=new if dated is None else dated,
                 with_text=new if bodied is None else bodied)


QUIET = Cycle(fetched=2)  # read its listing and feed, found nothing new
DOWN = Cycle(errors=2, last_error="HTTP 503 for http://site/")
REFUSED = Cycle(blocked=2, refusal="http://site/ (HTTP 403)")
CHALLENGED = Cycle(fetched=2, blocked=2, refusal="http://site/ (HTTP 200, Cloudflare challenge)")
HALF_READ = Cycle(fetched=3, errors=5, last_error="HTTP 500 for http://site/a.html")


CASES = [
    # (name, history oldest first, state, words the reason must hold)
    ("never crawled", [], "unknown", "not crawled yet"),
    ("yielding", [yielded()] * 4, "ok", "12 new articles in the last cycle"),
    ("one new article", [yielded(), yielded(1)], "ok", "1 new article in the last cycle"),
    ("quiet for a while", [yielded()] + [QUIET] * 5, "ok", "last new article 5 cycles ago"),
    ("silent long enough", [yielded()] * 3 + [QUIET] * 7, "broken",
     "no new article in 7 cycles (used to yield 12 a cycle)"),
    ("silent exactly silent_cycles", [yielded(3)] + [QUIET] * 6, "broken",
     "no new article in 6 cycles (used to yield 3 a cycle)"),
    ("used to yield rarely", [yielded(1), QUIET, QUIET, yielded(1)] + [QUIET] * 6, "broken",
     "(used to yield 1 every 2 cycles)"),
    ("used to yield a little", [yielded(1), yielded(2)] + [QUIET] * 6, "broken",
     "(used to yield 1.5 a cycle)"),
    ("never yielded, quiet", [QUIET] * 20, "ok", "no new article yet"),
    ("silent with errors names the last", [yielded()] + [QUIET] * 5 + [HALF_READ], "broken",
     "last error: HTTP 500 for http://site/a.html"),
    ("failed once", [yielded(), DOWN], "degraded",
     "failed the last cycle (last error: HTTP 503 for http://site/)"),
    ("failed twice", [yielded(), DOWN, DOWN], "degraded", "failed 2 cycles in a row"),
    ("failed failed_cycles times", [yielded(), DOWN, DOWN, DOWN], "broken",
     "failed 3 cycles in a row (last error: HTTP 503 for http://site/)"),
    ("failing from the first cycle", [DOWN] * 3, "broken", "failed 3 cycles in a row"),
    ("answers again but nothing new", [yielded()] + [DOWN] * 3 + [QUIET], "broken",
     "failed 3 cycles in a row (last error: HTTP 503 for http://site/), and no new "
     "article in the 1 cycle since"),
    ("yields again after failing", [yielded()] + [DOWN] * 3 + [yielded(4)], "ok",
     "4 new articles in the last cycle"),
    ("failures broken up by a quiet cycle", [yielded(), DOWN, DOWN, QUIET, DOWN, DOWN],
     "degraded", "failed 2 cycles in a row"),
    ("refused failed_cycles times", [yielded()] + [REFUSED] * 3, "blocked",
     "the site refused marsad in 3 cycles in a row: http://site/ (HTTP 403)"),
    ("challenge pages count as refusals", [yielded()] + [CHALLENGED] * 3, "blocked",
     "Cloudflare challenge"),
    ("refused once", [yielded(), REFUSED], "degraded",
     "the site refused marsad in the last cycle"),
    ("refused and failing mixed", [yielded(), REFUSED, DOWN, REFUSED], "broken",
     "failed 3 cycles in a row"),
    ("some pages refused", [yielded(), Cycle(fetched=9, new=3, dated=3, with_text=3, blocked=2,
                                             refusal="http://site/x (HTTP 429)")],
     "degraded", "2 answers refused in the last cycle: http://site/x (HTTP 429)"),
    ("undated articles", [yielded(10, dated=2)], "degraded",
     "only 2 of its latest 10 new articles had a date"),
    ("bodiless articles", [yielded(3, bodied=0), yielded(3, bodied=1)], "degraded",
     "only 1 of its latest 6 new articles had a body"),
    ("too few articles to judge a share", [yielded(4, dated=0)], "ok", "4 new articles"),
    ("cycles recorded before shares were counted", [Cycle(fetched=9, new=9)], "ok",
     "9 new articles"),
]


@pytest.mark.parametrize(("history", "state", "words"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_verdicts(history, state, words):
    verdict = assess(history, **RULES)
    assert verdict.state == state, verdict
    assert words in verdict.reason, verdict.reason
    assert verdict.line() == f"{state}: {verdict.reason}"
    assert verdict.alerting == (state in ("broken", "blocked"))


def test_figures_count_the_streaks_and_shares():
    history = [yielded(10, dated=9, bodied=10), yielded(10, dated=7, bodied=10)] + [DOWN] * 2
    figures = assess(history, **RULES).figures()
    assert figures == {"failed_cycles": 2, "silent_cycles": 2, "usual_yield": 10.0,
                       "dated_share": 0.8, "text_share": 1.0}


def test_shares_look_at_the_latest_cycles_only():
    old_undated = [yielded(10, dated=0)] * 10
    recent = [yielded(10)] * 10
    assert assess(old_undated + recent, **RULES).figures()["dated_share"] == 1.0
    assert assess(recent + old_undated, **RULES).state == "degraded"


def test_thresholds_come_from_the_settings():
    history = [yielded()] + [QUIET] * 2 + [DOWN]
    assert assess(history, silent_cycles=6, failed_cycles=3).state == "degraded"
    assert assess(history, silent_cycles=3, failed_cycles=3).state == "broken"
    assert assess(history, silent_cycles=6, failed_cycles=1).reason.startswith(
        "failed the last cycle")
    with pytest.raises(ValueError):
        assess(history, silent_cycles=0, failed_cycles=3)


def test_outcome_of_a_cycle():
    assert [c.outcome for c in (yielded(), QUIET, DOWN, REFUSED, CHALLENGED, HALF_READ,
                                Cycle())] == ["yielded", "quiet", "failed", "blocked",
                                              "blocked", "quiet", "quiet"]


def test_describe_a_stored_verdict():
    verdict = assess([yielded(10, dated=9)] + [QUIET] * 7, **RULES)
    stored = {"state": verdict.state, "reason": verdict.reason,
              "since": "2025-04-20T10:00:00+00:00", **verdict.figures()}
    assert describe(stored) == (
        "broken: no new article in 7 cycles (used to yield 10 a cycle), since "
        "2025-04-20T10:00:00+00:00; new articles dated 90%, with a body 100%")
    assert describe(None) == "not judged yet"
    # Server text in a reason stays on one line.
    stored["reason"] = "failed 3 cycles in a row (last error: bad\r\nanswer)"
    assert "\n" not in describe(stored)


def test_a_verdict_is_plain_data():
    assert Verdict("ok", "fine").figures() == {
        "failed_cycles": 0, "silent_cycles": 0, "usual_yield": None, "dated_share": None,
        "text_share": None}
