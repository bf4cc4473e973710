"""Validating a released version the way a downstream user's CI does (`validate --release`).

The release is fetched through the loader -- downloaded from ``DPRK_RECORDS_BASE_URL`` (or the
project's release assets) and used only if its sha256 matches the loader's registry -- and the
whole gate then runs on the extracted package, against the schemas and CHANGELOG.md the release
ships, so a release is judged by its own rules rather than by a newer checkout's.
"""

from __future__ import annotations

import os
from pathlib import Path

from dprk_records.validate import validate_package
from dprk_records.validate.report import Report


def validate_release(
    version: str,
    cache_dir: str | os.PathLike[str] | None = None,
    previous: Path | None = None,
) -> Report:
    """Fetch and verify release ``version``, then run every check on it.

    Raises the loader's errors (UnknownVersionError, DownloadError, HashMismatchError,
    ArchiveVersionError for an archive holding another version, ...) when the release cannot be
    had or does not match the registry; returns the gate's report
    otherwise. ``previous`` is an older release (folder or zip) to check the version bump against.
    """
    from dprk_records.loader.fetch import fetch
    from dprk_records.loader.registry import normalize_version

    wanted = normalize_version(version)
    folder = fetch(wanted, cache_dir)
    report = validate_package(folder, checkout=folder, previous=previous)
    report.package = f"release {wanted} ({folder}; sha256 verified against the registry)"
    return report
