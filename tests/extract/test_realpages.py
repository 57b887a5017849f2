"""Extraction of every real news page in ../shared/realpages against what its JSON
expects: headline, date, body, language and, where the markup marks them, read-also links."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.extract import PageHints, decode_html, extract_article
from crawler.extract.headline import HeadlineForms, headline
from crawler.text import ARABIC_LETTERS, squash_spaces

REALPAGES = Path(__file__).resolve().parents[2].parent / "shared" / "realpages"
NOW = datetime(2026, 2, 1, tzinfo=UTC)
# Where the pages from fundus' test data were served (their JSON does not say; the
# trafilatura evaluation's JSON is keyed by the address).
URLS = {
    "fr_LeMonde": "https://www.lemonde.fr/politique/article/2023/08/30/"
                  "sophie-binet-met-en-garde_6187099_823448.html",
    "fr_LeFigaro": "https://www.lefigaro.fr/international/guerre-en-ukraine-deux-morts-20241122",
    "lb_LBCGroup": "https://www.lbcgroup.tv/news/lifestyle/898682/x/ar",
}
READ_ALSO_MARKUP = {"fr_LeMonde": "section.catcher .catcher__desc a[href]",
                    "fr_LeFigaro": "p.fig-body-link a[href]"}
_DATED_NAME = re.compile(r"_\d{4}_\d{2}_\d{2}$")

pytestmark = pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is absent")


@dataclass(frozen=True)
class Expected:
    title: str
    published: datetime | None  # None where the JSON gives no date
    paragraphs: tuple[str, ...]  # the whole body, or snippets it must hold
    absent: tuple[str, ...]  # snippets it must not hold
    whole_body: bool  # paragraphs is the whole body, not snippets


def page_files() -> dict[str, Path]:
    """Every page in the folder, by the name of its JSON."""
    if not REALPAGES.is_dir():
        return {}
    return {_DATED_NAME.sub("", f.name.removesuffix(".html.gz")): f
            for f in sorted(REALPAGES.glob("*.html.gz"))}


PAGES = page_files()


def load(name: str) -> tuple[bytes, str, Expected]:
    body = gzip.decompress(PAGES[name].read_bytes())
    data = json.loads((REALPAGES / f"{name}.json").read_text(encoding="utf-8"))
    if "V1" in data:  # fundus: title, publishing_date, body sections
        v1 = data["V1"]
        sections = v1["body"]["sections"]
        expected = Expected(
            title=v1["title"], published=datetime.fromisoformat(v1["publishing_date"]),
            paragraphs=tuple(p for s in sections for p in s["paragraphs"]), absent=(),
            whole_body=True)
        return body, URLS.get(name, f"https://example.org/{name}.html"), expected
    url, entry = next(iter(data.items()))  # trafilatura: snippets with and without
    expected = Expected(
        title=entry["title"],
        published=datetime.fromisoformat(entry["date"]) if entry.get("date") else None,
        paragraphs=tuple(entry["with"]), absent=tuple(entry["without"]), whole_body=False)
    return body, url, expected


def test_the_folder_holds_pages() -> None:
    assert len(PAGES) >= 4
    assert all((REALPAGES / f"{name}.json").is_file() for name in PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_headline_date_body_and_language(name: str) -> None:
    body, url, expected = load(name)
    found = extract_article(body, url, now=NOW)
    assert squash_spaces(found.title) == squash_spaces(expected.title)
    if expected.published is not None:
        assert found.published == expected.published
    text = squash_spaces(found.text)
    for paragraph in expected.paragraphs:
        assert squash_spaces(paragraph) in text, paragraph[:60]
    for snippet in expected.absent:
        assert squash_spaces(snippet) not in text, snippet
    if expected.whole_body:
        assert len(found.text) < 1.3 * sum(len(p) for p in expected.paragraphs)
    arabic = ARABIC_LETTERS.search(expected.title) is not None
    assert found.language == ("ar" if arabic else name[:2])


def without_declared_dates(html: str) -> str:
    """The page without its JSON-LD, meta tags and date attributes: only the date it
    prints is left."""
    html = re.sub(r"<script[^>]*ld\+json[^>]*>.*?</script>", "", html, flags=re.S | re.I)
    html = re.sub(r"<meta[^>]*>", "", html, flags=re.I)
    return re.sub(r"\s(?:datetime|itemprop|property|content)=\"[^\"]*\"", " ", html,
                  flags=re.I)


# Le Figaro prints only «il y a 3 heures»: its date is in its metadata alone.
@pytest.mark.parametrize(("name", "timezone"), [("fr_LeMonde", "Europe/Paris"),
                                                ("lb_LBCGroup", "Asia/Beirut"),
                                                ("tn_assabah", "Africa/Tunis")])
def test_the_printed_date_alone_gives_the_day(name: str, timezone: str) -> None:
    """The date near the headline (Le Monde's «Publié le … à 14h52», LBC's date line,
    Assabah's date in the article footer, not its top bar's date of the day)."""
    if name not in PAGES:
        pytest.skip(f"{name} is not in ../shared/realpages")
    body, url, expected = load(name)
    hints = PageHints(timezone=timezone)
    declared = extract_article(body, url, now=NOW, hints=hints).published
    assert declared is not None  # Assabah's JSON gives no date: its dc:date does
    if expected.published is not None:
        assert declared == expected.published
    printed = extract_article(without_declared_dates(decode_html(body)), url, now=NOW,
                              hints=hints).published
    assert printed is not None, name
    assert printed.date() == declared.astimezone(printed.tzinfo).date()
    if name == "fr_LeMonde":  # the minute too
        assert abs((printed - declared).total_seconds()) < 60


@pytest.mark.parametrize("name", sorted(PAGES))
def test_headline_from_the_title_tag_alone(name: str) -> None:
    """A page's <title>, with the names it gives its site, undressed to the headline
    (" - Lebanon News", " - الصباح | Assabah")."""
    body, url, expected = load(name)
    forms = extract_article(body, url, now=NOW).headline_forms
    assert forms.document_title
    alone = HeadlineForms(document_title=forms.document_title, site_names=forms.site_names)
    assert squash_spaces(headline(alone, url)) == squash_spaces(expected.title)


@pytest.mark.parametrize("name", sorted(READ_ALSO_MARKUP))
def test_read_also_links_of_le_monde_and_le_figaro(name: str) -> None:
    body, url, _ = load(name)
    found = extract_article(body, url, now=NOW)
    tree = lxml_html.document_fromstring(decode_html(body))
    marked = [a.get("href") for a in tree.cssselect(READ_ALSO_MARKUP[name])]
    assert marked, "the page has read-also markup"
    assert [r.url for r in found.read_also] == list(dict.fromkeys(marked))
    for link in found.read_also:
        assert link.title and link.title not in found.text
