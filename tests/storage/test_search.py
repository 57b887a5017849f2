"""Full-text search: Arabic and French folding, FTS5 syntax kept, bad syntax a clear error."""

from __future__ import annotations

import json
import re

import pytest

from crawler.text import fold
from storage import Archive, SearchSyntaxError
from storage.fts_query import clitic_forms, translate
from storage.search import SNIPPET_WIDTH

AR_URL = "https://www.hespress.com/politique/436105.html"
FR_URL = "https://fr.hespress.com/400001-securite.html"
OTHER_URL = "https://fr.hespress.com/400002-salon.html"


# Read only by the tests that take them: filled once for the module.
@pytest.fixture(scope="module")
def filled(new_module_archive, make_article, bodies) -> Archive:
    archive = new_module_archive()
    archive.store_article(make_article(url=AR_URL))
    archive.store_article(make_article(
        url=FR_URL, title="Sécurité : le Maroc et la France renforcent leur coopération",
        text=bodies.fr, language="fr"))
    archive.store_article(make_article(
        url=OTHER_URL, title="Meknès : un salon record", text=bodies.other, language="fr"))
    return archive


def urls(archive: Archive, query: str) -> set[str]:
    return {hit["url"] for hit in archive.search(query)}


@pytest.mark.parametrize(("query", "expected"), [
    ("الامن", {AR_URL}),            # hamza folded: الأمن in the text
    ("الأمن", {AR_URL}),
    ("المدرسه", {AR_URL}),          # ta marbuta: المدرسة in the text
    ("المدرسة", {AR_URL}),
    ("الْأَمْنِ", {AR_URL}),         # diacritics
    ("المغـــرب", {AR_URL}),         # tatweel
    ("securite", {FR_URL}),          # Sécurité in the title
    ("SÉCURITÉ", {FR_URL}),
    ("surete", {FR_URL}),            # Sûreté
    ("meknes", {OTHER_URL}),
    ("Maroc", {FR_URL}),
])
def test_folding_at_index_and_query_time(filled: Archive, query: str, expected: set) -> None:
    assert urls(filled, query) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("maroc AND france", {FR_URL}),
    ("maroc OR meknes", {FR_URL, OTHER_URL}),
    ("dans NOT maroc", {OTHER_URL}),
    ('"sûreté nationale"', {FR_URL}),
    ('"nationale sûreté"', set()),
    ("secur*", {FR_URL}),
    ("(meknes OR rabat) NOT agriculture", {FR_URL}),
    ("NEAR(maroc france, 3)", {FR_URL}),
    ("title:salon", {OTHER_URL}),
    ("text:salon", {OTHER_URL}),
    ("title:securite", {FR_URL}),
    ("l'envoi", {FR_URL}),           # punctuation inside a word is not syntax
    ("Rabat, Paris", {FR_URL}),       # a comma separates words
    ("maroc and france", set()),      # lower-case "and" is a word, absent from every text
])
def test_fts_syntax_stays_meaningful(filled: Archive, query: str, expected: set) -> None:
    assert urls(filled, query) == expected


@pytest.mark.parametrize(("query", "reason"), [
    ('"sûreté nationale', "not closed"),
    ("(maroc OR france", r"'\(' is not closed"),
    ("maroc)", "no matching"),
    ("AND", "no word to search for"),
    ("maroc AND NOT france", "unexpected 'NOT'"),
    ("maroc AND", "ends too early"),
    ("NOT maroc", "unexpected 'NOT'"),
    ("maroc OR OR france", "unexpected 'OR'"),
    ("NEAR(", "not closed"),
    ("*", "'\\*' must end a word"),
    ("", "no word to search for"),
    ("   ", "no word to search for"),
    ("- ; !", "no word to search for"),
])
def test_malformed_queries_raise_one_line_errors(filled: Archive, query: str,
                                                 reason: str) -> None:
    with pytest.raises(SearchSyntaxError, match=reason) as raised:
        filled.search(query)
    assert "\n" not in str(raised.value)
    assert "bad search query" in str(raised.value)


