"""A probe's verdict on a source, and a one-line explanation with a hint for each problem.

Pure: what was seen goes in (`SourceProbe`), the verdict and the problems come out.

- **broken**: nothing the crawl could store: no article link on any listing, feed or
  search page, or none of the articles tried has a headline and a body;
- **blocked**: the same, where the site refused marsad (403, a bot challenge) or its
  robots.txt forbids the pages: no setting of marsad's can fix that;
- **degraded**: articles come through, but something is wrong (a dead feed, a listing
  whose links the pattern misses, articles without a date);
- **ok**: nothing to report.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote, urlsplit

from crawler.probe.model import DISCOVERY, Page, SourceProbe

MIN_BODY_CHARS = 200  # less is a teaser or a caption, not an article's text

# How one segment of an article's path is shown and matched, tried in order; a segment
# that fits none is a word (a section's name) or any name.
_SEGMENTS = (
    (re.compile(r"\d+"), "<id>", r"\d+"),
    (re.compile(r"\d+\.(html?|php|aspx?)"), "<id>.{0}", r"\d+\.{0}"),
    (re.compile(r"\d{8}-.+"), "<yyyymmdd>-<slug>", r"\d{{8}}-[^/]+"),
    (re.compile(r".+([-_])\d+\.(html?|php|aspx?)"), "<slug>{0}<id>.{1}", r"[^/]+{0}\d+\.{1}"),
    (re.compile(r".+([-_])\d+"), "<slug>{0}<id>", r"[^/]+{0}\d+"),
    (re.compile(r".+_[A-Z0-9]{16,}"), "<slug>_<ID>", r"[^/]+_[A-Z0-9]{{16,}}"),
    (re.compile(r".+\.(html?|php|aspx?)"), "<slug>.{0}", r"[^/]+\.{0}"),
)
_WORD = re.compile(r"[a-z][a-z0-9-]{0,30}")


def assess(probe: SourceProbe) -> SourceProbe:
    """Fill in the probe's verdict and problems; returns it."""
    problems: list[str] = []
    announced = [url for page in probe.of_kind("listing") for url in page.announced_feeds]
    # One cause striking every page (DNS, robots.txt unreachable) is said once; an HTTP
    # status is said per page, with that page's hint.
    failures = Counter(page.error for page in probe.pages
                       if page.error and not page.error.startswith("HTTP "))
    said: set[str] = set()
    for page in probe.pages:
        if page.error and failures[page.error] > 1:  # said once, for every page it struck
            if page.error not in said:
                said.add(page.error)
                problems.append(f"{failures[page.error]} pages failed (e.g. the {page.kind} "
                                f"{page.url}): {page.error}")
            continue
        problem = _page_problem(probe, page, announced)
        if problem:
            problems.append(problem)
    articles = [page for page in probe.of_kind("article") if page.article is not None]
    problems += _article_problems(articles)
    found = any(page.links for page in probe.pages if page.kind in DISCOVERY)
    readable = [page for page in articles if _readable(page)]
    if not probe.pages:
        probe.verdict = "ok"  # nothing to fetch: the source only names read-also domains
    elif not found or not readable:
        # Blocked when refusals alone explain it; a page that failed otherwise, or
        # answered without what was wanted, is for the configuration to fix. What came
        # to nothing: the discovery pages when no link was found, else the articles.
        tried = (probe.of_kind("article") if found
                 else [page for page in probe.pages if page.kind in DISCOVERY])
        if not found:
            problems.insert(0, "no article link on any listing, feed or search page")
        elif not articles:
            forbidden = [page for page in tried if page.forbidden]
            problems.insert(0, "none of the articles tried could be read" + (
                f"; robots.txt forbids {len(forbidden)} of them (e.g. {forbidden[0].url})"
                if forbidden else ""))
        refused = all(page.blocked or page.forbidden for page in tried)
        probe.verdict = "blocked" if tried and refused else "broken"
    else:
        probe.verdict = "degraded" if problems else "ok"
    probe.problems = problems
    return probe


def _readable(page: Page) -> bool:
    facts = page.article
    return facts is not None and bool(facts.title) and facts.body_chars >= MIN_BODY_CHARS


