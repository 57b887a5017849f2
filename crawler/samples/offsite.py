"""A site that is in no configuration: read-also links point here and must never be
followed, so every request it answers is a crawler bug the tests can see."""

from __future__ import annotations

from collections.abc import Mapping

from crawler.samples.markup import esc
from crawler.samples.model import Article
from crawler.samples.site import Page, Site, quote_path


class OffsiteSite(Site):
    name = "offsite"
    display_name = "Elsewhere News"

    def article_path(self, article: Article) -> str:
        return quote_path(f"/{article.section}/{article.slug}.html")

    def robots(self) -> str:
        return "User-agent: *\nAllow: /\n"

    def route(self, path: str, query: Mapping[str, str]) -> Page | None:
        found = self.lookup(path)
        if found is None:
            return None
        article = found[0]
        direction = "rtl" if article.language == "ar" else "ltr"
        paragraphs = "".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)
        return Page(f"""<!DOCTYPE html>
<html lang="{article.language}" dir="{direction}"><head><meta charset="utf-8">
<title>{esc(article.title)}</title>
<meta property="article:published_time" content="{article.published.isoformat()}"></head>
<body><h1>{esc(article.title)}</h1><div class="story">{paragraphs}</div></body></html>""")
