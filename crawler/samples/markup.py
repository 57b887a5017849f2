"""Markup shared by the sample sites: escaping, feeds, and the heavy boilerplate
(theme CSS, tracking scripts) that makes pages weigh what real ones do."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from crawler.samples.dates import rfc822


def esc(text: str) -> str:
    """Escape page text for HTML and XML, attribute values included."""
    return html.escape(text, quote=True)


def json_ld(data: dict) -> str:
    """A JSON-LD script body that cannot close its <script> element early."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    guid: str
    published: datetime
    author: str
    summary: str
    category: str = ""
    zone: str = ""  # pubDate in this named zone ("EST") rather than with an offset


def rss(title: str, link: str, description: str, language: str, items: list[FeedItem],
        updated: datetime, self_url: str = "") -> str:
    entries = "".join(
        f"""
  <item>
   <title>{esc(i.title)}</title>
   <link>{esc(i.link)}</link>
   <guid isPermaLink="false">{esc(i.guid)}</guid>
   <pubDate>{rfc822(i.published, i.zone)}</pubDate>
   <dc:creator>{esc(i.author)}</dc:creator>
   <category>{esc(i.category)}</category>
   <description>{esc(i.summary)}</description>
  </item>""" for i in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
 <channel>
  <title>{esc(title)}</title>
  <atom:link href="{esc(self_url or link)}" rel="self" type="application/rss+xml"/>
  <link>{esc(link)}</link>
  <description>{esc(description)}</description>
  <lastBuildDate>{rfc822(updated)}</lastBuildDate>
  <language>{language}</language>
  <generator>https://wordpress.org/?v=6.5.5</generator>{entries}
 </channel>
</rss>
"""


def atom(title: str, self_url: str, home: str, items: list[FeedItem], updated: datetime,
         language: str = "ar") -> str:
    entries = "".join(
        f"""
 <entry>
  <title type="text">{esc(i.title)}</title>
  <link rel="alternate" type="text/html" href="{esc(i.link)}"/>
  <id>{esc(i.guid)}</id>
  <published>{i.published.isoformat()}</published>
  <updated>{i.published.isoformat()}</updated>
  <author><name>{esc(i.author)}</name></author>
  <category term="{esc(i.category)}"/>
  <summary type="text">{esc(i.summary)}</summary>
 </entry>""" for i in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">
 <title>{esc(title)}</title>
 <link rel="self" type="application/atom+xml" href="{esc(self_url)}"/>
 <link rel="alternate" type="text/html" href="{esc(home)}"/>
 <id>{esc(home)}</id>
 <updated>{updated.isoformat()}</updated>{entries}
</feed>
"""


@cache
def theme_css(prefix: str, rules: int) -> str:
    """Deterministic theme CSS: real news pages carry tens of KB of it inline."""
    lines = []
    for i in range(rules):
        colour = f"{(i * 2654435761) % 0xFFFFFF:06x}"
        lines.append(
            f".{prefix}-c{i},.{prefix}-w{i}>a:hover{{display:{'flex' if i % 3 else 'block'};"
            f"margin:0 {i % 7}px {i % 5}px;padding:.{i % 9 + 1}rem {i % 4}rem;color:#{colour};"
            f"font:{12 + i % 6}px/1.{i % 8 + 2} 'Droid Arabic Kufi',Tahoma,sans-serif}}"
            f"@media (min-width:{576 + (i % 4) * 192}px){{.{prefix}-c{i}{{flex:{i % 3 + 1}}}}}")
    return "\n".join(lines)


@cache
def tracking_script(site: str, bulk: int) -> str:
    """An analytics and ad-slot bootstrap script: page weight, not content."""
    slots = ",".join(
        f'{{"id":"div-gpt-ad-{site}-{i}","sizes":[[300,250],[728,90]],"path":"/2175/{site}/slot{i}"}}'
        for i in range(bulk))
    return (f"window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}"
            f"gtag('js',new Date());gtag('config','G-{site.upper()}2024');"
            f"var googletag=googletag||{{cmd:[]}};var adSlots=[{slots}];"
            "googletag.cmd.push(function(){adSlots.forEach(function(s){googletag.defineSlot"
            "(s.path,s.sizes,s.id).addService(googletag.pubads())});googletag.enableServices()});")