def _page_problem(probe: SourceProbe, page: Page, announced: list[str]) -> str | None:
    what = "search" if page.kind == "search" else f"{page.kind} {page.url}"
    if page.forbidden and page.kind == "article":
        return None  # skipped by the crawl too; counted in the table, another one was read
    if page.forbidden:
        return f"robots.txt forbids the {what}; marsad obeys it: drop that address"
    if page.blocked:
        return (f"the site refuses the {what}: {page.blocked}; marsad does not get around "
                "bot protection")
    if page.error:
        hint = _feed_hint(announced, page) if page.kind == "feed" else ""
        return f"the {what} failed: {page.error}{hint}"
    if page.kind == "article":
        return None
    if page.kind == "feed":
        if not page.is_feed:
            return (f"feed {page.url} is not RSS, Atom or a sitemap (an HTML page?)"
                    + _feed_hint(announced, page))
        if not page.links and page.offsite:
            return (f"feed {page.url}: all {len(page.offsite)} entries lead off the source's "
                    f"domains (e.g. {page.offsite[0]}): add their host to allowed_domains")
        if not page.links:
            return f"feed {page.url} has no entries"
        return None
    if page.links:
        return None
    where = (f"the search for {probe.query!r} ({page.url})" if page.kind == "search"
             else f"listing {page.url}")
    if page.is_feed:
        return f"{where}: no entries"
    if page.kind == "search" and not page.lookalikes:
        return (f"{where}: no article links (no results for these words, or results built "
                "by JavaScript)")
    return f"{where}: no article links" + _pattern_hint(probe.article_pattern, page)


def _feed_hint(announced: list[str], page: Page) -> str:
    others = [url for url in announced if url != page.url]
    return f"; the listing page announces {', '.join(others[:3])}" if others else ""


def _pattern_hint(pattern: str | None, page: Page) -> str:
    if pattern is None:
        return ("; no link looks like an article (a page built by JavaScript?): set "
                "article_pattern to the path of its articles")
    shape = common_shape(page.lookalikes)
    if shape is None:
        return (f" matched article_pattern '{pattern}', and no link looks like an article "
                "(a page built by JavaScript?)")
    label, regex, count, example = shape
    example = example if len(example) <= 60 else example[:30] + "…" + example[-25:]
    return (f" matched article_pattern '{pattern}'; {len(page.lookalikes)} links look like "
            f"articles, {count} of them like {label} (e.g. {example}): try "
            f"article_pattern = '{regex}'")


def _article_problems(articles: list[Page]) -> list[str]:
    problems = []
    missing = (
        ("headline", lambda page: not page.article.title, "selectors.title"),
        ("date", lambda page: not page.article.published, "selectors.date"),
        (f"body text (under {MIN_BODY_CHARS} characters)",
         lambda page: page.article.body_chars < MIN_BODY_CHARS, "selectors.body"),
    )
    for what, lacks, key in missing:
        lacking = [page for page in articles if lacks(page)]
        if lacking:
            problems.append(f"{len(lacking)} of {len(articles)} articles have no {what} "
                            f"(e.g. {lacking[0].url}): set {key}")
    return problems


def common_shape(urls: list[str]) -> tuple[str, str, int, str] | None:
    """The most common path shape of these article URLs: (shape as shown, a regular
    expression for article_pattern, how many share it, one example path), or None."""
    shapes: dict[tuple, list[list[str]]] = {}
    for url in urls:
        path = unquote(urlsplit(url).path)
        segments = [segment for segment in path.split("/") if segment]
        if not segments:
            continue
        key = (tuple(_segment_class(segment)[0] for segment in segments), path.endswith("/"))
        shapes.setdefault(key, []).append(segments)
    if not shapes:
        return None
    key, members = max(shapes.items(), key=lambda item: len(item[1]))
    labels, regexes = [], []
    for position, kind in enumerate(key[0]):
        values = Counter(segments[position] for segments in members)
        label, regex = _segment_class(members[0][position])[1:]
        if kind == "word" and len(values) == 1:
            label = regex = members[0][position]
            regex = re.escape(regex)
        labels.append(label)
        regexes.append(regex)
    slash = "/" if key[1] else ""
    shown = "/" + "/".join(labels) + slash
    pattern = "^/" + "/".join(regexes) + ("/?$" if key[1] else "$")
    return shown, pattern, len(members), "/" + "/".join(members[0]) + slash


def _segment_class(segment: str) -> tuple[str, str, str]:
    """(class, label, regex) of one path segment."""
    for index, (shape, label, regex) in enumerate(_SEGMENTS):
        match = shape.fullmatch(segment)
        if match:
            # The groups are a separator (- or _) or an extension: literal in a pattern.
            groups = match.groups()
            return f"{index}:{''.join(groups)}", label.format(*groups), regex.format(*groups)
    if _WORD.fullmatch(segment):
        return "word", "<section>", r"[^/]+"
    return "name", "<name>", r"[^/]+"
