"""Unpacking a release archive safely, all or nothing.

A release zip holds one top folder, ``dprk-records-data-VERSION/``. Before anything is written,
every member name is checked by the pure function :func:`unsafe_members`: an absolute path, a
``..`` component, a backslash, a drive letter, a symbolic link or a name outside the top folder
refuses the whole archive. The members are then written into a temporary folder beside the
target, and the folder is renamed into place, so a reader sees the whole package or nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from dprk_records.errors import PackageError
from dprk_records.loader.errors import UnsafeArchiveError

_DRIVE = re.compile(r"^[A-Za-z]:")


def top_folder(version: str) -> str:
    """The single folder every member of a release archive sits under."""
    return f"dprk-records-data-{version}"


def member_problem(name: str, top: str, is_symlink: bool = False) -> str | None:
    """Why member *name* may not be extracted under *top*, or None when it is safe."""
    if not name:
        return "has an empty name"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path"
    if "\\" in name:
        return "contains a backslash"
    if "\0" in name:
        return "contains a NUL byte"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "climbs out of its folder with '..'"
    if any(part in ("", ".") for part in parts):
        return "has an empty or '.' path component"
    if parts[0] != top:
        return f"is outside the top folder {top}/"
    if is_symlink:
        return "is a symbolic link"
    return None


def unsafe_members(names: Iterable[str | tuple[str, bool]], top: str) -> list[str]:
    """Describe every unsafe member; items are names or ``(name, is_symlink)`` pairs."""
    problems = []
    for item in names:
        name, is_link = (item, False) if isinstance(item, str) else item
        problem = member_problem(name, top, is_link)
        if problem:
            problems.append(f"{name!r} {problem}")
    return problems


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def extract_archive(archive: Path, target: Path, top: str) -> Path:
    """Extract the contents of *top*/ in *archive* into *target* (which must not exist yet).

    Raises UnsafeArchiveError before writing anything if a member is unsafe, and PackageError
    when the archive is not a zip or has no ``datapackage.json`` at the top.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            problems = unsafe_members(((i.filename, _is_symlink(i)) for i in infos), top)
            if problems:
                raise UnsafeArchiveError(
                    f"{archive}: refusing to extract this archive; nothing was written. "
                    f"{len(problems)} unsafe member(s): {'; '.join(problems[:5])}"
                )
            if f"{top}/datapackage.json" not in {i.filename for i in infos}:
                raise PackageError(
                    f"{archive}: not a dprk-records release: it has no {top}/datapackage.json"
                )
            _extract_into_place(zf, infos, target, top)
    except zipfile.BadZipFile as exc:
        raise PackageError(f"{archive}: not a readable zip archive ({exc})") from exc
    return target


def _extract_into_place(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], target: Path, top: str
) -> None:
    """Write members into a temp folder beside *target*, then rename it to *target*."""
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}-", suffix=".partial", dir=target.parent)
    )
    root = staging.resolve()
    try:
        for info in infos:
            relative = info.filename[len(top) + 1 :]
            if not relative:
                continue
            destination = staging / relative
            if not destination.resolve().is_relative_to(root):  # belt and braces
                raise UnsafeArchiveError(f"{info.filename!r} resolves outside {root}")
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as source, open(destination, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def remove_partial_extractions(folder: Path, name: str) -> None:
    """Delete temp folders a crashed extraction of *name* left behind (call under the lock)."""
    for leftover in folder.glob(f".{name}-*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)
