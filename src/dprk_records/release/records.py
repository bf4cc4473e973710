"""What a checkout still knows of its past releases, for the gate and for `release`.

A released version V leaves these records, each kept by something different:

- the loader registry (``src/dprk_records/loader/registry.json``): V's archive name, sha256 and
  size, the only thing a user's download is checked against;
- ``releases/V/``: the released package's files (what CI diffs the next version against);
- git: every commit (and, for ``release``, every tag) whose registry.json lists V, with the sha256
  it listed. A commit cannot be edited away in a checkout, so when the registry entry and
  ``releases/V/`` are both deleted, history still holds both;
- ``CHANGELOG.md``: a dated heading for V under the heading of a later version. This survives
  where git does not (an exported tree, ``--allow-dirty`` outside a repository); on its own a
  dated heading proves nothing, because a maintainer dates V just *before* cutting it, so only a
  later version listed above it shows that V is in the past;
- ``dist/``: the archive the last cut wrote (ignored by git; local to one machine).

Two rules are built on them. The gate's ``releases`` check
(:mod:`dprk_records.validate.release_records`) wants the current registry and ``releases/`` to
agree with each other and with the commit that first registered each version. ``release`` (see
:func:`conflicting_records`) refuses to cut a version that any record holds with other bytes,
and a version the CHANGELOG shows as released when no record of its archive is left at all.
Identical bytes are always allowed: the release workflow re-cuts the tagged version to publish
it, and a re-cut that gives the registered sha256 merely restores deleted records.

The archive cannot simply be rebuilt from ``releases/V/`` and hashed: besides the package it holds
CHANGELOG.md, schemas/ and the generated data card, dictionary, Popolo file and viewer, all of
which change after V is released. Its bytes are reproducible only from the commit that cut it.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from dprk_records.base.fileguard import read_regular
from dprk_records.errors import DprkRecordsError
from dprk_records.loader.registry import is_valid_version, version_key

REGISTRY = Path("src/dprk_records/loader/registry.json")
CHANGELOG = "CHANGELOG.md"

_HEADING = re.compile(r"^#{1,6}[ \t]+\[?v?([0-9A-Za-z.+-]+?)\]?(?=[\s(:]|$)(.*)$", re.MULTILINE)
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@dataclass(frozen=True)
class Registered:
    """One release entry as a commit's registry.json listed it."""

    commit: str
    version: str
    file: str
    sha256: str
    size: object

    def describe(self) -> str:
        """The archive as messages name it (file, sha256, size), so a finding says exactly which
        bytes a commit registered."""
        return f"{self.file} (sha256 {self.sha256}, {self.size} bytes)"


