"""«صدى الأطلس» (Sada al-Atlas): an Arabic news site on a stock WordPress theme.

Home `/` paginated `/page/N/`, RSS `/feed/`, search `/?s=q` (HTML, `&paged=N`),
articles `/YYYY/MM/DD/<slug>-<id>/`. Its theme dresses the headline in og:title
and <title> as "headline - صدى الأطلس", declares no og:site_name and shows the
site's name in an <h1> logo too: only the <h1> inside the article is bare.
Read-also links are «اقرأ أيضا:» paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from crawler.samples.dates import moroccan_date
from crawler.samples.markup import FeedItem, esc, rss, theme_css, tracking_script
from crawler.samples.model import Article, Link
from crawler.samples.site import Page, Site, quote_path

SECTIONS = {"politique": "سياسة", "societe": "مجتمع", "economie": "اقتصاد",
            "culture": "ثقافة", "sport": "رياضة"}
COOKIE_TEXT = ("نستعمل ملفات الارتباط لتحسين تجربتكم على موقع صدى الأطلس، ويمكنكم تغيير "
               "إعداداتها في أي وقت.")
SHARE_TEXT = "انشر الخبر على مواقع التواصل"
NEWSLETTER_TEXT = "توصل بآخر أخبار صدى الأطلس في بريدك الإلكتروني كل مساء"
MOST_VIEWED = "الأكثر مشاهدة"
_PAGE = re.compile(r"^/page/(\d+)/?$")


class SadaSite(Site):
    name = "sadaatlas"
    display_name = "صدى الأطلس"
    listing_path = "/"
    feed_path = "/feed/"
    search_path = "/?s={query}"
    per_page = 4
    feed_size = 10
    disallow = "/prive/"

    def article_path(self, article: Article) -> str:
        folder = "/prive" if article.forbidden else ""
        return quote_path(f"{folder}/{article.published:%Y/%m/%d}/{article.slug}-{article.id}/")

    def robots(self) -> str:
        return ("User-agent: *\nDisallow: /wp-admin/\nDisallow: /prive/\n"
                "Allow: /wp-admin/admin-ajax.php\n")

    def boilerplate(self, article: Article) -> tuple[str, ...]:
        viewed = [a.title for a in self.most_viewed(article)][:2]
        return (*super().boilerplate(article), COOKIE_TEXT, SHARE_TEXT, NEWSLETTER_TEXT,
                MOST_VIEWED, *viewed)

    def most_viewed(self, current: Article | None) -> list[Article]:
        """The first listing page, oldest first (so it links nowhere new)."""
        first = reversed(self.listing_page(1) or [])
        return [a for a in first if current is None or a.key != current.key][:4]

    def route(self, path: str, query: Mapping[str, str]) -> Page | None:
        if path == "/" and "s" in query:
            number = query.get("paged", "1")
            return self.results(query["s"], int(number)) if number.isdigit() else None
        if path == "/":
            return self.listing(1)
        match = _PAGE.match(path)
        if match:
            return self.listing(int(match.group(1)))
        if path in ("/feed", "/feed/"):
            items = [FeedItem(a.title, self.url_for(a), f"{self.base_url}/?p={a.id}", a.published,
                              a.author, a.excerpt(40), SECTIONS.get(a.section, ""))
                     for a in self.feed()]
            body = rss(self.display_name, self.base_url + "/", "أخبار المغرب والعالم", "ar",
                       items, self.updated, self.base_url + "/feed/")
            return Page(body, "application/rss+xml", cacheable=True)
        found = self.lookup(path)
        return Page(self.article_page(found[0])) if found else None

    def teaser(self, article: Article) -> str:
        href = esc(self.url_for(article))
        return (f'<div class="post-item"><h2 class="post-title"><a href="{href}">'
                f'{esc(article.title)}</a></h2><span class="date meta-item">'
                f'{esc(moroccan_date(article.published))}</span>'
                f'<p class="post-excerpt">{esc(article.excerpt(25))}</p></div>')

    def pager(self, number: int, more: bool, search: str = "") -> str:
        def href(n: int) -> str:
            if search:
                return f"{self.base_url}/?s={quote(search)}&paged={n}"
            return f"{self.base_url}/" if n == 1 else f"{self.base_url}/page/{n}/"

        link = '<a class="{0} page-numbers" rel="{0}" href="{1}">{2}</a>'
        links = ""
        if number > 1:
            links += link.format("prev", esc(href(number - 1)), "« السابق")
        if more:
            links += link.format("next", esc(href(number + 1)), "التالي »")
        return f'<nav class="pagination">{links}</nav>'

    def listing(self, number: int) -> Page | None:
        items = self.listing_page(number)
        if items is None:
            return None
        main = (f'<div class="mag-box"><h2 class="section-title">آخر الأخبار</h2>'
                f'{"".join(self.teaser(a) for a in items)}</div>'
                f"{self.pager(number, number < self.page_count())}")
        title = self.display_name if number == 1 else f"{self.display_name} - الصفحة {number}"
        return Page(self.frame(title, "", main, None), cacheable=True)

    def results(self, query: str, number: int) -> Page:
        items, more = self.search_page(query, number)
        found = "".join(self.teaser(a) for a in items) or (
            '<p class="no-results">لا توجد نتائج مطابقة لبحثك.</p>')
        main = (f'<h1 class="page-title">نتائج البحث عن: {esc(query)}</h1>'
                f'<div class="mag-box">{found}</div>{self.pager(number, more, query)}')
        return Page(self.frame(f"نتائج البحث عن: {query} - {self.display_name}", "", main,
                               None), cacheable=True)

    def frame(self, title: str, head_extra: str, main: str, current: Article | None) -> str:
        base = self.base_url
        menu = "".join(f'<li><a href="{base}/category/{slug}/">{esc(name)}</a></li>'
                       for slug, name in SECTIONS.items())
        viewed = "".join(f'<li><a href="{esc(self.url_for(a))}">{esc(a.title)}</a></li>'
                         for a in self.most_viewed(current))
        return f"""<!DOCTYPE html>
