"""Reading typed values out of a parsed TOML table, with one-line errors.

Every error names the file and the key path (``sources[2].search_url``) and says
what is wrong. Values of secret keys are never echoed. ``${VAR}`` references are
expanded when a string is read, so an unset variable is reported at its key.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from crawler.urls import is_http_url


class ConfigError(Exception):
    """A configuration problem: ``str(error)`` is the one-line message for the user."""


_TOML_TYPES = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
               list: "an array", dict: "a table"}
_ENV_REFERENCE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")
_DURATION = re.compile(r"(?:\s*(?:\d+(?:\.\d*)?|\.\d+)\s*(?:ms|s|m|h|d|w))+\s*", re.IGNORECASE)
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h|d|w)", re.IGNORECASE)
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*([kmg]i?b?|b)?\s*", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}

# Outer limits for any duration or size read from a file, whatever its key: far beyond
# any sensible setting, yet well inside what timedelta, datetime and SQLite integers hold.
MAX_DURATION = 36525 * 86400.0  # 100 years
MAX_SIZE = 1024**4  # 1024GB
MAX_INTEGER = 2**31 - 1


def parse_duration(text: str) -> float:
    """'30s', '15m', '2h', '30d', '0.25s', '1h30m' -> seconds. Raises ValueError."""
    if text.strip().startswith("-"):
        raise ValueError("must not be negative")
    if not _DURATION.fullmatch(text):
        raise ValueError(f"bad duration {shown(text)}: use a number and a unit (ms, s, m, h, d, w)"
                         ", e.g. 30s, 15m, 2h, 30d")
    seconds = sum(float(number) * _DURATION_UNITS[unit.lower()]
                  for number, unit in _DURATION_PART.findall(text))
    if not math.isfinite(seconds):  # hundreds of digits overflow the float
        raise ValueError(f"duration {shown(text)} is too large")
    return seconds


def parse_size(text: str) -> int:
    """'5MB', '512KB', '1.5 MiB', '2048' -> bytes (units are powers of 1024). Raises ValueError."""
    if text.strip().startswith("-"):
        raise ValueError("must not be negative")
    match = _SIZE.fullmatch(text)
    if not match:
        raise ValueError(f"bad size {shown(text)}: use e.g. 512KB, 5MB or a number of bytes")
    unit = (match.group(2) or "").lower()[:1]
    size = float(match.group(1)) * _SIZE_UNITS[unit]
    if not math.isfinite(size):  # hundreds of digits overflow the float
        raise ValueError(f"size {shown(text)} is too large")
    return int(size)


def format_duration(seconds: float) -> str:
    """A bound for a message, in the largest unit that states it exactly: 604800 -> '7d'."""
    for unit in ("d", "h", "m", "s", "ms"):
        count = seconds / _DURATION_UNITS[unit]
        if count >= 1 and count == int(count):
            return f"{int(count)}{unit}"
    return f"{seconds:g}s"


def format_size(size: int) -> str:
    """A bound for a message, in the largest unit that states it exactly: 1048576 -> '1MB'."""
    for unit in ("g", "m", "k"):
        if size >= _SIZE_UNITS[unit] and size % _SIZE_UNITS[unit] == 0:
            return f"{size // _SIZE_UNITS[unit]}{unit.upper()}B"
    return f"{size} bytes"


def expand_env(text: str, env: Mapping[str, str]) -> str:
    """Replace each ``${NAME}`` by the variable's value; ``$${`` stands for a literal ``${``.

    Raises ValueError naming an unset variable or an unterminated reference.
    """

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        name = match.group(1)
        if name is None:
            raise ValueError("bad ${...} reference: use ${NAME}, or $${ for a literal ${")
        if name not in env:
            raise ValueError(f"environment variable {name} is not set")
        return env[name]

    return _ENV_REFERENCE.sub(replace, text)


def shown(value: object, limit: int = 80) -> str:
    """A value quoted for an error message: one line, bounded length."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def type_name(value: object) -> str:
    return _TOML_TYPES.get(type(value), f"a {type(value).__name__}")


