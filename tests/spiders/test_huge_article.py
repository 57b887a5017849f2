"""A 1.2 MB article dense with topic terms is crawled, matched, stored and alerted like
any other, with its text cap noted, and without holding up the other alerts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.samples import Answer, ScriptedSite
from crawler.samples.sinks import SlackSink, SmtpSink, sink_channels_toml

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

TERMS = ("<p>أكد المغرب وفرنسا في البيان {n} تعزيز التعاون الأمني ومكافحة الإرهاب، وقالت "
         "الرباط وباريس إن الأجهزة الأمنية الفرنسية والمغربية تتبادل المعلومات.</p>\n")
SHORT = ("<p>Le Maroc et la France renforcent leur coopération sécuritaire contre le "
         "terrorisme, ont annoncé à Rabat les services de sécurité des deux pays.</p>\n") * 5


def page(title: str, body: str, lang: str) -> Answer:
    html = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}'
            f"</title></head><body><article><h1>{title}</h1>{body}</article></body></html>")
    return Answer(200, html.encode())


def test_a_term_heavy_megabyte_article_is_alerted_and_noted_as_capped(tmp_path):
    # Distinct paragraphs: extraction drops a paragraph repeated word for word.
    huge = "".join(TERMS.format(n=n) for n in range(1_200_000 // len(TERMS.encode())))
    routes = {
        "/robots.txt": Answer.robots(),
        "/": Answer(200, b'<html><body><a href="/news/1-huge.html">Un article</a>'
                         b'<a href="/news/2-court.html">Un autre article</a></body></html>'),
        "/news/1-huge.html": page("تعاون أمني بين المغرب وفرنسا", huge, "ar"),
        "/news/2-court.html": page("Coopération sécuritaire Maroc-France", SHORT, "fr"),
    }
    with ScriptedSite("127.0.0.35", routes) as site, SmtpSink() as smtp, SlackSink() as slack:
        config = tmp_path / "marsad.toml"
        config.write_text(
            'database = "archive.db"\n\n[crawl]\ndownload_delay = "0s"\ntimeout = "10s"\n'
            f'\n[[sources]]\nname = "huge"\nlisting_urls = ["{site.base_url}/"]\n'
            f"{sink_channels_toml(smtp, slack)}", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        crawl = subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config),
                                "crawl", "--json"], cwd=tmp_path, env=env, capture_output=True,
                               text=True, timeout=300)
        assert crawl.returncode == 0, crawl.stderr[-2000:]
        summary = json.loads(crawl.stdout)
        assert summary["delivery"] == {"sent": 4, "retried": 0, "failed": 0}
        exported = {json.loads(line)["url"].rsplit("/", 1)[1]: json.loads(line)
                    for line in subprocess.run(
                        [sys.executable, "-m", "crawler.cli", "--config", str(config),
                         "export"], cwd=tmp_path, env=env, capture_output=True, text=True,
                        check=True).stdout.splitlines()}
        assert exported["1-huge.html"]["text_capped"] is True
        assert exported["2-court.html"]["text_capped"] is False
        assert len(exported["1-huge.html"]["text"].encode()) > 1_000_000  # stored whole
        [huge_post] = [p for p in slack.posts if "المغرب" in p["payload"]["text"]]
        assert len(json.dumps(huge_post["payload"])) < 20_000  # a short excerpt
        assert len(smtp.messages) == 2
