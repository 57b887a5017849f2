"""Shared fixtures for the archive tests: real SQLite files in tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from storage import Archive
from storage.records import ArticleRecord

AR_BODY = (
    "أعلنت المديرية العامة للأمن الوطني أن فرق مكافحة المتفجرات المغربية ستشارك إلى جانب "
    "نظيرتها الفرنسية في تأمين التظاهرات الكبرى، في إطار التعاون الأمني بين المغرب وفرنسا. "
    "وأوضح بلاغ للمديرية أن هذه المشاركة تأتي تتويجا لاجتماعات تنسيقية عقدت في الرباط وباريس "
    "خلال الأسابيع الماضية، وشملت تبادل الخبرات في مجال الأمن وتأمين الملاعب، كما زار الوفد "
    "المدرسة الوطنية للشرطة."
)
FR_BODY = (
    "La Direction générale de la Sûreté nationale a annoncé l'envoi d'équipes cynotechniques "
    "et de démineurs marocains pour appuyer les forces françaises lors des grands événements. "
    "Cette coopération en matière de sécurité entre le Maroc et la France s'inscrit dans la "
    "continuité des réunions tenues à Rabat et à Paris au cours des dernières semaines."
)
FROZEN_NOW = "2025-04-20T10:00:00+00:00"
OTHER_BODY = (
    "Le salon de l'agriculture de Meknès a accueilli cette année un nombre record d'exposants "
    "venus de plusieurs continents, selon les organisateurs. Les visiteurs ont pu découvrir "
    "des innovations dans l'irrigation, la semence et la transformation des produits locaux, "
    "dans une ambiance festive qui a duré toute la semaine."
)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MARSAD_NOW", FROZEN_NOW)
    return FROZEN_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive" / "marsad.db"


@pytest.fixture(scope="session")
def migrated_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new archive with every migration applied, made once: a copy of its file opens
    fifteen times quicker than a new file migrates. The migrations themselves are tested
    on files of their own (test_database, test_migrations)."""
    path = tmp_path_factory.mktemp("migrated") / "marsad.db"
    Archive(path).close()
    return path


@pytest.fixture(scope="module")
def new_module_archive(tmp_path_factory: pytest.TempPathFactory, migrated_archive: Path
                       ) -> Iterator[Callable[[], Archive]]:
    """Makes archives for a module's tests that only read them (searches): each is
    filled once, for the whole module."""
    opened: list[Archive] = []

    def new() -> Archive:
        path = tmp_path_factory.mktemp("module") / "marsad.db"
        shutil.copyfile(migrated_archive, path)
        opened.append(Archive(path))
        return opened[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MARSAD_NOW", FROZEN_NOW)
        yield new
    for archive in opened:
        archive.close()


@pytest.fixture
def archive(db_path: Path, migrated_archive: Path) -> Iterator[Archive]:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_archive, db_path)
    with Archive(db_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def make_article() -> Callable[..., ArticleRecord]:
    """An ArticleRecord with sensible defaults; keyword arguments override fields."""

    def build(url: str = "https://www.hespress.com/politique/436105.html", **fields: object
              ) -> ArticleRecord:
        base = ArticleRecord(
            url=url,
            source="hespress",
            title="تعاون أمني بين المغرب وفرنسا",
            text=AR_BODY,
            discovered_via="listing",
            fetched_at="2025-04-20T09:30:00+00:00",
            published="2025-04-20T10:06:00+01:00",
            language="ar",
        )
        return replace(base, **fields)

    return build


@pytest.fixture(scope="session")
def bodies() -> SimpleNamespace:
    return SimpleNamespace(ar=AR_BODY, fr=FR_BODY, other=OTHER_BODY)


@pytest.fixture
def shared_folder() -> Path:
    """Third-party material lives beside the repository, never inside it."""
    repo_root = Path(__file__).resolve().parents[2]
    folder = repo_root.parent / "shared"
    if not folder.is_dir():
        pytest.skip(f"shared material not present at {folder}")
    return folder
