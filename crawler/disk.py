"""The archive's disk: a cycle does not start when it is nearly full."""

from __future__ import annotations

import shutil

from crawler.config import Config


class CycleRefused(Exception):
    """A cycle that must not start (too little free disk space): one line for the user."""


def check_free_space(config: Config) -> None:
    """Refuse to crawl when the archive's filesystem is nearly full: a cycle that cannot
    commit its articles only fetches them in vain."""
    floor = config.crawl.min_free_space
    if not floor:
        return
    folder = config.database.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < floor:
        raise CycleRefused(f"only {_megabytes(free)} free on the archive's disk ({folder}), "
                           f"under crawl.min_free_space = {_megabytes(floor)}: "
                           "no cycle started")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
