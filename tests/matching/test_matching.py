"""Term matching rules: folding, clitics, `*`, whole words, phrases, vetoes, scores."""


import pytest

from crawler.matching import Match, Topic, match, match_all


def fires(term: str, text: str) -> bool:
    return match(Topic("t", all_of=((term,),)), title="", text=text) is not None


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("أمن", "تعزيز امن الحدود"),  # hamza on alif
        ("إرهاب", "مكافحة الارهاب"),
        ("الإرهاب", "مكافحة الإرهاب"),
        ("إيقاف", "تم ايقاف المشتبه فيه"),  # hamza below alif
        ("آلاف", "الاف المهاجرين"),  # madda
        ("الشرطة", "الشرطه"),  # ta marbuta
        ("مستوى", "على مستوي عال"),  # alif maqsura
        ("حموشي", "استقبل حمّوشي الوفد"),  # shadda
        ("فرنسا", "زار فرنـــسا"),  # tatweel
        ("sécurité", "LA SECURITE DU TERRITOIRE"),
        ("Nuñez", "le ministre NUNEZ"),
        ("SECURITE", "la sécurité"),
    ],
)
def test_folding_makes_spellings_equal(term, text):
    assert fires(term, text)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("المغرب", "والمغرب"),
        ("فرنسا", "بفرنسا"),
        ("أمن", "للأمن"),
        ("المغرب", "للمغرب"),
        ("المغرب", "بالمغرب"),
        ("المغرب", "وبالمغرب"),
        ("المغرب", "فالمغرب"),
        ("المغرب", "كالمغرب"),
        ("أمن", "فللأمن"),
        ("أمن", "وللأمن"),
        ("فرنسا", "وفرنسا"),
        ("فرنسا", "لفرنسا"),
        ("فرنسا", "كفرنسا"),
        ("الأمن", "أمن"),  # the term's own article is optional
        ("لفتيت", "ولفتيت"),  # a word that itself begins like a clitic
    ],
)
def test_attached_clitics_are_read_through(term, text):
    assert fires(term, text)


def test_clitics_never_glue_unrelated_words():
    assert not fires("المغرب", "المغربي")
    assert not fires("فرنسا", "وفرنساوي")
    assert not fires("لفتيت", "فتيت")


def test_star_accepts_endings_only_where_written():
    for text in ("فرنسا", "فرنسي", "الفرنسية", "والفرنسيين"):
        assert fires("فرنس*", text), text
    assert not fires("فرنس*", "فرن")
    assert fires("Maroc*", "les autorités marocaines")
    assert not fires("Maroc", "les autorités marocaines")
    assert fires("Maroc", "le Maroc.")


def test_whole_words_only():
    assert not fires("سلام", "التيار الإسلامي")
    assert not fires("Maroc", "Marocain")
    assert not fires("police", "policier")
    assert fires("police", "la police, hier")


def test_multi_word_terms_take_clitics_on_the_first_word_only():
    assert fires("الدار البيضاء", "وصل إلى بالدار البيضاء أمس")
    assert not fires("الدار البيضاء", "الدار والبيضاء")
    assert fires("crime organisé", "le CRIME ORGANISE transfrontalier")
    assert not fires("crime organisé", "un crime, organisé la veille")  # a clause ends between
    assert fires("notice rouge", "une notice   rouge")
    assert fires("service* marocain*", "les services marocains")


def test_all_of_needs_every_group_and_none_of_vetoes():
    topic = Topic("t", all_of=(("Maroc", "المغرب"), ("France",)), none_of=("football",))
    assert match(topic, title="Le Maroc et la France", text="") is not None
    assert match(topic, title="Le Maroc", text="et l'Espagne") is None
    assert match(topic, title="Le Maroc et la France", text="Un match de FOOTBALL") is None


def test_score_counts_occurrences_and_matched_lists_terms_as_written():
    topic = Topic("t", all_of=(("Maroc*", "Rabat"), ("sécurité",)), weights={"Rabat": 2})
    found = match(topic, title="Sécurité", text="À Rabat, les Marocains et le Maroc.")
    assert found == Match(topic="t", score=5.0, matched=("sécurité", "Rabat", "Maroc*"))


def test_min_score_and_group_knobs():
    base = dict(name="t", all_of=(("Maroc",), ("police",)))
    text = "Maroc police police police"
    assert match(Topic(**base, min_score=4), title="", text=text).score == 4
    assert match(Topic(**base, min_score=4, group_cap=2), title="", text=text) is None
    assert match(Topic(**base, min_group_score=2), title="", text=text) is None
    assert match(Topic(**base, min_group_score=2), title="", text="Maroc Maroc police") is None
    assert match(Topic(**base, min_group_score=2), title="Maroc", text="Maroc police police")


def test_near_doubles_evidence_that_stands_together_in_a_clause():
    topic = Topic("t", all_of=(("français*",), ("police",)), near=3)
    assert match(topic, title="", text="la police française").score == 4
    assert match(topic, title="", text="la police, dit un touriste français").score == 2
    assert match(topic, title="", text="police un deux trois quatre français").score == 2


