"""The package's verbatim texts: each seed's bytes as ``sources/<file name>``.

A build writes a new package beside the old one and then removes the old one, so rebuilding a
corpus of N documents creates N text files and deletes N others, even when no text changed.
On a disk that is most of a warm rebuild's time: creating a file and writing its blocks, and
later freeing the old file's blocks, cost some 0.2 ms each, against a few microseconds for a
second name of a file. So when the package being replaced holds a text whose bytes are the
seed's, the new package takes that file under a second name (a hard link) instead of a copy;
removing the old package then frees nothing but a name.

A linked file is exactly what a copy would be, or it is not kept: it must be a plain file,
have the seed's size and sha256 (read and hashed through the new name, so what is checked is
what the new package holds), belong to this user, have the mode a written file gets here, and
have no name but the old package's and the new one's (a file someone else also links to is
never shared further). Anything else, or a file system without hard links, and the seed's
bytes are written as before. The package is the same bytes either way.

With a list of known hashes (:mod:`~dprk_records.pipeline.knownhashes`), a text an earlier
build hashed and whose stat has not changed since is taken without reading it again; every
text hashed is written down for the next build.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Protocol

from dprk_records.base.fileguard import read_regular
from dprk_records.base.hashing import sha256_hex
from dprk_records.errors import DprkRecordsError
from dprk_records.pipeline.knownhashes import KnownHashes, text_signature
from dprk_records.pipeline.read import bytes_as_scanned


class SourceText(Protocol):
    """What the folder needs of a text: a scanned seed's entry, or the summary of a document
    analysed from one (a build taking a document from its journal reads no entry)."""

    @property
    def document_id(self) -> str: ...

    @property
    def file_name(self) -> str: ...

    @property
    def sha256(self) -> str: ...

    @property
    def size(self) -> int: ...


class SourceFolder:
    """Fills a new package's ``sources/`` folder, reusing the texts of ``previous`` (the
    ``sources/`` folder of the package it replaces, or None) where they are the seeds' bytes,
    else writing the bytes of the seed in ``seeds`` (the folder the scan found it in; None for
    a build of no seeds)."""

    def __init__(
        self,
        folder: Path,
        previous: Path | None = None,
        known: KnownHashes | None = None,
        *,
        seeds: Path | None,
    ) -> None:
        self.folder = folder
        self._seeds = seeds
        self._known = known  # (keyed by document id: texts come in document-id order)
        self._previous = previous if previous is not None and _is_folder(previous) else None
        # (names made as text: a Path a document for each of two folders costs more than the link)
        self._into = os.path.join(folder, "")
        self._from = os.path.join(self._previous, "") if self._previous is not None else None
        self._mode: int | None = None  # what a file this build writes gets (the umask's)
        self._uid = os.getuid() if hasattr(os, "getuid") else None
        self.linked = 0

    def add(self, text: SourceText) -> None:
        """Put ``text``'s verbatim bytes into the folder (checked against the scanned sha256)."""
        name = text.file_name
        target = self._into + name
        source = self._from + name if self._from is not None else None
        if self._mode is not None and source is not None and self._link(source, text, target):
            self.linked += 1
            return
        if self._seeds is None:
            raise ValueError(f"{name}: no seeds folder to read the text from")
        with open(target, "wb") as out:
            out.write(bytes_as_scanned(self._seeds / name, text.sha256))
        if self._mode is None:
            self._mode = os.lstat(target).st_mode

    def _link(self, source: str, text: SourceText, target: str) -> bool:
        """Whether the file ``source`` (``text``'s in the previous package) now stands at
        ``target`` too; a name made for a file that does not qualify is taken away again."""
        try:
            os.link(source, target, follow_symlinks=False)
        except (OSError, NotImplementedError):  # none there, or no hard links here
            return False
        try:
            info = os.lstat(target)
            same = (
                stat.S_ISREG(info.st_mode)
                and info.st_mode == self._mode
                and info.st_nlink == 2
                and (self._uid is None or info.st_uid == self._uid)
                and info.st_size == text.size
            )
            # (the new name's signature is the old file's: known when that file was hashed)
            signature = text_signature(info)
            known = self._known
            if same and (known is None or known.known(text.document_id, signature) != text.sha256):
                same = sha256_hex(read_regular(target)) == text.sha256
        except (OSError, DprkRecordsError):  # (changed into something else meanwhile)
            same = False
        if not same:
            os.unlink(target)
        elif known is not None:
            known.remember(text.document_id, signature, text.sha256, info.st_mtime_ns)
        return same


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
