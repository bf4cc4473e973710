"""Replacing a file or a folder so that a reader, or a crash, sees the old one or the new one.

Everything is first written beside its target (same folder, so same file system, so the last
step is a rename) under a hidden name, and renamed into place only once complete; on any failure
the temporary is removed and the target is left as it was. Names follow one pattern,
``.NAME.KIND-XXXXXXXX`` (``KIND`` says what it is: ``new`` staging, ``old`` retired, ...), so a
caller that recovers after a crash can find what an earlier run left (see
:func:`dprk_records.pipeline.write.recover`).

Files and folders are made with the user's umask, as ``open`` and ``mkdir`` make them -- not
with ``mkstemp``'s 0600 or ``mkdtemp``'s 0700, which a rename would carry into the target.

What may be replaced, locks, journals and recovery are the callers' policy; this module only
does the writing. Standard library only: the loader imports it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

__all__ = [
    "PendingFile",
    "UnsafeNameError",
    "fresh_sibling",
    "remove_tree",
    "safe_name",
    "staging_dir",
    "swap_in",
    "sync_folder",
    "write_file",
    "write_files",
    "write_tree",
]

_OPEN_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


class UnsafeNameError(ValueError):
    """A file name of a tree is absolute, climbs out with ``..`` or is empty: writing it would
    land outside the folder being written."""


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so a rename in it survives a power cut (where supported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some systems cannot sync a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def fresh_sibling(target: Path, kind: str) -> Path:
    """An unused hidden name beside ``target``: ``.NAME.KIND-XXXXXXXX``."""
    while True:
        candidate = target.parent / f".{target.name}.{kind}-{os.urandom(4).hex()}"
        if not os.path.lexists(candidate):
            return candidate


def remove_tree(path: Path) -> None:
    """Remove a folder (or a file or link left where one was), ignoring what cannot be removed:
    it is a temporary, and a caller's recovery removes what is left."""
    if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    shutil.rmtree(path, ignore_errors=True)


