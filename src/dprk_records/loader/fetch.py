"""Getting a released version into the local cache: download, verify, extract, reuse.

Cache layout (``CACHE`` = ``$DPRK_RECORDS_CACHE``, the ``cache_dir=`` argument, or the
platformdirs user cache folder of "dprk-records")::

    CACHE/dprk-records-data-1.2.0.zip        the archive, exactly as released (hash-checked)
    CACHE/dprk-records-data-1.2.0.zip.lock   inter-process lock for this version
    CACHE/1.2.0/                             the extracted package (datapackage.json, data/...)

Every open verifies the whole cached version before handing it out, and writes nothing while
doing so (:func:`cache_problem`), so a read-only cache works:

- the archive's size, then its SHA-256 against the registry (a few milliseconds);
- the archive's contents, from its central directory and datapackage.json
  (:func:`~.archive.check_release_archive`: members, version, size limits);
- every extracted file against the archive's record of it (:func:`extraction_problem`): its
  size, then the CRC-32 of its bytes against the zip's. That reads the extracted package once
  per open: for release 0.1.0 (89 files, 1 MB) a warm open takes about 8 ms more than the
  archive hash alone, mostly opening files; CRC-32 itself runs at over 1 GB/s. It catches
  accidental damage down to one flipped byte. Files the archive does not hold are ignored. An edit crafted to keep the CRC is still caught for the tables by
  :class:`~.package.Package`, which checks each table's SHA-256 before parsing it.

When all of that holds, the folder is returned. Otherwise the version's file lock is taken, the
check repeated (another process may have done the work meanwhile), and: a damaged archive is
deleted and downloaded again, once; a damaged or missing extracted file makes the folder be
extracted again from the verified archive. When that writing is impossible, CacheNotWritableError
names the folder and how to choose another.

A symbolic link, FIFO, device or socket where the archive, its lock, the version's folder or
one of its files belongs is refused by name (UnsafeFileError) before anything is read from it,
and never deleted: the loader opens no file outside its cache and never blocks on a FIFO.

A fetch that fails (network down, hash mismatch, interrupted) leaves nothing of its own behind:
pooch deletes the partial download, and when the version has neither an archive nor a folder in
the cache, the lock file is deleted too, while still held, so a failed first attempt does not
leave a 0-byte ``.lock`` for the user to wonder about. A process that was waiting on that lock
then holds an unlinked file; :func:`_acquire` notices (the path no longer names the inode it
locked) and locks again. The download's progress is one tqdm line on stderr, only when stderr is
a terminal and ``quiet`` is not set; pooch's log line is never printed.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import stat
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from dprk_records.base.fileguard import (
    UnsafeFileError,
    check_regular,
    not_regular,
    open_fd,
    open_regular,
    special_kind,
)
from dprk_records.base.hashing import file_sha256
from dprk_records.base.progress import progress_enabled
from dprk_records.errors import PackageError
from dprk_records.loader.archive import (
    check_release_archive,
    extract_archive,
    remove_partial_extractions,
    top_folder,
)
from dprk_records.loader.download import Downloader, archive_url, download_archive
from dprk_records.loader.errors import (
    CacheError,
    CacheNotWritableError,
    DownloadError,
    HashMismatchError,
)
from dprk_records.loader.registry import find_release, load_registry

if TYPE_CHECKING:
    from filelock import BaseFileLock

CACHE_ENV = "DPRK_RECORDS_CACHE"
LOCK_TIMEOUT_SECONDS = 900
_CHUNK = 1 << 20
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}

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


def _archive_advice(path: Path) -> str:
    return f"Delete it: the loader then downloads the release again into {path.parent}."


def _folder_advice(folder: Path) -> str:
    return f"Delete {folder}: the next load extracts it again from the verified archive."


def file_hash(path: Path) -> str:
    """SHA-256 of a regular file, lowercase hex, read in chunks."""
    with open_regular(path, _archive_advice(path)) as handle:
        return file_sha256(handle, _CHUNK)


def archive_action(path: Path, size: int, sha256: str) -> ArchiveAction:
    """What to do with the cached archive: use it, download it, or delete it and download again.

    The size is compared first, so a truncated file is caught without hashing it. Anything but
    a regular file at *path* raises UnsafeFileError: it is neither read nor deleted.
    """
    try:
        info = check_regular(path, _archive_advice(path))
    except (FileNotFoundError, NotADirectoryError):
        return "download"
    if info.st_size != size or file_hash(path) != sha256:
        return "refetch"
    return "use"


def _crc32(path: str, advice: str) -> int:
    """CRC-32 of a file the caller has just seen to be regular with ``os.lstat``."""
    fd = open_fd(path, advice)
    try:
        crc = 0
        while chunk := os.read(fd, _CHUNK):
            crc = zlib.crc32(chunk, crc)
        return crc
    finally:
        os.close(fd)


def extraction_problem(folder: Path, infos: list[zipfile.ZipInfo], top: str) -> str | None:
    """Why *folder* is not the extraction of these archive members, or None when every member
    is there with the archive's size and CRC-32.

    Looks at each entry with ``os.lstat`` before opening it: a symbolic link, FIFO, device or
    socket raises UnsafeFileError naming it. Entries the archive does not hold are ignored.
    """
    advice = _folder_advice(folder)
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return f"{folder} is not extracted yet"
    if not stat.S_ISDIR(mode):
        return _wrong_kind(folder, mode, "a folder", advice)
    base = os.fspath(folder)
    folders = {""}
    for info in infos:
        relative = info.filename[len(top) + 1 :].rstrip("/")
        if not relative:
            continue
        parts = relative.split("/")
        for depth in range(1, len(parts) + (1 if info.is_dir() else 0)):
            sub = "/".join(parts[:depth])
            if sub in folders:
                continue
            try:
                mode = os.lstat(os.path.join(base, sub)).st_mode
            except (FileNotFoundError, NotADirectoryError):
                return f"{sub}/ is missing from {folder}"
            if not stat.S_ISDIR(mode):
                return _wrong_kind(folder / sub, mode, "a folder", advice)
            folders.add(sub)
        if info.is_dir():
            continue
        path = os.path.join(base, relative)
        try:
            found = os.lstat(path)
            if not stat.S_ISREG(found.st_mode):
                return _wrong_kind(Path(path), found.st_mode, "a file", advice)
            if found.st_size != info.file_size:
                return f"{path} has {found.st_size} bytes where the archive has {info.file_size}"
            if _crc32(path, advice) != info.CRC:
                return f"{path} differs from the archive (its CRC-32 does not match)"
        except (FileNotFoundError, NotADirectoryError):  # or removed meanwhile by a repair
            return f"{relative} is missing from {folder}"
    return None


def _wrong_kind(path: Path, mode: int, wanted: str, advice: str) -> str:
    """The damage to report when a folder is where a file belongs or the other way round;
    UnsafeFileError for anything else (a link, FIFO, device or socket is not ours to touch)."""
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        found = "a folder" if stat.S_ISDIR(mode) else "a file"
        return f"{path} is {found} where the archive has {wanted}"
    raise UnsafeFileError(path, not_regular(special_kind(mode) or "not a regular file"), advice)


def _archive_problem(archive: Path, folder: Path, version: str) -> str | None:
    """Check the verified *archive*'s contents, then *folder* against them (see module doc)."""
    try:
        with (
            open_regular(archive, _archive_advice(archive)) as handle,
            zipfile.ZipFile(handle) as zf,
        ):
            infos = check_release_archive(zf, archive, version)
    except zipfile.BadZipFile as exc:
        raise PackageError(f"{archive}: not a readable zip archive ({exc})") from exc
    return extraction_problem(folder, infos, top_folder(version))


