"""«البوابة 24» (Al Bawaba 24): an Arabic portal with JSON-LD, like Le360 or Alyaoum24.

Home `/` and `/news?page=N` (cards dated «منذ 3 ساعات»), Atom `/feed.xml`,
search `/search?q=` answering RSS, articles `/news/<section>/<slug>_<id>/`
(also served without the trailing slash, and as AMP with `?outputType=amp`),
a read-also box `<aside class="related">` in the middle of the body. Like Le360,
it has a French edition: French articles at `/fr/<section>/<slug>_<id>/`, in
French page furniture, listed with the Arabic ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from crawler.samples.dates import arabic_relative, eastern_date, french_date
from crawler.samples.markup import FeedItem, atom, esc, json_ld, rss, theme_css, tracking_script
from crawler.samples.model import Article, Link
from crawler.samples.site import Page, Site, quote_path

SECTIONS = {"maroc": "المغرب", "monde": "العالم", "societe": "مجتمع", "economie": "اقتصاد",
            "sport": "رياضة", "culture": "ثقافة", "politique": "سياسة"}
COOKIE_TEXT = "نستعمل ملفات الكوكيز لتخصيص المحتوى والإعلانات وتحليل حركة الزوار على البوابة 24."
SHARE_TEXT = "شارك الخبر عبر"
TRENDING = "الأكثر تداولا"
MORE = "المزيد من الأخبار"


@dataclass(frozen=True)
class Edition:
    """The portal's furniture in one language."""

    lang: str
    direction: str
    name: str
    folder: str
    sections: dict[str, str]
    cookie: str
    share: str
    trending: str
    more: str
    byline: str
    read_also: str
    rights: str


EDITIONS = {
    "ar": Edition("ar", "rtl", "البوابة 24", "/news", SECTIONS, COOKIE_TEXT, SHARE_TEXT,
                  TRENDING, MORE, "بقلم:", "اقرأ أيضا:", "جميع الحقوق محفوظة"),
    "fr": Edition("fr", "ltr", "Al Bawaba 24", "/fr",
                  {"maroc": "Maroc", "monde": "Monde", "societe": "Société",
                   "economie": "Économie", "sport": "Sport", "culture": "Culture",
                   "politique": "Politique"},
                  "Nous utilisons des cookies pour personnaliser les contenus et les publicités "
                  "et analyser le trafic d'Al Bawaba 24.", "Partager l'article via",
                  "Tendances", "Plus d'actualités", "Par", "Lire aussi :",
                  "Tous droits réservés"),
}