@pytest.mark.parametrize("query", [
    'NEAR("maroc" "france", -1)', "NEAR(maroc france, 1.5)", "NEAR(maroc france, x)",
    "NEAR(maroc, france)", "NEAR(maroc france, 5, 6)", "NEAR(maroc france, 5*)",
])
def test_near_distance_must_be_a_whole_number(filled: Archive, query: str) -> None:
    # FTS5 reports these as "expected integer", not as a syntax error: checked first.
    with pytest.raises(SearchSyntaxError, match=r"NEAR\(…, N\) takes a whole number") as raised:
        filled.search(query)
    assert "\n" not in str(raised.value)
    assert urls(filled, "NEAR(maroc france, ٣)") == {FR_URL}  # folded digits still count


@pytest.mark.parametrize("query", [
    '"; DROP TABLE articles; --',
    "maroc'; DROP TABLE articles; --",
    "NEAR(maroc",
    "**maroc",
    '"" maroc',
    "maroc\x00france",
    "x:maroc",
    "^maroc + france",
    "{maroc}",
    "maroc\n(france",
    'إرهاب"; DROP TABLE articles; --',
    "إرهاب*)",
    "NEAR(إرهاب فرنسا",
    "title:إرهاب**",
    "(إرهاب) (فرنسا)",
    "إرهاب AND NOT فرنسا",
])
def test_hostile_input_is_an_error_or_a_search_never_sql(filled: Archive, query: str) -> None:
    try:
        hits = filled.search(query)
    except SearchSyntaxError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(hits, list)
    assert filled.db["articles"].count == 3
    assert urls(filled, "maroc") == {FR_URL}


def test_ta_marbuta_written_as_ha_in_the_page(archive: Archive, make_article, bodies) -> None:
    archive.store_article(make_article(text=bodies.ar + " افتتاح مدرسه جديدة للشرطة"))
    assert urls(archive, "مدرسة") == {AR_URL}
    assert urls(archive, "مدرسه") == {AR_URL}


def test_results_carry_fields_snippet_and_rank(filled: Archive) -> None:
    hits = filled.search("coopération")
    assert [hit["url"] for hit in hits] == [FR_URL]
    hit = hits[0]
    assert set(hit) >= {"url", "title", "source", "published", "snippet", "rank"}
    assert hit["source"] == "hespress"
    # The excerpt is the original text (accents intact), around the searched word.
    assert "coopération en matière de sécurité" in hit["snippet"]
    assert isinstance(hit["rank"], float)


def test_title_hits_rank_before_body_hits(archive: Archive, make_article, bodies) -> None:
    archive.store_article(make_article(url="https://a.ma/1.html", title="Agriculture",
                                       text=bodies.fr + " Le mot salon figure ici."))
    archive.store_article(make_article(url="https://a.ma/2.html", title="Un salon à Meknès",
                                       text=bodies.fr.replace("Maroc", "royaume")))
    assert [hit["url"] for hit in archive.search("salon")] == [
        "https://a.ma/2.html", "https://a.ma/1.html"]


def test_limit(filled: Archive) -> None:
    assert len(filled.search("la", limit=1)) == 1
    with pytest.raises(Exception, match="positive"):
        filled.search("la", limit=0)


def test_translate_keeps_operators_and_quotes_what_is_not_a_bareword() -> None:
    query = translate('Sécurité AND "L\'Armée" OR l\'armée NOT مدرسة* NEAR(a b, 5)')
    group = "(" + " OR ".join(f'"{form}"*' for form in clitic_forms("مدرسه")) + ")"
    # The implicit AND is spelt out around the OR group, bracketed so NOT keeps its scope.
    assert query.expression == (
        'securite AND "l\'armee" OR "l\'armee" NOT (' + group + " AND NEAR( a b , 5 ))")
    assert group.startswith('("مدرسه"* OR "المدرسه"* OR ') and '"والمدرسه"*' in group
    # Terms as a topic writes them, for the snippet: a prefix keeps its star.
    assert "securite" in query.terms and "مدرسه*" in query.terms