def cache_problem(release: dict[str, Any], cache: Path) -> str | None:
    """What must be written into *cache* before *release* can be used, or None when its archive
    and every extracted file are verified. Only reads; raises the archive and file errors."""
    archive, folder = cache / release["file"], cache / release["version"]
    try:
        action = archive_action(archive, release["size"], release["sha256"])
        if action == "download":
            return f"{archive.name} is not in the cache yet and must be downloaded"
        if action == "refetch":
            return f"the cached {archive.name} is damaged and must be downloaded again"
        return _archive_problem(archive, folder, release["version"])
    except OSError as exc:
        raise CacheError(
            f"cannot read the cached version {release['version']} in {cache} "
            f"({exc.strerror or exc}); set {CACHE_ENV} or pass cache_dir= to use another folder"
        ) from exc


def _write_error(cache: Path, exc: OSError, need: str) -> CacheError:
    """The error for a cache that could not be written: read-only, full, or not a folder."""
    reason = exc.strerror or str(exc)
    if exc.errno in _READ_ONLY_ERRNOS:
        return CacheNotWritableError(
            f"the cache folder {cache} is not writable ({reason}), and {need}. Set {CACHE_ENV} "
            "or pass cache_dir= to a writable folder (or make this one writable)."
        )
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        hint = f"{cache} (or a folder above it) is a file, not a folder"
    elif exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        hint = "Free some space there"
    else:
        hint = "Check that folder"
    return CacheError(
        f"cannot write into the cache folder {cache} ({reason}), and {need}. {hint}, or set "
        f"{CACHE_ENV} or pass cache_dir= to another folder."
    )


def fetch(
    version: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    registry: dict[str, Any] | None = None,
    downloader: Downloader | None = None,
    quiet: bool = False,
) -> Path:
    """Make sure *version* (default: the latest release) is cached and verified; return its
    package folder.

    Downloads the archive if needed (verified against the registry's SHA-256), checks and
    extracts it, and afterwards works with no network and, when nothing is damaged, without
    writing. A download draws one progress line on stderr when it is a terminal, unless
    ``quiet``. ``registry`` and ``downloader`` are injection points for tests and tools; by
    default the packaged (or ``$DPRK_RECORDS_REGISTRY``) registry and an HTTP download are used.
    """
    release = find_release(registry if registry is not None else load_registry(), version)
    cache = cache_location(cache_dir)
    need = cache_problem(release, cache)
    if need is None:
        return cache / release["version"]
    lock = _acquire(cache, release, need)
    done = False
    try:
        folder = _fetch_locked(release, cache, downloader, progress_enabled(quiet))
        done = True
        return folder
    except OSError as exc:
        raise _write_error(cache, exc, f"version {release['version']} needs it: {need}") from exc
    finally:
        try:
            if not done:
                _drop_unused_lock_file(lock, cache, release)
        finally:
            lock.release()