class BawabaSite(Site):
    name = "albawaba24"
    display_name = "البوابة 24"
    listing_path = "/"
    feed_path = "/feed.xml"
    search_path = "/search?q={query}"
    per_page = 8
    feed_size = 8
    disallow = "/private/"

    def article_path(self, article: Article) -> str:
        folder = "/private" if article.forbidden else self.edition(article).folder
        return quote_path(f"{folder}/{article.section}/{article.slug}_{article.id}/")

    def variant_paths(self, article: Article) -> dict[str, str]:
        return {"noslash": article.path.rstrip("/")}

    def url_for(self, article: Article, variant: str = "") -> str:
        url = self.base_url + article.path
        return {"noslash": url.rstrip("/"), "utm": url + "?utm_campaign=x&utm_medium=related",
                "amp": url + "?outputType=amp"}.get(variant, url)

    @staticmethod
    def edition(article: Article | None) -> Edition:
        return EDITIONS[article.language if article is not None else "ar"]

    def boilerplate(self, article: Article) -> tuple[str, ...]:
        trending = [a.title for a in self.trending(article)][:2]
        words = self.edition(article)
        return (*super().boilerplate(article), words.cookie, words.share, words.trending,
                words.more, *trending)

    def trending(self, current: Article | None) -> list[Article]:
        first = (self.listing_page(1) or [])[:5]
        return [a for a in first if current is None or a.key != current.key][:4]

    def route(self, path: str, query: Mapping[str, str]) -> Page | None:
        if path in ("/", "/news", "/news/"):
            number = query.get("page", "1")
            return self.listing(int(number)) if number.isdigit() else None
        if path == "/feed.xml":
            items = [self.feed_item(a) for a in self.feed()]
            body = atom(self.display_name, self.base_url + "/feed.xml", self.base_url + "/",
                        items, self.updated)
            return Page(body, "application/atom+xml", cacheable=True)
        if path == "/search":
            number = query.get("page", "1")
            if not number.isdigit():
                return None
            found, _ = self.search_page(query.get("q", ""), int(number))
            body = rss(f"{self.display_name} - بحث: {query.get('q', '')}",
                       f"{self.base_url}/search?q={quote(query.get('q', ''))}",
                       "نتائج البحث", "ar", [self.feed_item(a) for a in found], self.updated)
            return Page(body, "application/rss+xml", cacheable=True)
        found_article = self.lookup(path)
        if found_article is None:
            return None
        article = found_article[0]
        return Page(self.article_page(article, amp=query.get("outputType") == "amp"))

    def feed_item(self, article: Article) -> FeedItem:
        return FeedItem(article.title, self.url_for(article), self.url_for(article),
                        article.published, article.author, article.excerpt(35),
                        SECTIONS.get(article.section, ""))

    def card(self, article: Article) -> str:
        href = esc(self.url_for(article, article.extra.get("listing_variant", "")))
        ago = arabic_relative(self.world.now - article.published)
        section = esc(SECTIONS.get(article.section, ""))
        return (f'<div class="c-card"><a class="c-card__img" href="{href}">'
                f'<img src="{self.base_url}/resizer/{article.id}.jpg" alt="" loading="lazy"></a>'
                f'<div class="c-card__body"><span class="c-card__section">{section}</span>'
                f'<h2 class="c-card__title"><a href="{href}">{esc(article.title)}</a></h2>'
                f'<span class="c-card__date">{esc(ago)}</span></div></div>')

    def listing(self, number: int) -> Page | None:
        items = self.listing_page(number)
        if items is None:
            return None
        pager = f"{self.base_url}/news?page="
        nav = ""
        if number > 1:
            nav += f'<a class="c-pager__prev" rel="prev" href="{pager}{number - 1}">السابق</a>'
        if number < self.page_count():
            nav += f'<a class="c-pager__next" rel="next" href="{pager}{number + 1}">التالي</a>'
        cards = "\n".join(self.card(a) for a in items)
        body = f"""<main class="c-main"><h1 class="c-title">آخر الأخبار</h1>
<section class="c-grid">{cards}</section><nav class="c-pager">{nav}</nav></main>"""
        return Page(self.frame(self.display_name, self.base_url + "/", "", body, None),
                    cacheable=True)

    def frame(self, title: str, canonical: str, head_extra: str, main: str,
              current: Article | None) -> str:
        words = self.edition(current)
        menu = "".join(f'<li><a href="{self.base_url}{words.folder}/{slug}">{esc(name)}</a></li>'
                       for slug, name in words.sections.items())
        trending = "".join(f'<a href="{esc(self.url_for(a))}">{esc(a.title)}</a>'
                           for a in self.trending(current))
        accept, contact, privacy = (("أوافق", "اتصل بنا", "سياسة الخصوصية") if words.lang == "ar"
                                    else ("J'accepte", "Contact", "Confidentialité"))
        return f"""<!DOCTYPE html>
<html lang="{words.lang}" dir="{words.direction}"><head><meta charset="utf-8">
<title>{esc(title)}</title><link rel="canonical" href="{esc(canonical)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="application/atom+xml" href="{self.base_url}/feed.xml">
{head_extra}<style>{theme_css("bw", 90)}</style></head>
<body><div class="b-cookie-consent"><p>{esc(words.cookie)}</p><button>{accept}</button></div>
<header class="c-header"><a class="c-logo" href="{self.base_url}/">{esc(words.name)}</a>
<nav><ul>{menu}</ul></nav></header>
<div class="c-trending"><span>{esc(words.trending)}:</span> {trending}</div>
{main}
<footer class="c-footer"><p>© 2024 {esc(words.name)} - {esc(words.rights)}</p>
<a href="{self.base_url}/contact">{contact}</a>
<a href="{self.base_url}/privacy">{privacy}</a></footer>
<script>{tracking_script(self.name, 10)}</script></body></html>"""

    def related_box(self, article: Article) -> str:
        items = "".join(
            f'<li><a href="{esc(self.world.url(link))}">'
            f"{esc(self.world.article(link.target).title)}</a></li>" for link in article.related)
        default = "اقرأ أيضاً" if article.language == "ar" else "À lire aussi"
        title = article.related_title or default
        return f'<aside class="related"><h3>{esc(title)}</h3><ul>{items}</ul></aside>'

    def body_html(self, article: Article) -> str:
        parts = []
        middle = max(1, len(article.paragraphs) // 2)
        count = 0
        for block in article.body:
            if isinstance(block, Link):
                target = self.world.article(block.target)
                href = esc(self.world.url(block))
                label = esc(self.edition(article).read_also)
                parts.append(f'<p><strong>{label}</strong> <a href="{href}">'
                             f"{esc(target.title)}</a></p>")
                continue
            parts.append(f'<p class="c-paragraph">{esc(block)}</p>')
            count += 1
            if count == middle and article.related:
                parts.append(self.related_box(article))
        return "\n".join(parts)

    def article_page(self, article: Article, amp: bool = False) -> str:
        url = self.url_for(article)
        words = self.edition(article)
        section = words.sections.get(article.section, "")
        data = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
            "datePublished": article.published.isoformat(),
            "dateModified": article.published.isoformat(), "inLanguage": words.lang,
            "author": {"@type": "Person", "name": article.author},
            "publisher": {"@type": "Organization", "name": words.name},
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "articleSection": section,
        }
        head = (f'<script type="application/ld+json">{json_ld(data)}</script>\n'
                f'<meta property="og:title" content="{esc(article.title)}">\n'
                f'<meta property="og:url" content="{esc(url)}">')
        if amp:
            head += '\n<script async src="https://cdn.ampproject.org/v0.js"></script>'
        visible = (eastern_date(article.published, article.eastern_digits)
                   if words.lang == "ar" else french_date(article.published))
        more = "".join(self.card(a) for a in (self.listing_page(1) or [])[:4]
                       if a.key != article.key)
        share = quote(url, safe="")
        facebook, x = ("فيسبوك", "إكس") if words.lang == "ar" else ("Facebook", "X")
        tags = "".join(f'<a href="{self.base_url}/tags/{quote(t)}">{esc(t)}</a>'
                       for t in article.tags)
        main = f"""<main class="c-main"><article class="c-article">
<div class="c-article__section">
<a href="{self.base_url}{words.folder}/{article.section}">{esc(section)}</a></div>
<h1 class="c-article__headline">{esc(article.title)}</h1>
<div class="c-article__byline"><span class="c-author">{words.byline} {esc(article.author)}</span>
<span class="c-date">{esc(visible)}</span></div>
<div class="c-share"><span>{esc(words.share)}</span>
<a href="https://www.facebook.com/sharer.php?u={share}">{facebook}</a>
<a href="https://x.com/share?url={share}">{x}</a></div>
<div class="c-article__body">
{self.body_html(article)}
</div>
<div class="c-tags">{tags}</div>
</article>
<section class="c-more"><h2>{esc(words.more)}</h2>{more}</section></main>"""
        return self.frame(f"{article.title} - {words.name}", url, head, main, article)
