"""The testers and the alert check through the command line's `main`, in this process:
`match` (topic rules on JSON lines), `extract` (saved sample pages, stdin, bad files) and
`test-alert` (a console channel, a refused SMTP login, a dead Slack webhook)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.samples import SampleArticle
from crawler.samples.sinks import SlackSink, SmtpSink
from crawler.text import squash_spaces
from crawler.urls import url_key

TOPIC = "morocco-france-security"
ARTICLES = [
    # Clitics, hamza and diacritics variants of the built-in topic's terms.
    {"title": "حَمُّوشي يستقبل وفدا أمنيا فرنسيا بالرباط",
     "text": "بحث الجانبان تعزيز التعاون الامني بين المغرب وفرنسا في مكافحة الارهاب.",
     "language": "ar", "url": "https://example.org/ar"},
    {"title": "COOPERATION SECURITAIRE : le Maroc et la France renforcent leurs liens",
     "text": "Les polices marocaine et française échangent sur le terrorisme.",
     "url": "https://example.org/fr"},
    {"title": "Météo : un week-end ensoleillé", "text": "Il fera beau sur Paris et Rabat."},
]


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def one_line_error(result, *parts: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


# -- match --------------------------------------------------------------------------------

def test_match_from_a_file_and_from_stdin(marsad_main, tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(jsonl(ARTICLES[:2]) + "\n" + jsonl(ARTICLES[2:]), encoding="utf-8")
    from_file = [json.loads(line) for line in
                 marsad_main("match", "--json", str(path)).stdout.splitlines()]
    assert [r["topics"] for r in from_file] == [[TOPIC], [TOPIC], []]
    assert [r["url"] for r in from_file] == ["https://example.org/ar", "https://example.org/fr",
                                             None]
    for record in from_file[:2]:
        assert record["score"] > 0 and record["matched"]
        assert all(isinstance(term, str) for term in record["matched"])
    assert from_file[2]["score"] == 0 and from_file[2]["matched"] == []
    assert {"حموشي", "فرنسا"} <= set(from_file[0]["matched"])
    from_stdin = marsad_main("match", "--json", stdin=path.read_text(encoding="utf-8")).stdout
    assert [json.loads(line) for line in from_stdin.splitlines()] == from_file
    text = marsad_main("match", str(path)).stdout.splitlines()
    assert len(text) == 3 and TOPIC in text[0] and TOPIC in text[1] and TOPIC not in text[2]


@pytest.mark.parametrize("content, parts", [
    ('{"title": "a", "text": "b"}\n{"title": "a", "text": \n', ["line 2", "not JSON"]),
    ('["title", "text"]\n', ["line 1", "not a JSON object"]),
    ('{"title": ["a"], "text": "b"}\n', ["line 1", "title"]),
], ids=["malformed", "array", "wrong-type"])
def test_match_refuses_bad_lines(marsad_main, tmp_path, content, parts):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    one_line_error(marsad_main("match", str(path), check=False), "bad.jsonl", *parts)
    one_line_error(marsad_main("match", "--json", stdin=content, check=False), "stdin", *parts)


def test_match_refuses_missing_and_binary_files(marsad_main, tmp_path):
    one_line_error(marsad_main("match", "missing.jsonl", check=False), "missing.jsonl",
                   "cannot read")
    (tmp_path / "bin.jsonl").write_bytes(b'{"title": "\xff\xfe"}\n')
    one_line_error(marsad_main("match", "bin.jsonl", check=False), "bin.jsonl", "UTF-8")



# -- hostile input, in process: one line on stderr, exit 2, never a traceback --------------

@pytest.fixture
def run(marsad_main, tmp_path):
    """`marsad --config <tmp>/marsad.toml ARGS...`: (code, stdout, stderr)."""
    (tmp_path / "marsad.toml").write_text(
        'database = "archive.db"\n\n[crawl]\nmax_text_size = "1KB"\n', encoding="utf-8")

    def call(*args: str) -> tuple[int, str, str]:
        result = marsad_main("--config", "marsad.toml", *args, check=False)
        return result.returncode, result.stdout, result.stderr

    return call


def refused(result: tuple[int, str, str], *parts: str) -> None:
    code, out, err = result
    assert code == 2, (code, out, err)
    [line] = err.splitlines()
    assert line.startswith("marsad: ") and "Traceback" not in err
    for part in parts:
        assert part in line, (part, line)


DEEP = 100_000


@pytest.mark.parametrize("content, parts", [
    ('{"title": ' + "[" * DEEP + "]" * DEEP + "}\n", ["line 1", "nested deeper than 64"]),
    ("[" * DEEP + "\n", ["line 1", "nested deeper than 64"]),
    ('{"title": "a"}\n{"text": ' + "9" * 5000 + "}\n", ["line 2", "number is too long"]),
    ('{"title": "a\\ud800b"}\n', ["line 1", "title", "lone surrogate"]),
], ids=["deep-value", "deep-unclosed", "long-number", "lone-surrogate"])
def test_match_refuses_hostile_lines_in_one_line(run, tmp_path, content, parts):
    (tmp_path / "hostile.jsonl").write_text(content, encoding="utf-8")
    refused(run("match", "--json", "hostile.jsonl"), "hostile.jsonl", *parts)


def test_match_reads_at_most_max_text_size_and_says_so(run, tmp_path):
    on_topic = ARTICLES[0]
    long_text = "Une phrase sans rapport avec le sujet. " * 100 + on_topic["text"]
    (tmp_path / "long.jsonl").write_text(jsonl([
        {"title": "", "text": on_topic["text"]},
        {"title": "", "text": long_text},  # the topic's terms lie past the 1 KB read
    ]), encoding="utf-8")
    code, out, err = run("match", "--json", "long.jsonl")
    assert code == 0 and err == ""
    short, long = (json.loads(line) for line in out.splitlines())
    assert short["text_capped"] is False and short["matched"]
    assert long["text_capped"] is True and long["matched"] == [] and long["topics"] == []


def test_extract_reads_a_page_with_json_ld_nested_100000_deep(run, tmp_path):
    (tmp_path / "deep.html").write_text(
        '<html><head><title>Titre</title><script type="application/ld+json">'
        + "[" * DEEP + "]" * DEEP
        + "</script></head><body><article><p>Le Maroc et la France coopèrent.</p>"
        + "<div>" * DEEP + "</div>" * DEEP + "</article></body></html>", encoding="utf-8")
    code, out, err = run("extract", "--json", "deep.html")
    assert code == 0 and err == ""
    record = json.loads(out)
    assert record["title"] == "Titre"
    assert record["text"] == "Le Maroc et la France coopèrent."


def test_extract_turns_runaway_nesting_into_one_line(run, tmp_path, monkeypatch):
    import crawler.extract

    def too_deep(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(crawler.extract, "extract_article", too_deep)
    (tmp_path / "page.html").write_text("<html><p>x</p></html>", encoding="utf-8")
    refused(run("extract", "page.html"), "page.html", "nested too deeply")


def test_search_with_a_negative_near_distance_is_a_usage_error(run):
    refused(run("search", 'NEAR("a" "b", -1)'), "NEAR(…, N)")


# -- extract ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(sample_web, tmp_path_factory) -> list[tuple[Path, str, SampleArticle, str]]:
    """Sample article pages saved to files: (file, address, ground truth, author).
    The folder's sources.toml holds the sample sites' [[sources]]."""
    folder = tmp_path_factory.mktemp("pages")
    (folder / "sources.toml").write_text(sample_web.sources_toml(), encoding="utf-8")
    authors = {a.path: a.author for site in sample_web.world.sites.values()
               for a in site.articles()}
    chosen = []
    for site in ("almokhbir", "albawaba24", "lequotidien"):
        candidates = [a for a in sample_web.truth if a.site == site and a.reachable]
        chosen.append(max(candidates, key=lambda a: len(a.read_also)))
    rendered = next(a for a in sample_web.world.sites["almokhbir"].articles()
                    if a.encoding != "utf-8")  # a windows-1256 page
    chosen.append(next(a for a in sample_web.truth if a.path == rendered.path))
    saved = []
    for index, article in enumerate(chosen):
        url = sample_web.url(article)
        path = folder / f"{index}-{article.site}.html"
        path.write_bytes(sample_web.answer(url).body)
        saved.append((path, url, article, authors[article.path]))
    return saved


@pytest.fixture
def marsad_now(marsad_main, sample_web):
    """`marsad`, its clock at the sample pages' now (they say "3 hours ago")."""
    marsad_main.env["MARSAD_NOW"] = sample_web.now.isoformat()
    return marsad_main


