"""The files a descriptor names: where they are, and whether their bytes are the recorded ones.

Two policies, one per reader. The gate refuses any link on the way to a file
(:func:`~dprk_records.base.fileguard.contained_problem`), because it vouches for a package as it
will ship. The loader opens a user's folder, where a link that stays inside (a data folder moved
and linked back) is the user's business: :func:`member_path` follows it, but never out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dprk_records.base.fileguard import inside, relative_problem
from dprk_records.base.hashing import check_hash_field
from dprk_records.errors import HashMismatchError, PackageError

REPAIR_ADVICE = "Re-download the release, or rebuild the package, rather than editing its files."


def member_path(folder: Path, path: Any, what: str) -> Path:
    """The file a descriptor names by ``path`` inside ``folder`` (itself resolved), its links
    resolved; a PackageError for a URL, an absolute path or ``..``, an UnsafeFileError for a
    link that leads out of the folder."""
    if not isinstance(path, str) or not path:
        raise PackageError(f"{folder}: {what} has no single local 'path' (got {path!r})")
    problem = relative_problem(path)
    if problem:
        raise PackageError(
            f"{folder}: {what} path {path!r} must be relative, inside the package ({problem})"
        )
    return inside(folder, folder / path)


def check_member(file: Path, data: bytes, resource: dict[str, Any]) -> None:
    """Raise HashMismatchError unless ``data`` has the ``bytes`` and ``hash`` its resource
    records: an edited or damaged file must never be read as if it were the published one."""
    recorded_size = resource.get("bytes")
    if isinstance(recorded_size, int) and recorded_size != len(data):
        raise HashMismatchError(
            f"{file} has {len(data)} bytes but datapackage.json records {recorded_size}. "
            f"{REPAIR_ADVICE}"
        )
    recorded = resource.get("hash")
    if not isinstance(recorded, str):
        return
    mismatch = check_hash_field(data, recorded)
    if mismatch is not None:
        raise HashMismatchError(
            f"{file} does not match datapackage.json: expected {mismatch.algorithm} "
            f"{mismatch.expected} but got {mismatch.actual}. {REPAIR_ADVICE}"
        )
