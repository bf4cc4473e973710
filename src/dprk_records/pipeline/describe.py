"""Making datapackage.json: resources, sources and provenance, all derived from the registry and
the data (reading one is :mod:`dprk_records.reader.descriptor`'s job)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from dprk_records.__about__ import __version__ as PIPELINE_VERSION
from dprk_records.base.hashing import sha256_hex
from dprk_records.errors import BuildError
from dprk_records.schemas import PackageMeta, table_schema

if TYPE_CHECKING:
    from dprk_records.pipeline.analyse import DocumentSummary

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


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


def table_resource(name: str, data: bytes) -> dict[str, Any]:
    """A table's resource: its Table Schema from the registry (without the prose, which the
    resource carries itself) and the size and sha256 every reader checks the file against."""
    schema = {k: v for k, v in table_schema(name).items() if k not in {"title", "description"}}
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
        "bytes": len(data),
        "hash": f"sha256:{sha256_hex(data)}",
        "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"'},
        "schema": schema,
    }


def source_resource(document: DocumentSummary) -> dict[str, Any]:
    """A verbatim text as a resource of its own, hashed like a table, so that every span of the
    package points into a file whose bytes a reader can verify."""
    data = document.text.encode("utf-8")
    return {
        "name": f"source-{document.document_id}",
        "title": f"Verbatim text: {document.title}",
        "path": f"sources/{document.source.file_name}",
        "scheme": "file",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{document.source.sha256}",
    }


def build_descriptor(
    meta: PackageMeta,
    documents: Sequence[DocumentSummary],
    table_files: Mapping[str, bytes],
    manifest_sha256: str | None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The whole datapackage.json as a dict with a fixed key order."""
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
                "path": f"sources/{d.source.file_name}",
                "sha256": d.source.sha256,
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
                "path": f"seeds/{d.source.file_name}",
                "sha256": d.source.sha256,
            }
            for d in ordered
        ],
    }
    return descriptor
