"""The [[topics]]: what is alerted on.

Every key of a topic is checked here, where it is read, and nowhere else: a
`crawler.matching.Topic` takes its values as given. The built-in topics
(crawler/topics/*.toml, written as [[topics]] tables) are read the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources

from crawler.config.model import ChannelConfig
from crawler.config.reader import Table
from crawler.config.sections import field_names
from crawler.config.values import parse_toml, shown
from crawler.matching import WINDOWS, Topic
from crawler.topics.terms import parse_term

BUILTIN_PACKAGE = "crawler.topics"
_TERM_LISTS = ("none_of", "ignore", "penalties", "core_terms")
_GROUP_HINT = 'must be a non-empty array of terms such as ["المغرب", "Maroc"]'


def topics(tables: list[Table] | None, channels: Mapping[str, ChannelConfig]) -> tuple[Topic, ...]:
    """The [[topics]]; when the key is absent, the built-in ones (an empty array means none)."""
    if tables is None:
        return builtin_topics()
    seen: dict[str, str] = {}
    result = []
    for table in tables:
        topic = topic_config(table, channels)
        if topic.name in seen:
            raise table.error("name", f"duplicate topic name {shown(topic.name)} "
                                      f"(also {seen[topic.name]})")
        seen[topic.name] = table.key_path()
        result.append(topic)
    return tuple(result)


@cache
def builtin_topics() -> tuple[Topic, ...]:
    """The topics used when the configuration names none, in file name order. They name
    no channel (they go to every channel) and no ${VAR}: they serve any configuration.
    Read once a process: they are files of the installed package, and frozen."""
    files = sorted(resources.files(BUILTIN_PACKAGE).iterdir(), key=lambda entry: entry.name)
    found = []
    for entry in files:
        if entry.name.endswith(".toml"):
            label = f"{BUILTIN_PACKAGE.replace('.', '/')}/{entry.name}"
            table = Table(parse_toml(entry.read_bytes(), label), "", label, {})
            found.append(topic_config(table, {}))
    return tuple(found)


def topic_config(table: Table, channels: Mapping[str, ChannelConfig]) -> Topic:
    """One [[topics]] table; ``channels`` are the configured channels it may name."""
    table.check_keys(field_names(Topic))
    default = Topic(name=table.string("name", required=True))
    all_of = _term_groups(table)
    lists = {key: _terms(table, key) for key in _TERM_LISTS}
    terms = {term for group in all_of for term in group}.union(*lists.values())
    return Topic(
        name=default.name,
        all_of=all_of,
        none_of=lists["none_of"],
        queries=table.strings("queries"),
        channels=_channels(table, channels),
        window=table.choice("window", default.window, WINDOWS),
        weights=_weights(table, terms),
        min_group_score=table.number("min_group_score", default.min_group_score),
        group_cap=table.number("group_cap", positive=True),
        near=table.integer("near", default.near),
        min_score=table.number("min_score", default.min_score),
        ignore=lists["ignore"],
        penalties=lists["penalties"],
        core_terms=lists["core_terms"],
        languages=table.strings("languages"),
    )


def _check_term(table: Table, key: str, term: str) -> None:
    try:
        parse_term(term)
    except ValueError as problem:
        raise table.error(key, str(problem)) from None


def _term_groups(table: Table) -> tuple[tuple[str, ...], ...]:
    if not table.has("all_of"):
        raise table.error("all_of", "is required (an array of groups of terms)")
    groups = table.raw["all_of"]
    if not isinstance(groups, list) or not groups:
        raise table.error("all_of", "must be a non-empty array of arrays of terms")
    result = []
    for index, group in enumerate(groups):
        if not isinstance(group, list) or not group:
            raise table.error(f"all_of[{index}]", _GROUP_HINT)
        terms = []
        for position, value in enumerate(group):
            key = f"all_of[{index}][{position}]"
            term = table.text(key, value).strip()
            if not term:
                raise table.error(key, "must not be empty")
            _check_term(table, key, term)
            terms.append(term)
        result.append(tuple(terms))
    return tuple(result)


def _terms(table: Table, key: str) -> tuple[str, ...]:
    terms = table.strings(key)
    for index, term in enumerate(terms):
        _check_term(table, f"{key}[{index}]", term)
    return terms


def _channels(table: Table, channels: Mapping[str, ChannelConfig]) -> tuple[str, ...] | None:
    """The channel names the topic's alerts go to; None (every channel) when unset."""
    if not table.has("channels"):
        return None
    names = table.strings("channels")
    for index, name in enumerate(names):
        if name not in channels:
            raise table.error(f"channels[{index}]", f"channel {shown(name)} is not defined "
                                                    f"(no [channels.{name}] table)")
    return names


def _weights(table: Table, terms: set[str]) -> tuple[tuple[str, float], ...]:
    weights = table.table("weights")
    result = []
    for term in weights.raw:
        weight = weights.number(term, 1.0, minimum=0)
        if term not in terms:
            raise weights.error(term, "is not one of the topic's terms")
        result.append((term, weight))
    return tuple(result)