@pytest.mark.parametrize(("query", "expression"), [
    ("maroc AND france", "maroc AND france"),
    ("(meknes OR rabat) NOT agriculture", "( meknes OR rabat ) NOT agriculture"),
    ("NEAR(maroc france, 3)", "NEAR( maroc france , 3 )"),
    ("title:salon secur*", "title: salon secur*"),
    ('"sûreté nationale" l\'envoi', '"surete nationale" "l\'envoi"'),
    ("Rabat, Paris", "rabat paris"),
    ("a NOT b c", "a NOT b c"),
])
def test_latin_queries_translate_as_before(query: str, expression: str) -> None:
    # Clitics are Arabic only: a Latin query keeps its plain FTS5 form.
    assert translate(query).expression == expression


def test_snippet_is_one_line_around_the_searched_word(archive: Archive, make_article) -> None:
    words = [f"w{i}" for i in range(300)]
    words[150] = "Sécurité"
    text = "\n".join(" ".join(words[at:at + 10]) for at in range(0, 300, 10))
    archive.store_article(make_article(title="Agriculture", text=text, language="fr"))
    for query in ("securite", "secur*", "title:agriculture OR sécurité"):
        (hit,) = archive.search(query)
        snippet = hit["snippet"]
        assert "Sécurité" in snippet and "\n" not in snippet, query
        assert snippet.startswith("…") and snippet.endswith("…"), query
        assert len(snippet) <= SNIPPET_WIDTH + 2, query


def test_a_short_body_is_its_own_snippet(archive: Archive, make_article) -> None:
    archive.store_article(make_article(title="Salon", text="Un salon\nà Meknès.", language="fr"))
    assert [hit["snippet"] for hit in archive.search("salon")] == ["Un salon à Meknès."]


