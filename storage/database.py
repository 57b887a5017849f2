"""Opening the archive file: connection, pragmas, migrations, write transactions.

The archive is a sqlite-utils `Database`. Rows read as dicts come from `db.query`, and
writes off the hot path (crawl runs, source health, validators) use `table.insert` and
`upsert`. What runs for every stored article stays plain `sqlite3` on `db.conn`: the
store pipeline's writes (storage.articles, storage.stories) and the near-duplicate index
(storage.story_index). There `table.insert` costs about ten times a prepared statement
(it reads the table's schema on every call) and `db.query` about four times (a savepoint
around each query), on tens of statements an article, thousands of articles a crawl.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlite_utils import Database

from storage.errors import StorageError
from storage.migrations import migrations

BUSY_TIMEOUT_MS = 30_000

# One lock per connection: the archive may be shared by the crawl's threads,
# and two interleaved transactions on one connection would be one transaction.
_LOCKS: weakref.WeakKeyDictionary[Database, threading.RLock] = weakref.WeakKeyDictionary()
_LOCKS_GUARD = threading.Lock()


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) the archive at path and bring its schema up to date."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; every write goes
        # through transaction() below, so nothing holds the write lock by accident.
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except (OSError, sqlite3.Error) as error:
        raise StorageError(f"cannot open database {str(path)!r}: {error}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        db = Database(conn, execute_plugins=False)
        # Checked read-only first: opening an up-to-date archive must not wait
        # for a running crawl's write lock.
        if migrations.pending(db):
            with transaction(db):
                migrations.apply(db)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StorageError(f"cannot use database {str(path)!r}: {error}") from None
    return db


def write_lock(db: Database) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(db, threading.RLock())


@contextmanager
def transaction(db: Database) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken IMMEDIATE so a second writer waits instead of failing.

    Inside an open batch (see `begin_batch`) it is a savepoint of the batch's
    transaction instead: all or nothing still holds for each unit of work.
    """
    with write_lock(db):
        conn = db.conn
        nested = conn.in_transaction
        conn.execute("SAVEPOINT unit" if nested else "BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            # After a full disk or an I/O error SQLite may have rolled the whole
            # transaction back itself: the savepoint is gone, and the error to report is
            # the first one, not "no such savepoint".
            with suppress(sqlite3.Error):
                if nested and conn.in_transaction:
                    conn.execute("ROLLBACK TO unit")
                    conn.execute("RELEASE unit")
                elif not nested and conn.in_transaction:
                    conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("RELEASE unit" if nested else "COMMIT")


def begin_batch(db: Database) -> None:
    """Open a transaction that groups many units of work into one commit.

    A crawl stores thousands of articles; committing each costs more than
    storing it. What a batch holds is lost if the process dies before
    `commit_batch`: those articles are simply fetched again next cycle.
    """
    lock = write_lock(db)
    lock.acquire()
    try:
        if not db.conn.in_transaction:
            db.conn.execute("BEGIN IMMEDIATE")
    finally:
        lock.release()


def commit_batch(db: Database) -> None:
    with write_lock(db):
        if db.conn.in_transaction:
            db.conn.execute("COMMIT")


def rollback_batch(db: Database) -> None:
    """Give up the open batch after a failed write or commit: none of it is kept.

    SQLite may already have rolled the transaction back itself (a full disk, an I/O
    error); then there is nothing left to undo.
    """
    with write_lock(db):
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")


def is_storage_failure(error: BaseException) -> bool:
    """True for the archive's own failures (full disk, I/O error, lock timeout, damaged
    file), as against a bad value: the write may succeed later, or elsewhere."""
    return isinstance(error, sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError
