"""The `marsad` command line: a thin layer over the library.

Library errors become one-line messages here and nowhere else: exit 2 for
usage and configuration errors, 1 for runtime failures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from crawler import __version__
from crawler.config import Config, ConfigError, load_config


class UsageError(Exception):
    """Bad command-line input: reported on one line, exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad", description="News monitor for Morocco–France security cooperation."
    )
    parser.add_argument("--config", metavar="PATH",
                        help="configuration file (default: $MARSAD_CONFIG, ./marsad.toml, bundled)")
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    crawl = commands.add_parser("crawl", help="run one monitoring cycle")
    crawl.add_argument("--source", action="append", default=[], metavar="NAME",
                       help="crawl only this source (repeatable)")
    crawl.add_argument("-v", "--verbose", action="count", default=0, help="show Scrapy's log")
    crawl.add_argument("--json", action="store_true", help="print the summary as JSON")

    commands.add_parser("run", help="the daemon: a cycle now, then every schedule.interval")

    search = commands.add_parser("search", help="full-text search of stored articles")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")

    export = commands.add_parser("export", help="every stored article as JSON lines")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")

    alerts = commands.add_parser("alerts", help="alerts and their delivery status")
    alerts.add_argument("--json", action="store_true")

    match = commands.add_parser("match", help="test topic rules on articles given as JSON lines")
    match.add_argument("file", nargs="?", default="-")
    match.add_argument("--json", action="store_true")

    extract = commands.add_parser("extract", help="extract pages without crawling or storing")
    extract.add_argument("pages", nargs="+", metavar="PAGE")
    extract.add_argument("--url", help="the address of the page (single page)")
    extract.add_argument("--json", action="store_true")

    commands.add_parser("test-alert", help="send a test message to every channel")
    stats = commands.add_parser("stats", help="per-source figures")
    stats.add_argument("--json", action="store_true")
    commands.add_parser("demo", help="offline end-to-end demo on bundled sample sites")
    return parser


def emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from crawler import commands
    from storage.errors import SearchSyntaxError, StorageError

    try:
        config = load_config(args.config)
        handler = getattr(commands, "cmd_" + args.command.replace("-", "_"))
        return int(handler(config, args) or 0)
    except (ConfigError, UsageError, SearchSyntaxError) as error:
        print(f"marsad: {error}", file=sys.stderr)
        return 2
    except StorageError as error:
        print(f"marsad: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def config_label(config: Config) -> str:
    return str(config.path) if config.path else "bundled default configuration"


if __name__ == "__main__":
    sys.exit(main())