def test_ignored_phrases_and_penalties():
    topic = Topic(
        "t",
        all_of=(("Maroc",), ("sécurité",)),
        ignore=("sécurité alimentaire",),
        penalties=("football",),
        weights={"football": 1.5},
    )
    assert match(topic, title="", text="Maroc : sécurité alimentaire") is None
    assert match(topic, title="", text="Maroc : sécurité").score == 2
    assert match(topic, title="", text="Maroc : sécurité, football").score == 0.5


def test_a_core_paragraph_is_spared_the_penalties():
    topic = Topic(
        "t",
        all_of=(("Maroc",), ("France",), ("police", "attentat")),
        window="paragraph",
        penalties=("stade", "match"),
        core_terms=("attentat",),
    )
    drill = "Le Maroc et la France simulent un attentat au stade pendant un match."
    assert match(topic, title="", text=drill).score == 3
    policing = "Le Maroc et la France au stade : la police encadre le match."
    assert match(topic, title="", text=policing).score == 1
    # The core needs every group in its own paragraph; elsewhere, penalties still count.
    apart = "Un attentat simulé au stade.\nLe Maroc et la France : la police et le match."
    assert match(topic, title="", text=apart).score == 1
    assert match(topic, title="Maroc, France, attentat", text="Au stade, le match.").score == 3


def test_penalties_still_weigh_on_windows_without_the_core():
    topic = Topic(
        "t",
        all_of=(("Maroc",), ("France",), ("police", "attentat")),
        window="paragraph",
        penalties=("match",),
        weights={"match": 0.5},
        core_terms=("attentat",),
    )
    text = "Maroc, France : attentat.\nMaroc, France, police, police, police, match."
    assert match(topic, title="", text=text).score == 4.5  # 5 - 0.5 beats the core's 3


def test_a_long_unbroken_text_is_read_as_runs_of_sentences():
    topic = Topic("t", all_of=(("Maroc",), ("France",), ("police",)), window="paragraph")
    filler = " ".join(["Le conseil municipal a voté le budget de la ville hier soir."] * 8)
    apart = f"Le Maroc signe. {filler} La France aussi. {filler} La police enquête. {filler}"
    assert "\n" not in apart and len(apart.split()) > 200
    assert match(topic, title="", text=apart) is None
    assert match(Topic("d", all_of=topic.all_of), title="", text=apart) is not None
    together = f"{filler} Le Maroc et la France : la police enquête. {filler} {filler}"
    assert match(topic, title="", text=together) is not None
    assert match(topic, title="", text="Le Maroc signe. La France aussi. La police enquête.")


def test_paragraph_window_needs_the_groups_together():
    topic = Topic("t", all_of=(("Maroc",), ("France",), ("police",)), window="paragraph")
    apart = "Le Maroc signe.\n\nLa France aussi.\n\nLa police enquête."
    assert match(topic, title="", text=apart) is None
    assert match(Topic("d", all_of=topic.all_of), title="", text=apart) is not None
    assert match(topic, title="Maroc", text="Rien.\n\nLa police de France enquête.")
    assert match(topic, title="", text="Le Maroc et la France.\n\nLa police enquête.") is None


def test_languages_restrict_when_the_language_is_known():
    topic = Topic("t", all_of=(("Maroc",),), languages=("fr",))
    assert match(topic, title="Maroc", text="", language="fr")
    assert match(topic, title="Maroc", text="", language=None)
    assert match(topic, title="Maroc", text="", language="en") is None


def test_match_all_keeps_the_topics_order():
    topics = [
        Topic("b", all_of=(("France",),)),
        Topic("none", all_of=(("Espagne",),)),
        Topic("a", all_of=(("Maroc",),)),
    ]
    found = match_all(topics, title="Maroc", text="France")
    assert [m.topic for m in found] == ["b", "a"]


def test_topics_built_from_lists_stay_hashable_and_equal():
    one = Topic("t", all_of=[["a", "b"], ["c"]], none_of=["d"], weights={"a": 2})
    two = Topic("t", all_of=(("a", "b"), ("c",)), none_of=("d",), weights=(("a", 2.0),))
    assert one == two and hash(one) == hash(two)


@pytest.mark.parametrize("separator", ["\n", " "], ids=["paragraphs", "one-block"])
def test_a_five_kilobyte_article_matches_in_paragraphs_or_one_block(security_topic, separator):
    # Its speed (about 1 ms) is measured by benchmarks/topics.py, not asserted here.
    paragraph = (
        "أكد عبد اللطيف حموشي خلال لقائه بنظيره الفرنسي أن التعاون الأمني بين الرباط وباريس "
        "مكن من إحباط مخططات إرهابية وتفكيك شبكات لتهريب المخدرات. "
        "Les services marocains et la DGSI ont échangé des renseignements sur la menace."
        + separator
    )
    body = (paragraph * 40).encode()[:5000].decode(errors="ignore")
    assert match(security_topic, title="", text=body) is not None
