"""Unpacking a release archive safely, all or nothing, and only if it is the release it claims.

A release zip holds one top folder, ``dprk-records-data-VERSION/``. A matching SHA-256 only says
the archive is the one the registry recorded; what it holds is still checked, from the zip's
central directory and its ``datapackage.json``, before a byte is written
(:func:`check_release_archive`, built from pure functions):

1. every member name is safe (:func:`unsafe_members`): no absolute path, ``..`` component,
   backslash, drive letter, symbolic link, or name outside the top folder;
   every member is stored or deflated (what the release tool writes) and not encrypted;
2. no name appears twice (which copy would win is up to the unpacker);
3. the sizes are bounded (:func:`size_problems`): at most :data:`MAX_MEMBERS` members, at most
   :data:`MAX_UNPACKED_BYTES` in all, and no member above :data:`RATIO_FLOOR` bytes expanding
   more than :data:`MAX_RATIO` times (release files are text and compress 3 to 20 times; a
   zip bomb expands ~1000 times);
4. ``datapackage.json`` is there, is a JSON object, and its ``version`` is the version asked
   for (:func:`version_problem`);
5. the members are exactly the release's files (:func:`member_set_problems`): ``datapackage.json``,
   every local file its resources and sources name (all required), and the release's own
   documents (optional): :data:`RELEASE_DOCUMENTS` at the top, ``schemas/**.json`` and
   ``viewer/**.html``, as ``dprk_records.publish.cut`` writes them. Folder entries are allowed
   for folders of those files. Anything else refuses the archive, so a file the release tool
   never wrote cannot ride along under a registered hash. A release that ships a new kind of
   file needs this list extended in the same change.

Member sizes in the central directory are declarations; extraction counts the bytes that
actually come out (:func:`copy_member`) and stops at the first byte past a member's declared
size or past the total limit. Members are written into a temporary folder beside the target,
which is renamed into place, so a reader sees the whole package or nothing.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from dprk_records.base.atomic import staging_dir, swap_in
from dprk_records.errors import PackageError
from dprk_records.loader.errors import (
    ArchiveBombError,
    ArchiveMembersError,
    ArchiveVersionError,
    UnsafeArchiveError,
)
from dprk_records.reader.descriptor import parse_descriptor

MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""Total uncompressed size of a release; 0.1.0 is under 1 MiB, so this leaves room to grow."""
MAX_MEMBERS = 100_000
"""Members of a release; the viewer has one page per document, person and table."""
MAX_RATIO = 200
"""Largest uncompressed/compressed ratio of a member above :data:`RATIO_FLOOR` bytes."""
RATIO_FLOOR = 1024 * 1024
"""Members up to this size are not ratio-checked: a small file of one repeated byte is fine."""
MAX_DESCRIPTOR_BYTES = 64 * 1024 * 1024
"""Largest ``datapackage.json`` read out of an archive to check it."""
RELEASE_DOCUMENTS = frozenset(
    {
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "DATA-LICENSE.md",
        "CITATION.cff",
        "data-dictionary.md",
        "popolo.json",
    }
)
"""Files at the top of a release besides the package (``dprk_records.publish.cut``)."""
_DOCUMENT_FOLDERS = (
    re.compile(r"schemas/(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+\.json"),
    re.compile(r"viewer/(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+\.html"),
)
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)
"""What zipfile raises on a damaged or unreadable member (CRC, deflate stream, method)."""
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 20
_PARTIAL = "partial"
"""The kind of an extraction's staging folder: ``.NAME.partial-XXXXXXXX`` beside the target."""


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


def duplicate_members(names: Iterable[str]) -> list[str]:
    """Names that occur more than once, each once, in first-seen order.

    >>> duplicate_members(["a/x", "a/y", "a/x", "a/x"])
    ['a/x']
    """
    counts = Counter(names)
    return [name for name, count in counts.items() if count > 1]


def size_problems(sizes: Iterable[tuple[str, int, int]]) -> list[str]:
    """What breaks the size limits, from ``(name, uncompressed, compressed)`` of each member.

    >>> size_problems([("a", 10, 5)])
    []
    >>> size_problems([("bomb", 300 << 20, 1 << 20)])
    ["'bomb' expands 300 times (1048576 -> 314572800 bytes); the limit is 200"]
    """
    problems = []
    total = count = 0
    for name, size, compressed in sizes:
        count += 1
        total += size
        if size > RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1):
            problems.append(
                f"{name!r} expands {size // max(compressed, 1)} times "
                f"({compressed} -> {size} bytes); the limit is {MAX_RATIO}"
            )
    if count > MAX_MEMBERS:
        problems.append(f"it has {count} members; the limit is {MAX_MEMBERS}")
    if total > MAX_UNPACKED_BYTES:
        problems.insert(0, f"it expands to {total} bytes in all; the limit is {MAX_UNPACKED_BYTES}")
    return problems


