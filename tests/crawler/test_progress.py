"""On a terminal, `marsad crawl` shows its progress while it runs: the display on its own
(Scrapy's get_crawler and stats), then a real crawl on a pseudo-terminal."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import figures, vocabulary
from crawler.extensions.progress import TerminalProgress


def test_the_display_is_off_unless_asked_for(monkeypatch):
    with pytest.raises(NotConfigured):
        TerminalProgress.from_crawler(get_crawler(settings_dict={}))
    terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", terminal)
    shown = TerminalProgress.from_crawler(get_crawler(settings_dict={"MARSAD_PROGRESS": True}))
    assert shown.stream is terminal


def test_one_line_redrawn_in_place_with_the_crawl_figures_then_cleared():
    crawler = get_crawler(settings_dict={"MARSAD_PROGRESS": True})
    terminal = io.StringIO()
    progress = TerminalProgress(crawler, terminal)
    stats = crawler.stats
    progress.show()
    stats.set_value(vocabulary.RESPONSES_RECEIVED, 12)
    stats.set_value(vocabulary.ARTICLES_NEW, 3)
    stats.set_value(vocabulary.SCHEDULER_ENQUEUED, 20)
    stats.set_value(vocabulary.SCHEDULER_DEQUEUED, 15)
    figures.note_error(stats, "hespress", "HTTP 503 for https://www.hespress.com/")
    figures.note_error(stats, "hespress", "HTTP 503 for https://www.hespress.com/")
    figures.note_error(stats, "le360", "DNS lookup failed for le360.ma")
    progress.show()
    progress.spider_closed()
    assert terminal.getvalue().split("\r\033[K") == [
        "",
        "crawling: 0 pages fetched, 0 new articles, 0 queued, 0 errors",
        "crawling: 12 pages fetched, 3 new articles, 5 queued, 3 errors",
        "",  # cleared for the summary that follows
    ]


def test_progress_line_on_a_terminal(site_config, marsad):
    config = site_config()
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--config", str(config), "crawl"],
        cwd=marsad.cwd, env=marsad.env, stdin=terminal, stdout=terminal, stderr=terminal,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=60) == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "crawling:" in shown and "pages fetched" in shown
    assert "new articles" in shown  # the summary follows


def test_no_progress_line_when_not_a_terminal(site_config, marsad):
    result = marsad("--config", str(site_config()), "crawl")
    assert "crawling:" not in result.stderr + result.stdout
