"""Read stage: a seeds folder -> verified source documents. The only place seeds are opened.

Every defect of the input is collected and reported together, each naming the file and the reason,
before anything is built, so a bad seed can never leave a half-written package behind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from dprk_records.base.fileguard import (
    FileTooLargeError,
    UnsafeFileError,
    not_regular,
    read_regular,
    read_regular_stat,
    special_kind,
)
from dprk_records.base.hashing import sha256_hex
from dprk_records.errors import DprkRecordsError, SeedError
from dprk_records.pipeline.knownhashes import KnownHashes, seed_signature
from dprk_records.pipeline.manifest import MANIFEST_NAME, ManifestEntry, parse_manifest

MAX_SEED_BYTES = 2 * 1024 * 1024
"""A KCNA item is a few kilobytes; anything past 2 MiB is not a single text and is refused."""

_PLAIN = "a seed must be a plain text file"

_T = TypeVar("_T")
_U = TypeVar("_U")

# Control characters (below U+0020) a text may not hold: all but line feed, return and tab.
# In UTF-8 each is one byte that no other character's bytes contain, so they are looked for in
# the bytes: deleting every other byte value (bytes.translate, in C) leaves just them.
_FORBIDDEN_CONTROLS = frozenset(range(0x20)) - {0x09, 0x0A, 0x0D}
_NOT_FORBIDDEN = bytes(sorted(set(range(256)) - _FORBIDDEN_CONTROLS))


@dataclass(frozen=True)
class SourceDocument:
    """A verified seed: its verbatim text and what the manifest says of it (if there is one)."""

    document_id: str
    file_name: str
    text: str
    sha256: str
    manifest: ManifestEntry | None


@dataclass(frozen=True, slots=True)
class SeedEntry:
    """A verified seed without its text: where it is and what it was when the seeds were
    scanned. A build holds one of these per document and reads each text only when it analyses
    it (:func:`load_source`), so a corpus never has to fit in memory. Its file name and path
    are derived, not kept: every entry shares one ``folder`` object, and the scan found the file
    as ``<document_id>.txt``."""

    document_id: str
    folder: Path
    sha256: str
    size: int
    manifest: ManifestEntry | None

    @property
    def file_name(self) -> str:
        return f"{self.document_id}.txt"

    @property
    def path(self) -> Path:
        return self.folder / self.file_name


class InvalidSeedsError(DprkRecordsError):
    """One or more seeds cannot be used; ``problems`` lists each one."""

    def __init__(self, problems: list[SeedError]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"the seeds cannot be built ({len(problems)} {noun}):\n{lines}")


def decode_seed(path: Path, data: bytes) -> str:
    """Strictly decode one seed's bytes, refusing what is not a plain UTF-8 text."""
    if not data.strip():
        raise SeedError(path, "the file is empty (no text to extract)")
    if b"\x00" in data:
        raise SeedError(path, "the file is binary (it contains NUL bytes), not a text")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise SeedError(
            path,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save the text as UTF-8",
        ) from None
    controls = sorted(set(data.translate(None, _NOT_FORBIDDEN)))
    if controls:
        codes = ", ".join(f"U+{code:04X}" for code in controls)
        raise SeedError(path, f"the file is binary or corrupted (control characters {codes})")
    return text


@cache
def _document_id_pattern() -> re.Pattern[str]:
    """The documents table's own pattern for document_id (a seed's file name is its id)."""
    from dprk_records.schemas import field_schema

    return re.compile(field_schema("documents", "document_id")["constraints"]["pattern"])


def _read_seed_bytes(path: Path) -> bytes:
    """A seed's bytes, refusing links, FIFOs, folders and oversized files before reading."""
    return _read_seed(path)[0]


