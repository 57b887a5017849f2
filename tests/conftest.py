"""Fixtures shared by every test folder: running the real `marsad` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


class Marsad:
    """Runs `python -m crawler.cli` in a child process, as a user would run `marsad`."""

    def __init__(self, cwd: Path, env: dict[str, str]):
        self.cwd = cwd
        self.env = env

    def __call__(self, *args: str, stdin: str | None = None, timeout: float = 120,
                 check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", *args],
            cwd=self.cwd, env=self.env, input=stdin, capture_output=True, text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"marsad {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result


@pytest.fixture
def marsad(tmp_path: Path) -> Marsad:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return Marsad(tmp_path, env)
