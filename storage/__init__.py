"""The SQLite archive: articles, stories, full-text search, crawl runs and the alert outbox."""

from storage.archive import Archive
from storage.errors import SearchSyntaxError, StorageError

__all__ = ["Archive", "SearchSyntaxError", "StorageError"]
