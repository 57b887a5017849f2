"""Highlight segments and excerpts for alerts: original text, matched words marked."""

import random

from crawler.matching import excerpt, highlight
from crawler.text import fold


def marked(segments):
    return [text for text, hit in segments if hit]


def test_highlight_marks_terms_in_the_original_text():
    text = "Réunion à Rabat : la SÉCURITÉ des Marocains, et la sécurité alimentaire."
    segments = highlight(text, ["sécurité", "Maroc*"])
    assert "".join(s for s, _ in segments) == text
    assert marked(segments) == ["SÉCURITÉ", "Marocains", "sécurité"]


def test_highlight_keeps_arabic_words_whole_with_their_clitics_and_marks():
    text = "وأكد حمّوشي أن التعاون بين المغرب وفرنسا للأمن، والمغربية."
    segments = highlight(text, ["المغرب", "فرنسا", "أمن", "حموشي"])
    assert "".join(s for s, _ in segments) == text
    assert marked(segments) == ["حمّوشي", "المغرب", "وفرنسا", "للأمن"]


def test_highlight_marks_a_phrase_as_one_segment():
    segments = highlight("Le crime   organisé recule", ["crime organisé"])
    assert segments == [("Le ", False), ("crime   organisé", True), (" recule", False)]


def test_highlight_without_terms_or_text():
    assert highlight("Rien ici", ["Maroc"]) == [("Rien ici", False)]
    assert highlight("", ["Maroc"]) == []


def test_excerpt_of_a_short_text_is_the_whole_text():
    text = "La DGSI et la DGST coopèrent."
    assert excerpt(text, ["DGSI"], width=300) == highlight(text, ["DGSI"])


def test_excerpt_cuts_around_the_richest_passage_on_word_boundaries():
    filler = "Une phrase de remplissage sans intérêt particulier. " * 12
    key = "Le Maroc et la France renforcent leur coopération en matière de terrorisme."
    lone = " Plus loin, le Maroc seul. "
    text = lone + filler + key + " " + filler
    segments = excerpt(text, ["Maroc", "France", "terroris*"], width=200)
    body = "".join(s for s, _ in segments)
    assert segments[0] == ("…", False) and segments[-1] == ("…", False)
    assert key in body
    assert marked(segments) == ["Maroc", "France", "terrorisme"]
    inner = body.strip("…")
    assert len(inner) <= 200
    assert inner in text
    start = text.index(inner)
    # Cut at white space: no word is split at either end.
    assert text[start - 1] == " " and text[start + len(inner)] == " "


def test_excerpt_without_a_match_is_the_beginning():
    text = "مقال طويل " * 100
    segments = excerpt(text, ["فرنسا"], width=100)
    assert segments[-1] == ("…", False)
    assert text.startswith(segments[0][0])
    assert not marked(segments)
    assert len(segments[0][0]) <= 100


def test_excerpt_at_the_very_start_has_no_leading_ellipsis():
    text = "Hammouchi reçoit le patron de la DGSI. " + "Suite du texte. " * 50
    segments = excerpt(text, ["Hammouchi", "DGSI"], width=120)
    assert segments[0] == ("Hammouchi", True)
    assert segments[-1] == ("…", False)


def test_terms_that_are_not_valid_rules_mark_nothing_and_raise_nothing():
    assert highlight("Le Maroc", ["*", "", "Maroc"]) == [("Le ", False), ("Maroc", True)]


def test_folding_a_text_whole_equals_folding_it_character_by_character():
    # Highlighting folds a text whole when each of its characters folds to one, and maps
    # positions one for one: that holds only if folding works character by character.
    pool = [chr(c) for c in (*range(0x20, 0x250), *range(0x600, 0x700), *range(0x2000, 0x2070))]
    single = [c for c in pool if len(fold(c)) == 1]
    rng = random.Random(1)
    for _ in range(2000):
        text = "".join(rng.choice(single) for _ in range(rng.randint(1, 40)))
        assert fold(text) == "".join(map(fold, text)), text
