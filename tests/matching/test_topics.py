"""The built-in topic and topics read from TOML tables."""

import pytest

from crawler.matching import Topic, builtin_topics, match, topic_from_mapping


def test_builtin_topic_is_the_contracts_default(security_topic):
    assert [t.name for t in builtin_topics()] == ["morocco-france-security"]
    assert security_topic.channels is None
    assert 2 <= len(security_topic.queries) <= 4
    assert any("حموشي" in q for q in security_topic.queries)
    assert security_topic.window == "paragraph" and security_topic.min_score > 0


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("", "استقبل حموشي المدير العام للأمن الداخلي الفرنسي لبحث مكافحة الإرهاب."),
        ("", "Rabat et Paris renforcent leur coopération antiterroriste et le renseignement."),
        ("", "وزير الداخلية لفتيت ونظيره الفرنسي يبحثان ترحيل المهاجرين غير النظاميين."),
        ("", "French police arrested a Moroccan suspect wanted for drug trafficking in Tangier."),
        # A security core outweighs the venue and the match around it.
        (
            "تمرين أمني مشترك بين المغرب وفرنسا يحاكي هجوما إرهابيا على ملعب",
            "حاكى التمرين هجوما إرهابيا خلال مباراة لكرة القدم أمام آلاف المشجعين.",
        ),
        (
            "",
            "Le RAID et la DGSN ont simulé une prise d'otages au stade de Marrakech pendant "
            "un match de football : exercice antiterroriste franco-marocain.",
        ),
    ],
)
def test_builtin_topic_finds_security_cooperation(security_topic, title, text):
    assert match(security_topic, title=title, text=text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "Le Maroc et la France signent des accords commerciaux et parlent sécurité alimentaire.",
        "المنتخب المغربي يواجه نظيره الفرنسي وتعزيزات أمنية بمحيط الملعب.",
        "Morocco and Spain dismantle a terror cell, Agence France-Presse reported.",
        "La DGSI déjoue un attentat à Lyon.",
        # Sport with one country's policing: the penalties still discount it.
        "Après le match Maroc-France, la police française a interpellé 40 supporters à Paris.",
        "Concert du rappeur franco-marocain au Stade de France : sécurité renforcée, 800 policiers",
    ],
)
def test_builtin_topic_ignores_other_subjects(security_topic, text):
    assert match(security_topic, title="", text=text) is None


def test_topic_from_mapping_reads_every_knob():
    topic = topic_from_mapping(
        {
            "name": "x",
            "all_of": [["Maroc"], ["police"]],
            "none_of": ["football"],
            "queries": ["Maroc police"],
            "channels": ["email"],
            "window": "paragraph",
            "weights": {"police": 2},
            "min_score": 3,
            "min_group_score": 1,
            "group_cap": 4.0,
            "near": 3,
            "ignore": ["police municipale"],
            "penalties": ["match"],
            "core_terms": ["enquête"],
            "languages": ["fr"],
        }
    )
    assert isinstance(topic, Topic)
    assert topic.channels == ("email",) and topic.weights == (("police", 2.0),)
    assert match(topic, title="", text="Maroc : la police enquête").score == 3
    assert topic.core_terms == ("enquête",)
    assert match(topic, title="", text="Maroc : la police enquête sur le match").score == 3


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"all_of": [["a"]]}, "name"),
        ({"name": "x"}, "all_of"),
        ({"name": "x", "all_of": []}, "all_of"),
        ({"name": "x", "all_of": [["a"], []]}, "all_of"),
        ({"name": "x", "all_of": "a"}, "all_of"),
        ({"name": "x", "all_of": [["a"]], "colour": "red"}, "colour"),
        ({"name": "x", "all_of": [["a"]], "none_of": "b"}, "none_of"),
        ({"name": "x", "all_of": [["a"]], "min_score": "3"}, "min_score"),
        ({"name": "x", "all_of": [["a"]], "near": 2.5}, "near"),
        ({"name": "x", "all_of": [["a"]], "weights": {"a": "heavy"}}, "weights"),
        ({"name": "x", "all_of": [["a"]], "weights": {"b": 1}}, "weights"),
        ({"name": "x", "all_of": [["a"]], "window": "page"}, "window"),
        ({"name": "x", "all_of": [["a"]], "core_terms": "b"}, "core_terms"),
        ({"name": "x", "all_of": [["a*b"]]}, "a*b"),
    ],
)
def test_topic_from_mapping_names_the_key_at_fault(data, key):
    with pytest.raises(ValueError) as error:
        topic_from_mapping(data)
    message = str(error.value)
    assert key in message and "\n" not in message


def test_every_topic_field_has_a_table_shape():
    from dataclasses import fields

    from crawler.topics import SHAPES

    assert set(SHAPES) == {f.name for f in fields(Topic)}
