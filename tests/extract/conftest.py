"""Fixtures for the extraction tests: the hand-written pages under pages/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parent / "pages"


@pytest.fixture
def page() -> Callable[[str], bytes]:
    """Reads a page under tests/extract/pages/ as the crawler would receive it: bytes."""

    def read(name: str) -> bytes:
        return (PAGES / name).read_bytes()

    return read
