"""A package folder opened for validation: descriptor, files and rows as streams.

The reading itself is :mod:`dprk_records.reader`'s (lenient: a broken table is kept for a
finding, never raised); this is the gate's view on top of it, with what the checks share: the
checkout around the package, the release to compare with, the notes and the read errors.

Nothing that grows with the package is kept from one check to the next: a check streams the
tables it reads (a chunk of rows at a time, only the columns it asks for), and keeps what it
needs across rows itself -- ids, and per document what one document needs. A table is surveyed
once (one pass: readable whole? sorted by document?), and the last few verbatim texts are kept.
At 10 000 bench documents the gate held 0.85 GB when it kept every row; 100 000 took 7.9 GB.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from dprk_records.base.fileguard import (
    UnsafeFileError,
    contained_problem,
    open_regular,
    read_regular,
)
from dprk_records.errors import PackageError
from dprk_records.reader.descriptor import package_descriptor, resource_entries, table_resources
from dprk_records.reader.tables import TableSurvey, streamed_chunks, survey_table

TEXTS_KEPT = 32
"""Verbatim texts kept decoded: the tables a check reads together come in document order, so
the text a row needs is almost always one of the last few read."""

Numbered = list[tuple[int, dict[str, Any]]]  # rows of one table with their 1-based row numbers


@dataclass
class PackageContext:
    """Everything the checks look at, loaded lazily and cached."""

    root: Path
    descriptor: dict[str, Any]
    checkout: Path | None = None  # the repository holding seeds/, schemas/, releases/, CHANGELOG.md
    previous: Path | None = None  # the last released package (folder or zip), to check the version
    notes: dict[str, list[str]] = field(default_factory=dict)  # check name -> what it could not do
    read_errors: dict[str, str] = field(default_factory=dict)  # table -> why its file is unreadable
    _surveys: dict[str, TableSurvey] = field(default_factory=dict)
    _texts: OrderedDict[str, str | None] = field(default_factory=OrderedDict)
    _document_paths: dict[str, str] | None = None
    _unsafe: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def open(
        cls, root: Path, checkout: Path | None = None, previous: Path | None = None
    ) -> PackageContext:
        """Open a package folder (or its datapackage.json). ``checkout`` defaults to the folder
        above the package when that folder has seeds/manifest.csv."""
        root, descriptor = package_descriptor(root)
        around = root.resolve().parent
        if checkout is None and (around / "seeds" / "manifest.csv").is_file():
            checkout = around
        return cls(root, descriptor, checkout, previous)

    def note(self, check: str, message: str) -> None:
        """Record something a check could not do or assumed (shown with its result)."""
        self.notes.setdefault(check, []).append(message)

    def schemas_root(self) -> Path | None:
        """The checkout's schemas/ when there is one, else None (the installed registry)."""
        if self.checkout is not None and (self.checkout / "schemas" / "package.json").is_file():
            return self.checkout / "schemas"
        return None

    def unsafe_path(self, relative: str) -> str | None:
        """Why the file the descriptor names at ``relative`` may not be opened, or None.

        A path that leaves the package, or a link, FIFO, device or folder where a file should
        be, is never read: a finding must not quote bytes from outside the package.
        """
        if relative not in self._unsafe:
            self._unsafe[relative] = contained_problem(self.root, relative)
        return self._unsafe[relative]

    def unsafe_paths(self) -> dict[str, str]:
        """Every path the descriptor's resources and sources name that may not be opened."""
        named = [str(r.get("path", "")) for r in resource_entries(self.descriptor)]
        sources = self.descriptor.get("sources")
        if isinstance(sources, list):
            named += [str(s["path"]) for s in sources if isinstance(s, dict) and "path" in s]
        found = {path: self.unsafe_path(path) for path in sorted(set(named))}
        return {path: problem for path, problem in found.items() if problem}

    def read_bytes(self, relative: str) -> bytes:
        """The bytes of a file of the package; UnsafeFileError when it may not be opened."""
        problem = self.unsafe_path(relative)
        if problem:
            raise UnsafeFileError(relative, problem)
        return read_regular(self.root / relative)

    def open_binary(self, relative: str) -> BinaryIO:
        """A file of the package opened for reading; UnsafeFileError when it may not be."""
        problem = self.unsafe_path(relative)
        if problem:
            raise UnsafeFileError(relative, problem)
        return open_regular(self.root / relative)

    def text(self, relative: str) -> str | None:
        """A file of the package decoded as UTF-8 exactly as stored, or None when unreadable
        (the last :data:`TEXTS_KEPT` asked for are kept)."""
        if relative in self._texts:
            self._texts.move_to_end(relative)
            return self._texts[relative]
        try:
            text: str | None = self.read_bytes(relative).decode("utf-8")
        except (OSError, UnicodeDecodeError, UnsafeFileError):
            text = None
        self._texts[relative] = text
        if len(self._texts) > TEXTS_KEPT:
            self._texts.popitem(last=False)
        return text

    def document_paths(self) -> dict[str, str]:
        """document_id -> path of its verbatim text inside the package (from the documents table)."""
        if self._document_paths is None:
            self._document_paths = {
                str(row.get("document_id")): str(row.get("path"))
                for row in self.table_rows("documents")
                if row.get("path")
            }
        return self._document_paths

    def verbatim(self, document_id: str) -> str | None:
        """The verbatim source text of a document, or None when it has no readable text."""
        path = self.document_paths().get(document_id)
        return self.text(path) if path else None

    def verbatim_texts(self) -> Mapping[str, str]:
        """document_id -> verbatim text ("" when unreadable), read when asked, not held."""
        return VerbatimTexts(self)

    def tables_when_asked(self) -> Mapping[str, list[dict[str, Any]]]:
        """Table name -> its rows, read anew each time a table is asked for, not held: for a
        consumer of whole tables (the Popolo export, a diff) that reads one table at a time."""
        return TablesWhenAsked(self)

    def table_resources(self) -> list[dict[str, Any]]:
        """The descriptor's table resources in package order (source texts are resources, not
        tables); none when ``resources`` is malformed, which the structural checks report."""
        return table_resources(self.descriptor)

    def resource(self, name: str) -> dict[str, Any] | None:
        """The table resource named ``name``, or None: a check asks before it reads, so a missing
        table is reported (or skipped) instead of crashing the check."""
        return next((r for r in self.table_resources() if r.get("name") == name), None)

    def survey(self, name: str) -> TableSurvey:
        """One pass over a table (kept: a few numbers a table): whether it can be read whole,
        and whether it comes in document order; a table that cannot is recorded in
        ``read_errors`` and read as empty by every check."""
        if name not in self._surveys:
            resource = self.resource(name)
            if resource is None:
                raise PackageError(f"no table resource named {name!r} in the descriptor")
            survey = survey_table(self.open_binary, resource)
            if survey.problem is not None:
                self.read_errors[name] = survey.problem
            self._surveys[name] = survey
        return self._surveys[name]

    def row_chunks(
        self, name: str, fields: Sequence[str] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Rows of a table with cells cast by the resource's own schema, a chunk at a time (only
        ``fields`` of each, when given); none when the table cannot be read whole."""
        if self.survey(name).problem is not None:
            return
        resource = self.resource(name)
        assert resource is not None  # the survey found it
        yield from streamed_chunks(self.open_binary, resource, fields)

    def iter_rows(self, name: str, fields: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
        """Rows of a table, one at a time (see :meth:`row_chunks`); none when there is no such
        table (other checks report that)."""
        if self.resource(name) is None:
            return iter(())
        return itertools.chain.from_iterable(self.row_chunks(name, fields))

    def rows(self, name: str) -> list[dict[str, Any]]:
        """Every row of a table at once (never raises on data). Held by the caller, not here: for
        the few consumers that need a table whole."""
        if self.resource(name) is None:
            raise PackageError(f"no table resource named {name!r} in the descriptor")
        return list(self.iter_rows(name))

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        """Rows of a table, or [] when the package has no such table (other checks report that)."""
        return list(self.iter_rows(name))

    def by_document(
        self, names: Sequence[str], fields: Sequence[str] | None = None
    ) -> Iterator[tuple[str, list[Numbered]]]:
        """Per document, in sorted order of ``str(document_id)``: each named table's rows of it,
        with their row numbers (a table the package lacks has none).

        A table in document order (as the build writes every table keyed by document) is
        streamed; one that is not is grouped in memory first, so the result never depends on
        the order, only the memory does.
        """
        groups = [self._document_groups(name, fields) for name in names]
        heads = [next(group, None) for group in groups]
        while True:
            present = [head[0] for head in heads if head is not None]
            if not present:
                return
            document = min(present)
            found: list[Numbered] = []
            for index, head in enumerate(heads):
                if head is not None and head[0] == document:
                    found.append(head[1])
                    heads[index] = next(groups[index], None)
                else:
                    found.append([])
            yield document, found

    def _document_groups(
        self, name: str, fields: Sequence[str] | None
    ) -> Iterator[tuple[str, Numbered]]:
        """(document, its numbered rows) of one table, in sorted document order."""
        if self.resource(name) is None:
            return
        wanted = None if fields is None else ["document_id", *fields]
        numbered = enumerate(self.iter_rows(name, wanted), start=1)
        if self.survey(name).by_document:
            for document, items in itertools.groupby(
                numbered, key=lambda item: str(item[1].get("document_id"))
            ):
                yield document, list(items)
            return
        grouped: dict[str, Numbered] = {}
        for number, row in numbered:
            grouped.setdefault(str(row.get("document_id")), []).append((number, row))
        yield from sorted(grouped.items(), key=lambda item: item[0])


class VerbatimTexts(Mapping[str, str]):
    """The package's verbatim texts by document id, each read when asked (a few kept): what a
    consumer of a ``document_id -> text`` mapping needs, without every text in memory."""

    def __init__(self, ctx: PackageContext) -> None:
        self._ctx = ctx

    def __getitem__(self, document_id: str) -> str:
        if document_id not in self._ctx.document_paths():
            raise KeyError(document_id)
        return self._ctx.verbatim(document_id) or ""

    def __iter__(self) -> Iterator[str]:
        return iter(self._ctx.document_paths())

    def __len__(self) -> int:
        return len(self._ctx.document_paths())


class TablesWhenAsked(Mapping[str, list[dict[str, Any]]]):
    """The package's tables by name, each read whole when asked and held only by the asker."""

    def __init__(self, ctx: PackageContext) -> None:
        self._ctx = ctx

    def __getitem__(self, name: str) -> list[dict[str, Any]]:
        if self._ctx.resource(name) is None:
            raise KeyError(name)
        return self._ctx.rows(name)

    def __iter__(self) -> Iterator[str]:
        return iter([str(resource.get("name")) for resource in self._ctx.table_resources()])

    def __len__(self) -> int:
        return len(self._ctx.table_resources())
