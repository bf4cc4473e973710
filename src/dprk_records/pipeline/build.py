"""The whole build as one function: seeds folder in, package files out.

``assemble`` is pure over documents (it returns the bytes of every file); ``build`` adds the two
I/O edges, reading seeds and writing the package atomically, and runs the per-document stages
(normalize, extract, text rows) on a process pool when the corpus is large enough to pay
(:mod:`dprk_records.pipeline.analyse`); resolve and everything after it stay in one process.

A build reuses the per-document analyses of earlier builds from a cache folder
(:mod:`dprk_records.pipeline.cache`), so adding a few texts to a large corpus re-analyses only
those; the cache's keys make the package the same bytes with or without it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprk_records.base.fileguard import read_regular
from dprk_records.base.hashing import sha256_hex
from dprk_records.base.progress import ProgressFactory, no_progress
from dprk_records.errors import SeedError
from dprk_records.pipeline.analyse import (
    AnalysedDocument,
    analyse_all,
    analyse_prepared,
    fewer_collections,
)
from dprk_records.pipeline.cache import (
    AnalysisCache,
    build_salt,
    check_cache_location,
    code_fingerprint,
    default_cache_dir,
)
from dprk_records.pipeline.csvformat import render_csv
from dprk_records.pipeline.describe import build_descriptor
from dprk_records.pipeline.manifest import MANIFEST_NAME
from dprk_records.pipeline.prepare import Document, prepare
from dprk_records.pipeline.read import InvalidSeedsError, SourceDocument, read_seeds
from dprk_records.pipeline.rows import check_rows_match_schemas
from dprk_records.pipeline.tables import combine_tables
from dprk_records.pipeline.write import prepare_target, write_package
from dprk_records.schemas import field_names, package_meta, render_json


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the folder and the row count of each table; of its ``documents``,
    how many were ``analysed`` (the rest came from the analysis cache)."""

    out_dir: Path
    row_counts: dict[str, int]
    documents: int
    analysed: int


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
    analysed = [analyse_prepared(document) for document in documents]
    return package_files(analysed, manifest_sha256, environ)


def package_files(
    analysed: Sequence[AnalysedDocument],
    manifest_sha256: str | None,
    environ: Mapping[str, str] | None = None,
    advance: Callable[[int, str], None] | None = None,
) -> tuple[dict[str, bytes], dict[str, list[Any]]]:
    """Resolve the analysed documents into tables and render every file of the package.

    ``advance(1, what)`` is called after each of the :func:`package_steps` steps.
    """
    step = advance or (lambda count, what: None)
    check_rows_match_schemas()
    meta = package_meta()
    summaries = [a.summary for a in analysed]
    facts = [a.facts for a in analysed]
    tables = combine_tables((a.rows for a in analysed), summaries, facts)
    step(1, "resolved")
    files: dict[str, bytes] = {}
    for name in meta.tables:
        files[f"data/{name}.csv"] = render_csv(field_names(name), tables[name]).encode("utf-8")
        step(1, name)
    for summary in summaries:
        files[f"sources/{summary.source.file_name}"] = summary.text.encode("utf-8")
    table_files = {name: files[f"data/{name}.csv"] for name in meta.tables}
    descriptor = build_descriptor(meta, summaries, table_files, manifest_sha256, environ)
    files["datapackage.json"] = render_json(descriptor).encode("utf-8")
    step(1, "datapackage.json")
    return files, tables


def package_steps() -> int:
    """How many steps :func:`package_files` reports, and one more for writing the folder."""
    return len(package_meta().tables) + 3


def open_cache(cache: Path | bool, seeds_dir: Path, out_dir: Path) -> AnalysisCache | None:
    """The analysis cache a build uses: None for ``cache=False``; for True the default folder
    (:func:`~dprk_records.pipeline.cache.default_cache_dir`), else the folder given. A folder
    inside ``out_dir`` or ``seeds_dir`` is refused (CacheLocationError)."""
    if cache is False:
        return None
    root = default_cache_dir() if cache is True else Path(cache)
    check_cache_location(root, out_dir, seeds_dir)
    return AnalysisCache(root, build_salt(code_fingerprint(), package_meta().schema_version))


def build(
    seeds_dir: Path,
    out_dir: Path,
    environ: Mapping[str, str] | None = None,
    *,
    workers: int | None = None,
    progress: ProgressFactory | None = None,
    cache: Path | bool = True,
) -> BuildResult:
    """Read seeds, build every table and write the package atomically.

    ``workers`` processes analyse the documents (default: every core when enough documents are
    analysed to pay for starting them, else 1); the result does not depend on it. ``progress``
    makes the bars of the two long stages (default: none). ``cache`` is the analysis cache
    folder (True: the default one, see :func:`open_cache`; False: none); the result does not
    depend on it either.
    """
    bars = progress or no_progress
    analysis_cache = open_cache(cache, seeds_dir, out_dir)
    prepare_target(out_dir)
    sources = read_seeds(seeds_dir)
    manifest = seeds_dir / MANIFEST_NAME
    manifest_sha = sha256_hex(read_regular(manifest)) if manifest.is_file() else None
    env = os.environ if environ is None else environ
    if analysis_cache is not None:
        analysis_cache.open()
    with fewer_collections():
        with bars("documents", len(sources)) as bar:
            analysed = analyse_all(sources, workers, bar.advance, analysis_cache)
        with bars("package", package_steps()) as bar:
            files, tables = package_files(analysed, manifest_sha, env, bar.advance)
            written = write_package(files, out_dir)
            bar.advance(1, "written")
    counts = {name: len(rows) for name, rows in tables.items()}
    fresh = len(analysed) if analysis_cache is None else analysis_cache.misses
    return BuildResult(written, counts, len(analysed), fresh)
