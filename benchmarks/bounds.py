"""Worst inputs of the steps whose work marsad bounds, timed: a page or an article built to
cost as much as it can, and the time each step takes on it.

Run by hand from the repository root:  python benchmarks/bounds.py [--repeat N]

Each line gives the best of N runs and the bound the step is written to, which a figure
far past it would break: the text cap reads only what it keeps; matching a text that is
nothing but the topic's terms costs about what plain text of the size costs; an excerpt
and an alert's renderings read a fixed head of a 5 MB text; a headline stuffed with a
megabyte of site names is cut before it is undressed; the crawl benchmark's synthetic
site is generated in seconds.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts.render import render_html, render_slack, render_text
from benchmarks.matching import best
from crawler.config import builtin_topics
from crawler.extract import extract_article
from crawler.matching import capped_text, excerpt, match
from crawler.samples import generate_bulk_site
from crawler.samples.texts import plain, term_heavy, utf8_size
from storage.records import AlertMessage

MB = 1_000_000


def alert_of(text: str) -> AlertMessage:
    return AlertMessage(alert_id=1, story="s", channel="email", topic="morocco-france-security",
                        title="Le Maroc et la France", url="https://fr.hespress.com/1.html",
                        source="hespress-fr", published=None, language="fr", text=text,
                        matched=("Maroc", "France", "terroris*", "المغرب", "فرنسا", "إرهاب*"))


def stuffed_page() -> str:
    stuffed = "Rabat - " + "Hespress - quatre mots de trop - " * 30_000 + "Hespress"
    return (f'<html><head><meta property="og:title" content="{stuffed}"><title>{stuffed}'
            f"</title></head><body><article><h1>{stuffed}</h1></article><div class='content'>"
            "<p>Le Maroc et la France renforcent leur coopération.</p></div></body></html>")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    repeat = parser.parse_args().repeat
    topic = next(t for t in builtin_topics() if t.name == "morocco-france-security")
    terms = [t for group in topic.all_of for t in group]
    huge = "مقال " * 4_000_000
    heavy, quiet = term_heavy(topic, 1_200_000), plain(1_200_000)
    five = term_heavy(topic, 5 * MB)
    sentence = ("Le Maroc et la France renforcent leur coopération contre le terrorisme. "
                "تعزيز التعاون الأمني بين المغرب وفرنسا لمكافحة الإرهاب. ")
    alert = alert_of(sentence * (5 * MB // utf8_size(sentence)))
    page = stuffed_page()
    now = datetime(2026, 3, 2, 10, tzinfo=UTC)

    heavy_time = best(lambda: match(topic, title="", text=heavy), repeat)
    quiet_time = best(lambda: match(topic, title="", text=quiet), repeat)
    rows = [
        ("capped_text, 36 MB to 200 KB", best(lambda: capped_text(huge, 200 * 1024), repeat),
         "reads only what it keeps: well under 0.5 s"),
        ("match, 1.2 MB of plain words", quiet_time, ""),
        ("match, 1.2 MB of the topic's terms", heavy_time,
         f"{heavy_time / quiet_time:.1f} x plain; bound: under 5 x"),
        ("excerpt, 5 MB of terms", best(lambda: excerpt(five, terms, width=300), repeat),
         "reads a fixed head: well under 10 s"),
        ("alert renderings, 5 MB of terms",
         best(lambda: (render_slack(alert), render_html(alert), render_text(alert)), repeat),
         "Slack, HTML and text: well under 10 s"),
        ("extraction, 1 MB stuffed headline",
         best(lambda: extract_article(page, "https://www.hespress.com/a.html"), repeat),
         "cut before undressing: well under 5 s (a minute uncut)"),
        ("bulk site of 5000 articles",
         best(lambda: generate_bulk_site(5000, seed=7, now=now), max(1, repeat - 1)),
         "generated in seconds: well under 10 s"),
    ]
    print(f"{'step and input':<38}{'seconds':>9}  bound")
    for name, seconds, bound in rows:
        print(f"{name:<38}{seconds:>9.3f}  {bound}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
