"""The whole build as one function: seeds folder in, package files out.

``assemble`` is pure over documents (it returns the bytes of every file); ``build`` adds the two
I/O edges, reading seeds and writing the package atomically.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprk_records.errors import SeedError
from dprk_records.pipeline.csvformat import render_csv
from dprk_records.pipeline.descriptor import build_descriptor, sha256_hex
from dprk_records.pipeline.document import Document, prepare
from dprk_records.pipeline.manifest import MANIFEST_NAME
from dprk_records.pipeline.read import InvalidSeedsError, SourceDocument, read_seeds
from dprk_records.pipeline.rows import check_rows_match_schemas
from dprk_records.pipeline.tables import build_tables
from dprk_records.pipeline.write import write_package
from dprk_records.schemas import field_names, package_meta, render_json


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the folder and the row count of each table."""

    out_dir: Path
    row_counts: dict[str, int]
    documents: int


def prepare_all(sources: Sequence[SourceDocument]) -> list[Document]:
    """Normalize every source; all metadata conflicts are reported together."""
    documents, problems = [], []
    for source in sources:
        try:
            documents.append(prepare(source))
        except SeedError as exc:
            problems.append(exc)
    if problems:
        raise InvalidSeedsError(problems)
    return documents


def assemble(
    documents: Sequence[Document],
    manifest_sha256: str | None,
    environ: Mapping[str, str] | None = None,
) -> tuple[dict[str, bytes], dict[str, list[Any]]]:
    """Every file of the package (relative path -> bytes) and the typed tables behind them."""
    check_rows_match_schemas()
    meta = package_meta()
    tables = build_tables(documents)
    files: dict[str, bytes] = {}
    for name in meta.tables:
        files[f"data/{name}.csv"] = render_csv(field_names(name), tables[name]).encode("utf-8")
    for document in documents:
        files[f"sources/{document.source.file_name}"] = document.text.encode("utf-8")
    table_files = {name: files[f"data/{name}.csv"] for name in meta.tables}
    descriptor = build_descriptor(meta, documents, table_files, manifest_sha256, environ)
    files["datapackage.json"] = render_json(descriptor).encode("utf-8")
    return files, tables


def build(seeds_dir: Path, out_dir: Path, environ: Mapping[str, str] | None = None) -> BuildResult:
    """Read seeds, build every table and write the package atomically."""
    sources = read_seeds(seeds_dir)
    documents = prepare_all(sources)
    manifest = seeds_dir / MANIFEST_NAME
    manifest_sha = sha256_hex(manifest.read_bytes()) if manifest.is_file() else None
    files, tables = assemble(documents, manifest_sha, os.environ if environ is None else environ)
    written = write_package(files, out_dir)
    return BuildResult(written, {name: len(rows) for name, rows in tables.items()}, len(documents))