def _read_seed(path: Path) -> tuple[bytes, os.stat_result]:
    """:func:`_read_seed_bytes`, with the file's stat taken before it was read."""
    try:
        return read_regular_stat(path, limit=MAX_SEED_BYTES)
    except FileTooLargeError as exc:
        reason = f"the file is {exc.size:,} bytes, over the {exc.limit:,}-byte limit for one text"
        raise SeedError(path, f"{reason}; split it into its articles") from None
    except UnsafeFileError as exc:
        raise SeedError(path, f"{exc.reason}; {_PLAIN}") from None
    except OSError as exc:
        raise SeedError(path, f"cannot be read ({exc.strerror})") from None


def read_seed_file(path: Path) -> tuple[bytes, str]:
    """A seed's bytes and text, refused (SeedError) as a build refuses it: not a plain file, over
    the size limit, unreadable, or not a plain UTF-8 text."""
    data = _read_seed_bytes(path)
    return data, decode_seed(path, data)


def _seed_digest(
    path: Path, known: KnownHashes | None, info: os.stat_result | None
) -> tuple[str, int]:
    """The sha256 and size of the seed at ``path``, known from its stat ``info`` (the scan's
    ``lstat`` of it, None if it found none) or read, checked as :func:`read_seed_file` checks
    it (SeedError) and hashed."""
    if known is not None and info is not None:
        signature = seed_signature(info)
        digest = known.known(path.name, signature)
        if digest is not None:
            known.remember(path.name, signature, digest, _changed_ns(info))
            return digest, info.st_size
    data, info = _read_seed(path)
    decode_seed(path, data)
    digest = sha256_hex(data)
    if known is not None:
        known.remember(path.name, seed_signature(info), digest, _changed_ns(info))
    return digest, len(data)


def _changed_ns(info: os.stat_result) -> int:
    return max(info.st_mtime_ns, info.st_ctime_ns)


def _read_manifest(manifest_path: Path) -> dict[str, ManifestEntry] | None:
    """The manifest's entries, None when the folder has none; a manifest that is there but is
    not a plain UTF-8 file is an error, never silently ignored."""
    if not os.path.lexists(manifest_path):
        return None
    try:
        data = read_regular(manifest_path)
    except UnsafeFileError as exc:
        raise SeedError(
            manifest_path, f"{exc.reason}; the manifest must be a plain CSV file"
        ) from None
    except OSError as exc:
        raise SeedError(manifest_path, f"cannot be read ({exc.strerror})") from None
    try:
        return parse_manifest(data.decode("utf-8"), manifest_path)
    except UnicodeDecodeError:
        raise SeedError(manifest_path, "not valid UTF-8") from None


def each_or_refuse(items: Iterable[_T], make: Callable[[_T], _U]) -> list[_U]:
    """``make`` of every item, in order; the SeedErrors of all items raised together
    (InvalidSeedsError), so a user fixes every seed in one round."""
    made, problems = [], []
    for item in items:
        try:
            made.append(make(item))
        except SeedError as exc:
            problems.append(exc)
    if problems:
        raise InvalidSeedsError(problems)
    return made


def read_seeds(seeds_dir: Path) -> list[SourceDocument]:
    """Read and verify every *.txt under seeds_dir, against manifest.csv when there is one."""
    return each_or_refuse(scan_seeds(seeds_dir), load_source)


def scanned_bytes(entry: SeedEntry) -> bytes:
    """A scanned seed's bytes, read again (as the scan read them); a file changed since the
    scan is refused (SeedError)."""
    return bytes_as_scanned(entry.path, entry.sha256)


def bytes_as_scanned(path: Path, sha256: str) -> bytes:
    """The bytes of the seed at ``path``, read again, which the scan found to have ``sha256``;
    a file changed since is refused (SeedError)."""
    data = _read_seed_bytes(path)
    if sha256_hex(data) != sha256:
        raise SeedError(
            path, "changed while the build was reading the seeds; build again once it is written"
        )
    return data


