"""Read stage: a seeds folder -> verified source documents. The only place seeds are opened.

Every defect of the input is collected and reported together, each naming the file and the reason,
before anything is built, so a bad seed can never leave a half-written package behind.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dprk_records.errors import DprkRecordsError, SeedError
from dprk_records.pipeline.manifest import MANIFEST_NAME, ManifestEntry, parse_manifest

MAX_SEED_BYTES = 2 * 1024 * 1024
"""A KCNA item is a few kilobytes; anything past 2 MiB is not a single text and is refused."""

_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\ufeff"}


@dataclass(frozen=True)
class SourceDocument:
    """A verified seed: its verbatim text and what the manifest says of it (if there is one)."""

    document_id: str
    file_name: str
    text: str
    sha256: str
    manifest: ManifestEntry | None


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
    controls = sorted({ch for ch in text if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS})
    if controls:
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in controls)
        raise SeedError(path, f"the file is binary or corrupted (control characters {codes})")
    return text


def read_seeds(seeds_dir: Path) -> list[SourceDocument]:
    """Read and verify every *.txt under seeds_dir, against manifest.csv when there is one."""
    if not seeds_dir.is_dir():
        raise InvalidSeedsError([SeedError(seeds_dir, "seeds folder not found")])
    problems: list[SeedError] = []
    manifest: dict[str, ManifestEntry] | None = None
    manifest_path = seeds_dir / MANIFEST_NAME
    if manifest_path.is_file():
        try:
            manifest = parse_manifest(manifest_path.read_text(encoding="utf-8"), manifest_path)
        except SeedError as exc:
            raise InvalidSeedsError([exc]) from None
        except UnicodeDecodeError:
            raise InvalidSeedsError([SeedError(manifest_path, "not valid UTF-8")]) from None

    paths = sorted(seeds_dir.glob("*.txt"))
    if not paths:
        problems.append(SeedError(seeds_dir, "no *.txt seed documents in the folder"))
    documents: list[SourceDocument] = []
    seen_hashes: dict[str, Path] = {}
    for path in paths:
        doc_id = path.stem
        size = path.stat().st_size
        if size > MAX_SEED_BYTES:
            problems.append(
                SeedError(
                    path,
                    f"the file is {size:,} bytes, over the {MAX_SEED_BYTES:,}-byte limit "
                    "for one text; split it into its articles",
                )
            )
            continue
        data = path.read_bytes()
        try:
            text = decode_seed(path, data)
        except SeedError as exc:
            problems.append(exc)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen_hashes:
            problems.append(
                SeedError(path, f"identical content to {seen_hashes[digest].name} (a duplicate)")
            )
            continue
        seen_hashes[digest] = path
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
        documents.append(SourceDocument(doc_id, path.name, text, digest, entry))

    if manifest is not None:
        on_disk = {path.stem for path in paths}
        for doc_id in sorted(set(manifest) - on_disk):
            problems.append(
                SeedError(manifest_path, f"row {doc_id!r} has no file {doc_id}.txt in {seeds_dir}")
            )
    if problems:
        raise InvalidSeedsError(problems)
    return documents
