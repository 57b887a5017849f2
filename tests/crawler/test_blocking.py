"""Which answers mean "the site refuses bots": 403, 429 and protection services' challenges,
never an ordinary page, even one that loads a protection service's scripts."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from crawler.blocking import block_reason
from crawler.samples.challenges import (
    CLOUDFLARE_CHALLENGE,
    DATADOME_BLOCK,
    IMPERVA_CHALLENGE,
    SUCURI_CHALLENGE,
)

REPO = Path(__file__).resolve().parents[2]
REALPAGES = REPO.parent / "shared" / "realpages"
SAMPLE_PAGES = REPO / "tests" / "extract" / "pages"

NEWS_PAGE = ("<html><head><title>Hammouchi à Paris</title><script src='/cdn-cgi/challenge-"
             "platform/scripts/jsd/main.js'></script></head><body><article><p>"
             + "Le directeur général de la sûreté nationale a été reçu à Paris. " * 40
             + "</p></article></body></html>").encode()


def headers(**values: str):
    table = {name.replace("_", "-").lower(): value for name, value in values.items()}
    return lambda name: table.get(name.lower(), "")


@pytest.mark.parametrize("status, answer_headers, body, expected", [
    (403, headers(), b"Forbidden", "HTTP 403"),
    (403, headers(server="cloudflare"), b"<html>Access denied</html>", "HTTP 403 (Cloudflare)"),
    (403, headers(x_datadome="protected"), b"", "HTTP 403 (DataDome)"),
    (403, headers(server="cloudflare", cf_mitigated="challenge"), CLOUDFLARE_CHALLENGE,
     "bot protection (Cloudflare), HTTP 403"),
    (503, headers(server="cloudflare"), CLOUDFLARE_CHALLENGE,
     "bot protection (Cloudflare), HTTP 503"),
    (503, headers(cf_mitigated="challenge"), b"", "bot protection (Cloudflare), HTTP 503"),
    (200, headers(), SUCURI_CHALLENGE, "bot protection (Sucuri), HTTP 200"),
    (200, headers(), IMPERVA_CHALLENGE, "bot protection (Imperva), HTTP 200"),
    (403, headers(), DATADOME_BLOCK, "bot protection (DataDome), HTTP 403"),
    (429, headers(), b"slow down", "HTTP 429 (too many requests)"),
])
def test_refusals_are_named(status, answer_headers, body, expected):
    assert block_reason(status, answer_headers, body) == expected


@pytest.mark.parametrize("status, answer_headers, body", [
    (200, headers(server="cloudflare"), NEWS_PAGE),  # loads a challenge-platform script
    (200, headers(x_datadome="protected"), NEWS_PAGE),  # DataDome marks every answer
    (503, headers(), b"<h1>Service Unavailable</h1>"),  # down, not refusing
    (500, headers(), CLOUDFLARE_CHALLENGE),  # only answers a challenge comes with
    (404, headers(server="cloudflare"), b"not found"),
    (200, headers(), b""),
    # A feed whose entry is titled like a challenge page is still a feed.
    (200, headers(), b'<?xml version="1.0"?><rss version="2.0"><channel><item>'
                     b"<title>Just a moment...</title><link>https://x.ma/1.html</link>"
                     b"</item></channel></rss>"),
    # A long page that quotes a challenge's title in its text is still a page.
    (200, headers(), NEWS_PAGE * 40 + b"<p>window._cf_chl_opt</p>"),
])
def test_ordinary_answers_are_not_refusals(status, answer_headers, body):
    assert block_reason(status, answer_headers, body) is None


def test_the_sample_pages_are_no_refusals():
    pages = sorted(SAMPLE_PAGES.glob("*.html"))
    assert pages
    for page in pages:
        assert block_reason(200, headers(), page.read_bytes()) is None, page.name


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is absent")
def test_real_pages_are_no_refusals():
    pages = sorted(REALPAGES.glob("*.html.gz"))
    assert pages
    for page in pages:
        body = gzip.decompress(page.read_bytes())
        assert block_reason(200, headers(server="cloudflare"), body) is None, page.name
