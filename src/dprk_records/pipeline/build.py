"""The whole build as one function: seeds folder in, package folder out.

``build`` scans the seeds (every defect of every file reported together, before anything is
built), then streams the documents, in document-id order, through the per-document stages
(normalize, extract, text rows: :mod:`dprk_records.pipeline.analyse`, on a process pool when
the corpus is large enough to pay) into :func:`~dprk_records.pipeline.assemble.assemble_package`,
which resolves them and writes the package file by file into a staging folder that replaces
the old package only once it is whole (:func:`~dprk_records.pipeline.write.package_staging`).
No stage holds the corpus: memory grows with the number of distinct persons, units and events,
not with the documents' text.

A build reuses the per-document analyses of earlier builds from a cache folder
(:mod:`dprk_records.pipeline.cache`), so adding a few texts to a large corpus re-analyses only
those; the cache's keys make the package the same bytes with or without it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprk_records.base.fileguard import read_regular
from dprk_records.base.hashing import sha256_hex
from dprk_records.base.progress import ProgressFactory
from dprk_records.pipeline.analyse import AnalysedDocument, analyse_document, analyse_stream
from dprk_records.pipeline.assemble import Assembled, assemble_package
from dprk_records.pipeline.cache import (
    AnalysisCache,
    build_salt,
    check_cache_location,
    code_fingerprint,
    default_cache_dir,
)
from dprk_records.pipeline.formats import DEFAULT_FORMATS, check_formats
from dprk_records.pipeline.journal import (
    Journal,
    JournalMismatch,
    JournalUse,
    JournalWriter,
    forget,
)
from dprk_records.pipeline.knownhashes import KnownHashes
from dprk_records.pipeline.manifest import MANIFEST_NAME
from dprk_records.pipeline.pool import fewer_collections
from dprk_records.pipeline.prepare import Document, prepare
from dprk_records.pipeline.read import (
    SeedEntry,
    SourceDocument,
    each_or_refuse,
    read_seeds,
    scan_seeds,
)
from dprk_records.pipeline.seedlist import SeedList
from dprk_records.pipeline.tables import combine_tables
from dprk_records.pipeline.write import package_staging, prepare_target
from dprk_records.schemas import package_meta

__all__ = ["BuildResult", "build", "prepare_all", "read_seeds", "tables_of"]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the folder and the row count of each table; of its ``documents``,
    how many were ``analysed`` (the rest came from the analysis cache) and how many had their
    fact rows ``resolved`` again (the rest were kept from an earlier build, still holding), and
    how many were ``journaled``: taken from the journal of the package replaced
    (:mod:`~dprk_records.pipeline.journal`) rather than from their cache entries."""

    out_dir: Path
    row_counts: dict[str, int]
    documents: int
    analysed: int
    resolved: int
    journaled: int = 0


def prepare_all(sources: Sequence[SourceDocument]) -> list[Document]:
    """Normalize every source; all metadata conflicts are reported together."""
    return each_or_refuse(sources, prepare)


def tables_of(documents: Sequence[Document]) -> dict[str, list[Any]]:
    """Every table of a few prepared documents as typed rows in primary-key order, all in
    memory: what the evaluator and the tests read. A build writes the same rows through
    :func:`~dprk_records.pipeline.assemble.assemble_package` without holding them."""
    analysed = [analyse_document(document) for document in documents]
    return combine_tables((rows for rows, _ in analysed), documents, [f for _, f in analysed])


def open_cache(cache: Path | bool, seeds_dir: Path, out_dir: Path) -> AnalysisCache | None:
    """The analysis cache a build uses: None for ``cache=False``; for True the default folder
    (:func:`~dprk_records.pipeline.cache.default_cache_dir`), else the folder given. A folder
    inside ``out_dir`` or ``seeds_dir`` is refused (CacheLocationError)."""
    if cache is False:
        return None
    root = default_cache_dir() if cache is True else Path(cache)
    check_cache_location(root, out_dir, seeds_dir)
    return AnalysisCache(root, build_salt(code_fingerprint(), package_meta().schema_version))


def _scan(seeds_dir: Path, cache: AnalysisCache | None) -> list[SeedEntry]:
    """:func:`scan_seeds`, taking the hashes of the seeds an earlier build read from the
    cache's list for the folder and writing down those of this scan (a scan that finds
    problems writes down the files it could read: they are no less known)."""
    if cache is None:
        return scan_seeds(seeds_dir)
    with cache.known_hashes(seeds_dir, "seeds") as known:
        try:
            return scan_seeds(seeds_dir, known)
        finally:
            known.commit()


