"""A text about to become a seed: read and checked, with its id and its manifest row.

Nothing here writes: :func:`prepare_candidate` reads the text and the seeds folder and returns
what ``add`` will write (the seed's bytes, its id, the manifest with the new row appended), or
raises :class:`AddError` saying why the text cannot be added.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dprk_records.add.ids import id_number, new_document_id
from dprk_records.base.fileguard import read_regular
from dprk_records.base.hashing import sha256_hex
from dprk_records.errors import DprkRecordsError, SeedError
from dprk_records.pipeline.manifest import (
    DOCUMENT_KINDS,
    MANIFEST_NAME,
    ManifestEntry,
    manifest_cells,
    parse_manifest,
    url_problem,
)
from dprk_records.pipeline.prepare import prepare
from dprk_records.pipeline.read import SourceDocument, read_seed_file


class AddError(DprkRecordsError):
    """The text was not added (nothing in the checkout was changed); the message says why."""


@dataclass(frozen=True)
class Metadata:
    """What the maintainer states about the text; None means "take it from the text"."""

    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        """Refuse a url the manifest would refuse, here, before `add` writes anything: the
        manifest's parser would otherwise only find it after the seed and its row were written.
        """
        if self.url:
            problem = url_problem(self.url)
            if problem is not None:
                raise AddError(
                    f"--url {self.url!r} is not a web address ({problem}); give the http(s) "
                    "address of the original text, or leave --url out; nothing was added"
                )


@dataclass(frozen=True)
class Candidate:
    """The new seed: its id, bytes and manifest row, and the whole new manifest."""

    document_id: str
    data: bytes
    entry: ManifestEntry
    manifest: bytes

    @property
    def file_name(self) -> str:
        """The seed's file name: a build takes a document's id from its file's stem, so the two
        cannot disagree."""
        return f"{self.document_id}.txt"


def read_text_file(path: Path) -> tuple[bytes, str]:
    """The bytes and text of a candidate seed, refusing what a build would refuse."""
    try:
        return read_seed_file(path)
    except SeedError as exc:
        raise AddError(f"{exc}; nothing was added") from None


def _comparable(text: str) -> str:
    """The text with line endings, a BOM and trailing spaces folded, to spot re-saved copies."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def refuse_duplicates(
    data: bytes, text: str, seeds: Path, entries: Mapping[str, ManifestEntry]
) -> None:
    """Raise AddError when the text is already a seed (byte for byte or up to whitespace)."""
    digest = sha256_hex(data)
    for doc_id, entry in sorted(entries.items()):
        if entry.sha256 == digest:
            raise AddError(
                f"this text is already in the dataset as {doc_id} (the manifest row of {doc_id} "
                f"has the same sha256 {digest}); nothing was added"
            )
    wanted = _comparable(text)
    for seed in sorted(seeds.glob("*.txt")):
        other = read_regular(seed)
        if sha256_hex(other) == digest:
            raise AddError(f"this text is already in the dataset as {seed}; nothing was added")
        try:
            same = _comparable(other.decode("utf-8")) == wanted
        except UnicodeDecodeError:
            continue
        if same:
            raise AddError(
                f"this text is {seed} again, differing only in line endings or trailing spaces; "
                "nothing was added"
            )


def id_taken_by(doc_id: str, existing: set[str]) -> str | None:
    """An existing id with the same number or the same hash suffix as ``doc_id``, if any."""
    number, suffix = id_number(doc_id), doc_id.partition("_")[2]
    for other in sorted(existing):
        if other == doc_id or (number is not None and id_number(other) == number):
            return other
        if suffix and other.partition("_")[2] == suffix:
            return other
    return None


def manifest_entry(doc_id: str, data: bytes, text: str, meta: Metadata) -> ManifestEntry:
    """The new manifest row: what the maintainer said, else what the text says of itself."""
    if meta.kind is not None and meta.kind not in DOCUMENT_KINDS:
        raise AddError(f"kind {meta.kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
    derived = prepare(SourceDocument(doc_id, f"{doc_id}.txt", text, sha256_hex(data), None))
    basis = None
    if meta.published is not None:
        basis = "dateline+manifest" if derived.dateline is not None else "manifest"
    return ManifestEntry(
        document_id=doc_id,
        title=meta.title or (derived.title if derived.title != doc_id else None),
        publisher=meta.publisher or derived.publisher,
        kind=meta.kind or derived.kind,
        published=meta.published,
        date_basis=basis,
        url=meta.url,
        sha256=sha256_hex(data),
    )


def manifest_row(entry: ManifestEntry) -> bytes:
    """One manifest line in the manifest's CSV dialect."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(manifest_cells(entry))
    return out.getvalue().encode("utf-8")


def appended(data: bytes, line: bytes) -> bytes:
    """``data`` with ``line`` appended on a line of its own (the old bytes are kept as they are)."""
    return data + (b"" if not data or data.endswith(b"\n") else b"\n") + line


def load_manifest(seeds: Path) -> tuple[bytes, dict[str, ManifestEntry]]:
    """The manifest's bytes and rows; AddError when there is none (every seed needs a row)."""
    path = seeds / MANIFEST_NAME
    if not path.is_file():
        raise AddError(f"{path} not found: `add` records every new text in the seeds manifest")
    data = read_regular(path)
    try:
        return data, parse_manifest(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        raise AddError(f"{path}: not valid UTF-8") from None


def prepare_candidate(seeds: Path, seed_file: Path, meta: Metadata) -> Candidate:
    """Read ``seed_file``, refuse a duplicate, give it its id and its manifest row."""
    data, text = read_text_file(seed_file)
    manifest, entries = load_manifest(seeds)
    refuse_duplicates(data, text, seeds, entries)
    existing = {p.stem for p in seeds.glob("*.txt")} | set(entries)
    doc_id = new_document_id(existing, sha256_hex(data))
    taken = id_taken_by(doc_id, existing)
    if taken is not None:
        raise AddError(
            f"the new text's id {doc_id} clashes with the existing document {taken} (same "
            "number or same sha256 prefix); nothing was added"
        )
    entry = manifest_entry(doc_id, data, text, meta)
    return Candidate(doc_id, data, entry, appended(manifest, manifest_row(entry)))
