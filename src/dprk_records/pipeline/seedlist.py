"""The scanned seeds of a build, in document-id order, kept in a temporary file.

A build goes over its seed entries several times (the analysis, the package's texts, resolve's
pass two) but needs only one at a time. Held in memory they were half a kilobyte a document --
its id, sha256 and manifest row -- a hundred megabytes for an archive of 200 000 items, the
largest thing a build kept per document that was not an id. :class:`SeedList` keeps them in an
anonymous temporary file (gone when it is closed, or when the process ends however it ends)
and reads one back, in a few microseconds, when it is asked for; what stays in memory is the
end offset of each record, each document's id (a build holds every id anyway) and, given how
to make it, each document's analysis key as 32 bytes: the two things a build asks of every
entry on each of its walks (is this document the one the journal holds, under this key?),
answered without reading an entry back.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import overload

from dprk_records.pipeline.manifest import ManifestEntry
from dprk_records.pipeline.read import SeedEntry

_MANIFEST_FIELDS = tuple(f.name for f in fields(ManifestEntry))
_KEY_BYTES = 32  # (a sha256)

_Record = tuple[str, str, int, tuple[object, ...] | None]


def _record(entry: SeedEntry) -> _Record:
    manifest = entry.manifest
    cells = None
    if manifest is not None:
        cells = tuple(getattr(manifest, name) for name in _MANIFEST_FIELDS)
    return (entry.document_id, entry.sha256, entry.size, cells)


class SeedList(Sequence[SeedEntry]):
    """Seed entries of one folder in document-id order, read back from a temporary file;
    ``key_of`` makes each entry's analysis key (:meth:`~dprk_records.pipeline.cache.
    AnalysisCache.key_of`, a hex sha256), kept for :meth:`key`."""

    def __init__(
        self, entries: Iterable[SeedEntry], key_of: Callable[[SeedEntry], str] | None = None
    ) -> None:
        ordered = sorted(entries, key=lambda entry: entry.document_id)
        folders = {entry.folder for entry in ordered}
        if len(folders) > 1:
            raise ValueError(f"seed entries of {len(folders)} folders in one list")
        self._folder: Path | None = folders.pop() if folders else None
        self._file = tempfile.TemporaryFile(prefix="dprk-records-seeds-")  # noqa: SIM115
        self._ends = array("Q")
        self._ids = [entry.document_id for entry in ordered]
        self._keys = None
        if key_of is not None:
            self._keys = b"".join(bytes.fromhex(key_of(entry)) for entry in ordered)
        end = 0
        for entry in ordered:
            data = pickle.dumps(_record(entry), protocol=pickle.HIGHEST_PROTOCOL)
            self._file.write(data)
            end += len(data)
            self._ends.append(end)
        self._last: tuple[int, SeedEntry] | None = None  # a build asks for one entry twice in a row

    def __len__(self) -> int:
        return len(self._ends)

    @property
    def folder(self) -> Path | None:
        """The folder of the seeds (None for a list of none)."""
        return self._folder

    @overload
    def __getitem__(self, index: int) -> SeedEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[SeedEntry]: ...

    def __getitem__(self, index: int | slice) -> SeedEntry | list[SeedEntry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = self._position(index)
        last = self._last
        if last is not None and last[0] == index:
            return last[1]
        start = self._ends[index - 1] if index else 0
        self._file.seek(start)
        entry = self._entry(self._file.read(self._ends[index] - start))
        self._last = (index, entry)
        return entry

    def document_id(self, index: int) -> str:
        """The id of the ``index``-th document (from memory)."""
        return self._ids[index]

    def key(self, index: int) -> str | None:
        """The analysis key of the ``index``-th document (from memory), None without a
        ``key_of``."""
        if self._keys is None:
            return None
        at = self._position(index) * _KEY_BYTES
        return self._keys[at : at + _KEY_BYTES].hex()

    def _position(self, index: int) -> int:
        """``index`` as a place in the list (a negative one counted from the end)."""
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"seed {index} of {len(self)}")
        return index

    def __iter__(self) -> Iterator[SeedEntry]:
        for index in range(len(self)):
            yield self[index]

    def _entry(self, data: bytes) -> SeedEntry:
        document_id, sha256, size, cells = pickle.loads(data)
        manifest = None if cells is None else ManifestEntry(*cells)
        folder = self._folder
        assert folder is not None  # (an entry was written, so the list has its folder)
        return SeedEntry(document_id, folder, sha256, size, manifest)

    def close(self) -> None:
        """Remove the file (reading an entry afterwards is an error: ValueError)."""
        self._last = None
        self._file.close()

    def __enter__(self) -> SeedList:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EntriesAt(Sequence[SeedEntry]):
    """The entries of ``entries`` at ``indices``, in that order, read when asked for: the part
    of a build's entries one step works on (the documents it analyses, the rows it makes)
    without a copy of them in memory."""

    def __init__(self, entries: Sequence[SeedEntry], indices: Sequence[int]) -> None:
        self._entries = entries
        self._indices = indices

    def __len__(self) -> int:
        return len(self._indices)

    def __getitem__(self, index: int) -> SeedEntry:  # type: ignore[override]
        return self._entries[self._indices[index]]
