"""Apply a set of file writes and folder swaps all or nothing -- even across a crash.

Undoing from memory is not enough: a process killed mid-way (kill -9, a power cut) never gets
to undo, and an undo can itself fail (a folder made read-only meanwhile, a full disk). So every
step first puts the old state aside in a hidden work folder inside the root (:data:`WORK_DIR`;
never /tmp, so that putting a folder aside is a rename on the same file system) and records
itself in a journal there, flushed to disk; only then does it replace its target, by a rename of
a fully written sibling, so no target is ever half written.

A rollback undoes every recorded step, newest first, and goes on past an undo that fails; what
could not be undone stays in the journal together with its backup, and :func:`recover` -- which
``dprk-records add`` runs before anything else -- finishes it. Every undo is written so that
doing it twice is harmless, which is what lets a later run repeat a rollback that was cut short.
Removing the journal is the commit point: a work folder without a journal holds nothing that is
still needed.

The journal, ``<root>/.dprk-records-add/journal.json``::

    {
      "format": 1,
      "about": "the addition of 005_6f2c5a0f3cc2cf37",
      "started": "2024-07-03T10:00:00+00:00",
      "pid": 4242,
      "state": "applying",                       # or "rolling back"
      "steps": [
        {"kind": "file", "target": "seeds/005_6f2c5a0f3cc2cf37.txt", "backup": null,
         "created": [], "state": "applied"},
        {"kind": "file", "target": "seeds/manifest.csv", "backup": "backup-1",
         "created": [], "state": "applying"}
      ]
    }

``target`` is relative to the root and ``backup`` to the work folder; a null backup means the
target did not exist before (its undo removes it), ``created`` lists the folders the step made
(deepest first). A step's ``state`` is ``applying`` (recorded; the target may or may not be
replaced yet), ``applied``, ``undone`` or ``undo failed: <reason>``. A ``folder`` step's backup
is the old folder itself, moved aside.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

from dprk_records.base.atomic import sync_folder, write_file
from dprk_records.base.folderlock import FolderBusy, folder_lock
from dprk_records.errors import DprkRecordsError

WORK_DIR = ".dprk-records-add"
JOURNAL = "journal.json"
JOURNAL_FORMAT = 1
RESUME = (
    "run `dprk-records add --recover` (or the next `dprk-records add`, which does it before "
    "anything else) to finish this rollback"
)


class TransactionError(DprkRecordsError):
    """The writes of an addition could not be made or undone; the message says what is left."""


class NotWritableError(TransactionError):
    """A target cannot be replaced; found before anything was written, so nothing changed."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        lines = [f"{where}: not writable ({reason})" for where, reason in problems.items()]
        if len(lines) == 1:
            message = f"{lines[0]}; nothing was changed"
        else:
            message = "nothing was changed:\n" + "\n".join(f"  - {line}" for line in lines)
        super().__init__(message)


class WriteError(TransactionError, OSError):
    """A step failed and every step was undone: the tree is as it was.

    Also an :class:`OSError`, because that is what the failure is and what callers of
    :class:`Transaction` caught before it spoke in messages.
    """


class BusyError(TransactionError):
    """Another process holds the root: two additions at once would undo each other."""


class RollbackIncomplete(TransactionError):
    """Some steps could not be undone; the journal keeps them for :func:`recover`."""

    def __init__(self, what: str, failed: list[tuple[str, str]], root: Path) -> None:
        self.failed = failed
        lines = "\n".join(f"  - {target}: {reason}" for target, reason in failed)
        journal = f"{WORK_DIR}/{JOURNAL}"
        super().__init__(
            f"{what}, and {len(failed)} change(s) could not be undone:\n{lines}\n"
            f"Everything else was undone. What is left is recorded in {root / journal} (the old "
            f"versions are kept in {root / WORK_DIR}/); fix the cause above, then {RESUME}."
        )


def _reason(exc: BaseException) -> str:
    """The part of an error a person can act on: 'Permission denied', not a repr."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    text = str(exc)
    if isinstance(exc, OSError):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _write_replace(path: Path, data: bytes, mode_from: Path | None = None) -> None:
    """Replace ``path`` with ``data`` atomically and durably (:func:`write_file`).

    The mode is that of ``mode_from`` (a backup), else of the file replaced, else 0o644: a seed
    or manifest is for everyone to read, whatever the umask.
    """
    source = mode_from if mode_from is not None else path
    mode = stat.S_IMODE(source.stat().st_mode) if source.exists() else 0o644
    write_file(path, data, mode=mode)


def _move(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target`` (same file system, so atomic) and flush both folders."""
    source.rename(target)
    sync_folder(target.parent)
    if source.parent != target.parent:
        sync_folder(source.parent)