def _lock_path(cache: Path, release: dict[str, Any]) -> Path:
    return cache / (release["file"] + ".lock")


def _held_fd(lock: BaseFileLock) -> int | None:
    """The descriptor filelock holds the lock on, when its version exposes it (3.12 to 4.x do)."""
    fd = getattr(getattr(lock, "_context", None), "lock_file_fd", None)
    return fd if isinstance(fd, int) else None


def _soft_lock(lock: BaseFileLock) -> bool:
    """Whether filelock fell back to a marker file (no flock here); it then deletes it itself."""
    return bool(getattr(getattr(lock, "_context", None), "soft_fallback", False))


def _holds_linked_lock(lock: BaseFileLock, lock_path: Path) -> bool:
    """Whether the lock just taken is on the file that *lock_path* names now: False when a failed
    fetch deleted that file while this process waited on it (see the module docstring)."""
    try:
        on_disk = os.lstat(lock_path)
    except FileNotFoundError:
        return _soft_lock(lock)
    fd = _held_fd(lock)
    if fd is None or _soft_lock(lock):
        return True
    try:
        return os.path.samestat(os.fstat(fd), on_disk)
    except OSError:
        return True


def _drop_unused_lock_file(lock: BaseFileLock, cache: Path, release: dict[str, Any]) -> None:
    """After a failed fetch, and while still holding it: delete the version's lock file when
    nothing else of that version is in the cache, so a failed first download leaves no file.

    Only our own regular lock file is deleted (the inode we hold, when filelock says which), and
    any error is ignored: a lock file left behind is harmless, hiding the real error is not.
    """
    if _soft_lock(lock):
        return
    archive, folder = cache / release["file"], cache / release["version"]
    if os.path.lexists(archive) or os.path.lexists(folder):
        return
    lock_path = _lock_path(cache, release)
    with contextlib.suppress(OSError):
        found = os.lstat(lock_path)
        fd = _held_fd(lock)
        if not stat.S_ISREG(found.st_mode):
            return
        if fd is not None and not os.path.samestat(os.fstat(fd), found):
            return
        lock_path.unlink()


def _acquire(cache: Path, release: dict[str, Any], need: str) -> BaseFileLock:
    """Create the cache folder if needed and take the version's lock; the project's errors for
    a cache that cannot be written (no raw PermissionError) or a lock that is not a file."""
    from filelock import FileLock, Timeout  # lazy: keeps `import dprk_records` light

    because = f"version {release['version']} needs it: {need}"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(cache, exc, because) from exc
    lock_path = _lock_path(cache, release)
    advice = f"Delete it: it is only {release['file']}'s lock file."
    while True:
        with contextlib.suppress(FileNotFoundError):  # a lock file is made when missing
            check_regular(lock_path, advice)
        lock = FileLock(str(lock_path), timeout=LOCK_TIMEOUT_SECONDS)
        try:
            lock.acquire()
        except Timeout as exc:
            raise DownloadError(
                f"waited {LOCK_TIMEOUT_SECONDS} s for another process to finish fetching "
                f"{release['file']} into {cache}; if none is running, delete {lock_path}"
            ) from exc
        except OSError as exc:
            raise _write_error(cache, exc, because) from exc
        if _holds_linked_lock(lock, lock_path):
            return lock
        lock.release()  # its holder failed and deleted the file: lock the current one


def _remove(path: Path) -> None:
    """Delete a cached folder or file of ours; a link, FIFO or device there is refused instead."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
    elif stat.S_ISREG(mode):
        path.unlink()
    else:
        kind = special_kind(mode) or "not a regular file"
        raise UnsafeFileError(path, not_regular(kind), _folder_advice(path))


def _fetch_locked(
    release: dict[str, Any], cache: Path, downloader: Downloader | None, progress: bool = False
) -> Path:
    """The writing part of :func:`fetch`; the caller holds the version's lock."""
    version, sha256 = release["version"], release["sha256"]
    archive, folder = cache / release["file"], cache / version
    action = archive_action(archive, release["size"], sha256)
    if action != "use":
        url = archive_url(version, release["file"])  # a bad base URL is refused before any change
        if action == "refetch":
            log.warning("cached %s is damaged (wrong size or hash); downloading it again", archive)
            _remove(folder)
            archive.unlink()
        try:
            download_archive(url, archive, sha256, downloader, progress=progress)
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
    problem = _archive_problem(archive, folder, version)
    if problem is not None:
        if action == "use" and folder.exists():
            log.warning("%s; extracting %s again from the verified archive", problem, folder)
        _remove(folder)
        remove_partial_extractions(cache, folder.name)
        extract_archive(archive, folder, version)
    return folder
