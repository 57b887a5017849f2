"""The command line's logging: one line per event on stderr, as text or as JSON.

`--log-format json` writes one JSON object per line (time, level, logger,
message, and source, channel, cause, requests when the event has them), for
log shippers. Without `-v`, marsad's own warnings, the daemon's course and other
libraries' errors are shown, and a network failure that marsad reports itself
(once per source, naming the cause) is not repeated by Scrapy's retry and
robots.txt messages nor followed by a traceback; `-v` brings Scrapy's log and
the tracebacks back, `-vv` the debug messages. Every line passes the secrets
mask last, whatever logged it.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

FORMATS = ("text", "json")
FIELDS = ("source", "channel", "cause", "requests")  # extras copied to JSON when set
# Loggers of marsad's own code: its warnings are for the user; other libraries' only
# from their errors up, unless verbose.
OWN = ("marsad", "crawler", "spiders", "storage", "alerts", "news")
# Scrapy's messages about a download that failed: the spider reports it once per source.
DOWNLOAD_LOGGERS = ("scrapy.downloadermiddlewares.retry",)
# The daemon's own course (a cycle starts, ends, fails): shown from INFO up, without -v.
COURSE_LOGGERS = ("marsad.daemon",)

Mask = Callable[[str], str]


class Secrets:
    """The masks every line passes through. They are made when the first line is written:
    making them imports the alert channels, which a command that logs nothing is spared."""

    def __init__(self) -> None:
        self.makers: list[Callable[[], Iterable[Mask]]] = []
        self.masks: list[Mask] = []

    def __call__(self, text: str) -> str:
        while self.makers:
            self.masks += self.makers.pop(0)()
        for mask in self.masks:
            text = mask(text)
        return text


def _own(name: str) -> bool:
    return any(name == own or name.startswith(own + ".") for own in OWN)


def expected_failure(record: logging.LogRecord) -> bool:
    """A network failure (the site down, unknown, silent): the record's exception, or one
    among its arguments, has a cause `name_cause` can name."""
    from crawler.causes import name_cause
    from crawler.middlewares.robots import RobotsTxtUnavailable

    found = [record.exc_info[1]] if record.exc_info and record.exc_info[1] else []
    args = record.args.values() if isinstance(record.args, dict) else (record.args or ())
    found += [arg for arg in args if isinstance(arg, BaseException)]
    return any(isinstance(error, RobotsTxtUnavailable) or name_cause(error, "") is not None
               for error in found)


class Details(logging.Filter):
    """What a user sees without -v: marsad's warnings, other libraries' errors, and no
    traceback nor repeat for an expected network failure."""

    def __init__(self, verbose: int) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        if self.verbose:
            return True
        if _own(record.name):
            return record.levelno >= logging.WARNING or record.name in COURSE_LOGGERS
        if record.levelno < logging.ERROR or record.name in DOWNLOAD_LOGGERS:
            return False
        # An expected failure is said once per source by the spider, with its cause.
        return not expected_failure(record)


class TextFormatter(logging.Formatter):
    def __init__(self, secrets: Secrets) -> None:
        super().__init__("%(asctime)s [%(name)s] %(levelname)s: %(message)s",
                         "%Y-%m-%d %H:%M:%S")
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return self.secrets(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object on one line, characters as themselves (ensure_ascii=False)."""

    def __init__(self, secrets: Secrets) -> None:
        super().__init__()
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Each value masked on its own: no secret can hide behind JSON escaping.
        entry = {key: self.secrets(value) if isinstance(value, str) else value
                 for key, value in entry.items()}
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is when the record comes (tests swap it)."""

    def __init__(self, log_format: str, verbose: int) -> None:
        super().__init__(logging.DEBUG if verbose > 1 else logging.INFO)
        self.secrets = Secrets()
        self.setFormatter(JsonFormatter(self.secrets) if log_format == "json"
                          else TextFormatter(self.secrets))
        self.addFilter(Details(verbose))
        self.json = log_format == "json"
        self.verbose = verbose

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.exc_info and not self.verbose and expected_failure(record):
                # A copy: other handlers (a test's, say) still get the traceback.
                record = logging.makeLogRecord({**record.__dict__, "exc_info": None,
                                                "exc_text": None})
            line = self.format(record)
            stream = sys.stderr
            if not self.json:
                line = line.replace("\r", "")
                if stream.isatty():
                    line = "\r\033[K" + line  # over the progress line, which redraws itself
            stream.write(line + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


_installed: StderrHandler | None = None
_previous_level = logging.WARNING


def setup(log_format: str = "text", verbose: int = 0) -> StderrHandler:
    """Install marsad's stderr handler on the root logger (replacing an earlier one)."""
    global _installed, _previous_level
    if log_format not in FORMATS:
        raise ValueError(f"unknown log format {log_format!r}")
    teardown()
    _installed = StderrHandler(log_format, verbose)
    _previous_level = logging.root.level
    # Lowered, never raised: a level set lower (by a test's log capture) stays.
    logging.root.setLevel(min(logging.root.level, _installed.level))
    logging.root.addHandler(_installed)
    return _installed


def mask_with(make_masks: Callable[[], Iterable[Mask]]) -> None:
    """Mask secrets in every line the installed handler writes from now on, with the
    masks `make_masks` returns (called once, when the first line is written)."""
    if _installed is not None:
        _installed.secrets.makers.append(make_masks)


def installed() -> bool:
    """True when `setup` installed the handler: Scrapy must not install its own."""
    return _installed is not None and _installed in logging.root.handlers


def json_lines() -> bool:
    return _installed is not None and _installed.json


def teardown() -> None:
    global _installed
    if _installed is not None:
        logging.root.removeHandler(_installed)
        logging.root.setLevel(_previous_level)
        _installed = None
