"""Reading typed values out of a parsed TOML table, with one-line errors.

Every error names the file and the key path (``sources[2].search_url``) and says
what is wrong. Values of secret keys are never echoed. ``${VAR}`` references are
expanded when a string is read, so an unset variable is reported at its key.
An accessor given a default returns a value, never None.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.config.values import (
    MAX_DURATION,
    MAX_INTEGER,
    MAX_SIZE,
    ConfigError,
    expand_env,
    format_duration,
    format_size,
    mailbox,
    parse_duration,
    parse_size,
    shown,
    type_name,
)
from crawler.urls import is_http_url


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
        return ConfigError(message, file=self.file, key=self.key_path(key))

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

    @overload
    def string(self, key: str, default: str, *, secret: bool = ...,
               empty: bool = ...) -> str: ...
    @overload
    def string(self, key: str, *, required: Literal[True], secret: bool = ...,
               empty: bool = ...) -> str: ...
    @overload
    def string(self, key: str, default: None = ..., *, required: bool = ..., secret: bool = ...,
               empty: bool = ...) -> str | None: ...
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

    def choice(self, key: str, default: str, choices: Sequence[str]) -> str:
        value = self.string(key, default)
        if value not in choices:
            listed = f"{', '.join(choices[:-1])} or {choices[-1]}"
            raise self.error(key, f"must be {listed}, not {shown(value)}")
        return value

    def zone(self, key: str, default: str) -> str:
        """An IANA time zone name."""
        name = self.string(key, default)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise self.error(key, f"unknown time zone {shown(name)} "
                                  "(use an IANA name such as Africa/Casablanca)") from None
        return name

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {type_name(value)}")
        return value

    @overload
    def integer(self, key: str, default: int, minimum: int = ...,
                maximum: int = ...) -> int: ...
    @overload
    def integer(self, key: str, default: None = ..., minimum: int = ...,
                maximum: int = ...) -> int | None: ...
    def integer(self, key: str, default: int | None = None, minimum: int = 0,
                maximum: int = MAX_INTEGER) -> int | None:
        value = self.raw.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"must be an integer, not {type_name(value)}")
        if value < minimum:
            raise self.error(key, "must not be negative" if minimum == 0 and value < 0
                             else f"must be at least {minimum}")
        if value > maximum:
            raise self.error(key, f"must be at most {maximum}")
        return value

    @overload
    def number(self, key: str, default: float, *, minimum: float | None = ...,
               positive: bool = ...) -> float: ...
    @overload
    def number(self, key: str, default: None = ..., *, minimum: float | None = ...,
               positive: bool = ...) -> float | None: ...
    def number(self, key: str, default: float | None = None, *, minimum: float | None = None,
               positive: bool = False) -> float | None:
        """A finite number, integer or float (TOML's nan and inf are refused)."""
        value = self.raw.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, not {type_name(value)}")
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            raise self.error(key, "is too large") from None
        if not math.isfinite(number):
            raise self.error(key, f"must be a finite number, not {value}")
        if minimum is not None and number < minimum:
            raise self.error(key, "must not be negative" if minimum == 0
                             else f"must be at least {minimum:g}")
        if positive and number <= 0:
            raise self.error(key, "must be more than zero")
        return number

    @overload
    def duration(self, key: str, default: float, positive: bool = ..., *,
                 minimum: float | None = ..., maximum: float = ...) -> float: ...
    @overload
    def duration(self, key: str, default: None = ..., positive: bool = ..., *,
                 minimum: float | None = ..., maximum: float = ...) -> float | None: ...
    def duration(self, key: str, default: float | None = None, positive: bool = True, *,
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

    @overload
    def size(self, key: str, default: int, *, zero: bool = ..., maximum: int = ...) -> int: ...
    @overload
    def size(self, key: str, default: None = ..., *, zero: bool = ...,
             maximum: int = ...) -> int | None: ...
    def size(self, key: str, default: int | None = None, *, zero: bool = False,
             maximum: int = MAX_SIZE) -> int | None:
        """A size in bytes: an integer, or text such as "5MB" (0 allowed with ``zero``),
        at most ``maximum``."""
        value = self.raw.get(key, default)
        if value is None:
            return None
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

    # -- lists, URLs and addresses ---------------------------------------

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

    def address(self, key: str, text: str) -> str:
        """Check that ``text`` (read from ``key``) is one email address, as `mailbox` reads
        it; the text is kept whole, display name and all."""
        try:
            mailbox(text)
        except ValueError as problem:
            raise self.error(key, str(problem)) from None
        return text

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