def key_path(url: str) -> str:
    """The path of a URL's identity: link variants (AMP, tracking, slash) collapse."""
    return url_key(url).split("/", 1)[1]


def check_extracted(record: dict, url: str, truth: SampleArticle, author: str) -> None:
    assert squash_spaces(record["title"]) == squash_spaces(truth.title)
    published = datetime.fromisoformat(record["published"])
    assert published.utcoffset() is not None
    assert abs((published - truth.published).total_seconds()) < 60
    assert record["language"] == truth.language
    assert record["author"] == author
    text = squash_spaces(record["text"])
    assert all(squash_spaces(s) in text for s in truth.body_snippets)
    assert not any(squash_spaces(s) in text for s in truth.not_in_body)
    assert url_key(record["canonical_url"]) == url_key(url)
    assert {key_path(link["url"]) for link in record["read_also"]} == {
        key_path("http://h" + path) for path in truth.read_also}
    assert all(link["title"] for link in record["read_also"])


def test_extract_several_pages_in_order(marsad_now, pages):
    result = marsad_now("extract", "--json", *(str(path) for path, *_ in pages))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["page"] for r in records] == [str(path) for path, *_ in pages]
    assert any(r["read_also"] for r in records)
    for record, (_, url, truth, author) in zip(records, pages, strict=True):
        check_extracted(record, url, truth, author)


