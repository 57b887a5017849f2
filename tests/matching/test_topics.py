"""The built-in topic (how topics are read and checked: tests/crawler/test_config_topics.py)."""

import pytest

from crawler.config import builtin_topics
from crawler.matching import match


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