def _known_texts(cache: AnalysisCache | None, out_dir: Path) -> KnownHashes:
    """The list of known hashes of the package's texts (kept: see pipeline/sources.py)."""
    return KnownHashes(None) if cache is None else cache.known_hashes(out_dir, "texts")


def build(
    seeds_dir: Path,
    out_dir: Path,
    environ: Mapping[str, str] | None = None,
    *,
    workers: int | None = None,
    progress: ProgressFactory | None = None,
    cache: Path | bool = True,
    formats: Sequence[str] = DEFAULT_FORMATS,
    journal: bool = True,
) -> BuildResult:
    """Read seeds, build every table and write the package atomically.

    ``workers`` processes analyse the documents (default: every core when enough documents are
    analysed to pay for starting them, else 1); the result does not depend on it. ``progress``
    makes the bars of the two long stages (default: none). ``cache`` is the analysis cache
    folder (True: the default one, see :func:`open_cache`; False: none); the result does not
    depend on it either. ``formats`` are the table formats to write: csv always, and parquet
    for a Parquet copy of each table (needs pyarrow, checked before anything is read or
    written; see :mod:`dprk_records.pipeline.formats`). With the cache, the build takes the
    unchanged documents from the journal of the package it replaces and writes one for the next
    build (:mod:`~dprk_records.pipeline.journal`); ``journal=False`` does neither, for a package
    in a temporary folder no build will replace (its journal would only take room).
    """
    formats = check_formats(formats)
    analysis_cache = open_cache(cache, seeds_dir, out_dir)
    prepare_target(out_dir)
    if analysis_cache is not None:
        analysis_cache.open()
    # (kept on disk: one entry is all a build needs at a time, see pipeline/seedlist.py)
    with (
        SeedList(
            _scan(seeds_dir, analysis_cache),
            analysis_cache.key_of if analysis_cache is not None else None,
        ) as entries,
        _known_texts(analysis_cache, out_dir) as known_texts,
    ):
        manifest = seeds_dir / MANIFEST_NAME
        manifest_sha = sha256_hex(read_regular(manifest)) if manifest.is_file() else None
        env = os.environ if environ is None else environ

        def analyse(
            some: Sequence[SeedEntry], advance: Callable[[int], None]
        ) -> Iterator[AnalysedDocument]:
            return analyse_stream(some, workers, advance, analysis_cache)

        def assemble(use_journal: bool, known: KnownHashes) -> tuple[Assembled, JournalUse | None]:
            journals = None
            try:
                with fewer_collections(), package_staging(out_dir) as staging:
                    rows_cache = analysis_cache.rows_cache() if analysis_cache else None
                    if journal:
                        journals = _journal_use(analysis_cache, out_dir, use_journal)
                    assembled = assemble_package(
                        entries,
                        analyse,
                        staging,
                        manifest_sha,
                        env,
                        progress,
                        formats,
                        workers,
                        rows_cache,
                        previous=out_dir,
                        known_texts=known,
                        journal=journals,
                    )
                    if journals is not None:
                        journals.done_reading()  # (before the old package goes)
            except BaseException:
                if journals is not None:
                    journals.abandon()
                raise
            return assembled, journals

        try:
            assembled, journals = assemble(True, known_texts)
        except JournalMismatch:  # (the staging folder is gone, the old package as it was)
            assembled, journals = assemble(False, KnownHashes(None))
        else:
            known_texts.commit()  # (the package it describes is in place)
        if journals is not None:
            journals.commit()  # (the package it describes is in place)
    fresh = len(entries) if analysis_cache is None else analysis_cache.misses
    return BuildResult(
        out_dir.absolute(),
        assembled.row_counts,
        len(entries),
        fresh,
        assembled.resolved,
        assembled.journaled,
    )


def _journal_use(cache: AnalysisCache | None, out_dir: Path, read: bool) -> JournalUse | None:
    """The journals of a build with ``cache``: the old package's read when ``read`` (and
    forgotten otherwise: a build that found it wrong does not try it again), the new one's
    written; None without a usable cache."""
    folder = None if cache is None else cache.journal_folder(out_dir)
    if cache is None or folder is None:
        return None
    if not read:
        forget(folder)
    reader = Journal.open(folder, cache.salt, out_dir) if read else None
    try:
        writer = JournalWriter(folder, cache.salt, cache.warning)
    except OSError:  # (a cache folder made read-only on purpose: no journal, no warning)
        writer = None
    return JournalUse(reader, writer, cache)