def _allow_owner(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, os.lstat(path).st_mode | stat.S_IRWXU)


def _remove_tree(path: Path) -> None:
    """Remove a folder of ours, even one whose subfolders were copied read-only."""
    if not os.path.lexists(path):
        return
    try:
        shutil.rmtree(path)
        return
    except OSError:
        pass
    _allow_owner(path)
    for here, folders, _ in os.walk(path):
        for name in folders:
            _allow_owner(Path(here, name))
    shutil.rmtree(path)


def _probe(folder: Path) -> str | None:
    """Why a new file cannot be made in ``folder``, or None when one can.

    The permission bits are not the whole answer (a read-only mount, an ACL, a full disk), so
    this makes and removes a file, which is what the step will do.
    """
    try:
        fd, name = tempfile.mkstemp(prefix=".dprk-records-probe-", dir=folder)
    except OSError as exc:
        return _reason(exc)
    os.close(fd)
    try:
        os.unlink(name)
    except OSError as exc:
        return _reason(exc)
    return None


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_writable(root: Path, files: Iterable[Path] = (), folders: Iterable[Path] = ()) -> None:
    """Refuse, before anything is written, when a :class:`Transaction` could not do its steps.

    ``files`` are what :meth:`Transaction.write` will replace or create: an existing one must be
    writable (a read-only file says the maintainer does not want it changed) and so must its
    folder. ``folders`` are what :meth:`Transaction.replace_folder` will replace: the folder and
    each folder in it must be writable (it is moved into the work folder, then removed) and so
    must its parent. The root must be writable too: the journal and the backups live there.
    """
    problems: dict[Path, str] = {}
    denied = os.strerror(errno.EACCES)
    probe = {root}
    for path in files:
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            problems[path] = denied
        probe.add(_existing_ancestor(path.parent))
    for folder in folders:
        probe.add(_existing_ancestor(folder.parent))
        if folder.is_dir():
            probe.add(folder)
            inner = (p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink())
            for each in (folder, *inner):
                if not os.access(each, os.R_OK | os.W_OK | os.X_OK):
                    problems.setdefault(each, denied)
    for folder in probe:
        if folder not in problems and (reason := _probe(folder)) is not None:
            problems[folder] = reason
    if problems:
        named = {_shown(root, path): reason for path, reason in problems.items()}
        raise NotWritableError(dict(sorted(named.items())))


def _shown(root: Path, path: Path) -> str:
    """``path`` as a message shows it: relative to the root, folders with a trailing slash."""
    if path == root:
        return f"{root.resolve()}/ (the checkout)"
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    return f"{shown}/" if path.is_dir() else shown


@contextlib.contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """Hold ``root`` for one process: a second ``add`` would take the same document id, and its
    recovery would roll back the first one's steps while they are being made."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(root))
        except FolderBusy:
            raise BusyError(
                f"{root}: another `dprk-records add` is running in this checkout; wait for it to "
                "finish, then try again (nothing was changed)"
            ) from None
        except OSError:
            pass  # an unreadable root (the steps will say why they fail), or a file system
            # without locks (some network mounts): go on without the guard
        yield


def _inside(root: Path, relative: object, what: str) -> Path:
    """A journal path, refused unless it stays inside ``root`` (the journal is only data)."""
    if not isinstance(relative, str) or not relative:
        raise ValueError(f"{what} is not a path")
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts:
        raise ValueError(f"{what} {relative!r} leaves the checkout")
    return root.joinpath(*pure.parts)


def _undo_step(root: Path, work: Path, step: dict[str, Any]) -> None:
    """Put one step's target back as it was; harmless when done before or never applied."""
    target = _inside(root, step.get("target"), "target")
    backup = None if step.get("backup") is None else _inside(work, step["backup"], "backup")
    if step.get("kind") == "file":
        if backup is None:
            target.unlink(missing_ok=True)
        else:
            _write_replace(target, backup.read_bytes(), mode_from=backup)
        for created in step.get("created", []):
            with contextlib.suppress(FileNotFoundError):
                _inside(root, created, "created folder").rmdir()
    elif step.get("kind") == "folder":
        if backup is not None and not backup.exists():
            return  # never moved aside, or already moved back: the target is the old folder
        if target.exists():
            discard = Path(tempfile.mkdtemp(prefix="discard-", dir=work))
            _move(target, discard / target.name)
        if backup is not None:
            _move(backup, target)
    else:
        raise ValueError(f"unknown step kind {step.get('kind')!r}")