def test_extract_names_the_source_of_a_configured_site(marsad_now, pages):
    config = pages[0][0].parent / "sources.toml"
    files = [str(path) for path, *_ in pages]
    plain = [json.loads(line)
             for line in marsad_now("extract", "--json", *files).stdout.splitlines()]
    configured = [json.loads(line) for line in marsad_now(
        "--config", str(config), "extract", "--json", *files).stdout.splitlines()]
    assert [r["source"] for r in plain] == [None] * len(pages)
    assert [r["source"] for r in configured] == [truth.site for _, _, truth, _ in pages]
    for record, (_, url, truth, author) in zip(configured, pages, strict=True):
        check_extracted(record, url, truth, author)


def test_extract_stdin_with_url(marsad_now, pages):
    path, url, truth, author = pages[2]
    result = marsad_now("extract", "--json", "--url", url, "-", stdin=path.read_text("utf-8"))
    record = json.loads(result.stdout)
    assert record["page"] == "-"
    check_extracted(record, url, truth, author)
    text = marsad_now("extract", "--url", url, str(path)).stdout
    assert f"title: {record['title']}" in text and record["text"] in text


def test_extract_garbage_and_empty_pages_do_not_crash(marsad_now, tmp_path):
    (tmp_path / "noise.bin").write_bytes(bytes(range(256)) * 64 + b"\x00<html><p\xff")
    (tmp_path / "empty.html").write_bytes(b"")
    records = [json.loads(line) for line in marsad_now(
        "extract", "--json", "noise.bin", "empty.html").stdout.splitlines()]
    assert [r["page"] for r in records] == ["noise.bin", "empty.html"]
    assert records[1]["title"] == "" and records[1]["text"] == ""
    assert all(r["read_also"] == [] and r["canonical_url"] is None for r in records)


@pytest.mark.parametrize("args, parts", [
    (["GOOD", "missing.html"], ["missing.html", "cannot read"]),
    (["--url", "http://example.org/a", "GOOD", "GOOD"], ["--url", "single page"]),
    (["--url", "example.org/a", "GOOD"], ["--url", "http"]),
    (["-", "-"], ["stdin"]),
], ids=["missing", "url-with-two", "url-not-http", "stdin-twice"])
def test_extract_refuses_bad_arguments_before_printing(marsad_now, pages, args, parts):
    args = [str(pages[0][0]) if a == "GOOD" else a for a in args]
    result = marsad_now("extract", "--json", *args, stdin="", check=False)
    one_line_error(result, *parts)
    assert result.stdout == ""


# -- test-alert ---------------------------------------------------------------------------

def test_test_alert_on_the_console(marsad_main, tmp_path):
    result = marsad_main("test-alert")
    assert result.stdout.splitlines()[-1] == "console: sent"
    assert "test alert" in result.stdout


def test_test_alert_failures_are_one_line_each_without_secrets(marsad_main, tmp_path):
    password, token = "S3cret-pa55word", "T0/B0/very-secret-token"
    logins = []

    def refuse(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult
        logins.append(auth_data.login)
        return AuthResult(success=False, handled=False)

    with SmtpSink(authenticator=refuse, auth_require_tls=False) as smtp, SlackSink() as slack:
        slack.answer(404, "no_service")
        (tmp_path / "marsad.toml").write_text(f"""
[channels.email]
type = "email"
host = "127.0.0.1"
port = {smtp.port}
security = "none"
username = "analyst"
password = "${{MARSAD_SMTP_PASSWORD}}"
from = "marsad@example.org"
to = "analyst@example.org"
timeout = "5s"

[channels.slack]
type = "slack"
webhook_url = "${{MARSAD_SLACK_WEBHOOK}}"
timeout = "5s"
""", encoding="utf-8")
        marsad_main.env.update(MARSAD_SMTP_PASSWORD=password,
                          MARSAD_SLACK_WEBHOOK=f"{slack.url.rsplit('/services/', 1)[0]}"
                                               f"/services/{token}")
        result = marsad_main("test-alert", check=False)
        assert smtp.messages == [] and logins and set(logins) == {b"analyst"}
        assert [post["path"] for post in slack.posts] == [f"/services/{token}"]
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[:2] for line in lines] == [["email", "failed"],
                                                        ["slack", "failed"]]
    assert "535" in lines[0] and "404" in lines[1]
    for secret in (password, token, "very-secret"):
        assert secret not in result.stdout + result.stderr
