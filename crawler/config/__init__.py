"""The one place where settings are read: the TOML configuration of the contract.

Every key is validated where its section reads it; problems raise `ConfigError` whose
message is one line naming the file, the key and what is wrong. The CLI turns it into
exit 2. The modules import one way: `model` (the dataclasses) and `values` (single
values), then `reader` (tables and their typed accessors), then the sections
(`sections`, `sources`, `channels`, `topics`), then this file, which puts them together.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from crawler.config.channels import channel_configs
from crawler.config.model import (
    DEFAULT_USER_AGENT,
    AlertSettings,
    ChannelConfig,
    Config,
    ConsoleChannelConfig,
    CrawlSettings,
    DigestSchedule,
    EmailChannelConfig,
    HealthSettings,
    SlackChannelConfig,
    Source,
)
from crawler.config.reader import Table
from crawler.config.sections import (
    alert_settings,
    crawl_settings,
    health_settings,
    schedule_interval,
)
from crawler.config.sources import sources
from crawler.config.topics import builtin_topics, topics
from crawler.config.values import ConfigError, mailbox, parse_duration, parse_size, parse_toml

__all__ = [
    "BUNDLED_LABEL", "DEFAULT_USER_AGENT",
    "AlertSettings", "ChannelConfig", "Config", "ConfigError", "ConsoleChannelConfig",
    "CrawlSettings", "DigestSchedule", "EmailChannelConfig", "HealthSettings",
    "SlackChannelConfig", "Source",
    "build_config", "builtin_topics", "load_config", "mailbox", "parse_duration", "parse_size",
]

CONFIG_ENV = "MARSAD_CONFIG"
LOCAL_CONFIG = "marsad.toml"
BUNDLED_LABEL = "crawler/default.toml"
_TOP_KEYS = ("database", "schedule", "crawl", "sources", "alerts", "topics", "channels",
             "health")


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Load and validate a configuration.

    Without a path: $MARSAD_CONFIG, else ./marsad.toml, else the bundled default.
    ``env`` (default: the process environment) serves both that lookup and ``${VAR}``.
    Raises ConfigError with a one-line message naming the file and the key.
    """
    env = os.environ if env is None else env
    if path is None and env.get(CONFIG_ENV):
        path = env[CONFIG_ENV]
    if path is None and Path(LOCAL_CONFIG).is_file():
        path = LOCAL_CONFIG
    if path is None:
        text = resources.files("crawler").joinpath("default.toml").read_bytes()
        return build_config(parse_toml(text, BUNDLED_LABEL), BUNDLED_LABEL, None, env)
    label = str(path)
    try:
        text = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError("no such file", file=label) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a configuration file", file=label) from None
    except OSError as problem:
        raise ConfigError(f"cannot read: {problem.strerror}", file=label) from None
    return build_config(parse_toml(text, label), label, Path(path).absolute(), env)


def build_config(raw: Mapping[str, Any], file: str, path: Path | None,
                 env: Mapping[str, str]) -> Config:
    """The whole configuration from parsed TOML; relative paths resolve against the file's
    folder (the working directory for the bundled default)."""
    root = Table(raw, "", file, env)
    root.check_keys(_TOP_KEYS)
    database = Path(root.string("database", "marsad.db")).expanduser()
    if not database.is_absolute():
        database = (path.parent if path else Path.cwd()) / database
    interval = schedule_interval(root.table("schedule"))
    crawl = crawl_settings(root.table("crawl"))
    channels = channel_configs(root.table("channels"))
    return Config(
        path=path,
        database=database,
        schedule_interval=interval,
        crawl=crawl,
        sources=sources(root.tables("sources"), crawl.timezone),
        alerts=alert_settings(root.table("alerts")),
        topics=topics(root.tables("topics"), channels),
        channels=channels,
        health=health_settings(root.table("health")),
    )
