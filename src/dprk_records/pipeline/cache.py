"""A cache of per-document analyses, so a build re-analyses only the documents that changed.

Analysing a document (normalize, extract, text rows: :mod:`dprk_records.pipeline.analyse`) is a
pure function of its source -- its bytes, its file name and its manifest row -- and of the code
and schemas that analyse it. An entry is therefore keyed by all of those
(:func:`document_key`): the document's sha256, id, file name and every manifest cell; a
fingerprint of the code (:func:`code_fingerprint`: the bytes of every file under pipeline/ and
base/, schemas.py, errors.py, __about__.py and the schema registry); the schema version; the
Python version and its Unicode database (regular expressions and normalization follow them); and
:data:`CACHE_FORMAT`. Any change to any of them is a different key, so an entry can only ever be
used for exactly the analysis it stores: a warm build is byte-identical to a cold one.

Layout: ``ROOT/ab/abcdef....pickle``, one file per key, in subfolders by the key's first two
hex digits; the rows of resolve's pass two, kept the same way, in ``ROOT/rows/``; the lists of
files already hashed (:mod:`~dprk_records.pipeline.knownhashes`) in ``ROOT/known/``; the
journal of each package folder built (:mod:`~dprk_records.pipeline.journal`) in
``ROOT/journal/``. A file holds
:data:`_MAGIC`, the sha256 of its payload and the payload (a pickle of the key and the value),
so a truncated or damaged file is detected before it is unpickled.

Pickle runs code when loaded, so it is only read from the user's own folder: ROOT is created
0700, and a ROOT owned by someone else or writable by group or others is not used (one warning).
Anything wrong with an entry -- unreadable, truncated, corrupted, written by another Python whose
pickle cannot be read, holding another key -- is a miss: the document is analysed again and the
entry rewritten. A write that fails (read-only folder, full disk) turns writing off for the rest
of the build with one warning line; the build itself never fails because of the cache.

Entries are never removed: an old version of a document, or of the code, may come back. To clear
the cache, delete its folder (:func:`default_cache_dir` says where it is; README, "Incremental
builds").

Writing uses :func:`~dprk_records.base.atomic.write_file`, so a reader never sees half an entry,
without its fsyncs (``durable=False``): they cost some 6 ms per entry on a disk, a tenth of a
cold build, and an entry a power cut tears is caught by its digest and analysed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import stat
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dprk_records.base.atomic import write_file
from dprk_records.base.fileguard import read_regular
from dprk_records.base.paths import schemas_dir
from dprk_records.errors import BuildError, DprkRecordsError
from dprk_records.pipeline.knownhashes import KnownHashes
from dprk_records.pipeline.manifest import manifest_cells
from dprk_records.pipeline.read import SeedEntry, SourceDocument

CACHE_ENV = "DPRK_RECORDS_BUILD_CACHE"
"""Moves the analysis cache (distinct from the loader's ``DPRK_RECORDS_CACHE``)."""

CACHE_FORMAT = 1
"""Part of every key: bump it when the layout of an entry changes."""

ROWS_FOLDER = "rows"
"""The subfolder of resolve's pass-two rows (:meth:`AnalysisCache.rows_cache`)."""

KNOWN_FOLDER = "known"
"""The subfolder of the lists of known hashes (:meth:`AnalysisCache.known_hashes`)."""

JOURNAL_FOLDER = "journal"
"""The subfolder of the build journals (:meth:`AnalysisCache.journal_folder`)."""

_MAGIC = b"dprk-records analysis cache\n"
_DIGEST_BYTES = 32
_MAX_ENTRY_BYTES = 256 * 1024 * 1024
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_CODE_FOLDERS = ("pipeline", "base")
_CODE_FILES = ("schemas.py", "errors.py", "__about__.py")


class CacheLocationError(BuildError):
    """The analysis cache folder asked for lies where a build must not write it."""


def default_cache_dir() -> Path:
    """``$DPRK_RECORDS_BUILD_CACHE``, else ``analysis`` in the user cache folder of dprk-records."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # lazy: only needed when no folder was given

    return platformdirs.user_cache_path("dprk-records", appauthor=False) / "analysis"


def check_cache_location(cache_dir: Path, out_dir: Path, seeds_dir: Path) -> None:
    """Refuse a cache folder inside the package folder (it would be shipped, or make the build
    refuse its own output) or inside the seeds folder (it is input, never written)."""
    cache = cache_dir.resolve()
    for folder, what, option in ((out_dir, "package", "--out"), (seeds_dir, "seeds", "--seeds")):
        if cache.is_relative_to(folder.resolve()):
            raise CacheLocationError(
                f"{cache_dir}: the analysis cache cannot be inside the {what} folder "
                f"{folder} ({option}); choose another with --cache DIR or ${CACHE_ENV}, "
                "or build with --no-cache"
            )


def _code_files() -> list[tuple[str, Path]]:
    """(name, path) of every file the fingerprint covers. Byte-code caches and hidden files
    (editors' swap files, atomic writes in progress) are left out: they are not the code."""
    found = [(name, _PACKAGE_DIR / name) for name in _CODE_FILES]
    for folder in _CODE_FOLDERS:
        for path in (_PACKAGE_DIR / folder).rglob("*"):
            relative = path.relative_to(_PACKAGE_DIR)
            hidden = any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
            if not hidden and path.is_file():
                found.append((relative.as_posix(), path))
    schemas = schemas_dir()
    found.append(("schemas/package.json", schemas / "package.json"))
    for path in (schemas / "tables").glob("*.json"):
        found.append((f"schemas/tables/{path.name}", path))
    return sorted(found)


def code_fingerprint() -> str:
    """sha256 over the code and schemas an analysis depends on (some 0.5 MB, a few ms).

    The package version is not bumped on every change of a rule, so the bytes themselves are
    hashed: any edit of a module or a Table Schema makes every key new.
    """
    digest = hashlib.sha256()
    for name, path in _code_files():
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # gone since it was listed (or never shipped): no bytes
            data = b""
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def build_salt(fingerprint: str, schema_version: str) -> str:
    """What every key of one build shares: format, code, schema and interpreter."""
    return json.dumps(
        {
            "format": CACHE_FORMAT,
            "code": fingerprint,
            "schema_version": schema_version,
            "python": [sys.implementation.cache_tag, sys.version],
            "unicode": unicodedata.unidata_version,
        },
        sort_keys=True,
    )


def _identity(source: SeedEntry | SourceDocument) -> bytes:
    """Everything an analysis reads of its source, the text through its sha256: the document's
    id, file name and sha256 and its manifest row as the manifest writes it, in a fixed order."""
    row = None if source.manifest is None else manifest_cells(source.manifest)
    identity = [source.document_id, source.file_name, source.sha256, row]
    return json.dumps(identity, ensure_ascii=True).encode("ascii")


def _salted(salt: str) -> Any:
    """A sha256 that has taken in the salt (a JSON string, so where it ends is unambiguous):
    each key copies it and adds its source's identity."""
    return hashlib.sha256(json.dumps(salt, ensure_ascii=True).encode("ascii") + b"\n")


def document_key(salt: str, source: SeedEntry | SourceDocument) -> str:
    """The key of one document's analysis: the build's salt and everything the analysis reads of
    its source (:func:`_identity`)."""
    digest = _salted(salt)
    digest.update(_identity(source))
    return digest.hexdigest()


def _warn_stderr(message: str) -> None:
    print(f"dprk-records: warning: {message}", file=sys.stderr)


class AnalysisCache:
    """One build's view of the cache folder: ``get`` and ``put`` by source.

    Values are opaque to the cache (any picklable object); the caller stores what it needs to
    rebuild an analysis, gets it back only for the same key, and records in ``hits`` and
    ``misses`` how many documents it took from the cache and how many it analysed.
    """

    def __init__(
        self,
        root: Path,
        salt: str,
        warn: Callable[[str], None] = _warn_stderr,
    ) -> None:
        self.root = root
        self._root_text = os.fspath(root)
        self.salt = salt
        self.hits = 0
        self.misses = 0
        self._warn = warn
        self._readable = True
        self._writable = True
        self._salted = _salted(salt)
        self._warned = [False]  # shared with rows_cache(): one warning for the folder

    def _disable(self, message: str, *, reading: bool) -> None:
        self._writable = False
        if reading:
            self._readable = False
        self.warning(message)

    def warning(self, message: str) -> None:
        """One warning line about this cache folder (none if one was given already)."""
        if not self._warned[0]:
            self._warned[0] = True
            self._warn(message)

    def open(self) -> AnalysisCache:
        """Create the folder (0700) if needed and check that it is the user's own."""
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = self.root.stat()
        except OSError as exc:
            self._disable(
                f"cannot use the analysis cache {self.root} ({exc.strerror}); building without it",
                reading=True,
            )
            return self
        owner = getattr(os, "getuid", None)
        foreign = owner is not None and info.st_uid != owner()
        if foreign or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            self._disable(
                f"not using the analysis cache {self.root}: it is "
                + ("owned by another user" if foreign else "writable by other users")
                + f"; choose your own folder with --cache DIR or ${CACHE_ENV}",
                reading=True,
            )
        return self

    def rows_cache(self) -> AnalysisCache:
        """The cache of each document's rows from resolve's pass two
        (:mod:`~dprk_records.pipeline.passtwo`), in ROOT/rows: keyed like the analyses, by a
        salt of its own, and unused when this one could not be used (no second warning)."""
        rows = AnalysisCache(self.root / ROWS_FOLDER, f"{self.salt}\n{ROWS_FOLDER}", self._warn)
        rows._warned = self._warned
        if not self._readable:
            rows._readable = rows._writable = False
            return rows
        rows.open()
        rows._writable = rows._writable and self._writable
        return rows

    def known_hashes(self, folder: Path, kind: str) -> KnownHashes:
        """The list of known hashes (:mod:`~dprk_records.pipeline.knownhashes`) of the files of
        ``folder`` (``kind``: "seeds" or "texts"), in ROOT/known, one per folder by its
        resolved path; an empty one, keeping nothing, when this cache is not used."""
        if not self._readable:
            return KnownHashes(None)
        where = self.root / KNOWN_FOLDER
        try:
            where.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return KnownHashes(None)
        name = hashlib.sha256(os.fsencode(folder.resolve())).hexdigest()[:32]
        return KnownHashes(where / f"{kind}-{name}.tsv", write=self._writable)

    def journal_folder(self, out_dir: Path) -> Path | None:
        """The folder of the journal of the package folder ``out_dir``
        (:mod:`~dprk_records.pipeline.journal`), in ROOT/journal; None when this cache is not
        used for reading and writing both."""
        if not (self._readable and self._writable):
            return None
        name = hashlib.sha256(os.fsencode(out_dir.resolve())).hexdigest()[:32]
        return self.root / JOURNAL_FOLDER / name

    def key_of(self, source: SeedEntry | SourceDocument) -> str:
        """:func:`document_key` of ``source``, from the salt's digest made once (a few
        microseconds: a build makes the key of each document twice, for :meth:`contains` and
        then :meth:`get` or :meth:`put`, rather than keep one per document in memory)."""
        digest = self._salted.copy()
        digest.update(_identity(source))
        return digest.hexdigest()

    def _path(self, key: str) -> str:
        # (text, not a Path: a build makes two of these a document, and joining Paths costs
        # more than the stat or the read they are made for)
        return f"{self._root_text}{os.sep}{key[:2]}{os.sep}{key}.pickle"

    def contains(self, source: SeedEntry | SourceDocument) -> bool:
        """Whether an entry is stored for ``source``'s key (it may still prove unusable when
        :meth:`get` reads it): lets a build plan which documents to analyse without loading
        every cached analysis at once."""
        if not self._readable:
            return False
        try:
            return stat.S_ISREG(os.stat(self._path(self.key_of(source))).st_mode)
        except (OSError, ValueError):  # (ValueError: a NUL in the folder's name)
            return False

    def get(self, source: SeedEntry | SourceDocument) -> Any | None:
        """The value stored for ``source``'s key, or None (a miss) for anything less."""
        return self._load(self.key_of(source)) if self._readable else None

    def _load(self, key: str) -> Any | None:
        try:
            data = read_regular(self._path(key), limit=_MAX_ENTRY_BYTES)
        except (OSError, DprkRecordsError):  # missing, unreadable, not a regular file, too large
            return None
        start = len(_MAGIC) + _DIGEST_BYTES
        payload = data[start:]
        digest = data[len(_MAGIC) : start]
        if not data.startswith(_MAGIC) or hashlib.sha256(payload).digest() != digest:
            return None
        try:
            stored_key, value = pickle.loads(payload)
        except Exception:  # any failure to unpickle (another Python, changed classes) is a miss
            return None
        return value if stored_key == key else None

    def put(self, source: SeedEntry | SourceDocument, value: Any) -> None:
        """Store ``value`` under ``source``'s key; a failure turns writing off, with one warning."""
        if not self._writable:
            return
        key = self.key_of(source)
        payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        path = self._path(key)
        # not synced: a power cut that loses an entry costs one re-analysis, and its digest
        # check turns a torn entry into a miss
        entry = _MAGIC + hashlib.sha256(payload).digest() + payload
        try:
            try:
                write_file(Path(path), entry, mode=0o600, durable=False)
            except FileNotFoundError:  # the entry's subfolder is made by its first entry only
                with contextlib.suppress(FileExistsError):
                    os.mkdir(os.path.dirname(path), 0o700)
                write_file(Path(path), entry, mode=0o600, durable=False)
        except OSError as exc:
            self._disable(
                f"cannot write the analysis cache {self.root} ({exc.strerror or exc}); "
                "this build does not update it",
                reading=False,
            )
