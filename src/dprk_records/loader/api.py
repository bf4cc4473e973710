"""The loader's public functions, as ``dprk_records.open``, ``load``, ``timeline``, ``info``...

Each is a thin composition of the registry, the cache (:mod:`.fetch`) and :class:`.Package`; the
CLI commands ``dprk-records fetch``, ``info`` and ``versions`` call :func:`fetch`,
:func:`info` / :func:`format_info` and :func:`list_versions` / :func:`format_versions`.

Local first. Someone working inside a clone of the project wants the tables they just built, not
a download of the last release (and not a network error when offline), so when no version, path
or cache folder is asked for, :func:`open`, :func:`load`, :func:`timeline` and :func:`info` use
the checkout's ``datapackage/`` folder. "Inside a checkout" means, exactly
(:func:`find_checkout`): the current folder or one of its parents, searched upwards and stopping
after the first folder holding ``.git`` (or at the filesystem root), holds all three of

- ``datapackage/datapackage.json``,
- ``seeds/manifest.csv``,
- ``pyproject.toml`` whose ``[project] name`` is ``dprk-records``,

so an unrelated folder that happens to be called ``datapackage/`` is never picked up. An explicit
``version=`` (or ``cache_dir=``) always means a release, ``path=`` always means that folder, and
``DPRK_RECORDS_LOCAL=0`` switches the rule off. Nothing is logged or printed either way; the
choice is said by :attr:`.Package.source` and by :func:`info` (``source``), e.g.
``local package at /x/datapackage (checkout; ...)`` or ``release 0.1.0 (cache /y)``.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprk_records.errors import PackageError
from dprk_records.loader.fetch import cache_location, fetch
from dprk_records.loader.package import Package
from dprk_records.loader.registry import (
    default_registry_path,
    latest_version,
    load_registry,
    normalize_version,
    registered_versions,
)
from dprk_records.loader.timeline import TimelineEntry

__all__ = [
    "LOCAL_ENV",
    "VersionInfo",
    "fetch",
    "find_checkout",
    "format_info",
    "format_versions",
    "info",
    "list_versions",
    "load",
    "open",
    "timeline",
    "versions",
]

PathLike = str | os.PathLike[str]

LOCAL_ENV = "DPRK_RECORDS_LOCAL"
PROJECT_NAME = "dprk-records"
_OFF = frozenset({"0", "false", "no", "off"})
_PYPROJECT_LIMIT = 1 << 20  # a real pyproject.toml is a few KB; never read a huge file to decide
_LOCAL_HINT = "ask for a version, or set DPRK_RECORDS_LOCAL=0, to use a release"


def versions() -> list[str]:
    """The released data versions this install knows (oldest first); no network needed."""
    return registered_versions(load_registry())


def _local_first_enabled() -> bool:
    return os.environ.get(LOCAL_ENV, "").strip().lower() not in _OFF


def _names_this_project(pyproject: Path) -> bool:
    """Whether *pyproject* is a regular, readable TOML file whose project is dprk-records.

    Any doubt (unreadable, not TOML, a FIFO, another project) answers no: the rule must never
    make ``load()`` fail in a folder that is not ours.
    """
    import tomllib

    from dprk_records.base.fileguard import read_regular
    from dprk_records.errors import DprkRecordsError

    try:
        data = tomllib.loads(read_regular(pyproject, _PYPROJECT_LIMIT).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, DprkRecordsError):  # TOMLDecodeError too
        return False
    project = data.get("project")
    name = project.get("name") if isinstance(project, dict) else None
    return isinstance(name, str) and re.sub(r"[-_.]+", "-", name).lower() == PROJECT_NAME


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _is_checkout(folder: Path) -> bool:
    return (
        _is_file(folder / "datapackage" / "datapackage.json")
        and _is_file(folder / "seeds" / "manifest.csv")
        and _names_this_project(folder / "pyproject.toml")
    )


def find_checkout(start: PathLike | None = None) -> Path | None:
    """The ``datapackage/`` folder of the dprk-records checkout around *start* (default: the
    current folder), or None; see the module docstring for the exact rule.

    The search stops after the first folder holding ``.git``, so a checkout nested in another
    repository's subfolder is found but a parent project's folders are never looked at. Ignores
    ``DPRK_RECORDS_LOCAL`` (that is :func:`open`'s business).
    """
    try:
        here = Path(start if start is not None else os.getcwd()).resolve()
    except OSError:  # the current folder was deleted
        return None
    for folder in (here, *here.parents):
        if _is_checkout(folder):
            return folder / "datapackage"
        if os.path.lexists(folder / ".git"):
            break
    return None


def _checkout_package() -> Package | None:
    """The checkout's package when local-first applies, else None."""
    if not _local_first_enabled():
        return None
    folder = find_checkout()
    if folder is None:
        return None
    try:
        return Package(folder, source=f"local package at {folder} (checkout; {_LOCAL_HINT})")
    except PackageError as exc:
        if type(exc) is not PackageError:
            raise
        raise PackageError(
            f"{exc}. It was opened because you are inside a dprk-records checkout and asked for "
            f"no version: rebuild it (dprk-records build), or {_LOCAL_HINT}."
        ) from exc


def open(  # shadows the builtin on purpose: `dprk_records.open(...)`, like `zipfile.open`
    version: str | None = None,
    path: PathLike | None = None,
    cache_dir: PathLike | None = None,
    *,
    quiet: bool = False,
) -> Package:
    """Open a data package: a local folder (*path*), or a released *version* (default: latest).

    Inside a dprk-records checkout, with no *version*, *path* or *cache_dir*, the checkout's own
    ``datapackage/`` is opened instead of the latest release (no network; the module docstring
    has the exact rule, ``DPRK_RECORDS_LOCAL=0`` turns it off); ``Package.source`` says which.
    A released version is downloaded once, verified against the registry's SHA-256 and cached;
    later opens work offline. A download shows one progress line on stderr when it is a
    terminal, unless *quiet*. With both *path* and *version*, the folder must hold that version.
    """
    if path is None:
        if version is None and cache_dir is None:
            local = _checkout_package()
            if local is not None:
                return local
        folder = fetch(version, cache_dir, quiet=quiet)
        return Package(folder, source=f"release {folder.name} (cache {folder.parent})")
    package = Package(path)
    if version is not None and package.version != normalize_version(version):
        raise PackageError(
            f"{package.path} holds data version {package.version!r}, not {version!r}; "
            "drop version= to read it anyway"
        )
    return package


def load(
    name: str,
    version: str | None = None,
    path: PathLike | None = None,
    cache_dir: PathLike | None = None,
    *,
    quiet: bool = False,
) -> list[dict[str, Any]]:
    """Read one table as typed rows: ``load("persons", version="1.2.0")``; inside a checkout,
    ``load("persons")`` reads its ``datapackage/`` (see :func:`open`)."""
    return open(version=version, path=path, cache_dir=cache_dir, quiet=quiet).read(name)


def timeline(
    person_id: str,
    version: str | None = None,
    path: PathLike | None = None,
    cache_dir: PathLike | None = None,
    *,
    quiet: bool = False,
) -> list[TimelineEntry]:
    """A person's career, in date order: ``timeline("kim-jong-un", path="datapackage")``."""
    return open(version=version, path=path, cache_dir=cache_dir, quiet=quiet).timeline(person_id)


def info(
    version: str | None = None,
    path: PathLike | None = None,
    cache_dir: PathLike | None = None,
    *,
    quiet: bool = False,
) -> dict[str, Any]:
    """Summary of a package: version, folder, source (checkout, folder or release), row count of
    each table, sources and licences. Chooses the package as :func:`open` does."""
    return open(version=version, path=path, cache_dir=cache_dir, quiet=quiet).info()


@dataclass(frozen=True)
class VersionInfo:
    """One registered release, and whether it is already usable offline from the cache."""

    version: str
    file: str
    sha256: str
    size: int
    date: str | None
    cached: bool
    latest: bool
    folder: Path


def _looks_cached(archive: Path, size: int, folder: Path) -> bool:
    """Cheap presence check, no hashing and no network: the archive is a regular file of the
    registered size and the extracted folder holds a datapackage.json. :func:`fetch` still
    verifies everything before a package is used; this only tells the user what is there."""
    try:
        found = os.lstat(archive)
        if not stat.S_ISREG(found.st_mode) or found.st_size != size:
            return False
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        return stat.S_ISREG(os.lstat(folder / "datapackage.json").st_mode)
    except (OSError, ValueError):
        return False


def _release_dates() -> dict[str, str]:
    """The optional ``date`` (or ``released``) of each release in the registry file in use.

    The checked registry keeps only the keys the loader needs, so the dates are read from the
    raw file; any problem just means no dates.
    """
    import json

    try:
        raw = json.loads(default_registry_path().read_text(encoding="utf-8"))
        entries = raw.get("releases", []) if isinstance(raw, dict) else []
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    dates: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("version"), str):
            continue
        date = entry.get("date", entry.get("released"))
        if isinstance(date, str) and date:
            dates[normalize_version(entry["version"])] = date
    return dates