def load_source(entry: SeedEntry) -> SourceDocument:
    """The text of a scanned seed, read again; a file changed since the scan is refused."""
    text = decode_seed(entry.path, scanned_bytes(entry))
    return SourceDocument(entry.document_id, entry.file_name, text, entry.sha256, entry.manifest)


def scan_seeds(seeds_dir: Path, known: KnownHashes | None = None) -> list[SeedEntry]:
    """Verify every *.txt under seeds_dir, against manifest.csv when there is one, keeping no
    text: each file is read whole once (UTF-8, controls, size, sha256, duplicates) and every
    defect of every file is reported together (InvalidSeedsError), before anything is built.

    With ``known`` (keyed by file name), a file whose stat is the one it had when an earlier
    scan read it and found it a plain UTF-8 text is not read again: its sha256 is taken from
    there (:mod:`~dprk_records.pipeline.knownhashes`); every file read is written down."""
    if not seeds_dir.is_dir():
        raise InvalidSeedsError([SeedError(seeds_dir, "seeds folder not found")])
    problems: list[SeedError] = []
    manifest_path = seeds_dir / MANIFEST_NAME
    try:
        manifest = _read_manifest(manifest_path)
    except SeedError as exc:
        raise InvalidSeedsError([exc]) from None

    # names, not paths: a scan of a large archive holds one per file until it ends
    names = sorted(path.name for path in seeds_dir.glob("*.txt"))  # (one folder)
    if not names:
        problems.append(SeedError(seeds_dir, "no *.txt seed documents in the folder"))
    documents: list[SeedEntry] = []
    seen_hashes: dict[str, str] = {}  # sha256 -> file name
    id_pattern = _document_id_pattern()
    for name in names:
        path = seeds_dir / name
        doc_id = name[:-4]  # (the glob found "<stem>.txt")
        # one lstat a seed: what the entry is, and the signature its known hash is filed under
        try:
            info: os.stat_result | None = os.lstat(path)
        except FileNotFoundError:  # (gone since the listing: reading it says so)
            info = None
        except OSError as exc:
            problems.append(SeedError(path, f"it cannot be examined ({exc.strerror}); {_PLAIN}"))
            continue
        kind = None if info is None else special_kind(info.st_mode)
        if kind is not None:
            problems.append(SeedError(path, f"{not_regular(kind)}; {_PLAIN}"))
            continue
        if not id_pattern.fullmatch(doc_id):
            problems.append(
                SeedError(
                    path,
                    f"the file name {doc_id!r} is not a document id (lowercase letters, digits, "
                    "'_', '.' and '-', starting with a letter or digit); rename the file",
                )
            )
            continue
        try:
            digest, size = _seed_digest(path, known, info)
        except SeedError as exc:
            problems.append(exc)
            continue
        if digest in seen_hashes:
            problems.append(
                SeedError(path, f"identical content to {seen_hashes[digest]} (a duplicate)")
            )
            continue
        seen_hashes[digest] = name
        entry = None
        if manifest is not None:
            entry = manifest.get(doc_id)
            if entry is None:
                problems.append(SeedError(path, f"no row for {doc_id!r} in {manifest_path}"))
                continue
            if entry.sha256 != digest:
                problems.append(
                    SeedError(
                        path,
                        f"sha256 {digest} does not match the manifest's {entry.sha256}; "
                        "seeds are never edited -- restore the file or add it as a new document",
                    )
                )
                continue
            # (one string each for both: a build holds an entry per document)
            digest, doc_id = entry.sha256, entry.document_id
        documents.append(SeedEntry(doc_id, seeds_dir, digest, size, entry))

    if manifest is not None:
        on_disk = {name[:-4] for name in names}
        for doc_id in sorted(set(manifest) - on_disk):
            problems.append(
                SeedError(manifest_path, f"row {doc_id!r} has no file {doc_id}.txt in {seeds_dir}")
            )
    if problems:
        raise InvalidSeedsError(problems)
    return documents
