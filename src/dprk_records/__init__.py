"""dprk-records: versioned tables of facts from North Korean state-media texts.

Load a released version of the data package (downloaded once, verified, cached, then offline)::

    import dprk_records

    dprk_records.versions()                       # ['0.1.0', ...]
    rows = dprk_records.load("documents")         # latest release, typed values
    pkg = dprk_records.open(version="0.1.0")
    pkg.tables                                    # ['documents', 'paragraphs', ...]
    df = pkg.to_pandas("documents")               # needs: pip install "dprk-records[pandas]"
    pkg.timeline("kim-jong-un")                   # a person's career: titles, changes, events
    local = dprk_records.open(path="datapackage") # a folder on disk, no download

Inside a clone of the repository, a call without a version reads the clone's ``datapackage/``
(no download); ask for a version, or set ``DPRK_RECORDS_LOCAL=0``, to use a release.

Environment variables: ``DPRK_RECORDS_BASE_URL`` (download mirror, may contain ``{version}``),
``DPRK_RECORDS_CACHE`` (cache folder), ``DPRK_RECORDS_REGISTRY`` (another registry.json),
``DPRK_RECORDS_LOCAL`` (``0``: never use the clone's package).

Importing this module is cheap: the loader's functions are imported on first use, and pooch,
pandas and the build pipeline only when a call needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dprk_records.__about__ import __version__
from dprk_records.errors import DprkRecordsError, PackageError
from dprk_records.loader.errors import (
    AmbiguousPersonError,
    ArchiveBombError,
    ArchiveMembersError,
    ArchiveVersionError,
    BaseUrlError,
    CacheError,
    CacheNotWritableError,
    DownloadError,
    ExportError,
    ExportTargetError,
    HashMismatchError,
    MissingExtraError,
    NoSuchTableError,
    RegistryError,
    UnknownPersonError,
    UnknownVersionError,
    UnsafeArchiveError,
    UnsafeFileError,
)

if TYPE_CHECKING:
    from dprk_records.loader.api import (
        VersionInfo,
        fetch,
        find_checkout,
        format_info,
        format_versions,
        info,
        list_versions,
        load,
        open,
        timeline,
        versions,
    )
    from dprk_records.loader.package import Package
    from dprk_records.loader.timeline import TimelineEntry

__all__ = [
    "AmbiguousPersonError",
    "ArchiveBombError",
    "ArchiveMembersError",
    "ArchiveVersionError",
    "BaseUrlError",
    "CacheError",
    "CacheNotWritableError",
    "DownloadError",
    "DprkRecordsError",
    "ExportError",
    "ExportTargetError",
    "HashMismatchError",
    "MissingExtraError",
    "NoSuchTableError",
    "Package",
    "PackageError",
    "RegistryError",
    "TimelineEntry",
    "UnknownPersonError",
    "UnknownVersionError",
    "UnsafeArchiveError",
    "UnsafeFileError",
    "VersionInfo",
    "__version__",
    "fetch",
    "find_checkout",
    "format_info",
    "format_versions",
    "info",
    "list_versions",
    "load",
    "open",
    "timeline",
    "versions",
]

# Public name -> module that defines it; imported on first attribute access (PEP 562).
_LAZY = {
    "fetch": "dprk_records.loader.api",
    "VersionInfo": "dprk_records.loader.api",
    "find_checkout": "dprk_records.loader.api",
    "format_versions": "dprk_records.loader.api",
    "list_versions": "dprk_records.loader.api",
    "format_info": "dprk_records.loader.api",
    "info": "dprk_records.loader.api",
    "load": "dprk_records.loader.api",
    "open": "dprk_records.loader.api",
    "timeline": "dprk_records.loader.api",
    "versions": "dprk_records.loader.api",
    "Package": "dprk_records.loader.package",
    "TimelineEntry": "dprk_records.loader.timeline",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'dprk_records' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # later accesses skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
