"""[[topics]] are read and checked in one place, the configuration reader: every key onto
its Topic field, every bad value one line naming its key path, the built-in topics
through the same reader."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from crawler.config import Config, ConfigError, builtin_topics, load_config
from crawler.matching import Topic, match

TOPIC = '[[topics]]\nname = "t"\nall_of = [["a"]]\n'
BUILTIN = Path(__file__).resolve().parents[2] / "crawler" / "topics"

EVERY_KEY = """\
[channels.email]
type = "console"

[[topics]]
name = "x"
all_of = [["Maroc"], ["police"]]
none_of = ["football"]
queries = ["Maroc police"]
channels = ["email"]
window = "paragraph"
weights = { police = 2 }
min_score = 3
min_group_score = 1
group_cap = 4.0
near = 3
ignore = ["police municipale"]
penalties = ["match"]
core_terms = ["enquête"]
languages = ["fr"]
"""


def load(folder: Path, text: str, env: dict[str, str] | None = None) -> Config:
    path = folder / "marsad.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env=env or {})


def problem(folder: Path, text: str) -> str:
    """The one-line message for a bad file, without the file label."""
    with pytest.raises(ConfigError) as caught:
        load(folder, text)
    message = str(caught.value)
    label = f"{folder / 'marsad.toml'}: "
    assert "\n" not in message and message.startswith(label), message
    return message[len(label):]


def test_every_key_is_read_onto_its_field(tmp_path):
    [topic] = load(tmp_path, EVERY_KEY).topics
    default = Topic(name="x")
    unread = [f.name for f in fields(Topic)
              if f.name != "name" and getattr(topic, f.name) == getattr(default, f.name)]
    assert unread == []
    assert topic.channels == ("email",) and topic.weights == (("police", 2.0),)
    assert (topic.min_score, topic.group_cap, topic.near) == (3.0, 4.0, 3)
    assert match(topic, title="", text="Maroc : la police enquête").score == 3
    assert match(topic, title="", text="Maroc : la police enquête sur le match").score == 3
    assert match(topic, title="", text="Maroc : la police municipale") is None


BAD_TOPICS = [
    (TOPIC + 'window = "sentence"', "topics[0].window: must be document or paragraph, "
     "not 'sentence'"),
    ('[[topics]]\nname = "t"\nall_of = [["a"], ["fr*ance"]]', "topics[0].all_of[1][0]: term "
     "'fr*ance': use words, with `*` only at the end of a word"),
    ('[[topics]]\nname = "t"\nall_of = [["*"]]',
     "topics[0].all_of[0][0]: term '*': use words, with `*` only at the end of a word"),
    ('[[topics]]\nname = "t"\nall_of = "a"',
     "topics[0].all_of: must be a non-empty array of arrays of terms"),
    (TOPIC + 'core_terms = ["b", "a*b"]',
     "topics[0].core_terms[1]: term 'a*b': use words, with `*` only at the end of a word"),
    (TOPIC + 'none_of = ["*x"]',
     "topics[0].none_of[0]: term '*x': use words, with `*` only at the end of a word"),
    (TOPIC + "ignore = [3]", "topics[0].ignore[0]: must be a string, not an integer"),
    (TOPIC + 'penalties = "b"', "topics[0].penalties: must be an array of strings, not a string"),
    (TOPIC + 'languages = "fr"', "topics[0].languages: must be an array of strings, not a string"),
    (TOPIC + "weights = { y = 2 }", "topics[0].weights.y: is not one of the topic's terms"),
    (TOPIC + "weights = { a = -1 }", "topics[0].weights.a: must not be negative"),
    (TOPIC + 'weights = { a = "heavy" }', "topics[0].weights.a: must be a number, not a string"),
    (TOPIC + "weights = 3",
     "topics[0].weights: must be a table ([topics[0].weights]), not an integer"),
    (TOPIC + "near = -1", "topics[0].near: must not be negative"),
    (TOPIC + "near = 2.5", "topics[0].near: must be an integer, not a float"),
    (TOPIC + "group_cap = 0", "topics[0].group_cap: must be more than zero"),
    (TOPIC + 'min_score = "3"', "topics[0].min_score: must be a number, not a string"),
    (TOPIC + f"min_group_score = {'9' * 400}", "topics[0].min_group_score: is too large"),
    (TOPIC + 'queries = ["${UNSET}"]',
     "topics[0].queries[0]: environment variable UNSET is not set"),
    (TOPIC + '[[topics]]\nname = "u"\nall_of = [["a"]]\nchannels = ["pager"]',
     "topics[1].channels[0]: channel 'pager' is not defined (no [channels.pager] table)"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_TOPICS,
                         ids=[case[1].split(":")[0] for case in BAD_TOPICS])
def test_a_bad_topic_is_one_line_naming_the_key(tmp_path, text, expected):
    assert problem(tmp_path, text + "\n") == expected


def test_terms_and_queries_expand_variables_once(tmp_path):
    text = TOPIC.replace('"a"', '"${TERM}"') + 'queries = ["$${literal} ${TERM}"]\n'
    [topic] = load(tmp_path, text, env={"TERM": "Maroc"}).topics
    assert topic.all_of == (("Maroc",),)
    assert topic.queries == ("${literal} Maroc",)


def test_builtin_topics_are_read_like_a_configured_one(tmp_path):
    """The bundled file, pasted into a configuration as a [[topics]] table, gives the same
    topic: one reader for both."""
    [builtin] = builtin_topics()
    assert builtin.name == "morocco-france-security" and builtin.channels is None
    text = (BUILTIN / "morocco_france_security.toml").read_text(encoding="utf-8")
    pasted = "[[topics]]\n" + text.replace("\n[weights]\n", "\n[topics.weights]\n")
    assert load(tmp_path, pasted).topics == (builtin,)
    assert load(tmp_path, "").topics == (builtin,)  # no [[topics]]: the built-in one

