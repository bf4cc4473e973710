"""Exception classes shared by every part of dprk-records.

Every error a user can meet is a subclass of :class:`DprkRecordsError`, so callers can catch the
project's errors without catching programming mistakes. Messages say what happened, to which file,
and what to do about it.
"""

from __future__ import annotations


class DprkRecordsError(Exception):
    """Base class of every error raised on purpose by dprk-records."""


class SeedError(DprkRecordsError):
    """A seed document or the seeds manifest cannot be used as input."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class SchemaError(DprkRecordsError):
    """A Table Schema under schemas/ is missing, malformed or inconsistent."""


class BuildError(DprkRecordsError):
    """The package could not be built or written; the previous package is left untouched."""


class PackageError(DprkRecordsError):
    """A built data package folder or release archive is missing or unreadable."""


class ReleaseError(DprkRecordsError):
    """A release cannot be cut: the package is invalid, the tree is dirty, or the version exists."""


class HashMismatchError(DprkRecordsError):
    """A file's size or hash differs from the one recorded for it; the file was not used.

    Defined here rather than with the loader's errors because every reader of a package checks
    its files against the descriptor (:mod:`dprk_records.reader.members`)."""


class MissingExtraError(DprkRecordsError, ImportError):
    """An optional dependency is not installed; the message names the extra that brings it.

    Defined here rather than with the loader's errors because the build needs it too: a build
    asked for Parquet resources without pyarrow fails with it before writing anything."""


class ParquetConversionError(DprkRecordsError):
    """A table's CSV cannot be written as Parquet typed by its Table Schema: its header is not
    the schema's fields, a cell does not parse as its field's type, a required cell is empty, or
    the schema uses a property the converter does not model. The message names the file."""
