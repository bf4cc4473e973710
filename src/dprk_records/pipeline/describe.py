"""Making datapackage.json: resources, sources and provenance, all derived from the registry and
the data (reading one is :mod:`dprk_records.reader.descriptor`'s job)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from dprk_records.__about__ import __version__ as PIPELINE_VERSION
from dprk_records.base.hashing import sha256_hex
from dprk_records.columnar.resources import PARQUET_FORMAT, PARQUET_MEDIATYPE, parquet_name
from dprk_records.errors import BuildError
from dprk_records.schemas import PackageMeta, render_json, table_schema

if TYPE_CHECKING:
    from dprk_records.pipeline.analyse import DocumentSummary

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_DIALECT = {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"'}
"""The CSV dialect of every table (:mod:`dprk_records.pipeline.csvformat` writes it)."""


def resource_schema(name: str) -> dict[str, Any]:
    """A table's Table Schema as its resources carry it: the registry's, without the prose
    (which the resource carries itself)."""
    return {k: v for k, v in table_schema(name).items() if k not in {"title", "description"}}


def created_timestamp(newest: dt.date | None, environ: Mapping[str, str]) -> str | None:
    """SOURCE_DATE_EPOCH when set, else ``newest``, the newest publication date: never the wall
    clock."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError):
            raise BuildError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970"
            ) from None
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if newest is None:
        return None
    return f"{newest.isoformat()}T00:00:00Z"


class FileDigest(NamedTuple):
    """What a descriptor records of a file it names: its size in bytes and its sha256 (hex).
    A build takes them as it writes the file, so no table is ever held whole to describe it."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> FileDigest:
        return cls(len(data), sha256_hex(data))


def table_resource(name: str, digest: FileDigest) -> dict[str, Any]:
    """A table's resource: its Table Schema from the registry (without the prose, which the
    resource carries itself) and the size and sha256 every reader checks the file against."""
    schema = resource_schema(name)
    source = table_schema(name)
    return {
        "name": name,
        "type": "table",
        "title": source.get("title", name),
        "description": source.get("description", ""),
        "path": f"data/{name}.csv",
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": digest.size,
        "hash": f"sha256:{digest.sha256}",
        "dialect": dict(TABLE_DIALECT),
        "schema": schema,
    }


def parquet_resource(name: str, digest: FileDigest) -> dict[str, Any]:
    """The Parquet copy of a table (``build --format csv,parquet``): same schema, same rows.

    It has no ``"type": "table"``: every reader of the package (the loader, the gate, diffs,
    the data dictionary) takes the resources typed ``table`` as the package's CSV tables, and
    this file is another encoding of one of them, not another table. Data Package 2.0 makes
    ``type`` optional, and readers that know Parquet (frictionless) see a table by its format.
    """
    source = table_schema(name)
    return {
        "name": parquet_name(name),
        "title": f"{source.get('title', name)} (Parquet)",
        "description": f"The {name} table as Parquet, typed by the same Table Schema.",
        "path": f"data/{name}.parquet",
        "scheme": "file",
        "format": PARQUET_FORMAT,
        "mediatype": PARQUET_MEDIATYPE,
        "bytes": digest.size,
        "hash": f"sha256:{digest.sha256}",
        "schema": resource_schema(name),
    }


def source_resource(document: DocumentSummary) -> dict[str, Any]:
    """A verbatim text as a resource of its own, hashed like a table, so that every span of the
    package points into a file whose bytes a reader can verify."""
    return {
        "name": f"source-{document.document_id}",
        "title": f"Verbatim text: {document.title}",
        "path": f"sources/{document.file_name}",
        "scheme": "file",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "bytes": document.size,
        "hash": f"sha256:{document.sha256}",
    }


def source_entry(document: DocumentSummary) -> dict[str, Any]:
    """A document as the descriptor's ``sources`` list names it."""
    return {
        "title": document.title,
        "path": f"sources/{document.file_name}",
        "sha256": document.sha256,
        **({"publisher": document.publisher} if document.publisher else {}),
        **({"published": document.published.isoformat()} if document.published else {}),
    }


def input_entry(document: DocumentSummary) -> dict[str, Any]:
    """A document as the provenance's ``inputs`` list names it: the seed it was built from."""
    return {
        "document_id": document.document_id,
        "path": f"seeds/{document.file_name}",
        "sha256": document.sha256,
    }


# Each list that holds an item per document, with the function that makes the item; in the
# descriptor rendered without them, a placeholder stands where the list's items go.
_PER_DOCUMENT = {
    "sources": source_entry,
    "source resources": source_resource,
    "inputs": input_entry,
}
_PLACEHOLDER = "<dprk-records: the {} of every document>"
_SPLICE_CHARS = 1 << 20  # characters of a list's scratch file indented at a time


