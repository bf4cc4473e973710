"""The registry of released data versions: which archive each version is, and its SHA-256.

The registry ships inside the Python package (``registry.json`` beside this module), so a given
``dprk-records`` install trusts exactly the archives it was released with: a download is used only
if its hash matches the one recorded here. The release tool appends to it with
:func:`add_release` and :func:`write_registry`; the environment variable
``DPRK_RECORDS_REGISTRY`` points the loader at another file (tests, mirrors, the wheel smoke test).

Everything here except :func:`load_registry` and :func:`write_registry` is a pure function of a
registry dict, so the rules can be tested without files.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from dprk_records.base.atomic import write_file
from dprk_records.loader.errors import RegistryError, UnknownVersionError

REGISTRY_ENV = "DPRK_RECORDS_REGISTRY"
REGISTRY_FORMAT = 1
_RELEASE_KEYS = ("version", "file", "sha256", "size")

# Semantic versions only: a version becomes a folder name in the cache, so nothing else gets in.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


def default_registry_path() -> Path:
    """The registry file in use: ``$DPRK_RECORDS_REGISTRY`` if set, else the packaged one."""
    override = os.environ.get(REGISTRY_ENV)
    if override:
        return Path(override).expanduser()
    return Path(__file__).with_name("registry.json")


def normalize_version(version: str) -> str:
    """Accept ``v1.2.0`` as ``1.2.0``, the way release tags are written."""
    version = str(version).strip()
    return version[1:] if version[:1] in ("v", "V") else version


def is_valid_version(version: str) -> bool:
    """Whether *version* is a semantic version (MAJOR.MINOR.PATCH[-pre][+build])."""
    return bool(_SEMVER.match(version))


def version_key(version: str) -> tuple[Any, ...]:
    """Sort key in semantic-versioning order (1.10.0 after 1.9.0, 1.0.0-rc.1 before 1.0.0)."""
    match = _SEMVER.match(version)
    if not match:
        raise RegistryError(f"{version!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    major, minor, patch, pre = match.groups()
    pre_key: tuple[Any, ...] = (1,)  # a final release sorts after its pre-releases
    if pre:
        parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
        pre_key = (0, parts)
    return (int(major), int(minor), int(patch), pre_key)


def check_release(release: Any, where: str = "registry") -> dict[str, Any]:
    """Return *release* as a clean entry, or raise RegistryError saying which key is wrong."""
    if not isinstance(release, dict):
        raise RegistryError(f"{where}: a release entry must be an object, got {release!r}")
    missing = [key for key in _RELEASE_KEYS if key not in release]
    if missing:
        raise RegistryError(f"{where}: release entry {release!r} lacks {', '.join(missing)}")
    version, file, sha256, size = (release[key] for key in _RELEASE_KEYS)
    if not isinstance(version, str) or not is_valid_version(version):
        raise RegistryError(f"{where}: {version!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    if not isinstance(file, str) or not _FILE_NAME.match(file):
        raise RegistryError(f"{where}: version {version}: {file!r} is not a plain file name")
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise RegistryError(f"{where}: version {version}: sha256 must be 64 lowercase hex digits")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise RegistryError(f"{where}: version {version}: size must be a non-negative integer")
    return {"version": version, "file": file, "sha256": sha256, "size": size}


def check_registry(registry: Any, where: str = "registry") -> dict[str, Any]:
    """Return a normalized copy of *registry* (releases sorted), or raise RegistryError."""
    if not isinstance(registry, dict) or not isinstance(registry.get("releases"), list):
        raise RegistryError(f"{where}: expected an object with a 'releases' list")
    if registry.get("format") != REGISTRY_FORMAT:
        raise RegistryError(
            f"{where}: registry format {registry.get('format')!r} is not {REGISTRY_FORMAT}; "
            "upgrade dprk-records to read it"
        )
    releases = [check_release(entry, where) for entry in registry["releases"]]
    seen: set[str] = set()
    for entry in releases:
        if entry["version"] in seen:
            raise RegistryError(f"{where}: version {entry['version']} is listed twice")
        seen.add(entry["version"])
    releases.sort(key=lambda entry: version_key(entry["version"]))
    extra = {key: registry[key] for key in sorted(registry) if key not in ("format", "releases")}
    return {"format": REGISTRY_FORMAT, "releases": releases, **extra}


def load_registry(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read and check a registry file (default: :func:`default_registry_path`)."""
    file = Path(path) if path is not None else default_registry_path()
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        hint = f" (set by {REGISTRY_ENV})" if path is None and os.environ.get(REGISTRY_ENV) else ""
        raise RegistryError(f"{file}: registry file not found{hint}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryError(f"{file}: cannot read the registry ({exc})") from exc
    return check_registry(raw, str(file))


def render_registry(registry: dict[str, Any]) -> str:
    """The registry file's text: releases sorted by version, 2-space indent, trailing newline."""
    return json.dumps(check_registry(registry), indent=2, ensure_ascii=False) + "\n"


def write_registry(path: str | os.PathLike[str], registry: dict[str, Any]) -> Path:
    """Write *registry* atomically (temp file, then rename), so a reader never sees half a file."""
    file = Path(path)
    write_file(file, render_registry(registry).encode("utf-8"))
    return file


def add_release(
    registry: dict[str, Any], version: str, file: str, sha256: str, size: int
) -> dict[str, Any]:
    """Return a new registry with this release added; *registry* itself is not changed.

    Adding a version that is already there with the same archive is a no-op, so the release
    tool can be re-run safely. Adding it with another hash raises: a released version is immutable,
    and users' caches hold the old archive under that version.
    """
    entry = check_release(
        {
            "version": normalize_version(version),
            "file": file,
            "sha256": sha256.lower(),
            "size": size,
        }
    )
    current = check_registry(registry)
    for existing in current["releases"]:
        if existing["version"] != entry["version"]:
            continue
        if existing == entry:
            return current
        raise RegistryError(
            f"version {entry['version']} is already released as {existing['file']} "
            f"(sha256 {existing['sha256']}, {existing['size']} bytes); refusing to replace it with "
            f"{entry['file']} (sha256 {entry['sha256']}, {entry['size']} bytes). "
            "Released versions are immutable: bump the version instead."
        )
    return check_registry({**current, "releases": [*current["releases"], entry]})


def registered_versions(registry: dict[str, Any]) -> list[str]:
    """All released versions, oldest first."""
    return [entry["version"] for entry in check_registry(registry)["releases"]]


def latest_version(registry: dict[str, Any]) -> str:
    """The newest final release (a pre-release only when nothing else exists)."""
    known = registered_versions(registry)
    if not known:
        raise UnknownVersionError(
            "no data release is registered yet, so there is no default version. "
            "Pass path= to load a local data package folder, or upgrade dprk-records."
        )
    finals = [v for v in known if "-" not in v.split("+", 1)[0]]
    return (finals or known)[-1]


def find_release(registry: dict[str, Any], version: str | None = None) -> dict[str, Any]:
    """The registry entry of *version* (default: the latest); raise listing the known ones."""
    wanted = latest_version(registry) if version is None else normalize_version(version)
    for entry in check_registry(registry)["releases"]:
        if entry["version"] == wanted:
            return entry
    known = ", ".join(registered_versions(registry)) or "none yet"
    raise UnknownVersionError(
        f"data version {wanted!r} is not a known release (known: {known}). "
        "Pick one of those, or upgrade dprk-records if the version is newer than this install."
    )
