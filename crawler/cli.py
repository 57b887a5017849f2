"""The `marsad` command line: a thin layer over the library.

Library errors become one-line messages here and nowhere else: exit 2 for
usage and configuration errors, 1 for runtime failures.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from crawler import __version__, commands, logs, status_command, story_commands, tester_commands
from crawler.commands import UsageError
from crawler.config import BUNDLED_LABEL, Config, ConfigError, load_config
from crawler.disk import CycleRefused
from crawler.probe.report import cmd_probe

__all__ = ["UsageError", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse with the contract's error format: one stderr line, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _log_options(parser: argparse.ArgumentParser, *, command: bool) -> None:
    """--log-format and -v, before the command (every command) or after `crawl` and `run`.
    After the command they default to nothing, so as not to undo the ones given before."""
    parser.add_argument("--log-format", choices=logs.FORMATS, metavar="{text,json}",
                        help="log lines on stderr as text (default) or one JSON object each",
                        default=argparse.SUPPRESS if command else "text")
    parser.add_argument("-v", "--verbose", action="count",
                        help="Scrapy's log and the tracebacks of expected failures too "
                             "(-vv: debug messages)", default=argparse.SUPPRESS if command else 0)


def _command(subcommands: argparse._SubParsersAction[_Parser], name: str,
             handler: Callable[..., int], *, configured: bool = True,
             **options: Any) -> argparse.ArgumentParser:
    """A command's parser, whose arguments carry the function that runs it and whether it
    reads the configuration (`demo` brings its own: a broken ./marsad.toml must not stop
    it; it is given None)."""
    parser = subcommands.add_parser(name, **options)
    parser.set_defaults(handler=handler, configured=configured)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="marsad", description="News monitor for Morocco–France security cooperation."
    )
    parser.add_argument("--config", metavar="PATH",
                        help="configuration file (default: $MARSAD_CONFIG, ./marsad.toml, bundled)")
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    _log_options(parser, command=False)
    # Subparsers are built with the parser's own class, so they report errors alike.
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    crawl = _command(subcommands, "crawl", commands.cmd_crawl, help="run one monitoring cycle")
    crawl.add_argument("--source", action="append", default=[], metavar="NAME",
                       help="crawl only this source (repeatable)")
    _log_options(crawl, command=True)
    crawl.add_argument("--json", action="store_true", help="print the summary as JSON")
    crawl.add_argument("--no-deliver", action="store_true",
                       help="store and queue alerts, but leave sending them to the daemon")
    crawl.add_argument("--wait", action="store_true",
                       help="if a daemon runs on the archive, crawl between its cycles "
                            "instead of refusing")

    run = _command(subcommands, "run", commands.cmd_run,
                   help="the daemon: a cycle now, then every schedule.interval")
    _log_options(run, command=True)

    search = _command(subcommands, "search", commands.cmd_search,
                      help="full-text search of stored articles")
    search.add_argument("query")
    search.add_argument("--limit", type=_positive, default=20, metavar="N",
                        help="at most N results (default 20)")
    search.add_argument("--json", action="store_true", help="JSON lines")

    export = _command(subcommands, "export", commands.cmd_export,
                      help="every stored article as JSON lines")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")

    alerts = _command(subcommands, "alerts", commands.cmd_alerts,
                      help="alerts and their delivery status")
    alerts.add_argument("--json", action="store_true", help="JSON lines")
    alerts.add_argument("--retry-failed", action="store_true",
                        help="put failed alerts back in the queue for the next cycle")

    match = _command(subcommands, "match", tester_commands.cmd_match,
                     help="test topic rules on articles given as JSON lines")
    match.add_argument("file", nargs="?", default="-", metavar="FILE",
                       help="JSON lines with title, text, optional language and url "
                            "(default: stdin)")
    match.add_argument("--json", action="store_true", help="JSON lines")

    extract = _command(subcommands, "extract", tester_commands.cmd_extract,
                       help="extract pages without crawling or storing")
    extract.add_argument("pages", nargs="+", metavar="PAGE", help="HTML file, or - for stdin")
    extract.add_argument("--url", help="the address of the page (single page)")
    extract.add_argument("--json", action="store_true", help="one JSON line per page")

    stories = _command(
        subcommands, "stories", story_commands.cmd_stories,
        help="stored stories, newest first: first seen, sources, copies, follow-ups, alerts")
    stories.add_argument("--since", metavar="DURATION",
                         help="only stories first seen within DURATION before now (7d, 12h)")
    stories.add_argument("--topic", metavar="NAME",
                         help="only stories with an article matching this topic")
    stories.add_argument("--limit", type=_positive, metavar="N",
                         help="at most N stories (default: all)")
    stories.add_argument("--json", action="store_true", help="JSON lines")

    story = _command(
        subcommands, "story", story_commands.cmd_story,
        help="one story's timeline: first article, copies, follow-ups",
        description="One story's timeline. An unknown ID is a usage error (exit 2).")
    story.add_argument("id", metavar="ID", help="the story key, as `marsad stories` shows it")
    story.add_argument("--json", action="store_true", help="one JSON object")

    status = _command(
        subcommands, "status", status_command.cmd_status,
        help="the monitoring's health: last and next cycle, alerts, sources",
        description="The monitoring's health. Exit 0 when healthy; 1 when the last finished "
                    "cycle is older than --max-age or failed, an alert has failed, or a "
                    "source looks broken.")
    status.add_argument("--max-age", metavar="DURATION",
                        help="how old the last finished cycle may be (default: 3 × "
                             "schedule.interval, or a source's own interval if shorter)")
    status.add_argument("--json", action="store_true", help="one JSON object")

    _command(subcommands, "test-alert", commands.cmd_test_alert,
             help="send a test message to every channel")
    stats = _command(subcommands, "stats", commands.cmd_stats, help="per-source figures")
    stats.add_argument("--json", action="store_true", help="JSON lines")
    probe = _command(
        subcommands, "probe", cmd_probe,
        help="check sources against the live web, storing nothing",
        description="Fetch each source's listing pages, feeds and one search, then up to 3 "
                    "articles, and say what works. Exit 1 when a source is broken.")
    probe.add_argument("--source", action="append", default=[], metavar="NAME",
                       help="probe only this source (repeatable)")
    probe.add_argument("--json", action="store_true", help="one JSON line per source")
    _command(subcommands, "demo", commands.cmd_demo, configured=False,
             help="offline end-to-end demo on bundled sample sites")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logs.setup(args.log_format, args.verbose)
    try:
        return _run(args)
    finally:
        logs.teardown()


def _run(args: argparse.Namespace) -> int:
    config: Config | None = None
    try:
        if args.configured:
            config = load_config(args.config)
            logs.mask_with(lambda: _secret_masks(config))
        return int(args.handler(config, args) or 0)
    except ConfigError as error:
        # A check made after loading (a channel's, --source) names the key but not the file.
        _fail(str(error.in_file(str(config.path or BUNDLED_LABEL)) if config else error))
        return 2
    except UsageError as error:
        _fail(str(error))
        return 2
    except KeyboardInterrupt:
        return 130
    except CycleRefused as error:
        _fail(str(error))
        return 1
    except BrokenPipeError:
        # The reader went away (`marsad export | head`): not an error. Point stdout at
        # devnull so that the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        # The environment failed us (disk full, permissions): a runtime failure.
        _fail(f"{error.strerror or error}" + (f": {error.filename}" if error.filename else ""))
        return 1
    except Exception as error:
        code = _storage_error_code(error)
        if code is None:
            raise  # a bug: the traceback is worth more than a tidy line
        _fail(str(error))
        return code


def _storage_error_code(error: Exception) -> int | None:
    """2 for a bad search query, 1 for other archive errors, None for anything else.
    The storage package (slow to import) is looked up only if a command loaded it."""
    errors = sys.modules.get("storage.errors")
    if errors is None or not isinstance(error, errors.StorageError):
        return None
    return 2 if isinstance(error, errors.SearchSyntaxError) else 1


def _secret_masks(config: Config) -> list[Callable[[str], str]]:
    """Each channel's secrets masker, for the log lines: a last line of defence."""
    from alerts import build_channels

    masks: list[Callable[[str], str]] = []
    for name, channel_config in config.channels.items():
        try:
            masks += [channel.redact for channel in build_channels(
                {name: channel_config}).values()]
        except ConfigError:
            pass  # the command that uses the channel reports it; nothing to mask before
    return masks


def _fail(message: str) -> None:
    message = " ".join(message.split())
    if logs.json_lines():
        logging.getLogger("marsad").error(message)
    else:
        print("marsad: " + message, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