def _git(checkout: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """git's stdout in ``checkout``, or None when git is missing or fails (no repository, no
    commit yet, an object a shallow clone lacks): every caller treats that as "git knows nothing"."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=checkout, input=stdin, capture_output=True, check=False
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def is_repository_root(checkout: Path) -> bool:
    """Whether ``checkout`` is the top of a git work tree; a folder merely *inside* another
    repository (a test's copy under the repository, say) has no history of its own."""
    top = _git(checkout, "rev-parse", "--show-toplevel")
    if top is None:
        return False
    return Path(top.decode("utf-8", "replace").strip()).resolve() == checkout.resolve()


def _entries(commit: str, data: bytes) -> list[Registered]:
    """The release entries of one commit's registry.json; an unreadable file lists none (the
    gate reads the current registry strictly, history only for what it can)."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return []
    releases = raw.get("releases") if isinstance(raw, dict) else None
    found = []
    for entry in releases if isinstance(releases, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("version"), str):
            found.append(
                Registered(
                    commit,
                    entry["version"],
                    str(entry.get("file", "")),
                    str(entry.get("sha256", "")),
                    entry.get("size", "?"),
                )
            )
    return found


def _read_blobs(checkout: Path, names: list[str]) -> dict[str, bytes]:
    """``commit:path`` -> bytes for every object git has, read by one `git cat-file --batch`."""
    out = _git(checkout, "cat-file", "--batch", stdin="".join(f"{n}\n" for n in names).encode())
    blobs: dict[str, bytes] = {}
    if out is None:
        return blobs
    position = 0
    for name in names:
        end = out.find(b"\n", position)
        header = out[position:end].split() if end >= 0 else []
        position = end + 1
        if len(header) != 3 or not header[2].isdigit():  # "<name> missing", or output cut short
            if end < 0:
                break
            continue
        size = int(header[2])
        blobs[name] = out[position : position + size]
        position += size + 1
    return blobs


def registry_history(checkout: Path, with_tags: bool = False) -> list[Registered] | None:
    """Every entry of every registry.json in the history of HEAD (and of every tag, with
    ``with_tags``), oldest commit first; None when ``checkout`` is not a git repository's root."""
    if not is_repository_root(checkout):
        return None
    revisions = []
    if _git(checkout, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") is not None:
        revisions.append("HEAD")
    if with_tags:
        revisions.append("--tags")
    if not revisions:
        return []
    log = _git(checkout, "log", "--reverse", "--format=%H", *revisions, "--", REGISTRY.as_posix())
    commits = log.decode().split() if log else []
    blobs = _read_blobs(checkout, [f"{commit}:{REGISTRY.as_posix()}" for commit in commits])
    history: list[Registered] = []
    for commit in commits:
        history.extend(_entries(commit, blobs.get(f"{commit}:{REGISTRY.as_posix()}", b"")))
    return history


def first_registrations(history: list[Registered]) -> dict[str, Registered]:
    """version -> the entry of the oldest commit that registered it: the release itself."""
    first: dict[str, Registered] = {}
    for entry in history:
        first.setdefault(entry.version, entry)
    return first


def changes_since(checkout: Path, commit: str, folder: str) -> list[tuple[str, str]] | None:
    """(what happened, path) for each file under ``folder`` that differs from ``commit``: edited,
    deleted, or added (tracked or not: a file put back by hand counts as what it holds); None
    when git cannot say (no such commit, as in a shallow clone)."""
    listing = _git(checkout, "ls-tree", "-r", "-z", "--full-tree", commit, "--", f"{folder}/")
    if listing is None:
        return None
    released: dict[str, str] = {}
    for record in listing.decode("utf-8", "replace").split("\0"):
        meta, _, path = record.partition("\t")
        if path and len(meta.split()) == 3:
            released[path] = meta.split()[2]
    root = checkout / folder
    present = (
        sorted(p.relative_to(checkout).as_posix() for p in root.rglob("*") if p.is_file())
        if root.is_dir()
        else []
    )
    hashed = _git(
        checkout, "hash-object", "--stdin-paths", stdin="".join(f"{p}\n" for p in present).encode()
    )
    if hashed is None and present:
        return None
    ids = dict(zip(present, (hashed or b"").decode().split(), strict=False))
    changes = [("deleted", path) for path in released if path not in ids]
    changes += [("added", path) for path in ids if path not in released]
    changes += [
        ("edited", path) for path in ids if path in released and ids[path] != released[path]
    ]
    return sorted(changes, key=lambda change: change[1])


def changelog_released(text: str, version: str) -> tuple[str, list[str]] | None:
    """(date, later versions) when CHANGELOG.md dates ``version`` and has headings for later
    versions too, which only happens once ``version`` is released; None otherwise."""
    date = None
    later = []
    for match in _HEADING.finditer(text):
        named, rest = match.group(1), match.group(2)
        if not is_valid_version(named):
            continue
        if named == version:
            found = _DATE.search(rest)
            if found and "unreleased" not in rest.lower():
                date = found.group()
        elif version_key(named) > version_key(version):
            later.append(named)
    return (date, later) if date and later else None


def conflicting_records(
    checkout: Path, version: str, sha256: str, registered: Collection[str]
) -> list[str]:
    """Why cutting ``version`` as an archive with ``sha256`` would re-release it with other bytes,
    from the records the cut does not compare itself (git history and tags, CHANGELOG.md); []
    when none says so. ``registered`` are the versions in the working tree's registry, which the
    cut compares itself; the CHANGELOG is asked only when no registry, now or in history, lists
    ``version``, since it cannot tell which bytes were released."""
    problems = []
    history = registry_history(checkout, with_tags=True) or []
    known = [entry for entry in history if entry.version == version]
    reported: set[str] = set()
    for entry in known:
        if entry.sha256 != sha256 and entry.sha256 not in reported:
            reported.add(entry.sha256)
            problems.append(
                f"git commit {entry.commit[:12]} registered {version} as {entry.describe()} in "
                f"{REGISTRY}"
            )
    if known or version in registered:
        return problems
    path = checkout / CHANGELOG
    try:
        text = read_regular(path).decode("utf-8")
    except (OSError, UnicodeDecodeError, DprkRecordsError):
        return problems
    released = changelog_released(text, version)
    if released is not None:
        date, later = released
        problems.append(
            f"{CHANGELOG} dates {version} ({date}) under later versions "
            f"({', '.join(sorted(later, key=version_key))}), so {version} was released, yet no "
            f"record of its archive is left (no entry in {REGISTRY}, none in git history): a new "
            "cut cannot be shown to give the released bytes"
        )
    return problems
