"""One process at a time in a folder: an exclusive flock held on the folder itself.

A build replacing a package and an ``add`` changing a checkout must not run twice over the same
folder. The lock is taken on the folder's own descriptor, so no lock file is ever left behind,
and the system drops it when the process ends, however it ends. Where flock does not exist
(Windows) nothing is serialised. What to do when the folder is busy, or cannot be locked, is
each caller's to say.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

_POLL_SECONDS = 0.05


class FolderBusy(Exception):
    """Another process held the folder for longer than the caller would wait."""


@contextlib.contextmanager
def folder_lock(folder: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` for the ``with`` block.

    Waits up to ``wait_seconds`` for another holder, then raises :class:`FolderBusy`. OSError
    from opening or locking the folder (unreadable, a file system without locks) propagates.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FolderBusy(str(folder)) from None
                time.sleep(_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing releases the lock
