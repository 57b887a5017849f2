import json
from pathlib import Path

import pytest

from crawler.config import builtin_topics
from crawler.matching import Topic

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="session")
def security_topic() -> Topic:
    return next(t for t in builtin_topics() if t.name == "morocco-france-security")


@pytest.fixture(scope="session")
def labelled() -> list[dict]:
    return read_jsonl(HERE / "labelled.jsonl")


@pytest.fixture(scope="session")
def dev_set() -> list[dict]:
    path = REPO.parent / "shared" / "realtext" / "dev.jsonl"
    if not path.parent.parent.is_dir():
        pytest.skip("the shared folder next to the repository is absent")
    return read_jsonl(path)