<html dir="rtl" lang="ar"><head><meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="alternate" type="application/rss+xml" title="{esc(self.display_name)} &raquo; الخلاصة"
 href="{base}/feed/">
{head_extra}<style id="tie-css-inline-css">{theme_css("tie", 100)}</style></head>
<body class="rtl wp-theme-jannah"><div id="tie-container">
<header id="theme-header"><div class="logo"><a href="{base}/">
<h1 class="site-title">{esc(self.display_name)}</h1></a></div>
<nav id="main-nav"><ul><li><a href="{base}/">الرئيسية</a></li>{menu}</ul></nav>
<form class="search-form" action="{base}/"><input type="text" name="s"></form></header>
<div id="content" class="site-content container"><div class="main-content">{main}</div>
<aside class="sidebar"><div class="widget posts-list"><h4 class="widget-title">{MOST_VIEWED}</h4>
<ul>{viewed}</ul></div>
<div class="widget newsletter"><p>{esc(NEWSLETTER_TEXT)}</p>
<input type="email" placeholder="البريد الإلكتروني"></div></aside></div>
<footer id="footer"><p>جميع الحقوق محفوظة © {esc(self.display_name)}</p>
<a href="{base}/contact/">اتصل بنا</a></footer>
<div id="cookie-notice"><p>{esc(COOKIE_TEXT)}</p><button>موافق</button></div></div>
<script>{tracking_script(self.name, 8)}</script></body></html>"""

    def read_also_html(self, link: Link) -> str:
        target = self.world.article(link.target)
        return (f'<p><strong>اقرأ أيضا:</strong> <a href="{esc(self.world.url(link))}">'
                f"{esc(target.title)}</a></p>")

    def article_page(self, article: Article) -> str:
        url = self.url_for(article)
        dressed = f"{article.title} - {self.display_name}"
        head = (f'<link rel="canonical" href="{esc(url)}">\n'
                f'<meta name="description" content="{esc(article.excerpt(25))}">\n'
                f'<meta property="og:locale" content="ar_AR">\n'
                f'<meta property="og:type" content="article">\n'
                f'<meta property="og:title" content="{esc(dressed)}">\n'
                f'<meta property="og:url" content="{esc(url)}">\n'
                f'<meta property="article:published_time" '
                f'content="{article.published.isoformat()}">\n'
                f'<meta name="twitter:card" content="summary_large_image">\n')
        body = "\n".join(self.read_also_html(b) if isinstance(b, Link) else f"<p>{esc(b)}</p>"
                         for b in article.body)
        share = quote(url, safe="")
        section = SECTIONS.get(article.section, "")
        main = f"""<article id="the-post" class="post-{article.id} post type-post">
<header class="entry-header-outer"><div class="entry-header">
<span class="post-cat-wrap"><a class="post-cat" href="{self.base_url}/category/{article.section}/">
{esc(section)}</a></span>
<h1 class="post-title entry-title">{esc(article.title)}</h1>
<div class="post-meta"><span class="author-meta">{esc(article.author)}</span>
<span class="date meta-item">{esc(moroccan_date(article.published))}</span></div>
</div></header>
<div class="entry-content entry clearfix">
{body}
</div>
<div class="share-buttons"><span>{SHARE_TEXT}</span>
<a href="https://www.facebook.com/sharer.php?u={share}">فيسبوك</a>
<a href="https://twitter.com/intent/tweet?url={share}">تويتر</a></div>
</article>"""
        return self.frame(dressed, head, main, article)
