"""Every kind of page of the three sample sites, fetched over real HTTP."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote, urlsplit

import pytest

from crawler.samples import OFFSITE, SITE_NAMES
from crawler.samples.dates import eastern_date, french_date, moroccan_date, moroccan_day

pytestmark = pytest.mark.slow  # every test here crawls or runs marsad in a child


def hrefs(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', text)]


def paths_linked(text: str, base: str) -> set[str]:
    return {urlsplit(h).path for h in hrefs(text) if h.startswith(base)}


def feed_links(body: bytes) -> list[str]:
    """The article links of an RSS or Atom feed, in order."""
    root = ET.fromstring(body)
    atom = "{http://www.w3.org/2005/Atom}"
    links = [item.findtext("link") for item in root.iter("item")]
    links += [link.get("href") for entry in root.iter(atom + "entry")
              for link in entry.iter(atom + "link")]
    return links


def by_site(sites, name):
    return [a for a in sites.articles if a.site == name]


def test_every_article_page_serves_its_ground_truth(sites, fetch):
    for sample in sites.articles:
        page = fetch(sites.url(sample))
        assert page.status == 200, sample.path
        visible = page.visible()
        assert sample.title in visible
        for snippet in sample.body_snippets:
            assert snippet in visible, (sample.title, snippet)
        if sample.site != OFFSITE:
            for junk in sample.not_in_body:
                # present on the page, around the article
                assert junk in visible, (sample.title, junk)


def test_listing_pages_hold_exactly_the_listed_articles(sites, fetch):
    starts = {"almokhbir": ("/", "/page/{n}/"), "albawaba24": ("/", "/news?page={n}"),
              "lequotidien": ("/actualites", "/actualites?page={n}"),
              "sadaatlas": ("/", "/page/{n}/")}
    for name in SITE_NAMES:
        base = sites.base_urls[name]
        articles = by_site(sites, name)
        pages = max(a.listing_page or 0 for a in articles)
        assert pages >= 2
        url = base + starts[name][0]
        for number in range(1, pages + 1):
            page = fetch(url)
            assert page.status == 200 and page.headers["etag"]
            linked = {unquote(p).rstrip("/") for p in paths_linked(page.text(), base)}
            expected = {unquote(a.path).rstrip("/") for a in articles if a.listing_page == number}
            assert expected <= linked, (name, number)
            others = {unquote(a.path).rstrip("/") for a in articles
                      if a.listing_page not in (None, number)}
            # sidebars only link to the first page's articles
            assert not (others & linked) or number > 1, (name, number)
            nxt = re.search(r'<a[^>]*rel="next"[^>]*href="([^"]+)"'
                            r'|<a[^>]*href="([^"]+)"[^>]*rel="next"', page.text())
            if number < pages:
                url = html.unescape(nxt.group(1) or nxt.group(2))
                assert url.startswith(base) and url.endswith(starts[name][1].format(n=number + 1))
            else:
                assert nxt is None
        assert fetch(base + starts[name][1].format(n=pages + 1)).status == 404


def test_feeds_list_the_feed_articles(sites, fetch):
    feeds = {"almokhbir": "/feed", "albawaba24": "/feed.xml", "lequotidien": "/rss.xml",
             "sadaatlas": "/feed/"}
    for name, path in feeds.items():
        page = fetch(sites.base_urls[name] + path)
        assert page.status == 200
        assert page.headers["content-type"].startswith(("application/rss+xml",
                                                        "application/atom+xml"))
        links = feed_links(page.body)
        linked = [unquote(urlsplit(link).path) for link in links]
        expected = [unquote(a.path) for a in by_site(sites, name) if "feed" in a.via]
        assert sorted(linked) == sorted(expected), name
    mokhbir = feed_links(fetch(sites.base_urls["almokhbir"] + "/feed").body)
    assert all("utm_source=rss" in link for link in mokhbir)


def test_mokhbir_search_html_rss_and_pagination(sites, fetch):
    base = sites.base_urls["almokhbir"]
    query = quote("حموشي فرنسا")
    page = fetch(f"{base}/?s={query}")
    assert page.status == 200 and "نتائج البحث عن" in page.visible()
    found = {unquote(p) for p in paths_linked(page.text(), base)}
    expected = {unquote(a.path) for a in by_site(sites, "almokhbir") if "search" in a.via}
    assert expected <= found
    rss = fetch(f"{base}/?s={query}&feed=rss2")
    assert {unquote(urlsplit(link).path) for link in feed_links(rss.body)} == expected
    broad = quote("الأمن")
    first = fetch(f"{base}/?s={broad}")
    assert f"?s={broad}&amp;paged=2" in first.text()
    second = fetch(f"{base}/?s={broad}&paged=2")
    assert second.status == 200
    assert paths_linked(first.text(), base) != paths_linked(second.text(), base)
    empty = fetch(f"{base}/?s=%3Cscript%3Ezzzz")
    assert empty.status == 200 and "لا توجد نتائج" in empty.visible()
    assert "<script>zzzz" not in empty.text()


def test_bawaba_search_answers_rss_and_quotidien_search_html(sites, fetch):
    bawaba = fetch(sites.base_urls["albawaba24"] + "/search?q=" + quote("حموشي فرنسا"))
    assert bawaba.headers["content-type"].startswith("application/rss+xml")
    expected = {a.path for a in by_site(sites, "albawaba24") if "search" in a.via}
    assert {urlsplit(link).path for link in feed_links(bawaba.body)} == expected
    base = sites.base_urls["lequotidien"]
    quotidien = fetch(base + "/recherche?q=Hammouchi+France")
    assert "Résultats pour « Hammouchi France »" in quotidien.visible()
    expected = {a.path for a in by_site(sites, "lequotidien") if "search" in a.via}
    assert expected <= paths_linked(quotidien.text(), base)


def test_mokhbir_article_markup_dates_and_read_also(sites, fetch):
    seed = next(a for a in sites.articles if a.title.startswith("فريق مغربي للكشف"))
    text = fetch(sites.url(seed)).text()
    assert f'<h1 class="post-title">{html.escape(seed.title)}</h1>' in text
    assert f'<span class="date-post">{moroccan_date(seed.published)}</span>' in text
    assert re.search(r'<div class="article-content">', text)
    lines = re.findall(r'<p>إقرأ أيضا : <a href="([^"]+)">', text)
    assert len(lines) == len(seed.read_also) == 3
    assert any(link.startswith(sites.offsite_url) for link in lines)
    assert any("/prive/" in link for link in lines)
    amp = fetch(sites.url(seed) + "/amp/")
    assert amp.status == 200
    assert f'<link rel="canonical" href="{sites.url(seed)}">' in amp.text()


def test_bawaba_json_ld_box_and_url_variants(sites, fetch):
    box_pages = [a for a in by_site(sites, "albawaba24") if a.reachable and a.read_also]
    titles = set()
    for sample in box_pages:
        text = fetch(sites.url(sample)).text()
        data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', text, re.S).group(1))
        assert data["@type"] == "NewsArticle" and data["headline"] == sample.title
        assert data["datePublished"] == sample.published.isoformat()
        box = re.search(r'<aside class="related"><h3>(.*?)</h3>', text)
        titles.add(box.group(1))
    assert {"اقرأ أيضاً", "مقالات ذات صلة"} <= titles
    team = next(a for a in box_pages if "الفريق الأمني" in a.title)
    text = fetch(sites.url(team)).text()
    assert eastern_date(team.published, eastern_digits=True) in text
    assert re.search(r"[٠-٩]{4}", text)
    assert "/amp/" in text and sites.base_urls["almokhbir"] in text
    noslash = fetch(sites.url(team).rstrip("/"))
    assert noslash.status == 200 and team.title in noslash.visible()
    amp = fetch(sites.url(team) + "?outputType=amp")
    assert f'<link rel="canonical" href="{sites.url(team)}">' in amp.text()
    base = sites.base_urls["albawaba24"]
    pages = max(a.listing_page or 0 for a in by_site(sites, "albawaba24"))
    listing = "".join(fetch(f"{base}/news?page={n}").text() for n in range(1, pages + 1))
    assert "منذ" in listing and re.search(r'href="[^"]+_[A-Z2-7]{26}"', listing)
    assert "utm_campaign=x" in fetch(sites.url(next(
        a for a in box_pages if "مقالات ذات صلة" in fetch(sites.url(a)).text()))).text()


def test_bawaba_french_edition(sites, fetch):
    french = [a for a in by_site(sites, "albawaba24") if a.language == "fr"]
    assert french
    for sample in french:
        assert sample.path.startswith("/fr/")
        text = fetch(sites.url(sample)).text()
        assert '<html lang="fr" dir="ltr">' in text
        data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', text, re.S).group(1))
        assert data["inLanguage"] == "fr" and data["headline"] == sample.title
        assert french_date(sample.published) in text
    listing = fetch(sites.base_urls["albawaba24"] + "/").text()
    assert any(sample.path in listing for sample in french)


def test_quotidien_meta_dates_and_read_also_styles(sites, fetch):
    styles = {"plain": 0, "catcher": 0, "a-lire": 0}
    for sample in by_site(sites, "lequotidien"):
        text = fetch(sites.url(sample)).text()
        meta = re.search(r'article:published_time" content="([^"]+)"', text)
        if sample.date_shown == "feed":  # no date on the page at all
            assert meta is None and "Publié le" not in text, sample.title
            continue
        assert meta.group(1) == sample.published.isoformat()
        assert meta.group(1)[-6:] in ("+01:00", "+02:00")
        assert f"Publié le {french_date(sample.published)}" in text
        assert re.search(r"/article/\d{4}/\d{2}/\d{2}/[\w-]+_\d+\.html$", sample.path)
        styles["plain"] += len(re.findall(r">Lire aussi : <a", text))
        styles["catcher"] += text.count('<span class="catcher__title">Lire aussi :</span>')
        styles["a-lire"] += text.count(">À lire aussi : <a")
    assert styles["plain"] >= 2 and styles["catcher"] >= 2 and styles["a-lire"] == 1
    assert fetch(sites.base_urls["lequotidien"] + "/", follow=False).status == 301


def test_feed_dates_pages_that_show_none_in_named_zones(sites, fetch):
    feed = ET.fromstring(fetch(sites.base_urls["lequotidien"] + "/rss.xml").body)
    dates = {urlsplit(item.findtext("link")).path: item.findtext("pubDate")
             for item in feed.iter("item")}
    undated = [a for a in by_site(sites, "lequotidien") if a.date_shown == "feed"]
    zones = set()
    for sample in undated:
        written = dates[sample.path]
        zones.add(written.rsplit(" ", 1)[1])
        assert parsedate_to_datetime(written) == sample.published, written
    assert zones == {"EST", "GMT"}
    assert all(re.search(r" [+-]\d{4}$", text) for path, text in dates.items()
               if path not in {a.path for a in undated})


def test_mokhbir_archive_page_in_the_old_table_layout(sites, fetch):
    archive = next(a for a in by_site(sites, "almokhbir") if a.date_shown == "day")
    text = fetch(sites.url(archive)).text()
    assert "<table" in text and 'class="' not in text and "<article" not in text
    headline = f'<h1><font face="Arial" size="5" color="#003366">{html.escape(archive.title)}'
    bare_date = f'</h1>\n<font size="1" color="#808080">{moroccan_day(archive.published)}</font>'
    assert headline in text and bare_date in text
    today = moroccan_day(sites.now.astimezone(archive.published.tzinfo), weekday=True)
    assert text.index(today) < text.index(headline)
    assert moroccan_date(archive.published) not in text  # the day, not the time
    # other news with their dates, after the body and in the side column
    assert text.count('<font size="1"') >= 5


def test_windows_1256_page(sites, fetch):
    sample = next(a for a in sites.articles if a.title.startswith("تمرين أمني مشترك"))
    page = fetch(sites.url(sample))
    assert page.headers["content-type"] == "text/html; charset=windows-1256"
    assert b'content="text/html; charset=windows-1256"' in page.body
    assert sample.title.encode("cp1256") in page.body
    assert sample.title.encode("utf-8") not in page.body
    assert sample.body_snippets[0] in html.unescape(page.body.decode("cp1256"))


def test_broken_html_page_keeps_its_text(sites, fetch):
    sample = next(a for a in sites.articles if a.title.startswith("القنصليات الفرنسية"))
    text = fetch(sites.url(sample)).text()
    body = text[text.index('<div class="article-content">'):text.index('class="article-tags"')]
    assert body.count("<p>") >= body.count("</p>") + 2
    assert "</p></span></font>" in text and "</html>" not in text
    for snippet in sample.body_snippets:
        assert snippet in html.unescape(text)


def test_offsite_links_point_at_the_recording_server(sites, fetch):
    offsite = [a for a in sites.articles if a.site == OFFSITE]
    before = len(sites.requested_paths(OFFSITE))
    for sample in offsite:
        assert sites.url(sample).startswith(sites.offsite_url)
        assert fetch(sites.url(sample)).status == 200
    assert len(sites.requested_paths(OFFSITE)) == before + len(offsite)
    assert sites.was_requested(OFFSITE, offsite[0].path)


def test_sada_dresses_og_title_and_title_with_its_name(sites, fetch):
    articles = [a for a in by_site(sites, "sadaatlas") if not a.forbidden]
    assert len(articles) >= 10 and any(a.on_topic and " - " in a.title for a in articles)
    for sample in articles:
        text = fetch(sites.url(sample)).text()
        dressed = html.escape(f"{sample.title} - صدى الأطلس")
        assert f'<meta property="og:title" content="{dressed}">' in text
        assert f"<title>{dressed}</title>" in text
        assert "og:site_name" not in text and "ld+json" not in text
        assert '<h1 class="site-title">صدى الأطلس</h1>' in text
        assert f'<h1 class="post-title entry-title">{html.escape(sample.title)}</h1>' in text
        assert len(re.findall(r"<p><strong>اقرأ أيضا:</strong> <a href=", text)) == len(
            sample.read_also)
    results = fetch(sites.base_urls["sadaatlas"] + "/?s=" + quote("حموشي فرنسا"))
    expected = {a.path for a in articles if "search" in a.via}
    assert expected and expected <= paths_linked(results.text(), sites.base_urls["sadaatlas"])
