"""Apply a set of file writes and folder swaps all or nothing.

Every step first remembers how to undo itself (the old bytes of a file, the old folder renamed
aside), then replaces its target by a rename of a fully written sibling, so an interrupted step
never leaves a half-written file. If any step fails -- or the process is interrupted -- the
steps already done are undone in reverse order and the error is raised again; the tree is then
exactly as it was before.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType


def _write_replace(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary sibling and rename it over ``path``."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if path.exists():
            shutil.copymode(path, temp)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Transaction:
    """``with Transaction() as tx: tx.write(...); tx.replace_folder(...)`` -- all or nothing."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []
        self._cleanup: list[Callable[[], None]] = []

    def write(self, path: Path, data: bytes) -> None:
        """Create or replace the file ``path`` with ``data``."""
        old = path.read_bytes() if path.exists() else None
        path.parent.mkdir(parents=True, exist_ok=True)
        if old is None:
            self._undo.append(lambda: path.unlink(missing_ok=True))
        else:
            self._undo.append(lambda: _write_replace(path, old))
        _write_replace(path, data)

    def replace_folder(self, target: Path, source: Path) -> None:
        """Make ``target`` a copy of the folder ``source`` (the old one is kept until the end)."""
        fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        try:
            shutil.copytree(source, fresh, dirs_exist_ok=True)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        retired = None
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            retired.rmdir()
            target.rename(retired)

        def undo() -> None:
            if target.exists():
                shutil.rmtree(target)
            if retired is not None:
                retired.rename(target)

        self._undo.append(undo)
        try:
            fresh.rename(target)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        if retired is not None:
            self._cleanup.append(lambda: shutil.rmtree(retired, ignore_errors=True))

    def rollback(self) -> None:
        """Undo every step done so far, newest first."""
        while self._undo:
            self._undo.pop()()
        self._cleanup.clear()

    def commit(self) -> None:
        """Keep every step; remove what was kept aside for undoing."""
        self._undo.clear()
        while self._cleanup:
            self._cleanup.pop()()

    def __enter__(self) -> Transaction:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()
