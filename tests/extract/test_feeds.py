"""RSS and Atom feeds: entries in order, robust to the junk real feeds carry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract import FeedEntry, feed_entries, is_feed

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
BASE = "https://www.hespress.com/feed"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>هسبريس</title>
  <link>https://www.hespress.com</link>
  <item>
    <title><![CDATA[حموشي يبحث مع نظيره الفرنسي تعزيز التعاون الأمني]]></title>
    <link>https://www.hespress.com/politique/hammouchi-1398765.html</link>
    <pubDate>Thu, 25 Jul 2024 10:30:00 +0000</pubDate>
    <guid isPermaLink="false">https://www.hespress.com/?p=1398765</guid>
    <content:encoded><![CDATA[<p>نص المقال</p>]]></content:encoded>
  </item>
  <item>
    <title>Maroc &amp; France : coopération</title>
    <link>/politique/maroc-france-1398001.html</link>
    <dc:date>2024-07-24T08:00:00+01:00</dc:date>
  </item>
  <item>
    <title>Sans lien mais avec un guid</title>
    <guid>https://www.hespress.com/societe/guid-only-1397000.html</guid>
  </item>
  <item>
    <title>Ni lien ni guid utilisable</title>
    <guid isPermaLink="false">tag:hespress,2024:1396000</guid>
  </item>
  <item>
    <title>Doublon du premier</title>
    <link>https://www.hespress.com/politique/hammouchi-1398765.html?utm_source=rss</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Le360</title>
  <link rel="self" href="https://fr.le360.ma/feed.atom"/>
  <entry>
    <title type="html">Rabat et Paris &lt;em&gt;renforcent&lt;/em&gt; leur coopération</title>
    <link rel="alternate" href="https://fr.le360.ma/politique/rabat-paris_ABCDEFGHIJKLMNOPQRSTUVWXYZ/"/>
    <link rel="enclosure" href="https://fr.le360.ma/image.jpg"/>
    <published>2025-04-20T10:06:00+01:00</published>
    <updated>2025-04-20T12:00:00+01:00</updated>
  </entry>
  <entry>
    <title>Une entrée sans date de publication</title>
    <link href="/societe/sans-date_BBBBBBBBBBBBBBBBBBBBBBBBBB/"/>
    <updated>2025-04-19T09:00:00Z</updated>
  </entry>
</feed>
"""


def test_rss_entries_in_order() -> None:
    entries = feed_entries(RSS.encode(), BASE, now=NOW)
    assert entries == [
        FeedEntry(url="https://www.hespress.com/politique/hammouchi-1398765.html",
                  title="حموشي يبحث مع نظيره الفرنسي تعزيز التعاون الأمني",
                  published=datetime(2024, 7, 25, 10, 30, tzinfo=UTC)),
        FeedEntry(url="https://www.hespress.com/politique/maroc-france-1398001.html",
                  title="Maroc & France : coopération",
                  published=datetime(2024, 7, 24, 7, 0, tzinfo=UTC)),
        FeedEntry(url="https://www.hespress.com/societe/guid-only-1397000.html",
                  title="Sans lien mais avec un guid", published=None),
    ]


def test_atom_entries() -> None:
    entries = feed_entries(ATOM.encode(), "https://fr.le360.ma/feed.atom", now=NOW)
    assert [e.url for e in entries] == [
        "https://fr.le360.ma/politique/rabat-paris_ABCDEFGHIJKLMNOPQRSTUVWXYZ/",
        "https://fr.le360.ma/societe/sans-date_BBBBBBBBBBBBBBBBBBBBBBBBBB/",
    ]
    assert entries[0].title == "Rabat et Paris renforcent leur coopération"
    assert entries[0].published == datetime(2025, 4, 20, 9, 6, tzinfo=UTC)
    assert entries[1].published == datetime(2025, 4, 19, 9, 0, tzinfo=UTC)


