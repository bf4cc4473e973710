"""The sha256 of files a build has already read, trusted while the file's stat is unchanged.

A warm build of a large corpus used to read and hash every seed (the scan) and every text of
the package it replaces (before taking the text under a second name, :mod:`~dprk_records.
pipeline.sources`) even when nothing had changed: a sixth of a rebuild's time with every file in
memory, more when the files must come from the disk. Like git's index, a build now writes down,
for each file it hashed, the file's stat signature and its sha256, and the next build takes the
sha256 from there when the signature is the same.

A signature is the file's device, inode, size and modification time in nanoseconds, and for a
seed its status-change time too (any write to a file moves that one, and it cannot be set back).
A package's text is taken under a new name by every build, which moves its status-change time,
so its signature has the owner and mode instead; the text is the build's own output, written
once and never opened for writing again. (So an edit of a package's text that also sets its
modification time back to the nanosecond goes unseen here; ``dprk-records validate`` hashes
every text, and ``--no-cache`` reads everything.) A file changed less than :data:`RACY_NS`
before the build that hashed it started is not written down: a change made in the same tick of
the file system's clock would keep the same signature (git's "racy" entries), so it is simply
read again next time.

The lists live in the analysis cache folder
(:meth:`~dprk_records.pipeline.cache.AnalysisCache.known_hashes`), one per folder of seeds or of
a package, as text: a header line, then ``key TAB signature TAB sha256`` lines in the order the
build goes through the files. A build reads its list alongside its own walk (both in key order),
so memory holds one line, never the list; it writes the new list to a temporary file renamed
into place when the walk is done. A list that is damaged, of another format or out of order only
loses its trust: the files are read again.

A build with ``--no-cache`` reads and hashes everything, as before.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO

from dprk_records.base.atomic import PendingFile

HEADER = "dprk-records known hashes 1\n"
"""The first line of a list; another first line is a list this code does not read."""

RACY_NS = 2_000_000_000
"""A file changed less than this before it was hashed is not trusted later (2 s: the coarsest
clock of a common file system, FAT's)."""

_LINE = re.compile(r"([^\t\n]+)\t([0-9,]+)\t([0-9a-f]{64})\n")

Signature = tuple[int, ...]


def seed_signature(info: os.stat_result) -> Signature:
    """What identifies a seed's content without reading it (see the module's docstring)."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def text_signature(info: os.stat_result) -> Signature:
    """What identifies a package text's content without reading it: not its status-change time,
    which every build's second name for it moves."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode, info.st_uid)


class KnownHashes:
    """One folder's list of known hashes: :meth:`known` reads the old list, :meth:`remember`
    writes the new one, both with keys in increasing order; :meth:`commit` puts the new list in
    place of the old. ``path`` None is a build without a cache: nothing is known or kept."""

    def __init__(self, path: Path | None, *, read: bool = True, write: bool = True) -> None:
        self.path = path
        self.started_ns = time.time_ns()
        self._old: Iterator[tuple[str, str, str]] = iter(())
        self._next: tuple[str, str, str] | None = None
        self._handle: IO[str] | None = None
        self._new: PendingFile | None = None
        self._last_new = ""
        self._writing = write and path is not None
        self.trusted = 0
        if path is not None and read:
            with contextlib.suppress(OSError):
                self._handle = open(path, encoding="ascii", errors="strict", newline="")  # noqa: SIM115
                self._old = self._read(self._handle)

    @staticmethod
    def _read(handle: IO[str]) -> Iterator[tuple[str, str, str]]:
        """The old list's lines while they are well formed and in increasing key order."""
        try:
            if handle.readline() != HEADER:
                return
            last = ""
            for line in handle:
                match = _LINE.fullmatch(line)
                if match is None or match.group(1) <= last:
                    return
                last = match.group(1)
                yield match.group(1), match.group(2), match.group(3)
        except (OSError, UnicodeDecodeError):
            return

    def known(self, key: str, signature: Signature) -> str | None:
        """The sha256 written down for ``key`` if its signature then is ``signature``; keys
        must be asked for in increasing order (one asked out of order is simply not known)."""
        line = self._next
        while line is None or line[0] < key:
            line = next(self._old, None)
            if line is None:
                self._next = None
                return None
        self._next = line
        if line[0] != key or line[1] != _signature_text(signature):
            return None
        self.trusted += 1
        return line[2]

    def remember(self, key: str, signature: Signature, sha256: str, changed_ns: int) -> None:
        """Write down ``key``'s sha256, hashed from the file of ``signature``, unless the file
        changed (``changed_ns``) too close to this build's start to be told apart from a change
        made since, or keys came out of order."""
        if not self._writing or key <= self._last_new or not _writable_key(key):
            return
        if changed_ns >= self.started_ns - RACY_NS:
            return
        self._last_new = key
        try:
            if self._new is None:
                # (made at the first line, so a build that knows nothing, into a temporary
                # folder say, leaves no list behind)
                assert self.path is not None
                self._new = PendingFile(self.path, mode=0o600, durable=False)
                self._new.write(HEADER.encode("ascii"))
            line = f"{key}\t{_signature_text(signature)}\t{sha256}\n"
            self._new.write(line.encode("ascii"))
        except OSError:
            self._drop_new()
            self._writing = False

    def commit(self) -> None:
        """Put the new list in place of the old one: nothing written down this time removes
        the old list; a list that could not be written leaves it."""
        self._close_old()
        if not self._writing or self.path is None:
            return
        new, self._new = self._new, None
        # (a new list that cannot be put in place takes its temporary with it: the old stays)
        with contextlib.suppress(OSError):
            if new is None:
                os.unlink(self.path)
            else:
                new.commit()

    def close(self) -> None:
        """Let go of both lists; a new list not committed is removed."""
        self._close_old()
        self._drop_new()

    def _close_old(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self._old = iter(())
        self._next = None

    def _drop_new(self) -> None:
        if self._new is not None:
            self._new.abandon()
            self._new = None

    def __enter__(self) -> KnownHashes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _writable_key(key: str) -> bool:
    """Whether a line of ``key`` reads back as written (``_LINE``)."""
    return key.isascii() and "\t" not in key and "\n" not in key


@lru_cache(maxsize=4)  # (a build asks for a file's twice in a row: known, then remember)
def _signature_text(signature: Signature) -> str:
    return ",".join(map(str, signature))