def version_problem(descriptor: Any, version: str) -> str | None:
    """Why *descriptor* is not the package of *version*, or None when it says that version."""
    if not isinstance(descriptor, dict):
        return "its datapackage.json is not a JSON object"
    found = descriptor.get("version")
    if found != version:
        return f"its datapackage.json says version {found!r}, not {version!r}"
    return None


def _local_paths(value: Any) -> list[Any]:
    """The entries of a descriptor ``path`` (a string or a list of them) that are not URLs."""
    paths = value if isinstance(value, list) else [value]
    return [p for p in paths if not (isinstance(p, str) and "://" in p)]


def descriptor_files(descriptor: Mapping[str, Any]) -> tuple[set[str], list[str]]:
    """The files a release must hold besides datapackage.json, and problems with their names.

    They are every local ``path`` of a resource (a string or a list), a resource ``schema`` given
    as a path, and every local ``path`` of a source. A name that is not a plain relative path
    inside the package is a problem: it could never be a member of the release.
    """
    named: list[Any] = []
    resources = descriptor.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict):
            named += _local_paths(resource.get("path"))
            if isinstance(resource.get("schema"), str):
                named += _local_paths(resource["schema"])
    sources = descriptor.get("sources")
    for source in sources if isinstance(sources, list) else []:
        if isinstance(source, dict) and "path" in source:
            named += _local_paths(source["path"])
    files: set[str] = set()
    problems = []
    for path in named:
        if path is None:
            continue
        if (
            not isinstance(path, str)
            or not path
            or path.endswith("/")
            or member_problem(f"top/{path}", "top")
        ):
            problems.append(f"datapackage.json names {path!r}, which is not a file inside it")
            continue
        files.add(path)
    return files, problems


def is_release_document(relative: str) -> bool:
    """Whether a file (relative to the top folder) is one the release tool adds to a package.

    >>> is_release_document("viewer/persons/kim-jong-un.html"), is_release_document("run.sh")
    (True, False)
    """
    return relative in RELEASE_DOCUMENTS or any(p.fullmatch(relative) for p in _DOCUMENT_FOLDERS)


def member_set_problems(names: Iterable[str], descriptor: Mapping[str, Any], top: str) -> list[str]:
    """What keeps *names* (member names, folders ending in ``/``) from being exactly a release
    of *descriptor* under *top*: missing files, files no release ships, folders of nothing,
    a name that is both a file and a folder. Names are assumed safe and unique (checked first).
    """
    required, problems = descriptor_files(descriptor)
    required.add("datapackage.json")
    files: set[str] = set()
    folders: list[str] = []
    for name in names:
        relative = name[len(top) + 1 :]
        if name.endswith("/"):
            folders.append(relative.rstrip("/"))
        else:
            files.add(relative)
    for relative in sorted(files):
        if relative not in required and not is_release_document(relative):
            problems.append(f"{top + '/' + relative!r} is not a file a release ships")
    parents = {"/".join(f.split("/")[:i]) for f in files for i in range(f.count("/") + 1)}
    for relative in folders:
        if relative not in parents:
            problems.append(
                f"{top + '/' + relative + '/'!r} is a folder of no file a release ships"
            )
    for relative in sorted(files & parents - {""}):
        problems.append(f"{top + '/' + relative!r} is both a file and a folder")
    missing = sorted(required - files)
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
        problems.append(f"{len(missing)} file(s) its datapackage.json names are missing: {shown}")
    return problems


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _format_problems(problems: list[str]) -> str:
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return "; ".join(problems[:5]) + more


def _refuse(archive: Path, problems: list[str], what: str) -> str:
    return (
        f"{archive}: refusing to extract this archive; nothing was written. "
        f"{what}: {_format_problems(problems)}"
    )


_FAULTY = (
    "Its SHA-256 is the one the registry records, so the release as published is faulty: use "
    "another version, and report it to the dprk-records project."
)


def _faulty(registered: bool) -> str:
    """What a refusal adds about the archive's origin: a registered archive (its sha256 checked)
    is a faulty release; any other zip is only not a release."""
    return f". {_FAULTY}" if registered else ""


