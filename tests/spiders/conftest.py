"""Sample news sites on loopback, and a configuration that points marsad at them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.samples import SampleSites


def write_config(folder: Path, sites: SampleSites, extra: str = "", tail: str = "") -> Path:
    path = folder / "marsad.toml"
    path.write_text(
        f"""database = "archive.db"

[crawl]
download_delay = "0s"
concurrency_per_domain = 8
timeout = "5s"
read_also_depth = 2
{extra}

{sites.sources_toml()}
{tail}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def sites() -> Iterator[SampleSites]:
    with SampleSites() as served:
        yield served


@pytest.fixture
def site_config(sites: SampleSites, tmp_path: Path):
    """Writes a marsad.toml for the sample sites into tmp_path; returns its path."""

    def make(extra: str = "", tail: str = "") -> Path:
        return write_config(tmp_path, sites, extra, tail)

    return make
