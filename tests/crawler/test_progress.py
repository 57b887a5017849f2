"""On a terminal, `marsad crawl` shows its progress while it runs."""

from __future__ import annotations

import os
import pty
import subprocess
import sys


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
