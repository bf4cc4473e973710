"""What dprk-records may open: regular files inside the folder it was given, never through a link.

A seeds folder, a package folder or a cache folder is the user's; what it points to is not. A
symbolic link would make a build ship (or a finding quote) bytes from anywhere on the machine, a
FIFO would block a read for ever, a device could be endless. So every file the pipeline, the
gate, the release tooling and the loader read comes through :func:`read_regular` or
:func:`open_regular`: the entry is first looked at with :func:`os.lstat` and refused by name
unless it is a regular file; it is then opened with ``O_NONBLOCK`` (a FIFO swapped in after the
look cannot block) and ``O_NOFOLLOW`` (nor can a link), and the open descriptor is checked again
with :func:`os.fstat`. Paths a descriptor names are first checked by :func:`contained_problem`.
The flags are 0 where the platform lacks them (Windows has no FIFOs). Standard library only:
the loader imports it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from dprk_records.errors import DprkRecordsError

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class UnsafeFileError(DprkRecordsError):
    """A path that must be a regular file inside its folder is something else (a symbolic link,
    a FIFO, a device, a folder, a path out of the folder); not a byte of it was read."""

    def __init__(self, path: object, reason: str, advice: str = "") -> None:
        self.path = str(path)
        self.reason = reason
        text = f"{self.path}: refusing to read it: {reason}"
        super().__init__(f"{text}. {advice}" if advice else text)


class FileTooLargeError(UnsafeFileError):
    """A file is larger than its reader accepts; nothing of it was read."""

    def __init__(self, path: object, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(path, f"it is {size:,} bytes, over the {limit:,}-byte limit")


def special_kind(mode: int) -> str | None:
    """What an entry of this ``st_mode`` is, in words, unless it is a regular file (then None).

    >>> special_kind(stat.S_IFREG | 0o644) is None
    True
    >>> special_kind(stat.S_IFIFO | 0o644)
    'a FIFO (named pipe)'
    """
    if stat.S_ISREG(mode):
        return None
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


def not_regular(kind: str) -> str:
    """The reason given for an entry of ``kind`` where a regular file belongs."""
    return f"it is {kind}, not a regular file"


def entry_problem(path: Path) -> str | None:
    """Why ``path`` itself is not a regular file that may be read (None when it is, or absent).

    Looks at the entry, not at what a link points to, so it never follows one.
    """
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"it cannot be examined ({exc.strerror})"
    kind = special_kind(mode)
    return not_regular(kind) if kind else None


def relative_problem(relative: str) -> str | None:
    """Why a path named by a descriptor cannot be a path inside the package, or None."""
    if not relative:
        return "it is an empty path"
    if "\\" in relative or "\0" in relative:
        return "it holds a backslash or a NUL character"
    path = PurePosixPath(relative)
    if path.is_absolute() or (len(relative) > 1 and relative[1] == ":"):
        return "it is an absolute path; package paths are relative to the package folder"
    if ".." in path.parts:
        return "it climbs out of the package folder ('..')"
    if "://" in relative:
        return "it is a URL; every file of the package must be inside its folder"
    return None


def contained_problem(root: Path, relative: str) -> str | None:
    """Why ``root/relative`` may not be read as a file of the package at ``root``, or None.

    Every step of the path is looked at without following links: a folder of the package that
    is a link to elsewhere is refused as surely as a linked file. A missing file is not a
    problem here (the checks that need it report it).
    """
    problem = relative_problem(relative)
    if problem:
        return problem
    current = root
    parts = PurePosixPath(relative).parts
    for index, part in enumerate(parts):
        current = current / part
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            return f"it cannot be examined ({exc.strerror})"
        last = index == len(parts) - 1
        if stat.S_ISLNK(mode):
            where = "" if last else f" (its folder {'/'.join(parts[: index + 1])} is one)"
            return f"it is a symbolic link{where}; only files inside the package are read"
        kind = special_kind(mode)
        if last and kind:
            return not_regular(kind)
        if not last and not stat.S_ISDIR(mode):
            return f"{'/'.join(parts[: index + 1])} is {kind or 'a file'}, not a folder"
    return None


def check_regular(path: Path | str, advice: str = "") -> os.stat_result:
    """``os.lstat`` of ``path``, or UnsafeFileError unless it is a regular file.

    A missing file raises FileNotFoundError, which callers report in their own words.
    """
    info = os.lstat(path)
    kind = special_kind(info.st_mode)
    if kind is not None:
        raise UnsafeFileError(path, not_regular(kind), advice)
    return info


def open_fd(path: Path | str, advice: str = "") -> int:
    """A read-only file descriptor of ``path``, if what it opens is a regular file.

    The flags make sure that a FIFO or link put there since the caller looked cannot block or
    lead elsewhere, and ``fstat`` refuses it.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        problem = entry_problem(Path(path))
        if problem:  # O_NOFOLLOW met a link (ELOOP)
            raise UnsafeFileError(path, problem, advice) from None
        raise
    try:
        kind = special_kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise UnsafeFileError(path, not_regular(kind), advice)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_regular(path: Path | str, advice: str = "") -> BinaryIO:
    """Open ``path`` for reading in binary mode if, and only if, it is a regular file.

    Raises UnsafeFileError naming the file otherwise (before reading anything), and OSError
    when it cannot be opened.
    """
    check_regular(path, advice)
    return os.fdopen(open_fd(path, advice), "rb")


def read_regular(path: Path | str, limit: int | None = None, advice: str = "") -> bytes:
    """All bytes of ``path``, read only if it is a regular file (see :func:`open_regular`).

    ``limit`` refuses a larger file (:class:`FileTooLargeError`) before reading it. OSError
    (missing, unreadable) is the caller's to name.
    """
    return read_regular_stat(path, limit, advice)[0]


def read_regular_stat(
    path: Path | str, limit: int | None = None, advice: str = ""
) -> tuple[bytes, os.stat_result]:
    """:func:`read_regular`, with the stat of the file read taken before reading it: a change
    made while it was read moves the file's times past the ones returned."""
    with open_regular(path, advice) as handle:
        info = os.fstat(handle.fileno())
        if limit is not None and info.st_size > limit:
            raise FileTooLargeError(path, info.st_size, limit)
        return handle.read(), info


def inside(root: Path, path: Path, advice: str = "") -> Path:
    """``path`` with its symbolic links resolved, if that stays inside ``root`` (itself resolved).

    A link that leads elsewhere (``data -> /etc``, ``persons.csv -> /etc/passwd``) raises
    UnsafeFileError naming ``path``; the link's target is not opened.
    """
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links: RuntimeError before Python 3.13
        raise UnsafeFileError(path, str(exc), advice) from None
    if not resolved.is_relative_to(root):
        reason = f"a symbolic link leads it outside the package folder {root}"
        raise UnsafeFileError(path, reason, advice)
    return resolved
