"""Getting a released version into the local cache: download, verify, extract, reuse.

Cache layout (``CACHE`` = ``$DPRK_RECORDS_CACHE``, the ``cache_dir=`` argument, or the
platformdirs user cache folder of "dprk-records")::

    CACHE/dprk-records-data-1.2.0.zip        the archive, exactly as released (hash-checked)
    CACHE/dprk-records-data-1.2.0.zip.lock   inter-process lock for this version
    CACHE/1.2.0/                             the extracted package (datapackage.json, data/...)

Every open re-hashes the cached archive (a few milliseconds): a truncated or corrupted file is
deleted and downloaded again, once. The folder is re-extracted from the verified archive when a
file in it is missing or has the wrong size. All of it happens under a file lock, so two processes
loading the same version at once download it once and never see half a folder. The decisions
are the pure-ish functions :func:`archive_action` and :func:`package_complete`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any, Literal

from dprk_records.errors import PackageError
from dprk_records.loader.archive import extract_archive, remove_partial_extractions, top_folder
from dprk_records.loader.download import Downloader, archive_url, download_archive
from dprk_records.loader.errors import DownloadError, HashMismatchError
from dprk_records.loader.registry import find_release, load_registry

CACHE_ENV = "DPRK_RECORDS_CACHE"
LOCK_TIMEOUT_SECONDS = 900

log = logging.getLogger("dprk_records")

ArchiveAction = Literal["use", "download", "refetch"]


def cache_location(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: the argument, else ``$DPRK_RECORDS_CACHE``, else the user cache dir."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # lazy: only needed when no folder was given

    return platformdirs.user_cache_path("dprk-records", appauthor=False)


def file_hash(path: Path) -> str:
    """SHA-256 of a file, lowercase hex, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_action(path: Path, size: int, sha256: str) -> ArchiveAction:
    """What to do with the cached archive: use it, download it, or delete it and download again.

    The size is compared first, so a truncated file is caught without hashing it.
    """
    if not path.is_file():
        return "download"
    if path.stat().st_size != size or file_hash(path) != sha256:
        return "refetch"
    return "use"


def package_complete(folder: Path) -> bool:
    """Whether an extracted package folder still has every resource file, at its recorded size."""
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    for resource in descriptor.get("resources", []) if isinstance(descriptor, dict) else []:
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str):
            continue
        file = folder / path
        if not file.is_file():
            return False
        recorded = resource.get("bytes")
        if isinstance(recorded, int) and file.stat().st_size != recorded:
            return False
    return True


def fetch(
    version: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    registry: dict[str, Any] | None = None,
    downloader: Downloader | None = None,
) -> Path:
    """Make sure *version* (default: the latest release) is cached; return its package folder.

    Downloads the archive if needed (verified against the registry's SHA-256), extracts it, and
    afterwards works with no network. ``registry`` and ``downloader`` are injection points for
    tests and tools; by default the packaged (or ``$DPRK_RECORDS_REGISTRY``) registry and an
    HTTP download are used.
    """
    from filelock import FileLock, Timeout  # lazy: keeps `import dprk_records` light

    release = find_release(registry if registry is not None else load_registry(), version)
    cache = cache_location(cache_dir)
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageError(
            f"cannot create the cache folder {cache} ({exc}); set {CACHE_ENV} to a writable folder"
        ) from exc
    archive = cache / release["file"]
    lock = FileLock(str(archive) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
    try:
        with lock:
            return _fetch_locked(release, archive, cache / release["version"], downloader)
    except Timeout as exc:
        raise DownloadError(
            f"waited {LOCK_TIMEOUT_SECONDS} s for another process to finish fetching "
            f"{release['file']} into {cache}; if none is running, delete {lock.lock_file}"
        ) from exc


def _fetch_locked(
    release: dict[str, Any], archive: Path, folder: Path, downloader: Downloader | None
) -> Path:
    """The body of :func:`fetch`; the caller holds the version's lock."""
    version, sha256 = release["version"], release["sha256"]
    action = archive_action(archive, release["size"], sha256)
    if action == "refetch":
        log.warning("cached %s is damaged (wrong size or hash); downloading it again", archive)
        archive.unlink()
        shutil.rmtree(folder, ignore_errors=True)
    if action != "use":
        url = archive_url(version, release["file"])
        try:
            download_archive(url, archive, sha256, downloader)
        except DownloadError as exc:
            if action == "refetch":
                raise DownloadError(
                    f"the cached archive {archive} was damaged and was deleted; {exc}"
                ) from exc
            raise
        # pooch checked the hash of the download; check what sits on disk, as every open does
        if archive_action(archive, release["size"], sha256) != "use":
            archive.unlink(missing_ok=True)
            raise HashMismatchError(
                f"the archive downloaded from {url} matches the registry's sha256 but not its "
                f"size ({release['size']} bytes); the registry entry of {version} is wrong. "
                "The download was deleted."
            )
    if not package_complete(folder):
        shutil.rmtree(folder, ignore_errors=True)
        remove_partial_extractions(folder.parent, folder.name)
        extract_archive(archive, folder, top_folder(version))
    return folder
