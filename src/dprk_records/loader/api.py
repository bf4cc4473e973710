"""The loader's public functions, as ``dprk_records.open``, ``load``, ``timeline``, ``info``...

Each is a thin composition of the registry, the cache (:mod:`.fetch`) and :class:`.Package`; the
CLI commands ``dprk-records fetch`` and ``dprk-records info`` call :func:`fetch` and
:func:`info` / :func:`format_info`.
"""

from __future__ import annotations

import os
from typing import Any

from dprk_records.errors import PackageError
from dprk_records.loader.fetch import fetch
from dprk_records.loader.package import Package
from dprk_records.loader.registry import load_registry, normalize_version, registered_versions
from dprk_records.loader.timeline import TimelineEntry

__all__ = ["fetch", "format_info", "info", "load", "open", "timeline", "versions"]

PathLike = str | os.PathLike[str]


def versions() -> list[str]:
    """The released data versions this install knows (oldest first); no network needed."""
    return registered_versions(load_registry())


def open(  # shadows the builtin on purpose: `dprk_records.open(...)`, like `zipfile.open`
    version: str | None = None,
    path: PathLike | None = None,
    cache_dir: PathLike | None = None,
) -> Package:
    """Open a data package: a local folder (*path*), or a released *version* (default: latest).

    A released version is downloaded once, verified against the registry's SHA-256 and cached;
    later opens work offline. With both *path* and *version*, the folder must hold that version.
    """
    if path is None:
        return Package(fetch(version, cache_dir))
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
) -> list[dict[str, Any]]:
    """Read one table as typed rows: ``load("persons", version="1.2.0")``."""
    return open(version=version, path=path, cache_dir=cache_dir).read(name)


def timeline(
    person_id: str,
    version: str | None = None,
    path: PathLike | None = None,
    cache_dir: PathLike | None = None,
) -> list[TimelineEntry]:
    """A person's career, in date order: ``timeline("kim-jong-un", path="datapackage")``."""
    return open(version=version, path=path, cache_dir=cache_dir).timeline(person_id)


def info(
    version: str | None = None, path: PathLike | None = None, cache_dir: PathLike | None = None
) -> dict[str, Any]:
    """Summary of a package: version, folder, row count of each table, sources and licences."""
    return open(version=version, path=path, cache_dir=cache_dir).info()


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