class Table:
    """One TOML table and where it sits: its file label and its key path."""

    def __init__(self, raw: Mapping[str, Any], path: str, file: str,
                 env: Mapping[str, str]) -> None:
        self.raw = raw
        self.path = path
        self.file = file
        self.env = env

    def key_path(self, key: str | int | None = None) -> str:
        if key is None:
            return self.path or "(top level)"
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | int | None, message: str) -> ConfigError:
        return ConfigError(f"{self.file}: {self.key_path(key)}: {message}")

    def child(self, key: str | int, raw: Mapping[str, Any]) -> Table:
        return Table(raw, self.key_path(key), self.file, self.env)

    def has(self, key: str) -> bool:
        return key in self.raw

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.raw:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise self.error(key, f"unknown key{hint}")

    # -- scalars ---------------------------------------------------------

    def text(self, key: str | int, value: object, secret: bool = False) -> str:
        """A string value, ${VAR}-expanded; ``key`` is only used in errors."""
        if not isinstance(value, str):
            raise self.error(key, f"must be a string, not {type_name(value)}")
        try:
            expanded = expand_env(value, self.env)
        except ValueError as problem:
            raise self.error(key, str(problem)) from None
        if any(ord(char) < 32 and char != "\t" for char in expanded):
            where = "" if secret else f": {shown(expanded)}"
            raise self.error(key, f"must not contain line breaks or control characters{where}")
        return expanded

    def string(self, key: str, default: str | None = None, *, required: bool = False,
               secret: bool = False, empty: bool = False) -> str | None:
        if key not in self.raw:
            if required:
                raise self.error(key, "is required")
            return default
        value = self.text(key, self.raw[key], secret)
        if not value.strip() and not empty:
            raise self.error(key, "must not be empty")
        # A secret is taken verbatim: spaces may be part of a password.
        return value if secret else value.strip()

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {type_name(value)}")
        return value

    def integer(self, key: str, default: int, minimum: int = 0,
                maximum: int = MAX_INTEGER) -> int:
        value = self.raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"must be an integer, not {type_name(value)}")
        if value < minimum:
            raise self.error(key, "must not be negative" if minimum == 0 and value < 0
                             else f"must be at least {minimum}")
        if value > maximum:
            raise self.error(key, f"must be at most {maximum}")
        return value

    def duration(self, key: str, default: float | None, positive: bool = True, *,
                 minimum: float | None = None,
                 maximum: float = MAX_DURATION) -> float | None:
        """A duration ("30s", "15m") or a number of seconds: finite, never negative, more
        than zero when ``positive``, and within ``minimum`` and ``maximum`` (seconds)."""
        if key not in self.raw:
            return default
        value = self.raw[key]
        seconds: float | int
        if isinstance(value, str):
            try:
                seconds = parse_duration(self.text(key, value))
            except ValueError as problem:
                raise self.error(key, str(problem)) from None
        elif isinstance(value, int | float) and not isinstance(value, bool):
            # Integers stay exact until checked: float() of a huge one overflows.
            seconds = value
        else:
            raise self.error(key, f"must be a duration such as \"30s\" or \"15m\", "
                                  f"not {type_name(value)}")
        if isinstance(seconds, float) and math.isnan(seconds):
            raise self.error(key, "must be a finite duration, not nan")
        if seconds < 0:
            raise self.error(key, "must not be negative")
        if positive and seconds == 0:
            raise self.error(key, "must be more than zero")
        if minimum is not None and seconds < minimum:
            raise self.error(key, f"must be at least {format_duration(minimum)}")
        if seconds > maximum:
            raise self.error(key, f"must be at most {format_duration(maximum)}")
        return float(seconds)

    def size(self, key: str, default: int, *, zero: bool = False,
             maximum: int = MAX_SIZE) -> int:
        """A size in bytes: an integer, or text such as "5MB" (0 allowed with ``zero``),
        at most ``maximum``."""
        value = self.raw.get(key, default)
        if isinstance(value, str):
            try:
                value = parse_size(self.text(key, value))
            except ValueError as problem:
                raise self.error(key, str(problem)) from None
        elif isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"must be a size such as \"5MB\" or a number of bytes, "
                                  f"not {type_name(value)}")
        if value < 0:
            raise self.error(key, "must not be negative")
        if value == 0 and not zero:
            raise self.error(key, "must be more than zero")
        if value > maximum:
            raise self.error(key, f"must be at most {format_size(maximum)}")
        return value

    # -- lists and URLs --------------------------------------------------

    def strings(self, key: str, *, single: bool = False) -> tuple[str, ...]:
        """An array of non-empty strings (or, with ``single``, one string standing alone)."""
        value = self.raw.get(key, [])
        if single and isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(key, f"must be an array of strings, not {type_name(value)}")
        items = []
        for index, item in enumerate(value):
            item_path = f"{key}[{index}]"
            text = self.text(item_path, item).strip()
            if not text:
                raise self.error(item_path, "must not be empty")
            items.append(text)
        return tuple(items)

    def url(self, key: str, text: str, secret: bool = False) -> str:
        """Check that ``text`` (read from ``key``) is an absolute http(s) URL."""
        if not is_http_url(text.replace("{query}", "q")) or any(c.isspace() for c in text):
            where = "" if secret else f", not {shown(text)}"
            raise self.error(key, f"must be an http:// or https:// URL{where}")
        return text

    def urls(self, key: str) -> tuple[str, ...]:
        return tuple(self.url(f"{key}[{index}]", text)
                     for index, text in enumerate(self.strings(key)))

    # -- nested tables ---------------------------------------------------

    def table(self, key: str) -> Table:
        """A sub-table (empty when absent)."""
        value = self.raw.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f"must be a table ([{self.key_path(key)}]), "
                                  f"not {type_name(value)}")
        return self.child(key, value)

    def tables(self, key: str) -> list[Table] | None:
        """An array of tables ([[key]]); None when absent."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(key, f"must be an array of tables ([[{self.key_path(key)}]])")
        base = self.key_path(key)
        return [Table(item, f"{base}[{index}]", self.file, self.env)
                for index, item in enumerate(value)]
