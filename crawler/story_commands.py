"""`marsad stories` and `marsad story`: the archive's stories, over Archive.stories and
Archive.story; output formatting only."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta

from crawler import clock
from crawler.commands import UsageError
from crawler.config import Config, parse_duration
from crawler.config.values import MAX_DURATION, format_duration, shown
from crawler.output import emit
from crawler.text import squash_spaces

TITLE_WIDTH = 70
# Control characters and bidi overrides in page text could rewrite or reorder the
# rest of the terminal line: they are dropped from what is printed.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def cmd_stories(config: Config, args: argparse.Namespace) -> int:
    from storage import Archive

    since = None if args.since is None else since_cutoff(args.since).isoformat()
    if args.topic is not None and args.topic not in {topic.name for topic in config.topics}:
        # Not an error: the archive may hold matches of a topic since removed.
        print(f"marsad: note: no topic {shown(args.topic)} in the configuration",
              file=sys.stderr)
    with Archive(config.database) as archive:
        rows = archive.stories(since=since, topic=args.topic, limit=args.limit)
    for row in rows:
        if args.json:
            emit(row)
        else:
            print(story_line(row))
    return 0


def cmd_story(config: Config, args: argparse.Namespace) -> int:
    from storage import Archive

    with Archive(config.database) as archive:
        story = archive.story(args.id)
    if story is None:
        raise UsageError(f"story: no story {shown(args.id)} (see marsad stories)")
    if args.json:
        emit(story)
    else:
        print("\n".join(timeline_lines(story)))
    return 0


def since_cutoff(text: str) -> datetime:
    """The instant `--since DURATION` reaches back to from now."""
    try:
        seconds = parse_duration(text)
    except ValueError as error:
        raise UsageError(f"stories: --since: {error}") from None
    if seconds > MAX_DURATION:  # beyond this, timedelta overflows
        raise UsageError(f"stories: --since: {shown(text)} is too long: "
                         f"at most {format_duration(MAX_DURATION)} (100 years)")
    return clock.now() - timedelta(seconds=seconds)


def shown_text(text: str | None, width: int | None = TITLE_WIDTH) -> str:
    """Untrusted page text for one terminal line: one line, printable, cut to width."""
    line = squash_spaces(_UNPRINTABLE.sub(" ", text or ""))
    return line if width is None or len(line) <= width else line[:width - 1] + "…"


def when(event_time: str | None) -> str:
    """'2025-04-20T09:06:00+00:00' -> '2025-04-20 09:06Z' (event times are UTC)."""
    return f"{event_time[:10]} {event_time[11:16]}Z" if event_time else "-"


def alerted(alerts: list[dict]) -> str:
    if not alerts:
        return "not alerted"
    return "alerted: " + ", ".join(f"{a['channel']} {a['status']}" for a in alerts)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def story_line(row: dict) -> str:
    """One story on one line; the title last, so that right-to-left text cannot carry
    the figures around it."""
    return (f"{when(row['first_seen'])}  {row['story']}  {', '.join(row['sources'])}  "
            f"{_count(row['copies'], 'copy', 'copies')}  "
            f"{_count(row['follow_ups'], 'follow-up', 'follow-ups')}  {alerted(row['alerts'])}  "
            + (f"follows {row['follows']}  " if row["follows"] else "")
            + shown_text(row["title"]))


def timeline_lines(story: dict) -> list[str]:
    """The story's articles and linked stories, earliest first, one line each (and the
    address of each story's first article under it)."""
    indent = " " * len(f"{when('2000-01-01T00:00')}  {'':<10}  ")
    first = story["first"]
    lines = [f"story {story['story']}  sources: {', '.join(story['sources'])}  "
             f"topics: {', '.join(story['topics']) or '-'}  {alerted(story['alerts'])}"]
    if story["follows"]:
        earlier = story["follows"]
        lines += [f"{when(earlier['time'])}  {'follows':<10}  {earlier['story']}  "
                  f"{earlier['source']}  {shown_text(earlier['title'])}",
                  f"{indent}{shown_text(earlier['url'], None)}"]
    lines += [f"{when(first['time'])}  {'first':<10}  {first['source']}  "
              f"{shown_text(first['title'])}", f"{indent}{shown_text(first['url'], None)}"]
    lines += [f"{when(copy['time'])}  {'copy':<10}  {copy['source']}  "
              f"{shown_text(copy['url'], None)}" for copy in story["copies"]]
    for later in story["follow_ups"]:
        lines += [f"{when(later['time'])}  {'follow-up':<10}  {later['story']}  "
                  f"{later['source']}  {shown_text(later['title'])}",
                  f"{indent}{shown_text(later['url'], None)}"]
    return lines
