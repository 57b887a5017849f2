"""The file itself: pragmas, migrations, two connections at once, bad files."""

from __future__ import annotations

import threading
import time

import pytest
from sqlite_utils.migrations import Migrations

from storage import Archive, StorageError
from storage.migrations import m001_initial, m002_claims_caps_drops, m003_stories


def test_pragmas_and_schema(archive: Archive) -> None:
    conn = archive.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert {"articles", "aliases", "stories", "read_also", "articles_fts", "topic_matches",
            "alerts", "runs", "run_sources", "validators"} <= set(archive.db.table_names())


def test_reopening_applies_nothing_twice(db_path, make_article) -> None:
    with Archive(db_path) as archive:
        archive.store_article(make_article())
    with Archive(db_path) as again:
        applied = again.db.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'marsad'").fetchall()
        assert applied == [("m001_initial",), ("m002_claims_caps_drops",), ("m003_stories",),
                           ("m004_story_views",), ("m005_source_health",),
                           ("m006_heartbeat",), ("m007_found_words",)]
        assert again.has_url("https://www.hespress.com/politique/436105.html")


def test_a_later_migration_can_add_columns(db_path, make_article) -> None:
    with Archive(db_path) as archive:
        archive.store_article(make_article())
    future = Migrations("marsad")
    future(name="m001_initial")(m001_initial)
    future(name="m002_claims_caps_drops")(m002_claims_caps_drops)
    future(name="m003_stories")(m003_stories)

    @future(name="m004_word_count")
    def m004_word_count(db) -> None:
        db["articles"].add_column("word_count", int)

    with Archive(db_path) as archive:
        future.apply(archive.db)
        assert "word_count" in archive.db["articles"].columns_dict
    with Archive(db_path) as archive:  # the current code still works on the newer file
        stored = archive.store_article(make_article(url="https://www.goud.ma/z-1/"))
        assert stored.new_article
        assert len(list(archive.export_articles())) == 2


def test_parent_folder_is_created(tmp_path) -> None:
    path = tmp_path / "a" / "b" / "c.db"
    with Archive(path):
        pass
    assert path.is_file()


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite " * 100)
    with pytest.raises(StorageError, match=r"notes\.db") as raised:
        Archive(path)
    assert "\n" not in str(raised.value)
    assert path.read_bytes() == b"this is not sqlite " * 100


def test_reader_sees_committed_state_while_a_writer_holds_a_transaction(
        db_path, make_article) -> None:
    with Archive(db_path) as writer, Archive(db_path) as reader:
        writer.store_article(make_article())
        writer.db.conn.execute("BEGIN IMMEDIATE")
        writer.db.conn.execute(
            "INSERT INTO runs (started_at, status) VALUES ('2025-01-01T00:00:00+00:00', 'x')")
        started = time.monotonic()
        assert reader.has_url("https://www.hespress.com/politique/436105.html")
        assert len(reader.search("المغرب")) == 1
        assert reader.db["runs"].count == 0
        with Archive(db_path) as third:  # opening does not wait for the writer either
            assert len(list(third.export_articles())) == 1
        assert time.monotonic() - started < 2
        writer.db.conn.execute("COMMIT")
        assert reader.db["runs"].count == 1


@pytest.mark.slow
def test_one_archive_writes_while_another_reads(db_path, make_article, bodies) -> None:
    total = 150
    failures: list[BaseException] = []
    with Archive(db_path) as writer, Archive(db_path) as reader:
        def write() -> None:
            try:
                for number in range(total):
                    writer.store_article(make_article(url=f"https://www.goud.ma/n-{number}/",
                                                      text=f"{number} {bodies.fr}"))
            except BaseException as error:  # reported by the main thread
                failures.append(error)

        thread = threading.Thread(target=write)
        thread.start()
        seen = []
        while thread.is_alive():
            seen.append(len(reader.search("securite", limit=1000)))
            reader.has_url("https://www.goud.ma/n-3/")
        thread.join()
        assert failures == []
        assert seen == sorted(seen)  # each read saw a consistent, growing archive
        assert len(reader.search("securite", limit=1000)) == total
        assert len(reader.known_url_keys()) == total


def test_two_writers_on_one_file_wait_for_each_other(db_path, make_article, bodies) -> None:
    failures: list[BaseException] = []
    archives = [Archive(db_path), Archive(db_path)]

    def write(archive: Archive, prefix: str) -> None:
        try:
            for number in range(40):
                archive.store_article(make_article(url=f"https://{prefix}.ma/{number}.html",
                                                   text=f"{prefix} {number} {bodies.fr}"))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(archive, name))
               for archive, name in zip(archives, ("one", "two"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for archive in archives:
        archive.close()
    assert failures == []
    with Archive(db_path) as archive:
        assert archive.db["articles"].count == 80
