"""Making datapackage.json: resources, sources and provenance, all derived from the registry and
the data (reading one is :mod:`dprk_records.reader.descriptor`'s job)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from dprk_records.__about__ import __version__ as PIPELINE_VERSION
from dprk_records.base.hashing import sha256_hex
from dprk_records.columnar.resources import PARQUET_FORMAT, PARQUET_MEDIATYPE, parquet_name
from dprk_records.errors import BuildError
from dprk_records.schemas import PackageMeta, table_schema

if TYPE_CHECKING:
    from dprk_records.pipeline.analyse import DocumentSummary

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_DIALECT = {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"'}
"""The CSV dialect of every table (:mod:`dprk_records.pipeline.csvformat` writes it)."""


def resource_schema(name: str) -> dict[str, Any]:
    """A table's Table Schema as its resources carry it: the registry's, without the prose
    (which the resource carries itself)."""
    return {k: v for k, v in table_schema(name).items() if k not in {"title", "description"}}


def created_timestamp(
    documents: Sequence[DocumentSummary], environ: Mapping[str, str]
) -> str | None:
    """SOURCE_DATE_EPOCH when set, else the newest publication date: never the wall clock."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError):
            raise BuildError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970"
            ) from None
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    dates = [d.published for d in documents if d.published is not None]
    if not dates:
        return None
    return f"{max(dates).isoformat()}T00:00:00Z"


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


def build_descriptor(
    meta: PackageMeta,
    documents: Sequence[DocumentSummary],
    table_files: Mapping[str, FileDigest],
    manifest_sha256: str | None,
    environ: Mapping[str, str] | None = None,
    parquet_files: Mapping[str, FileDigest] | None = None,
) -> dict[str, Any]:
    """The whole datapackage.json as a dict with a fixed key order; ``parquet_files`` (table ->
    digest of its Parquet file, for ``--format csv,parquet``) adds a resource per table after
    the CSV tables."""
    environ = os.environ if environ is None else environ
    ordered = sorted(documents, key=lambda d: d.document_id)
    descriptor: dict[str, Any] = {
        "$schema": PACKAGE_PROFILE,
        "name": meta.name,
        "title": meta.title,
        "description": meta.description,
        "version": meta.version,
        "homepage": meta.homepage,
        "keywords": list(meta.keywords),
        "licenses": [dict(lic) for lic in meta.licenses],
        "sources": [
            {
                "title": d.title,
                "path": f"sources/{d.file_name}",
                "sha256": d.sha256,
                **({"publisher": d.publisher} if d.publisher else {}),
                **({"published": d.published.isoformat()} if d.published else {}),
            }
            for d in ordered
        ],
    }
    created = created_timestamp(documents, environ)
    if created is not None:
        descriptor["created"] = created
    descriptor["resources"] = [
        *(table_resource(name, table_files[name]) for name in meta.tables),
        *(parquet_resource(name, digest) for name, digest in (parquet_files or {}).items()),
        *(source_resource(d) for d in ordered),
    ]
    descriptor["provenance"] = {
        "pipeline": "dprk-records",
        "pipeline_version": PIPELINE_VERSION,
        "schema_version": meta.schema_version,
        "manifest_sha256": manifest_sha256,
        "inputs": [
            {
                "document_id": d.document_id,
                "path": f"seeds/{d.file_name}",
                "sha256": d.sha256,
            }
            for d in ordered
        ],
    }
    return descriptor
