"""`python -m crawler.samples` serves the sites until interrupted."""

from __future__ import annotations

import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # a child process, started and stopped


def ignore_sigint() -> None:
    """What a shell does to a command it starts in the background."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_module_serves_until_interrupted(fetch, stop):
    process = subprocess.Popen([sys.executable, "-m", "crawler.samples"], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=ignore_sigint)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("# Serving"):
                break
        urls = {line.split()[0]: line.split()[1] for line in lines
                if line.startswith(("almokhbir ", "albawaba24 ", "lequotidien ", "sadaatlas "))}
        assert set(urls) == {"almokhbir", "albawaba24", "lequotidien", "sadaatlas"}
        assert fetch(urls["lequotidien"] + "actualites").status == 200
        assert any(line.startswith("[[sources]]") for line in lines)
        # What follows the heading is a configuration as it stands.
        config = "".join(lines[lines.index("# marsad configuration for these sites:\n"):])
        assert len(tomllib.loads(config)["sources"]) == 4
    finally:
        process.send_signal(stop)
        assert process.wait(timeout=10) == 0
