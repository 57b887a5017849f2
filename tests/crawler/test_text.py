"""The one text folder."""

from __future__ import annotations

import unicodedata

import pytest

from alerts.escaping import clean_line
from crawler.text import INVISIBLE, fold, guess_language, squash_spaces


@pytest.mark.parametrize(("a", "b"), [
    ("الأمن", "الامن"),          # hamza on alif
    ("إرهاب", "ارهاب"),          # hamza below
    ("آمن", "امن"),              # madda
    ("مؤسسة", "موسسه"),          # waw hamza, ta marbuta
    ("مسؤول", "مسوول"),
    ("رئيس", "رييس"),            # ya hamza
    ("مستشفى", "مستشفي"),        # alif maqsura
    ("الأَمْنُ الوَطَنِيُّ", "الامن الوطني"),  # diacritics
    ("مدرســـة", "مدرسه"),       # tatweel
    ("ٱلدار", "الدار"),          # alif wasla
    ("٢٠٢٤", "2024"),            # Eastern Arabic digits
    ("۲۰۲۴", "2024"),            # Persian digits
    ("Sécurité", "securite"),
    ("ÉTAT", "etat"),
    ("cœur", "coeur"),
    ("l’armée", "l'armee"),
    ("ﻻ", "لا"),                 # presentation form ligature
])
def test_spellings_readers_treat_as_one_fold_to_one(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_distinct_words_distinct():
    assert fold("سلام") != fold("إسلام")
    assert fold("Maroc") != fold("Marocain")


def test_fold_drops_invisible_direction_marks():
    assert fold("a\u202eb\u200fc\ufeff") == "abc"


# What folding and the alerts each stripped when they had a table of their own.
FOLD_STRIPPED = (
    "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
ALERTS_STRIPPED = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufeff"


@pytest.mark.parametrize("char", sorted(set(FOLD_STRIPPED + ALERTS_STRIPPED)))
def test_one_invisible_table_strips_what_both_old_ones_did(char):
    assert char in INVISIBLE
    assert fold(f"Ma{char}roc") == "maroc"
    assert clean_line(f"Ma{char}roc") == "Maroc"


def test_invisible_table_holds_only_invisible_characters():
    assert {unicodedata.category(char) for char in INVISIBLE} == {"Cf"}


def test_fold_of_empty_and_plain_ascii():
    assert fold("") == ""
    assert fold("plain ascii 42") == "plain ascii 42"


def test_squash_spaces():
    assert squash_spaces("  a \n\t b\u00a0 c ") == "a b c"


@pytest.mark.parametrize(("text", "language"), [
    ("وزير الداخلية يستقبل نظيره الفرنسي", "ar"),
    ("Le ministre de l'Intérieur a reçu son homologue marocain dans la capitale", "fr"),
    ("The interior minister met his Moroccan counterpart in the capital", "en"),
])
def test_guess_language(text, language):
    assert guess_language(text) == language


def test_guess_language_without_letters_gives_the_default():
    assert guess_language("2024 - 10:30", default="ar") == "ar"