def test_real_arabic_press_text_is_found_with_folded_spellings(
        archive: Archive, make_article, shared_folder) -> None:
    lines = (shared_folder / "realtext" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    arabic = [json.loads(line) for line in lines if json.loads(line)["language"] == "ar"]
    assert len(arabic) >= 10
    for number, item in enumerate(arabic):
        archive.store_article(make_article(
            url=f"https://example.ma/{number}.html", title=item["title"], text=item["text"]))
    with_hamza = [i for i, item in enumerate(arabic)
                  if "الأمن" in item["text"].split() and "الامن" in re.findall(r"\w+",
                                                                           fold(item["text"]))]
    assert with_hamza, "the sample should contain الأمن"
    # Clitic forms count too: «للأمن», «والأمن» are the same word to a reader.
    forms = {"الامن", "للامن", "والامن", "بالامن"}
    with_clitics = [i for i, item in enumerate(arabic)
                    if forms & set(re.findall(r"\w+", fold(item["title"] + " " + item["text"])))]
    assert set(with_clitics) - set(with_hamza), "the sample should have «للأمن» alone somewhere"
    hits = {hit["url"] for hit in archive.search("الامن", limit=100)}
    assert {f"https://example.ma/{i}.html" for i in with_hamza + with_clitics} <= hits


# One short article per clitic form; titles are neutral except the first one's.
CLITIC_TEXTS = {
    "definite": "ندوة دولية حول الإرهاب في منطقة الساحل",
    "wa": "تعاون مشترك والإرهاب في صلب المحادثات",
    "bi": "إشادة بالتعاون المتعلق بالإرهاب مع الشركاء بفرنسا",
    "bare": "تهديد إرهاب عابر للحدود يمس أمن المنطقة",
    "wa_france": "اتفاق جديد بين المغرب وفرنسا",
    "france": "فرنسا تستضيف قمة حول الهجرة",
    "derived": "الجماعات الإرهابية تحت المراقبة ومن يدعمها",
}


@pytest.fixture(scope="module")
def clitics(new_module_archive, make_article) -> Archive:
    archive = new_module_archive()
    for name, text in CLITIC_TEXTS.items():
        title = "الإرهاب في الساحل" if name == "definite" else "مقال"
        archive.store_article(make_article(url=f"https://a.ma/{name}.html", title=title,
                                           text=text))
    return archive


def names(archive: Archive, query: str) -> set[str]:
    return {url.rsplit("/", 1)[1].removesuffix(".html") for url in urls(archive, query)}


@pytest.mark.parametrize(("query", "expected"), [
    ("إرهاب", {"definite", "wa", "bi", "bare"}),        # الإرهاب والإرهاب بالإرهاب إرهاب
    ("ارهاب", {"definite", "wa", "bi", "bare"}),         # folding still applies
    ("الإرهاب", {"definite", "wa", "bi", "bare"}),       # its own article is optional
    ("والإرهاب", {"wa"}),                                  # a written clitic is kept
    ("فرنسا", {"bi", "wa_france", "france"}),            # بفرنسا وفرنسا فرنسا
    ("إرهاب فرنسا", {"bi"}),                              # both words, each with clitics
    ("إرهاب AND فرنسا", {"bi"}),
    ("إرهاب OR فرنسا", {"definite", "wa", "bi", "bare", "wa_france", "france"}),
    ("فرنسا NOT إرهاب", {"wa_france", "france"}),        # NOT drops «بالإرهاب» too
    ("فرنسا NOT الإرهاب", {"wa_france", "france"}),
    # An implicit AND binds tighter than NOT: فرنسا NOT (إرهاب المغرب).
    ("فرنسا NOT إرهاب المغرب", {"bi", "wa_france", "france"}),
    ("(إرهاب OR هجرة) NOT ساحل", {"wa", "bi", "bare", "france"}),
    ("إرهاب*", {"definite", "wa", "bi", "bare", "derived"}),  # الإرهابية
    ("title:إرهاب", {"definite"}),
    ("من", {"derived"}),                                   # «ومن», never «أمن» nor «منطقة»
    ("أمن", {"bare"}),
    ('"الإرهاب"', {"definite"}),                           # a quoted phrase is exact
    ('"إرهاب"', {"bare"}),
    ('"إرهاب عابر"', {"bare"}),
    ('"الإرهاب في"', {"definite"}),                        # not «والإرهاب في»
    ("NEAR(المغرب وفرنسا, 2)", {"wa_france"}),              # NEAR takes exact phrases
])
def test_arabic_words_find_their_clitic_forms(clitics: Archive, query: str,
                                              expected: set) -> None:
    assert names(clitics, query) == expected


def test_clitic_forms_are_prefixes_only() -> None:
    forms = clitic_forms("من")
    assert forms[0] == "من"
    assert {"ومن", "فمن", "بمن", "لمن", "كمن", "المن", "والمن", "للمن", "وبمن"} <= set(forms)
    assert all(form.endswith("من") and len(form) <= 6 for form in forms)
    assert "امن" not in forms  # ا is no clitic: «أمن» is another word
    assert clitic_forms("ارهاب") == clitic_forms("الارهاب")
    assert clitic_forms("و") == ["و"] and clitic_forms("maroc") == ["maroc"]


def test_an_arabic_group_is_all_quoted_strings() -> None:
    expression = translate("title:إرهاب* فرنسا").expression
    assert expression.startswith('(title: ("ارهاب"* OR "الارهاب"* OR ')
    assert ' AND ("فرنسا" OR "الفرنسا" OR ' in expression
    inner = expression.replace("title:", "").replace("(", " ").replace(")", " ")
    words = [w for w in inner.split() if w not in {"OR", "AND"}]
    assert words and all(re.fullmatch(r'"\w+"\*?', word) for word in words)
