import html
import re
from html.parser import HTMLParser

import pytest

from alerts.escaping import clean_line
from alerts.render import (
    SLACK_HEADER_MAX,
    SLACK_SECTION_MAX,
    format_published,
    render_html,
    render_slack,
    render_subject,
    render_text,
)

SEGMENTS = [("Le ", False), ("Maroc", True), (" et la ", False), ("France", True), (".", False)]
DANGEROUS = "\r\n\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x1b\x00"


class Elements(HTMLParser):
    """Collects start tags with their attributes, to check structure rather than text."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def slack_strings(payload: dict) -> list[str]:
    out = [payload["text"]]
    for block in payload["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [f["text"] for f in block.get("fields", [])]
        out += [e["text"] for e in block.get("elements", [])]
    return out


def test_clean_line_removes_breaks_controls_and_bidi_overrides():
    assert clean_line(f"a{DANGEROUS}b") == "a b"
    assert clean_line("  Maroc\t\tFrance ") == "Maroc France"
    assert clean_line(None) == ""


def test_text_names_every_part_of_the_alert(make_alert):
    text = render_text(make_alert(), segments=SEGMENTS)
    assert text.splitlines()[0] == make_alert().title
    assert "hespress-fr (also: le360-fr, barlamane-fr)" in text
    assert "2024-07-25 10:30 +01:00" in text
    assert "https://fr.hespress.com/123-maroc-france.html" in text
    assert "morocco-france-security" in text
    assert "Maroc, France, sécurité" in text
    assert "Le «Maroc» et la «France»." in text


def test_excerpt_is_cut_from_the_article_text_by_default(make_alert):
    text = render_text(make_alert())
    assert "«Maroc»" in text and "«France»" in text and "«sécurité»" in text
    assert "antiterroriste" in text


def test_published_formats():
    assert format_published("2024-07-25") == "2024-07-25"
    assert format_published("2024-07-25T09:30:00+00:00") == "2024-07-25 09:30 +00:00"
    assert format_published(None) == "date unknown"
    assert format_published("yesterday\nnight") == "yesterday night"


def test_html_marks_terms_and_is_left_to_right_for_french(make_alert):
    markup = render_html(make_alert(), segments=SEGMENTS)
    assert (
        "Le <mark><strong>Maroc</strong></mark> et la <mark><strong>France</strong></mark>."
        in markup
    )
    divs = [attrs for tag, attrs in Elements(markup).tags if tag == "div"]
    assert divs[0] == {"dir": "ltr", "lang": "fr"}
    links = [attrs["href"] for tag, attrs in Elements(markup).tags if tag == "a"]
    assert links and set(links) == {"https://fr.hespress.com/123-maroc-france.html"}


def test_arabic_renders_right_to_left(arabic_alert):
    markup = render_html(arabic_alert)
    div = next(attrs for tag, attrs in Elements(markup).tags if tag == "div")
    assert div == {"dir": "rtl", "lang": "ar"}
    assert "<mark><strong>المغرب</strong></mark>" in markup
    # Language unknown, Arabic title: still right to left.
    unlabelled = render_html(arabic_alert.__class__(**{**arabic_alert.__dict__, "language": None}))
    assert 'dir="rtl"' in unlabelled and 'lang="ar"' in unlabelled


def test_html_escapes_hostile_page_text(make_alert, hostile_title):
    alert = make_alert(
        title=hostile_title,
        source='src"><img src=x onerror=alert(1)>',
        url='https://example.org/a?x="><script>alert(2)</script>&y=1',
        text="<b>bold</b> & <script>steal()</script> Maroc",
    )
    markup = render_html(alert)
    tags = {tag for tag, _ in Elements(markup).tags}
    assert tags <= {
        "html",
        "head",
        "meta",
        "body",
        "div",
        "h2",
        "a",
        "p",
        "mark",
        "strong",
        "table",
        "tr",
        "th",
        "td",
        "bdi",
    }
    assert "<script>" not in markup and "<img" not in markup
    href = next(attrs["href"] for tag, attrs in Elements(markup).tags if tag == "a")
    assert href == alert.url  # the parser unescapes the attribute back to the exact URL
    assert html.escape("<!channel>") in markup
    for char in DANGEROUS:
        assert char not in markup.replace("\n", "")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://user@/x", "http://a.ma:99999/x"])
def test_only_http_urls_become_links(make_alert, url):
    markup = render_html(make_alert(url=url))
    assert not [a for tag, a in Elements(markup).tags if tag == "a"]
    assert html.escape(url) in markup  # shown, as text
    payload = render_slack(make_alert(url=url))
    assert not any(f"<{url}" in text for text in slack_strings(payload))


def test_subject_is_one_clean_line(make_alert, hostile_title):
    subject = render_subject(make_alert(title=hostile_title))
    assert subject.startswith("[marsad] morocco-france-security: <!channel>")
    assert not set(DANGEROUS) & set(subject)
    assert "Bcc: victim@example.org next" in subject  # the header injection is just text


def test_slack_escapes_mentions_links_and_styling(make_alert, hostile_title):
    payload = render_slack(make_alert(title=hostile_title, text="x <!here> *y* Maroc"))
    for text in slack_strings(payload):
        for forged in ("<!channel>", "<@U123>", "<http://evil", "<script>", "<!here>"):
            assert forged not in text
        assert not (set(DANGEROUS) - {"\n"}) & set(text)  # our own field labels use \n
        assert not re.search(r"&(?!amp;|lt;|gt;)", text)  # every & is an entity
    header = payload["blocks"][0]["text"]["text"]
    assert header.startswith("&lt;!channel&gt; &lt;@U123&gt;") and "\n" not in header
    excerpt = payload["blocks"][2]["text"]["text"]
    assert "*Maroc*" in excerpt and "*y*" not in excerpt  # only our bold survives
    assert "&lt;!here&gt;" in excerpt


def test_slack_blocks_hold_the_alert_and_a_safe_link(make_alert):
    payload = render_slack(make_alert(url="https://x.example/a|b>c"), segments=SEGMENTS)
    blocks = payload["blocks"]
    assert [b["type"] for b in blocks] == ["header", "section", "section", "context"]
    fields = " ".join(f["text"] for f in blocks[1]["fields"])
    assert "hespress-fr (also: le360-fr, barlamane-fr)" in fields
    assert "2024-07-25 10:30 +01:00" in fields and "Maroc, France, sécurité" in fields
    assert blocks[2]["text"]["text"] == "Le *Maroc* et la *France*."
    assert blocks[3]["elements"][0]["text"] == "<https://x.example/a%7Cb&gt;c|Open the article>"
    assert payload["unfurl_links"] is False


def test_slack_respects_block_limits(make_alert):
    long_title = "&" * 400
    long_text = "Maroc " + "<>" * 5000
    payload = render_slack(make_alert(title=long_title, text=long_text))
    header = payload["blocks"][0]["text"]["text"]
    assert len(header) <= SLACK_HEADER_MAX and header.endswith("&amp;…")
    for block in payload["blocks"]:
        if block["type"] == "section" and "text" in block:
            body = block["text"]["text"]
            assert len(body) <= SLACK_SECTION_MAX
            assert not re.search(r"&(?!amp;|lt;|gt;)", body)
    assert len(payload["blocks"]) <= 50 and len(payload["text"]) <= 40000


def test_overlong_title_is_cut(make_alert):
    text = render_text(make_alert(title="Maroc " * 1000))
    assert len(text.splitlines()[0]) <= 500 and text.splitlines()[0].endswith("…")


@pytest.mark.slow
def test_five_megabytes_of_terms_render_with_a_short_excerpt(make_alert):
    # The archive hands channels the whole stored text; a page can be 5 MB of terms (the
    # time it takes: benchmarks/bounds.py).
    sentence = ("Le Maroc et la France renforcent leur coopération contre le terrorisme. "
                "تعزيز التعاون الأمني بين المغرب وفرنسا لمكافحة الإرهاب. ")
    alert = make_alert(text=sentence * (5_000_000 // len(sentence.encode())),
                       matched=("Maroc", "France", "terroris*", "المغرب", "فرنسا", "إرهاب*"))
    slack, email, text = render_slack(alert), render_html(alert), render_text(alert)
    excerpt = slack["blocks"][2]["text"]["text"]
    assert "*Maroc*" in excerpt and len(excerpt) <= 400
    assert "<mark><strong>Maroc</strong></mark>" in email and len(email) < 5000
    assert "«Maroc»" in text and len(text) < 1000
