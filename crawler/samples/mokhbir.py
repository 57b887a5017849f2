"""«المخبر» (Al Mokhbir): an Arabic WordPress-style daily in the manner of Hespress.

Home `/` paginated `/page/N/`, RSS `/feed`, search `/?s=q` (HTML, `&paged=N`)
and `/?s=q&feed=rss2` (RSS), articles `/<arabic-slug>-<id>.html` with an AMP
twin `…/amp/`, inline «إقرأ أيضا :» read-also paragraphs. Articles with
``layout = "archive"`` are old pages in the table layout of `mokhbir_pages.archive_page`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from crawler.samples import mokhbir_pages as pages
from crawler.samples.dates import moroccan_date, moroccan_day
from crawler.samples.markup import FeedItem, esc, rss
from crawler.samples.model import Article, Link
from crawler.samples.mokhbir_pages import COOKIE_TEXT, NEWSLETTER_TEXT, SHARE_TEXT
from crawler.samples.site import Page, Site, quote_path

_PAGE = re.compile(r"^/page/(\d+)/?$")


class MokhbirSite(Site):
    name = "almokhbir"
    display_name = "المخبر"
    listing_path = "/"
    feed_path = "/feed"
    search_path = "/?s={query}"
    per_page = 5
    feed_size = 10
    disallow = "/prive/"

    def article_path(self, article: Article) -> str:
        folder = "/prive/" if article.forbidden else "/"
        return quote_path(f"{folder}{article.slug}-{article.id}.html")

    def variant_paths(self, article: Article) -> dict[str, str]:
        return {"amp": article.path + "/amp/", "amp-noslash": article.path + "/amp"}

    def url_for(self, article: Article, variant: str = "") -> str:
        url = self.base_url + article.path
        if variant == "amp":
            return url + "/amp/"
        if variant == "utm":
            return url + "?utm_source=rss&utm_medium=rss&utm_campaign=" + quote(article.slug)
        return url

    def robots(self) -> str:
        return ("User-agent: *\nDisallow: /wp-admin/\nDisallow: /prive/\n"
                "Allow: /wp-admin/admin-ajax.php\n")

    def not_found(self) -> str:
        return pages.not_found(self)

    def boilerplate(self, article: Article) -> tuple[str, ...]:
        most_read = [a.title for a in self.most_read(article)][:2]
        return (*super().boilerplate(article), COOKIE_TEXT, SHARE_TEXT, NEWSLETTER_TEXT,
                "الأكثر قراءة", *most_read)

    def most_read(self, current: Article | None = None) -> list[Article]:
        """A fixed shuffle of the first listing page (so it links nowhere new)."""
        first = self.listing_page(1) or []
        ranked = sorted(first, key=lambda a: (int(a.id) * 7919) % 101)
        return [a for a in ranked if current is None or a.key != current.key][:5]

    def route(self, path: str, query: Mapping[str, str]) -> Page | None:
        if path == "/" and "s" in query:
            number = _int(query.get("paged", "1"))
            if number is None:
                return None
            if query.get("feed") in ("rss2", "rss"):
                return self.search_feed(query["s"], number)
            return self.search_results(query["s"], number)
        if path == "/":
            return self.listing(1)
        match = _PAGE.match(path)
        if match:
            number = int(match.group(1))
            return Page("", location=self.base_url + "/") if number == 1 else self.listing(number)
        if path in ("/feed", "/feed/"):
            return self.rss_feed()
        found = self.lookup(path)
        if found is None:
            return None
        article, variant = found
        if variant.startswith("amp"):
            return Page(pages.amp_page(self, article))
        if article.extra.get("layout") == "archive":
            return Page(pages.archive_page(self, article))
        return Page(pages.article_page(self, article), encoding=article.encoding)

    def listing(self, number: int) -> Page | None:
        items = self.listing_page(number)
        if items is None:
            return None
        base = self.base_url
        prev = {1: None, 2: base + "/"}.get(number, f"{base}/page/{number - 1}/")
        nxt = f"{base}/page/{number + 1}/" if number < self.page_count() else None
        title = self.display_name if number == 1 else f"{self.display_name} - الصفحة {number}"
        return Page(pages.listing_page(self, title, items, prev, nxt), cacheable=True)

    def search_results(self, query: str, number: int) -> Page:
        items, more = self.search_page(query, number)
        base = f"{self.base_url}/?s={quote(query)}"
        prev = None if number == 1 else f"{base}&paged={number - 1}"
        nxt = f"{base}&paged={number + 1}" if more else None
        heading = f"نتائج البحث عن: «{query}»"
        return Page(pages.listing_page(self, heading, items, prev, nxt, search=query),
                    cacheable=True)

    def feed_items(self, articles: list[Article]) -> list[FeedItem]:
        return [FeedItem(a.title, self.url_for(a, "utm"), f"{self.base_url}/?p={a.id}",
                         a.published, a.author, a.excerpt(40), pages.SECTIONS.get(a.section, ""))
                for a in articles]

    def rss_feed(self) -> Page:
        body = rss(self.display_name, self.base_url + "/", "جريدة إلكترونية مغربية", "ar",
                   self.feed_items(self.feed()), self.updated, self.base_url + "/feed")
        return Page(body, "application/rss+xml", cacheable=True)

    def search_feed(self, query: str, number: int) -> Page:
        items, _ = self.search_page(query, number)
        body = rss(f"{self.display_name} » نتائج البحث عن «{query}»",
                   f"{self.base_url}/?s={quote(query)}", "نتائج البحث", "ar",
                   self.feed_items(items), self.updated)
        return Page(body, "application/rss+xml", cacheable=True)

    def body_html(self, article: Article) -> str:
        """The article's paragraphs, read-also lines inline as on the real site."""
        parts = []
        for index, block in enumerate(article.body):
            if isinstance(block, Link):
                parts.append(self.read_also_html(block))
            elif article.broken:
                parts.append(_broken_paragraph(block, index))
            else:
                parts.append(f"<p>{esc(block)}</p>")
        return "\n".join(parts)

    def read_also_html(self, link: Link) -> str:
        target = self.world.article(link.target)
        return (f'<p>إقرأ أيضا : <a href="{esc(self.world.url(link))}">'
                f"{esc(target.title)}</a></p>")

    def visible_date(self, article: Article) -> str:
        if article.date_shown == "day":
            return moroccan_day(article.published)
        return moroccan_date(article.published)


def _broken_paragraph(text: str, index: int) -> str:
    """Markup as careless editors leave it: unclosed tags and stray closers."""
    if index % 3 == 0:
        return f"<p>{esc(text)}"
    if index % 3 == 1:
        return f"<p><span>{esc(text)}</p></span></font>"
    return f"<p><b>{esc(text)}</p>"


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else None
