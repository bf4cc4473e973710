"""The errors the loader raises on purpose.

Each one subclasses :class:`dprk_records.errors.DprkRecordsError`, so ``except DprkRecordsError``
catches every failure of a download, a cache or a data package without hiding programming
mistakes. Where a standard exception family fits (a missing key, a missing import), the class
joins it too, so code written against the standard library keeps working.
"""

from __future__ import annotations

from dprk_records.errors import DprkRecordsError, PackageError

__all__ = [
    "AmbiguousPersonError",
    "DownloadError",
    "HashMismatchError",
    "MissingExtraError",
    "NoSuchTableError",
    "PackageError",
    "RegistryError",
    "UnknownPersonError",
    "UnknownVersionError",
    "UnsafeArchiveError",
]


class RegistryError(DprkRecordsError):
    """The registry of released versions is malformed, or an update would contradict it."""


class UnknownVersionError(DprkRecordsError, LookupError):
    """The requested data version is not in the registry of released versions."""


class DownloadError(DprkRecordsError):
    """A release archive could not be downloaded (server unreachable, HTTP error, cut-off body)."""


class HashMismatchError(DprkRecordsError):
    """A file's SHA-256 differs from the one recorded for it; the file was not used."""


class UnsafeArchiveError(PackageError):
    """A release archive holds a member that would be written outside its own folder."""


class NoSuchTableError(DprkRecordsError, LookupError):
    """The data package has no table resource of the requested name."""


class MissingExtraError(DprkRecordsError, ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""


class UnknownPersonError(DprkRecordsError, LookupError):
    """No person of the package has the requested id (or name); the message names close matches."""


class AmbiguousPersonError(DprkRecordsError, LookupError):
    """A name matches several persons of the package; the message lists their ids to choose from."""
