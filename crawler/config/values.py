"""The configuration file's text, and its single values: durations, sizes, email
addresses, ${VAR} references.

Each value parser raises ValueError with the problem alone ("must be one email address,
not 'x'"); the reader (`crawler.config.reader`) puts the file and the key in front.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from email.utils import getaddresses
from typing import Any


class ConfigError(Exception):
    """A configuration problem: ``str(error)`` is the one-line message for the user,
    "file: key: problem" (each part when known)."""

    def __init__(self, problem: str, *, file: str | None = None,
                 key: str | None = None) -> None:
        super().__init__(": ".join(part for part in (file, key, problem) if part))
        self.problem = problem
        self.file = file
        self.key = key

    def in_file(self, file: str) -> ConfigError:
        """The error naming ``file`` too, when it names a key but no file (as a check made
        after loading does: a channel's, say)."""
        if self.file is not None or self.key is None:
            return self
        return ConfigError(self.problem, file=file, key=self.key)


_TOML_TYPES = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
               list: "an array", dict: "a table"}
_ENV_REFERENCE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")
_DURATION = re.compile(r"(?:\s*(?:\d+(?:\.\d*)?|\.\d+)\s*(?:ms|s|m|h|d|w))+\s*", re.IGNORECASE)
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h|d|w)", re.IGNORECASE)
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*([kmg]i?b?|b)?\s*", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column \d+|at end of document)\)$")

# Outer limits for any duration or size read from a file, whatever its key: far beyond
# any sensible setting, yet well inside what timedelta, datetime and SQLite integers hold.
MAX_DURATION = 36525 * 86400.0  # 100 years
MAX_SIZE = 1024**4  # 1024GB
MAX_INTEGER = 2**31 - 1


def parse_toml(content: bytes, label: str) -> dict[str, Any]:
    """A file's TOML tables; ConfigError names the file and the line."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = content[: problem.start].count(b"\n") + 1
        raise ConfigError(f"line {line}: not UTF-8 text", file=label) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        # The position is only in the message: this tomllib has no attribute for it.
        message = " ".join(str(problem).split())
        found = _TOML_POSITION.search(message)
        last = max(len(text.splitlines()), 1)  # "at end of document"
        where = found.group(1) if found and found.group(1) else last
        if found:
            message = message[: found.start()]
        raise ConfigError(f"line {where}: {message}", file=label) from None
    except ValueError:  # Python refuses to read an integer of thousands of digits
        raise ConfigError("an integer has too many digits to be read", file=label) from None


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


def mailbox(text: str) -> str:
    """The bare address of one mailbox, 'a@b.org' or 'Name <a@b.org>'. Raises ValueError.

    Exactly one: several recipients are an array (`to = ["a@b.org", "c@d.org"]`), so
    "a@b.org, c@d.org" in one string is refused rather than cut to its first address.
    """
    pairs = [] if _CONTROL.search(text) else getaddresses([text])
    stray_separator = text.strip().strip(",;") != text.strip()
    if len(pairs) != 1 or stray_separator or not _ADDRESS.fullmatch(pairs[0][1]):
        raise ValueError(f"must be one email address, not {shown(text)}")
    return pairs[0][1]


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
    if len(text) <= limit:
        return text
    quote = text[0] if text[0] in "'\"" else ""  # a string's closing quote, not a number's
    return text[: limit - 3 - len(quote)] + "..." + quote


def type_name(value: object) -> str:
    return _TOML_TYPES.get(type(value), f"a {type(value).__name__}")