class PendingFile:
    """A file being written beside ``path`` under a hidden name, for a writer that has its
    bytes a piece at a time: :meth:`commit` renames it into place, :meth:`abandon` removes it.
    :func:`write_file` is the one-piece case.

    ``mode`` is the new file's permission bits; by default those of the file replaced, else
    what the umask gives a new file. ``durable=False`` skips the two fsyncs: still
    all-or-nothing for every reader, but a power cut may lose the file -- right for a cache
    whose entries check themselves, where syncing would cost more than the work. An OSError
    names ``path``, not the temporary nobody asked for.
    """

    def __init__(self, path: Path, *, mode: int | None = None, durable: bool = True) -> None:
        self.path = Path(path)
        if mode is None:
            with contextlib.suppress(FileNotFoundError):
                mode = stat.S_IMODE(os.stat(self.path).st_mode)
        self._mode = mode
        self._durable = durable
        self._temp: Path | None = fresh_sibling(self.path, "tmp")
        with self._naming_path():
            fd = os.open(self._temp, _OPEN_NEW, 0o666)  # the umask applies, as for open(path)
        self._handle = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        """Append ``data`` to the file."""
        with self._naming_path():
            self._handle.write(data)

    def commit(self) -> None:
        """Put the file in place of ``path`` (a link there is replaced, not written through);
        on any failure the temporary is removed and ``path`` left as it was."""
        temp = self._temp
        if temp is None:
            raise ValueError(f"{self.path}: this file was already put in place or abandoned")
        try:
            with self._naming_path():
                self._handle.flush()
                if self._durable:
                    os.fsync(self._handle.fileno())
                if self._mode is not None:
                    os.fchmod(self._handle.fileno(), self._mode)
                self._handle.close()
                os.replace(temp, self.path)
        except BaseException:
            self.abandon()
            raise
        self._temp = None
        if self._durable:
            sync_folder(self.path.parent)

    def abandon(self) -> None:
        """Remove the temporary; ``path`` stays as it was (nothing, once committed)."""
        with contextlib.suppress(OSError):
            self._handle.close()
        if self._temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temp)
            self._temp = None

    @contextlib.contextmanager
    def _naming_path(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            if exc.filename == str(self._temp):
                exc.filename, exc.filename2 = str(self.path), None
            raise


def write_file(path: Path, data: bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Replace the file ``path`` with ``data`` (write a hidden sibling, fsync it, rename it).

    ``mode`` and ``durable`` are :class:`PendingFile`'s. Any failure removes the temporary and
    leaves ``path`` as it was; an OSError names ``path``. A symbolic link at ``path`` is
    replaced by the file, not written through.
    """
    pending = PendingFile(path, mode=mode, durable=durable)
    try:
        pending.write(data)
    except BaseException:
        pending.abandon()
        raise
    pending.commit()


@contextlib.contextmanager
def staging_dir(target: Path, kind: str = "new") -> Iterator[Path]:
    """A fresh hidden folder beside ``target`` (``.NAME.KIND-XXXXXXXX``, made with the umask)
    to build the new content in; whatever is still there on leaving is removed.

    Move it into place (:func:`swap_in`, or a rename) inside the ``with`` block.
    """
    target = Path(target)
    while True:
        staging = fresh_sibling(target, kind)
        try:
            staging.mkdir()
        except FileExistsError:
            continue
        break
    try:
        yield staging
    finally:
        remove_tree(staging)


def safe_name(name: str, target: Path) -> PurePosixPath:
    """``name`` as a path inside the folder ``target``; UnsafeNameError for an absolute path,
    one climbing out with ``..`` or an empty one. :func:`write_tree` asks it of every name
    before it writes any."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UnsafeNameError(f"{target}: refusing to write {name!r}; names must stay inside it")
    return path


def write_files(folder: Path, files: Mapping[str, bytes], *, file_mode: int | None = None) -> None:
    """Write each ``files`` entry (relative path -> bytes) into ``folder``, making subfolders.

    Only for a folder nobody else sees yet (a staging folder): the files are written in place,
    in name order, without temporaries. ``file_mode`` overrides the umask's permission bits.
    """
    paths = {name: safe_name(name, folder) for name in files}
    for name in sorted(files):
        path = folder.joinpath(*paths[name].parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
        if file_mode is not None:
            os.chmod(path, file_mode)


def swap_in(new: Path, target: Path, *, replace: bool = True) -> None:
    """Rename the folder ``new`` to ``target`` (both in one folder).

    An existing ``target`` is retired to ``.NAME.old-XXXXXXXX``, ``new`` renamed into place, and
    the retired one removed; if the second rename fails, the old one is put back. A folder
    cannot be renamed over a non-empty folder in one step, so a process killed between the two
    renames leaves ``target`` missing and the retired folder beside it: callers that care
    recover it on their next run. With ``replace=False`` an existing ``target`` raises
    FileExistsError and nothing moves.
    """
    if not os.path.lexists(target):
        os.rename(new, target)
        sync_folder(target.parent)
        return
    if not replace:
        raise FileExistsError(errno.EEXIST, "already exists; it is not replaced", str(target))
    retired = fresh_sibling(target, "old")
    os.rename(target, retired)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(retired, target)
        raise
    sync_folder(target.parent)
    remove_tree(retired)


def write_tree(
    target: Path,
    files: Mapping[str, bytes],
    *,
    file_mode: int | None = None,
    replace: bool = True,
) -> Path:
    """Make the folder ``target`` hold exactly ``files`` (relative path -> bytes), atomically.

    The files are written into a staging folder beside ``target``
    (:func:`staging_dir`), which :func:`swap_in` then puts in place. On any failure the old
    ``target`` is left (or put back) and the staging folder removed. ``target``'s parent must
    exist. Raises UnsafeNameError (before writing) for a name leaving the folder, OSError for
    what the file system refuses.
    """
    target = Path(target)
    for name in files:
        safe_name(name, target)
    with staging_dir(target) as staging:
        write_files(staging, files, file_mode=file_mode)
        swap_in(staging, target, replace=replace)
    return target
