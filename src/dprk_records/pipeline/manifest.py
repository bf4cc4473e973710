"""The seeds manifest (seeds/manifest.csv): what the text itself cannot say about a document."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dprk_records.errors import SeedError
from dprk_records.schemas import field_enum

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = (
    "document_id",
    "title",
    "publisher",
    "kind",
    "published",
    "date_basis",
    "url",
    "sha256",
)
# the schema's enum, read once here: cheap (one small JSON file), and stdlib-only, as cli.py
# imports this name at start-up to offer `add --kind` choices
DOCUMENT_KINDS = field_enum("documents", "document_kind")
MANIFEST_DATE_BASES = ("manifest", "dateline+manifest")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
WEB_SCHEMES = ("http", "https")


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a web address a page may link to, or None when it is one.

    A document's url ends up as a link in the evidence viewer, so only http(s) with a host
    passes: ``javascript:``, ``data:`` and the like would run or show content in the reader's
    browser. Spaces and control characters are refused outright because browsers drop tabs and
    newlines inside a URL (``java<TAB>script:`` runs as ``javascript:``), so a check on the text as
    written would not be a check on what the browser follows.
    """
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        return "it contains spaces or control characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        return f"it is not a well-formed URL ({exc})"
    if not parts.scheme:
        return "it has no scheme; write the full address, starting with https:// or http://"
    if parts.scheme.lower() not in WEB_SCHEMES:
        return f"its scheme {parts.scheme + ':'!r} is not http: or https:"
    if not host:
        return "it has no host (expected https://HOST/...)"
    return None


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One manifest row; empty cells are None."""

    document_id: str
    title: str | None
    publisher: str | None
    kind: str | None
    published: dt.date | None
    date_basis: str | None
    url: str | None
    sha256: str


def _interned(cell: str | None) -> str | None:
    return None if cell is None else sys.intern(cell)


def parse_manifest(text: str, path: Path | str = MANIFEST_NAME) -> dict[str, ManifestEntry]:
    """Parse manifest text into entries by document id; any defect raises SeedError naming the row.

    Blank lines are skipped and not counted (the row numbers are those of the rows read).
    Every build reads the whole manifest, so a row costs as little as it can: plain lists of
    cells, no dict a row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if tuple(header or ()) != MANIFEST_COLUMNS:
        raise SeedError(path, f"header must be {','.join(MANIFEST_COLUMNS)} (found {header})")
    width = len(MANIFEST_COLUMNS)
    entries: dict[str, ManifestEntry] = {}
    for line_no, row in enumerate(filter(None, reader), start=2):
        if len(row) != width:
            raise SeedError(path, f"row {line_no}: expected {width} cells")
        doc_cell, title, publisher, kind, published_cell, basis, url, sha_cell = (
            cell.strip() or None for cell in row
        )
        doc_id, sha = doc_cell or "", sha_cell or ""
        problem = _row_problem(doc_id, kind, published_cell, basis, url, sha, entries)
        if problem is not None:
            raise SeedError(path, f"row {line_no}: {problem}")
        entries[doc_id] = ManifestEntry(
            document_id=doc_id,
            title=title,
            # (the cells most rows repeat, as one string each: a build holds every entry)
            publisher=_interned(publisher),
            kind=_interned(kind),
            published=dt.date.fromisoformat(published_cell) if published_cell else None,
            date_basis=_interned(basis),
            url=url,
            sha256=sha,
        )
    return entries


def _row_problem(
    doc_id: str,
    kind: str | None,
    published: str | None,
    basis: str | None,
    url: str | None,
    sha: str,
    entries: dict[str, ManifestEntry],
) -> str | None:
    """What is wrong with one manifest row's cells (None: nothing), the first problem found."""
    if not _DOCUMENT_ID.match(doc_id):
        return f"document_id {doc_id!r} is not a lowercase file stem"
    if doc_id in entries:
        return f"document_id {doc_id!r} appears twice"
    if not _SHA256.match(sha):
        return f"sha256 {sha!r} is not 64 lowercase hex digits"
    if kind is not None and kind not in DOCUMENT_KINDS:
        return f"kind {kind!r} is not one of {DOCUMENT_KINDS}"
    if basis is not None and basis not in MANIFEST_DATE_BASES:
        return f"date_basis {basis!r} is not one of {MANIFEST_DATE_BASES}"
    if published is not None:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            return f"published {published!r} is not a YYYY-MM-DD date"
    if (published is None) != (basis is None):
        return "published and date_basis must be given together"
    if url is not None:
        problem = url_problem(url)
        if problem is not None:
            return (
                f"url {url!r} is not a web address ({problem}); give the http(s) address of "
                "the original, or leave the cell empty"
            )
    return None


def manifest_cells(entry: ManifestEntry) -> list[str]:
    """One manifest row as CSV cells, in MANIFEST_COLUMNS order ("" for empty)."""
    return [
        entry.document_id,
        entry.title or "",
        entry.publisher or "",
        entry.kind or "",
        entry.published.isoformat() if entry.published else "",
        entry.date_basis or "",
        entry.url or "",
        entry.sha256,
    ]


def render_manifest(entries: dict[str, ManifestEntry]) -> str:
    """Manifest text for entries, sorted by document id (the inverse of parse_manifest)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for doc_id in sorted(entries):
        writer.writerow(manifest_cells(entries[doc_id]))
    return out.getvalue()