def _save(work: Path, journal: dict[str, Any]) -> None:
    """Replace the journal atomically and flush it: a reader sees the old one or the new one."""
    write_file(work / JOURNAL, (json.dumps(journal, indent=2) + "\n").encode("utf-8"))


def _finish(work: Path) -> None:
    """Drop the journal (the point of no return), then what was kept for undoing."""
    (work / JOURNAL).unlink()
    sync_folder(work)
    with contextlib.suppress(OSError):  # without a journal it is litter, removed next time
        _remove_tree(work)


def _roll_back(root: Path, work: Path, journal: dict[str, Any]) -> list[tuple[str, str]]:
    """Undo every step not yet undone, newest first, never stopping at a failure.

    Returns (target, reason) for each undo that failed, the journal then kept (with those
    steps marked) so that a later run can try them again; when all succeed the work folder goes.
    """
    journal["state"] = "rolling back"
    with contextlib.suppress(OSError):  # the journal on disk already lists every step
        _save(work, journal)
    failed: list[tuple[str, str]] = []
    for step in reversed(journal["steps"]):
        if step.get("state") == "undone":
            continue
        try:
            _undo_step(root, work, step)
        except Exception as exc:  # go on with the other steps whatever this one met
            step["state"] = f"undo failed: {_reason(exc)}"
            failed.append((_named(step), _undo_words(step, exc)))
        else:
            step["state"] = "undone"
    if not failed:
        try:
            _finish(work)
        except OSError as exc:
            failed.append((f"{WORK_DIR}/{JOURNAL}", f"cannot remove it ({_reason(exc)})"))
        return failed
    with contextlib.suppress(OSError):
        _save(work, journal)
    return failed


def _named(step: dict[str, Any]) -> str:
    """A step's target as messages show it: folders with a trailing slash."""
    return f"{step.get('target')}/" if step.get("kind") == "folder" else str(step.get("target"))


def _undo_words(step: dict[str, Any], exc: BaseException) -> str:
    if step.get("backup") is None:
        return (
            f"the new {step.get('kind')} is still there and could not be removed ({_reason(exc)})"
        )
    return f"the old {step.get('kind')} could not be put back ({_reason(exc)})"


def _load_journal(root: Path) -> dict[str, Any]:
    path = root / WORK_DIR / JOURNAL
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(journal, dict) or journal.get("format") != JOURNAL_FORMAT:
            raise ValueError(f"not a format-{JOURNAL_FORMAT} journal")
        steps = journal.get("steps")
        if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
            raise ValueError("its steps are not a list of steps")
        for step in steps:
            _inside(root, step.get("target"), "target")
    except (OSError, ValueError) as exc:
        raise TransactionError(
            f"{path}: an interrupted `dprk-records add` left this journal, and it cannot be read "
            f"({_reason(exc) if isinstance(exc, OSError) else exc}). Compare the checkout with "
            f"version control, restore what it lists from {root / WORK_DIR}/, then remove that "
            "folder."
        ) from None
    return journal


def pending_journal(root: Path) -> Path | None:
    """The journal an interrupted transaction left in ``root``, if any (a build must not read
    seeds that a half-undone add may still hold)."""
    path = root / WORK_DIR / JOURNAL
    return path if os.path.lexists(path) else None


def recover(root: Path) -> str | None:
    """Finish what an interrupted :class:`Transaction` in ``root`` left: roll its steps back.

    Returns a sentence saying what was done, or None when there was nothing to do. Raises
    :class:`RollbackIncomplete` when some step still cannot be undone (the journal is kept).
    """
    work = root / WORK_DIR
    if not (work / JOURNAL).exists():
        with contextlib.suppress(OSError):  # litter of a finished transaction
            _remove_tree(work)
        return None
    journal = _load_journal(root)
    what = f"{journal.get('about') or 'an earlier change'} (started {journal.get('started')})"
    todo = [s for s in journal["steps"] if s.get("state") != "undone"]
    failed = _roll_back(root, work, journal)
    if failed:
        raise RollbackIncomplete(
            f"{what} was interrupted and cannot be fully rolled back yet; nothing new was done",
            failed,
            root,
        )
    done = [
        f"{'removed' if s.get('backup') is None else 'restored'} {_named(s)}"
        for s in reversed(todo)
    ]
    return f"{what} was interrupted; it has now been rolled back ({'; '.join(done) or 'no step'})"


