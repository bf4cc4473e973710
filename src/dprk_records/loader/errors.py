"""The errors the loader raises on purpose.

Each one subclasses :class:`dprk_records.errors.DprkRecordsError`, so ``except DprkRecordsError``
catches every failure of a download, a cache or a data package without hiding programming
mistakes. Where a standard exception family fits (a missing key, a missing import), the class
joins it too, so code written against the standard library keeps working.
"""

from __future__ import annotations

from dprk_records.base.fileguard import UnsafeFileError
from dprk_records.errors import (
    DprkRecordsError,
    HashMismatchError,
    MissingExtraError,
    PackageError,
)

__all__ = [
    "AmbiguousPersonError",
    "ArchiveBombError",
    "ArchiveMembersError",
    "ArchiveVersionError",
    "BaseUrlError",
    "CacheError",
    "CacheNotWritableError",
    "DownloadError",
    "ExportError",
    "ExportTargetError",
    "HashMismatchError",
    "MissingExtraError",
    "NoSuchTableError",
    "PackageError",
    "RegistryError",
    "UnknownPersonError",
    "UnknownVersionError",
    "UnsafeArchiveError",
    "UnsafeFileError",
]


class RegistryError(DprkRecordsError):
    """The registry of released versions is malformed, or an update would contradict it."""


class UnknownVersionError(DprkRecordsError, LookupError):
    """The requested data version is not in the registry of released versions."""


class DownloadError(DprkRecordsError):
    """A release archive could not be downloaded (server unreachable, HTTP error, cut-off body)."""


class BaseUrlError(DprkRecordsError, ValueError):
    """``DPRK_RECORDS_BASE_URL`` (or a download URL) cannot be downloaded from as written: no
    http(s) scheme, no host, a port that is not a number from 1 to 65535, a query or fragment.

    Raised before any connection is tried, so a typo is reported as a typo rather than as a
    network failure or, worse, as a file that does not match its hash.
    """


class CacheError(DprkRecordsError):
    """The cache folder cannot be used for what a fetch must do there (create, lock, write)."""


class CacheNotWritableError(CacheError):
    """Something must be written into the cache (a download, a re-extraction) and the folder is
    read-only; the message names it and the two ways to pick a writable one."""


class UnsafeArchiveError(PackageError):
    """A release archive holds a member that would be written outside its own folder."""


class ArchiveBombError(UnsafeArchiveError):
    """A release archive would expand past the loader's size limits (in total, per member, or by
    a compression ratio no release has), or a member yields more bytes than it declares."""


class ArchiveMembersError(PackageError):
    """A release archive does not hold exactly the release's files: a name twice, a file its
    datapackage.json names missing, or a file no release ships."""


class ArchiveVersionError(PackageError):
    """A release archive's datapackage.json names another version than the one asked for.

    ``expected`` is the version asked for, ``found`` what the descriptor says (None if absent).
    """

    def __init__(self, message: str, expected: str, found: object) -> None:
        super().__init__(message)
        self.expected = expected
        self.found = found


class NoSuchTableError(DprkRecordsError, LookupError):
    """The data package has no table resource of the requested name."""


class UnknownPersonError(DprkRecordsError, LookupError):
    """No person of the package has the requested id (or name); the message names close matches."""


class AmbiguousPersonError(DprkRecordsError, LookupError):
    """A name matches several persons of the package; the message lists their ids to choose from."""


class ExportError(DprkRecordsError):
    """A package could not be exported: its schemas cannot be expressed in the target format, a
    value does not fit its column, or the engine refused a row. Nothing is left at the output."""


class ExportTargetError(ExportError, FileExistsError):
    """The output path holds something the exporter did not make (or cannot be written); it is
    left untouched. Exporting again over the exporter's own earlier output is allowed."""