def document_items(document: DocumentSummary) -> tuple[str, ...]:
    """A document's item of each list of :data:`_PER_DOCUMENT`, rendered as the descriptor
    holds it (without the final newline), in that order."""
    return tuple(render_json(item_of(document))[:-1] for item_of in _PER_DOCUMENT.values())


class DescriptorWriter:
    """datapackage.json for a corpus of any size, written without holding the corpus.

    Three lists of the descriptor hold an item per document (its sources, the resources of the
    verbatim texts, the provenance's inputs): 2-3 KB of dicts a document, the largest thing a
    build would otherwise keep until its very end. :meth:`add` renders each document's items as
    it comes, in document-id order, into a scratch file per list, and :meth:`write` renders the
    rest of the descriptor with a placeholder for each list and splices the files in. The bytes
    are exactly ``render_json`` of the whole descriptor as a dict (the JSON encoder indents a
    nested item as it indents the item alone, shifted by its depth)."""

    def __init__(self, scratch: Path) -> None:
        self._files = {
            name: open(  # noqa: SIM115 -- closed by close()
                scratch / f"descriptor-{index}.json", "w+", encoding="utf-8", newline=""
            )
            for index, name in enumerate(_PER_DOCUMENT)
        }
        self._count = 0
        self._newest: dt.date | None = None
        self._last = ""

    def add(self, document: DocumentSummary, items: Sequence[str] | None = None) -> None:
        """One document's items (``items``: as :func:`document_items` rendered them, if
        they were kept); documents come in document-id order."""
        if document.document_id <= self._last:
            raise ValueError(f"{document.document_id}: descriptor items out of document-id order")
        self._last = document.document_id
        if items is None:
            items = document_items(document)
        for out, item in zip(self._files.values(), items, strict=True):
            if self._count:
                out.write(",\n")
            out.write(item)
        self._count += 1
        if document.published is not None and (
            self._newest is None or document.published > self._newest
        ):
            self._newest = document.published

    def write(
        self,
        path: Path,
        meta: PackageMeta,
        table_files: Mapping[str, FileDigest],
        manifest_sha256: str | None,
        environ: Mapping[str, str] | None = None,
        parquet_files: Mapping[str, FileDigest] | None = None,
    ) -> None:
        """Write the whole datapackage.json to ``path``; ``parquet_files`` (table -> digest of
        its Parquet file, for ``--format csv,parquet``) adds a resource per table after the CSV
        tables."""
        environ = os.environ if environ is None else environ
        placeholder = {name: _PLACEHOLDER.format(name) for name in _PER_DOCUMENT}
        descriptor: dict[str, Any] = {
            "$schema": PACKAGE_PROFILE,
            "name": meta.name,
            "title": meta.title,
            "description": meta.description,
            "version": meta.version,
            "homepage": meta.homepage,
            "keywords": list(meta.keywords),
            "licenses": [dict(lic) for lic in meta.licenses],
            "sources": [placeholder["sources"]] if self._count else [],
        }
        created = created_timestamp(self._newest, environ)
        if created is not None:
            descriptor["created"] = created
        descriptor["resources"] = [
            *(table_resource(name, table_files[name]) for name in meta.tables),
            *(parquet_resource(name, digest) for name, digest in (parquet_files or {}).items()),
            *([placeholder["source resources"]] if self._count else []),
        ]
        descriptor["provenance"] = {
            "pipeline": "dprk-records",
            "pipeline_version": PIPELINE_VERSION,
            "schema_version": meta.schema_version,
            "manifest_sha256": manifest_sha256,
            "inputs": [placeholder["inputs"]] if self._count else [],
        }
        rest = render_json(descriptor)
        with open(path, "w", encoding="utf-8", newline="") as out:
            if self._count:
                for name, marker in placeholder.items():
                    quoted = render_json(marker)[:-1]
                    if rest.count(quoted) != 1:  # (the registry's prose would have to say it)
                        raise BuildError(f"{path}: the descriptor's text holds {quoted}")
                    before, rest = rest.split(quoted, 1)
                    out.write(before)
                    self._splice(out, name, before[before.rindex("\n") + 1 :])
            out.write(rest)

    def _splice(self, out: TextIO, name: str, indent: str) -> None:
        """Write the items of list ``name``, each line after the first indented by ``indent``
        (the first one follows the placeholder's own indentation)."""
        items = self._files[name]
        items.seek(0)
        shifted = "\n" + indent
        for chunk in iter(lambda: items.read(_SPLICE_CHARS), ""):
            out.write(chunk.replace("\n", shifted))

    def close(self) -> None:
        """Close the scratch files (the build removes its scratch folder)."""
        for handle in self._files.values():
            handle.close()