def list_versions(cache_dir: PathLike | None = None) -> list[VersionInfo]:
    """Every registered release (oldest first) and whether it is in the cache; no network.

    ``cached`` is a presence-and-size check (see :class:`VersionInfo`), cheap enough for a
    listing; opening a version still verifies it fully.
    """
    registry = load_registry()
    cache = cache_location(cache_dir)
    latest = latest_version(registry) if registry["releases"] else None
    dates = _release_dates()
    infos = []
    for entry in registry["releases"]:
        folder = cache / entry["version"]
        infos.append(
            VersionInfo(
                version=entry["version"],
                file=entry["file"],
                sha256=entry["sha256"],
                size=entry["size"],
                date=dates.get(entry["version"]),
                cached=_looks_cached(cache / entry["file"], entry["size"], folder),
                latest=entry["version"] == latest,
                folder=folder,
            )
        )
    return infos


def format_versions(infos: list[VersionInfo]) -> str:
    """Text of :func:`list_versions` for ``dprk-records versions``: newest first, one line each.

    ``0.2.0  2024-07-01  cached      latest``; a column is left blank when the registry has no
    date. No trailing newline, like :func:`format_info`.
    """
    if not infos:
        return "no data release is registered yet (upgrade dprk-records to get newer ones)"
    from dprk_records.loader.registry import version_key

    ordered = sorted(infos, key=lambda item: version_key(item.version), reverse=True)
    width = max(len(item.version) for item in ordered)
    date_width = max((len(item.date or "") for item in ordered), default=0)
    lines = []
    for item in ordered:
        cells = [f"{item.version:<{width}}"]
        if date_width:
            cells.append(f"{item.date or '':<{date_width}}")
        cells.append(f"{'cached' if item.cached else 'not cached':<10}")
        cells.append("latest" if item.latest else "")
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _license_text(license_: dict[str, Any]) -> str:
    label = license_.get("name") or license_.get("title") or "unnamed licence"
    where = license_.get("path")
    return f"{label} ({where})" if where else str(label)


def format_info(summary: dict[str, Any]) -> str:
    """Readable text of :func:`info`'s dict, for ``dprk-records info``."""
    title = summary.get("title") or summary.get("name") or "data package"
    lines = [f"{title}", f"  version:  {summary.get('version') or 'unversioned'}"]
    if summary.get("created"):
        lines.append(f"  created:  {summary['created']}")
    lines.append(f"  folder:   {summary.get('path')}")
    if summary.get("source"):
        lines.append(f"  source:   {summary['source']}")
    licenses = summary.get("licenses") or []
    lines.append(
        "  licences: " + ("; ".join(_license_text(lic) for lic in licenses) or "none stated")
    )
    tables: dict[str, int] = summary.get("tables") or {}
    lines.append(f"  tables ({len(tables)}):")
    width = max((len(name) for name in tables), default=0)
    for name, rows in tables.items():
        lines.append(f"    {name:<{width}}  {rows:>8,} rows")
    sources = summary.get("sources") or []
    lines.append(f"  sources:  {len(sources)} text{'s' if len(sources) != 1 else ''}")
    return "\n".join(lines)