class Transaction:
    """``with Transaction(root) as tx: tx.write(...); tx.replace_folder(...)`` -- all or nothing.

    Every target must be inside ``root``. Nothing is written to ``root`` until the first step.
    """

    def __init__(self, root: Path, about: str = "") -> None:
        self.root = root
        self.work = root / WORK_DIR
        self.about = about
        self.leftovers: list[str] = []  # what commit could not tidy away (harmless)
        self._journal: dict[str, Any] | None = None
        self._current: str | None = None  # the target of the step being made

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            raise ValueError(f"{path} is outside the transaction's root {self.root}") from None

    def _begin(self) -> dict[str, Any]:
        """The journal, made (with the work folder) at the first step."""
        if self._journal is None:
            step_target, self._current = self._current, f"{WORK_DIR}/"
            if (self.work / JOURNAL).exists():
                raise TransactionError(
                    f"{self.work / JOURNAL}: an interrupted change is not rolled back yet; {RESUME}"
                )
            _remove_tree(self.work)  # without a journal, litter
            self.work.mkdir()
            self._journal = {
                "format": JOURNAL_FORMAT,
                "about": self.about,
                "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "pid": os.getpid(),
                "state": "applying",
                "steps": [],
            }
            _save(self.work, self._journal)
            self._current = step_target
        return self._journal

    def _record(self, journal: dict[str, Any], step: dict[str, Any]) -> None:
        """Put ``step`` in the journal, on disk, before its target is touched."""
        journal["steps"].append(step)
        _save(self.work, journal)

    def _applied(self, journal: dict[str, Any], step: dict[str, Any]) -> None:
        step["state"] = "applied"
        _save(self.work, journal)
        self._current = None

    def write(self, path: Path, data: bytes) -> None:
        """Create or replace the file ``path`` with ``data``."""
        self._current = target = self._relative(path)
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(path))
        missing = []
        parent = path.parent
        while not parent.exists():
            missing.append(self._relative(parent))
            parent = parent.parent
        journal = self._begin()
        backup = None
        if path.exists():
            backup = f"backup-{len(journal['steps'])}"
            write_file(
                self.work / backup, path.read_bytes(), mode=stat.S_IMODE(path.stat().st_mode)
            )
        step = {
            "kind": "file",
            "target": target,
            "backup": backup,
            "created": missing,
            "state": "applying",
        }
        self._record(journal, step)
        for folder in reversed(missing):
            (self.root / folder).mkdir()
        _write_replace(path, data)
        self._applied(journal, step)

    def replace_folder(self, target: Path, source: Path) -> None:
        """Make ``target`` a copy of the folder ``source`` (the old one is kept until the end)."""
        relative = self._relative(target)
        self._current = f"{relative}/"
        journal = self._begin()
        index = len(journal["steps"])
        # copied into the work folder, on the target's file system, so the swap is two renames
        fresh = self.work / f"new-{index}"
        shutil.copytree(source, fresh)
        backup = f"backup-{index}" if target.exists() else None
        step = {"kind": "folder", "target": relative, "backup": backup, "state": "applying"}
        self._record(journal, step)
        if backup is not None:
            _move(target, self.work / backup)
        _move(fresh, target)
        self._applied(journal, step)

    def rollback(self) -> list[tuple[str, str]]:
        """Undo every step done so far, newest first; (target, reason) of each undo that failed."""
        journal, self._journal = self._journal, None
        if journal is None:
            return []
        return _roll_back(self.root, self.work, journal)

    def commit(self) -> None:
        """Keep every step; remove what was kept aside for undoing."""
        if self._journal is None:
            return
        try:
            (self.work / JOURNAL).unlink()
            sync_folder(self.work)
        except OSError as exc:  # the journal would undo a finished change: undo it now instead
            replacement = self._failed(exc)
            if replacement is None:
                raise
            raise replacement from exc
        self._journal = None
        try:
            _remove_tree(self.work)
        except OSError as exc:
            self.leftovers.append(
                f"{self.work}/ could not be removed ({_reason(exc)}); it holds only old copies, "
                "and the next `dprk-records add` removes it"
            )

    def _failed(self, error: BaseException) -> BaseException | None:
        """Roll back after ``error``; the error the caller should see instead, if any."""
        where = self._current
        if where is None and isinstance(error, OSError) and error.filename:
            where = _shown(self.root, Path(os.fsdecode(error.filename)))
        where = where or str(self.root)
        failed = self.rollback()
        if failed:
            what = f"{self.about or 'the change'} failed at {where} ({_reason(error)})"
            return RollbackIncomplete(what, failed, self.root)
        if isinstance(error, OSError) and not isinstance(error, TransactionError):
            return WriteError(
                f"{where}: could not be written ({_reason(error)}); every change was undone, "
                "nothing was changed"
            )
        return None

    def __enter__(self) -> Transaction:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is None:
            self.commit()
            return
        replacement = self._failed(error)
        if replacement is not None:
            raise replacement from error
