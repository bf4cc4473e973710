"""Write stage: the staging folder a build fills, put in place as the package atomically.

The output folder belongs to the package alone. A build replaces a folder only when everything
in it is what a build writes (``datapackage.json``, ``data/*.csv``, ``data/*.parquet``,
``sources/*.txt``, plain files all); a folder holding anything else -- a repository, notebooks,
a link -- is someone's work and is refused, naming what was found. Released versions under
``releases/`` are never a build's target.

The new package is written into a hidden sibling folder and renamed into place, so a failed
build leaves the previous package exactly as it was and readers never see a half-written one.
Replacing takes two renames (old aside, new in); a run killed between them leaves the target
missing and the old folder aside, so every run first recovers: it puts an orphaned old folder
back, and removes the staging and retired folders of earlier runs. Two builds writing the same
folder at once take turns on a lock held on the parent folder (no lock file is left behind).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from dprk_records.base.atomic import (
    remove_tree,
    staging_dir,
    swap_in,
)
from dprk_records.base.folderlock import FolderBusy, folder_lock
from dprk_records.errors import BuildError

PACKAGE_MARKER = "datapackage.json"
PACKAGE_FOLDERS = {"data": (".csv", ".parquet"), "sources": (".txt",)}
"""The folders a build writes, each with the kinds of file it holds (Parquet tables only with
``--format csv,parquet``)."""

RELEASES_FOLDER = "releases"
LOCK_WAIT_SECONDS = 600.0


def foreign_entries(out_dir: Path) -> list[str]:
    """What in ``out_dir`` a build did not write (relative paths, sorted; [] for a package).

    Looks at entries without following links: a link is never the package's own. (A build
    asks this three times of a folder of one file per document, so it reads each folder once
    and looks at no entry on its own: a directory listing says what kind each entry is.)
    """
    found: list[str] = []
    with os.scandir(out_dir) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        is_dir = entry.is_dir(follow_symlinks=False)
        if entry.name == PACKAGE_MARKER and entry.is_file(follow_symlinks=False):
            continue
        suffixes = PACKAGE_FOLDERS.get(entry.name)
        if suffixes is None or not is_dir:
            found.append(entry.name + ("/" if is_dir else ""))
            continue
        with os.scandir(entry.path) as inner_listing:
            inner = sorted(
                (
                    item.name
                    for item in inner_listing
                    if _suffix(item.name) not in suffixes or not item.is_file(follow_symlinks=False)
                ),
            )
        found.extend(f"{entry.name}/{name}" for name in inner)
    return found


def _suffix(name: str) -> str:
    """A file name's suffix, as :attr:`pathlib.PurePath.suffix` gives it ("" for ".txt")."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _describe(entries: list[str], shown: int = 5) -> str:
    more = len(entries) - shown
    return ", ".join(entries[:shown]) + (f" and {more} more" if more > 0 else "")


def check_target(out_dir: Path) -> None:
    """Refuse an output folder that is not a build's to replace (see the module docstring)."""
    if out_dir.parent.name == RELEASES_FOLDER:
        raise BuildError(
            f"{out_dir}: folders under {RELEASES_FOLDER}/ are published releases and are never "
            "rebuilt; build into another --out"
        )
    if out_dir.is_symlink():
        raise BuildError(
            f"{out_dir}: is a symbolic link; give the folder it points to as --out, or another one"
        )
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise BuildError(f"{out_dir}: exists and is not a folder; choose another --out")
    foreign = foreign_entries(out_dir)
    if foreign:
        raise BuildError(
            f"{out_dir}: holds files a build did not write ({_describe(foreign)}); refusing to "
            "replace it -- a build replaces only a package folder it made (choose another --out, "
            "or move those files away)"
        )


@contextlib.contextmanager
def _folder_lock(parent: Path, out_dir: Path) -> Iterator[None]:
    """One build at a time writes into ``parent`` (see :mod:`dprk_records.base.folderlock`)."""
    try:
        with folder_lock(parent, LOCK_WAIT_SECONDS):
            yield
    except FolderBusy:
        raise BuildError(
            f"{out_dir}: another build has been writing it for {LOCK_WAIT_SECONDS:.0f} s; "
            "wait for it to finish"
        ) from None


def _leftovers(out_dir: Path, kind: str) -> list[Path]:
    """Staging ("new") or retired ("old") folders of earlier runs beside ``out_dir`` (the names
    :mod:`dprk_records.base.atomic` gives them)."""
    prefix = f".{out_dir.name}.{kind}-"
    return sorted(
        (p for p in out_dir.parent.iterdir() if p.name.startswith(prefix) and not p.is_symlink()),
        key=lambda p: p.lstat().st_mtime_ns,
    )


def recover(out_dir: Path) -> None:
    """Undo what a killed run left: restore an orphaned package, remove stale temporaries.

    Call with the folder lock held, so no running build's staging folder is touched.
    """
    retired = [p for p in _leftovers(out_dir, "old") if p.is_dir() and not foreign_entries(p)]
    if not os.path.lexists(out_dir) and retired:
        retired.pop().rename(out_dir)
    for stale in _leftovers(out_dir, "new") + retired:
        remove_tree(stale)


def prepare_target(out_dir: Path) -> None:
    """Before a build spends any time: recover what a killed run left, and refuse a folder that
    is not the build's to replace, so the user learns it at once, not after the analysis."""
    out_dir = out_dir.absolute()
    try:
        if not out_dir.parent.is_dir():
            check_target(out_dir)  # nothing there yet: only the path itself can be refused
            return
        with _folder_lock(out_dir.parent, out_dir):  # a running build may be swapping it
            recover(out_dir)
            check_target(out_dir)
    except OSError as exc:
        where = exc.filename or out_dir
        raise BuildError(f"{where}: cannot prepare the output ({exc.strerror or exc})") from None


@contextlib.contextmanager
def package_staging(out_dir: Path) -> Iterator[Path]:
    """A staging folder to write the new package into, file by file; when the block ends
    without an error the folder replaces ``out_dir`` (refused, as :func:`check_target` says,
    if ``out_dir`` is not a package a build made), else it is removed and ``out_dir`` is left
    exactly as it was.

    The folder lock is held for the whole block: a killed run's staging folder is removed by
    the next run's recovery, which must never take a running build's for one.
    """
    out_dir = out_dir.absolute()
    try:
        if not out_dir.parent.is_dir():
            check_target(out_dir)  # refuse a releases/ path before making its parent
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with _folder_lock(out_dir.parent, out_dir):
            # looked at only under the lock: another build may be swapping the folder
            recover(out_dir)
            check_target(out_dir)
            with staging_dir(out_dir) as staging:
                yield staging
                check_target(out_dir)  # someone may have put their files there meanwhile
                swap_in(staging, out_dir)
    except OSError as exc:
        where = exc.filename or out_dir
        raise BuildError(
            f"{where}: cannot write the package ({exc.strerror or exc}); the previous package, "
            "if any, is unchanged"
        ) from None
