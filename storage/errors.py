"""The archive's exceptions: small, so the CLI can turn them into one-line user errors."""

from __future__ import annotations


class StorageError(Exception):
    """The archive cannot do what was asked (bad input, unknown id, unusable file)."""


class SearchSyntaxError(StorageError):
    """A search query that is not valid full-text search syntax."""
