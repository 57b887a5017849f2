"""Extraction of real news pages against their expected content (read from ../shared)."""

from __future__ import annotations

import gzip
import json
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.extract import decode_html, extract_article
from crawler.text import squash_spaces

REALPAGES = Path(__file__).resolve().parents[2].parent / "shared" / "realpages"
NOW = datetime(2026, 2, 1, tzinfo=UTC)
PAGES = {
    "fr_LeMonde": ("fr_LeMonde_2023_09_01.html.gz", "https://www.lemonde.fr/politique/article/"
                   "2023/08/30/sophie-binet-met-en-garde_6187099_823448.html"),
    "fr_LeFigaro": ("fr_LeFigaro_2024_11_22.html.gz", "https://www.lefigaro.fr/international/"
                    "guerre-en-ukraine-deux-morts-20241122"),
    "lb_LBCGroup": ("lb_LBCGroup_2026_01_08.html.gz",
                    "https://www.lbcgroup.tv/news/lifestyle/898682/x/ar"),
    "tn_assabah": ("tn_assabah.html.gz", "http://www.assabah.com.tn/article/164913/x"),
}
READ_ALSO_MARKUP = {"fr_LeMonde": "section.catcher .catcher__desc a[href]",
                    "fr_LeFigaro": "p.fig-body-link a[href]"}

pytestmark = pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is absent")


def load(name: str) -> tuple[bytes, str, dict]:
    file, url = PAGES[name]
    body = gzip.decompress((REALPAGES / file).read_bytes())
    expected = json.loads((REALPAGES / f"{name}.json").read_text(encoding="utf-8"))
    return body, url, expected


@pytest.mark.parametrize("name", ["fr_LeMonde", "fr_LeFigaro", "lb_LBCGroup"])
def test_fundus_pages(name: str) -> None:
    body, url, expected = load(name)
    expected = expected["V1"]
    found = extract_article(body, url, now=NOW)
    assert squash_spaces(found.title) == squash_spaces(expected["title"])
    assert found.published == datetime.fromisoformat(expected["publishing_date"])
    text = squash_spaces(found.text)
    for section in expected["body"]["sections"]:
        for paragraph in section["paragraphs"]:
            assert squash_spaces(paragraph) in text, paragraph[:60]
    assert len(found.text) < 1.3 * sum(
        len(p) for s in expected["body"]["sections"] for p in s["paragraphs"] + s["headline"])
    assert found.language == name[:2] if name != "lb_LBCGroup" else found.language == "ar"


def test_trafilatura_eval_page() -> None:
    body, url, expected = load("tn_assabah")
    expected = next(iter(expected.values()))
    found = extract_article(body, url, now=NOW)
    assert squash_spaces(found.title) == squash_spaces(expected["title"])
    for snippet in expected["with"]:
        assert snippet in found.text
    for snippet in expected["without"]:
        assert snippet not in found.text
    assert found.language == "ar"


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


def test_extraction_costs_a_few_parses() -> None:
    """Per page, extraction may cost a few times what parsing alone costs, no more."""
    for name in PAGES:
        body, url, _ = load(name)
        text = decode_html(body)
        parse, extract = [], []
        for _ in range(5):
            start = time.perf_counter()
            lxml_html.document_fromstring(text)
            parse.append(time.perf_counter() - start)
            start = time.perf_counter()
            extract_article(body, url, now=NOW)
            extract.append(time.perf_counter() - start)
        assert statistics.median(extract) < 5 * statistics.median(parse) + 0.003, name
