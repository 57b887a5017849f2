"""«Le Quotidien»: a French daily laid out like Le Monde.

Listing `/actualites` and `/actualites?page=N`, RSS `/rss.xml`, search
`/recherche?q=` (HTML), articles `/<rubrique>/article/YYYY/MM/DD/<slug>_<id>.html`
with `article:published_time`, read-also as «Lire aussi :» paragraphs, Le Monde
«catcher» blocks and one «À lire aussi». A few articles, only in the feed, show
no date at all: their feed entries date them, in a named zone («EST», «GMT»).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from crawler.samples.dates import french_date
from crawler.samples.markup import FeedItem, esc, rss, theme_css, tracking_script
from crawler.samples.model import Article, Link
from crawler.samples.site import Page, Site, quote_path

RUBRIQUES = {"international": "International", "afrique": "Afrique", "societe": "Société",
             "police-justice": "Police-Justice", "economie": "Économie", "sport": "Sport",
             "culture": "Culture", "politique": "Politique"}
COOKIE_TEXT = ("Nous utilisons des cookies pour mesurer l'audience et vous proposer des "
               "contenus adaptés. Vous pouvez modifier vos choix à tout moment.")
SHARE_TEXT = "Partager sur Facebook"
NEWSLETTER_TEXT = "Recevez chaque matin l'essentiel de l'actualité dans votre boîte mail."
MOST_READ = "Les plus lus"
_LABELS = {"": "Lire aussi :", "a-lire": "À lire aussi :"}


class QuotidienSite(Site):
    name = "lequotidien"
    display_name = "Le Quotidien"
    language = "fr"
    timezone = "Europe/Paris"
    listing_path = "/actualites"
    feed_path = "/rss.xml"
    search_path = "/recherche?q={query}"
    per_page = 8
    feed_size = 10
    disallow = "/prive/"

    def article_path(self, article: Article) -> str:
        folder = "/prive/" if article.forbidden else "/"
        day = article.published
        return quote_path(f"{folder}{article.section}/article/{day:%Y/%m/%d}/"
                          f"{article.slug}_{article.id}.html")

    def url_for(self, article: Article, variant: str = "") -> str:
        url = self.base_url + article.path
        return url + "?xtor=RSS-3208" if variant == "utm" else url

    def robots(self) -> str:
        return "User-agent: *\nDisallow: /prive/\nDisallow: /recherche/avancee\n"

    def boilerplate(self, article: Article) -> tuple[str, ...]:
        most_read = [a.title for a in self.most_read(article)][:2]
        return (*super().boilerplate(article), COOKIE_TEXT, SHARE_TEXT, NEWSLETTER_TEXT,
                MOST_READ, *most_read)

    def most_read(self, current: Article | None) -> list[Article]:
        first = reversed(self.listing_page(1) or [])
        return [a for a in first if current is None or a.key != current.key][:5]

    def route(self, path: str, query: Mapping[str, str]) -> Page | None:
        if path == "/":
            return Page("", location=self.base_url + "/actualites")
        if path in ("/actualites", "/actualites/"):
            number = query.get("page", "1")
            return self.listing(int(number)) if number.isdigit() else None
        if path == "/rss.xml":
            items = [FeedItem(a.title, self.url_for(a, "utm"), self.url_for(a), a.published,
                              a.author, a.excerpt(40), RUBRIQUES.get(a.section, ""), a.feed_zone)
                     for a in self.feed()]
            body = rss(f"{self.display_name} - Actualités", self.base_url + "/actualites",
                       "Toute l'actualité en continu", "fr", items, self.updated)
            return Page(body, "application/rss+xml", cacheable=True)
        if path == "/recherche":
            number = query.get("page", "1")
            return self.results(query.get("q", ""), int(number)) if number.isdigit() else None
        found = self.lookup(path)
        return Page(self.article_page(found[0])) if found else None

    def teaser(self, article: Article) -> str:
        href = esc(self.url_for(article))
        return (f'<section class="teaser"><a class="teaser__link" href="{href}">'
                f'<h3 class="teaser__title">{esc(article.title)}</h3></a>'
                f'<p class="teaser__desc">{esc(article.excerpt(25))}</p>'
                f'<span class="meta__date">{esc(french_date(article.published))}</span></section>')

    def pager(self, base: str, number: int, more: bool) -> str:
        link = '<a class="river__pagination" rel="{}" href="{}page={}">{}</a>'
        nav = ""
        if number > 1:
            nav += link.format("prev", esc(base), number - 1, "Précédent")
        if more:
            nav += link.format("next", esc(base), number + 1, "Suivant")
        return f'<nav class="river__pagination-wrap">{nav}</nav>'

    def listing(self, number: int) -> Page | None:
        items = self.listing_page(number)
        if items is None:
            return None
        pager = self.pager(self.base_url + "/actualites?", number, number < self.page_count())
        main = (f'<h1 class="river__title">Actualités</h1><div class="river">'
                f'{"".join(self.teaser(a) for a in items)}</div>{pager}')
        return Page(self.frame("Actualités en continu", self.base_url + "/actualites", "", main,
                               None), cacheable=True)

    def results(self, query: str, number: int) -> Page:
        items, more = self.search_page(query, number)
        teasers = "".join(self.teaser(a) for a in items) or (
            '<p class="search__empty">Aucun résultat ne correspond à votre recherche.</p>')
        main = (f'<h1 class="search__title">Résultats pour « {esc(query)} »</h1>'
                f'<div class="river">{teasers}</div>'
                f'{self.pager(f"{self.base_url}/recherche?q={quote(query)}&", number, more)}')
        return Page(self.frame(f"Recherche : {query}", self.base_url + "/recherche", "", main,
                               None), cacheable=True)

    def frame(self, title: str, canonical: str, head_extra: str, main: str,
              current: Article | None) -> str:
        base = self.base_url
        menu = "".join(f'<li class="Nav__item"><a href="{base}/{slug}/">{esc(name)}</a></li>'
                       for slug, name in RUBRIQUES.items())
        most_read = "".join(f'<li><a href="{esc(self.url_for(a))}">{esc(a.title)}</a></li>'
                            for a in self.most_read(current))
        return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="UTF-8">
<title>{esc(title)}</title><link rel="canonical" href="{esc(canonical)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="application/rss+xml" href="{self.base_url}/rss.xml">
{head_extra}<style>{theme_css("lq", 100)}</style></head>
<body><header id="Header">
<a class="Header__logo" href="{base}/actualites">{esc(self.display_name)}</a>
<nav class="Nav"><ul>{menu}</ul></nav>
<a class="Header__subscribe" href="{base}/abonnement">S'abonner</a></header>
<main class="zone--article">{main}
<aside class="aside__iso"><h3>{MOST_READ}</h3><ol>{most_read}</ol>
<div class="newsletter"><p>{esc(NEWSLETTER_TEXT)}</p>
<input type="email" placeholder="Adresse e-mail"></div></aside></main>
<footer class="Footer"><p>© Le Quotidien - Reproduction interdite de tous les articles</p>
<a href="{base}/mentions-legales">Mentions légales</a> <a href="{base}/cgv">CGV</a></footer>
<div id="cmp-banner" class="gdpr"><p>{esc(COOKIE_TEXT)}</p>
<button>Accepter et continuer</button></div>
<script>{tracking_script(self.name, 12)}</script></body></html>"""

    def read_also_html(self, link: Link) -> str:
        url = esc(self.world.url(link))
        title = esc(self.world.article(link.target).title)
        if link.style == "catcher":
            return ('<section class="catcher catcher--inline"><div class="catcher__content">'
                    '<span class="catcher__title">Lire aussi :</span>'
                    f'<span class="catcher__desc"><a class="js-article-read-also" href="{url}">'
                    f"{title}</a></span></div></section>")
        label = _LABELS.get(link.style, "Lire aussi :")
        return f'<p class="article__paragraph">{label} <a href="{url}">{title}</a></p>'

    def article_page(self, article: Article) -> str:
        url, share = self.url_for(article), quote(self.url_for(article), safe="")
        rubrique = RUBRIQUES.get(article.section, "")
        dated = article.date_shown != "feed"
        published = (f'<meta property="article:published_time" '
                     f'content="{article.published.isoformat()}">\n') if dated else ""
        head = (f'<meta property="og:type" content="article">\n'
                f'<meta property="og:title" content="{esc(article.title)}">\n'
                f'{published}<meta property="article:section" content="{esc(rubrique)}">\n'
                f'<meta name="author" content="{esc(article.author)}">')
        shown = (f'<span class="meta__date meta__date--header">Publié le '
                 f'{esc(french_date(article.published))}</span>') if dated else ""
        body = "\n".join(
            self.read_also_html(b) if isinstance(b, Link)
            else f'<p class="article__paragraph">{esc(b)}</p>' for b in article.body)
        main = f"""<article class="article article--single">
<header class="article__header"><p class="article__kicker">{esc(rubrique)}</p>
<h1 class="article__title">{esc(article.title)}</h1>
<p class="meta meta__publisher">Par <span class="author__name">{esc(article.author)}</span></p>
{shown}
<div class="meta__social">
<a href="https://www.facebook.com/sharer/sharer.php?u={share}">{SHARE_TEXT}</a>
<a href="https://twitter.com/intent/tweet?url={share}">Partager sur X</a></div></header>
<section class="article__content">
{body}
</section>
<section class="article__reactions"><h3>Réactions</h3>
<p>Cet article est réservé aux abonnés. Pour réagir, connectez-vous.</p></section>
</article>"""
        return self.frame(f"{article.title} - {self.display_name}", url, head, main, article)