def test_rss_1_rdf() -> None:
    rdf = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://www.example.ma/"><title>Ex</title></channel>
      <item rdf:about="https://www.example.ma/article-1234.html">
        <title>Titre RDF</title><dc:date>2024-07-25</dc:date>
      </item>
    </rdf:RDF>"""
    entries = feed_entries(rdf, "https://www.example.ma/rss", now=NOW)
    assert [(e.url, e.title) for e in entries] == [
        ("https://www.example.ma/article-1234.html", "Titre RDF")]


def test_junk_before_the_feed_undefined_entities_and_truncation() -> None:
    junk = (b"<br />\n<b>Warning</b>:  Undefined variable $x in <b>/var/www/feed.php</b>\n"
            + RSS.replace("Maroc &amp; France", "Maroc&nbsp;&amp; France").encode()
            .split(b"<item>\n    <title>Sans lien")[0]
            + b"<item><title>Tronqu")
    entries = feed_entries(junk, BASE, now=NOW)
    assert [e.url for e in entries][:2] == [
        "https://www.hespress.com/politique/hammouchi-1398765.html",
        "https://www.hespress.com/politique/maroc-france-1398001.html",
    ]


def test_windows_1256_feed() -> None:
    feed = RSS.replace('encoding="UTF-8"', 'encoding="windows-1256"').encode("cp1256")
    entries = feed_entries(feed, BASE, now=NOW)
    assert entries[0].title == "حموشي يبحث مع نظيره الفرنسي تعزيز التعاون الأمني"


def test_external_entities_are_not_expanded() -> None:
    evil = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            b"<rss><channel><item><title>A&x;B</title>"
            b"<link>https://www.example.ma/a-1234.html</link></item></channel></rss>")
    entries = feed_entries(evil, "https://www.example.ma/feed", now=NOW)
    assert len(entries) == 1
    assert entries[0].title.replace("&x;", "") == "AB"  # left as a reference, never read


def test_future_dates_are_dropped() -> None:
    feed = RSS.replace("Thu, 25 Jul 2024", "Mon, 25 Jul 2033").encode()
    assert feed_entries(feed, BASE, now=NOW)[0].published is None


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"<!DOCTYPE html><html><body><p>Not a feed</p></body></html>",
     b"\x89PNG\r\n\x1a\n\x00\x00", b"not xml at all", b'{"items": []}',
     b"<!-- a comment and no element -->"],
)
def test_anything_else_gives_no_entries(body: bytes) -> None:
    assert feed_entries(body, BASE, now=NOW) == []


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (RSS.encode(), None, True),
        (RSS.encode(), "text/html; charset=utf-8", True),  # the bytes decide
        (ATOM.encode(), "application/xml", True),
        (b"\xef\xbb\xbf  \n" + ATOM.encode(), None, True),
        (b"<!DOCTYPE html><html><head></head><body>rss</body></html>",
         "application/rss+xml", False),
        (b"<?xml version='1.0'?><urlset><url><loc>x</loc></url></urlset>", "text/xml", True),
        (b"<?xml version='1.0'?><sitemapindex><sitemap><loc>x</loc></sitemap></sitemapindex>",
         "text/xml", False),
        (b"", "application/atom+xml", True),
        (b"", None, False),
        (b"<p>hello</p>", "text/html", False),
    ],
)
def test_is_feed(body: bytes, content_type: str | None, expected: bool) -> None:
    assert is_feed(body, content_type) is expected


def test_wrong_argument_types_raise() -> None:
    with pytest.raises(TypeError):
        is_feed(RSS)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        feed_entries(RSS, BASE)  # type: ignore[arg-type]


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://www.lemonde.fr/societe/article/2024/04/22/darmanin-rabat_6229_3224.html</loc>
    <news:news>
      <news:publication><news:name>Le Monde</news:name><news:language>fr</news:language>
      </news:publication>
      <news:publication_date>2024-04-22T10:35:00+02:00</news:publication_date>
      <news:title>G&#233;rald Darmanin &#224; Rabat &amp; la coop&#233;ration</news:title>
    </news:news>
  </url>
  <url><loc>/international/article/2024/04/21/autre_6228_3210.html</loc>
       <lastmod>2024-04-21</lastmod></url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>"""


def test_news_sitemaps_are_read_like_feeds():
    assert is_feed(NEWS_SITEMAP)
    entries = feed_entries(NEWS_SITEMAP, "https://www.lemonde.fr/sitemap_news.xml",
                           timezone="Europe/Paris")
    assert [e.url for e in entries] == [
        "https://www.lemonde.fr/societe/article/2024/04/22/darmanin-rabat_6229_3224.html",
        "https://www.lemonde.fr/international/article/2024/04/21/autre_6228_3210.html",
    ]
    assert entries[0].title == "Gérald Darmanin à Rabat & la coopération"
    assert entries[0].published.isoformat() == "2024-04-22T10:35:00+02:00"
    assert entries[1].published.date().isoformat() == "2024-04-21"


NAMED_ZONES = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Le Quotidien</title>
<item><title>Est</title><link>https://www.example.fr/a-1.html</link>
<pubDate>Thu, 25 Jul 2024 10:30:00 EST</pubDate></item>
<item><title>Gmt</title><link>https://www.example.fr/a-2.html</link>
<pubDate>Thu, 25 Jul 2024 10:30:00 GMT</pubDate></item>
<item><title>Edt, short year</title><link>https://www.example.fr/a-3.html</link>
<pubDate>Thu, 25 Jul 24 10:30 EDT</pubDate></item>
<item><title>No zone</title><link>https://www.example.fr/a-4.html</link>
<pubDate>Thu, 25 Jul 2024 10:30:00</pubDate></item>
<item><title>Garbage, then an edit date</title><link>https://www.example.fr/a-5.html</link>
<pubDate>hier soir</pubDate><atom:updated xmlns:atom="http://www.w3.org/2005/Atom"
>2024-07-25T10:30:00Z</atom:updated></item>
</channel></rss>"""


def test_rfc_822_dates_with_named_zones_are_not_local_time() -> None:
    entries = feed_entries(NAMED_ZONES.encode(), "https://www.example.fr/rss.xml",
                           timezone="Europe/Paris", now=NOW)
    assert [e.published.astimezone(UTC).isoformat() if e.published else None
            for e in entries] == [
        "2024-07-25T15:30:00+00:00",  # EST is UTC-5, not Paris time
        "2024-07-25T10:30:00+00:00",
        "2024-07-25T14:30:00+00:00",
        "2024-07-25T08:30:00+00:00",  # no zone: the source's (Paris, summer time)
        "2024-07-25T10:30:00+00:00",
    ]


def test_atom_publication_date_wins_over_an_earlier_update_date() -> None:
    feed = ATOM.replace(
        "<published>2025-04-20T10:06:00+01:00</published>\n"
        "    <updated>2025-04-20T12:00:00+01:00</updated>",
        "<updated>2025-04-20T12:00:00+01:00</updated>\n"
        "    <published>2025-04-20T10:06:00+01:00</published>")
    assert feed != ATOM
    first = feed_entries(feed.encode(), "https://fr.le360.ma/feed.atom", now=NOW)[0]
    assert first.published == datetime(2025, 4, 20, 9, 6, tzinfo=UTC)