def check_release_archive(
    zf: zipfile.ZipFile, archive: Path, version: str, *, registered: bool = True
) -> list[zipfile.ZipInfo]:
    """Check an open release zip against everything in the module docstring; return its members.

    Reads the central directory and ``datapackage.json`` only. Raises UnsafeArchiveError,
    ArchiveBombError, ArchiveMembersError, ArchiveVersionError or PackageError, each naming
    *archive* and the reason.
    """
    faulty = _faulty(registered)
    top = top_folder(version)
    infos = zf.infolist()
    problems = unsafe_members(((i.filename, _is_symlink(i)) for i in infos), top)
    for info in infos:
        if info.compress_type not in _METHODS:
            problems.append(f"{info.filename!r} uses compression method {info.compress_type}")
        if info.flag_bits & 0x1:
            problems.append(f"{info.filename!r} is encrypted")
    if problems:
        raise UnsafeArchiveError(_refuse(archive, problems, f"{len(problems)} unsafe member(s)"))
    duplicates = duplicate_members(i.filename for i in infos)
    if duplicates:
        shown = [f"{name!r} appears more than once" for name in duplicates]
        raise ArchiveMembersError(f"{_refuse(archive, shown, 'duplicate members')}{faulty}")
    sizes = size_problems((i.filename, i.file_size, i.compress_size) for i in infos)
    if sizes:
        raise ArchiveBombError(f"{_refuse(archive, sizes, 'it is too large')}{faulty}")
    descriptor = _read_descriptor(zf, archive, top, faulty)
    problem = version_problem(descriptor, version)
    if problem:
        found = descriptor.get("version") if isinstance(descriptor, dict) else None
        raise ArchiveVersionError(
            f"{_refuse(archive, [problem], f'it is not release {version}')}{faulty}",
            expected=version,
            found=found,
        )
    members = member_set_problems((i.filename for i in infos), descriptor, top)
    if members:
        raise ArchiveMembersError(
            f"{_refuse(archive, members, f'it does not hold exactly release {version}')}{faulty}"
        )
    return infos


def _read_descriptor(zf: zipfile.ZipFile, archive: Path, top: str, faulty: str) -> dict[str, Any]:
    """The archive's datapackage.json as a dict; PackageError when absent or unreadable."""
    name = f"{top}/datapackage.json"
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise PackageError(f"{archive}: not a dprk-records release: it has no {name}") from None
    if info.file_size > MAX_DESCRIPTOR_BYTES:
        raise ArchiveBombError(
            f"{archive}: {name} declares {info.file_size} bytes; the limit is "
            f"{MAX_DESCRIPTOR_BYTES}{faulty}"
        )
    try:
        with zf.open(info) as source:
            data = source.read(MAX_DESCRIPTOR_BYTES + 1)
    except (ValueError, *_ZIP_ERRORS) as exc:
        raise PackageError(f"{archive}: cannot read {name} ({exc}){faulty}") from None
    try:
        return parse_descriptor(data, f"{archive}: {name}")
    except PackageError as exc:
        raise PackageError(f"{exc}{faulty}") from None


def copy_member(source: BinaryIO, out: BinaryIO, name: str, declared: int, budget: int) -> int:
    """Copy one member's bytes, refusing the first byte past *declared* or past *budget*.

    Returns the number of bytes written. The zip's sizes are only declarations: this is where
    the limits hold whatever the headers say.
    """
    written = 0
    limit = min(declared, budget)
    while chunk := source.read(min(_CHUNK, limit - written + 1)):
        written += len(chunk)
        if written > limit:
            reason = (
                f"{name!r} yields more than the {declared} bytes it declares"
                if written > declared
                else f"the members expand past {MAX_UNPACKED_BYTES} bytes in all"
            )
            raise ArchiveBombError(reason)
        out.write(chunk)
    return written


def extract_archive(archive: Path, target: Path, version: str, *, registered: bool = True) -> Path:
    """Extract the contents of release *version*'s top folder in *archive* into *target*.

    ``registered=False`` for a zip whose sha256 no registry vouches for (one given to
    ``diff``): the refusals then do not call it a faulty release. *target* must not exist yet. Raises (before writing anything) the errors of
    :func:`check_release_archive`, and PackageError when the archive is not a readable zip.
    OSError from writing propagates, for the caller to say what the folder is.
    """
    top = top_folder(version)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = check_release_archive(zf, archive, version, registered=registered)
            try:
                _extract_into_place(zf, infos, target, top)
            except ArchiveBombError as exc:
                raise ArchiveBombError(
                    f"{archive}: refusing to extract this archive; nothing was kept. {exc}"
                    f"{_faulty(registered)}"
                ) from None
    except _ZIP_ERRORS as exc:
        raise PackageError(f"{archive}: not a readable zip archive ({exc})") from exc
    return target


def _extract_into_place(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], target: Path, top: str
) -> None:
    """Write members into a staging folder beside *target*, then rename it to *target*."""
    with staging_dir(target, _PARTIAL) as staging:
        root = staging.resolve()
        budget = MAX_UNPACKED_BYTES
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
            with zf.open(info) as source, open(destination, "xb") as out:
                budget -= copy_member(source, out, info.filename, info.file_size, budget)
        swap_in(staging, target, replace=False)


def remove_partial_extractions(folder: Path, name: str) -> None:
    """Delete staging folders a crashed extraction of *name* left behind (call under the lock):
    ``.NAME.partial-*``, and ``.NAME-*.partial`` as earlier versions named them."""
    for pattern in (f".{name}.{_PARTIAL}-*", f".{name}-*.{_PARTIAL}"):
        for leftover in folder.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
