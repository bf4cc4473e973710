"""The Parquet copies of tables (``build --format csv,parquet``): each one is its CSV, typed.

A Parquet resource (:mod:`dprk_records.columnar.resources`) must name a table of the package
(``<table>-parquet``), carry that table's schema, match its recorded ``bytes`` and ``hash``,
have exactly the Arrow schema the Table Schema implies (:func:`arrow_schema`: names, types,
nullability) and the Table Schema in its metadata, and hold the CSV's rows, value for value and
in order (the CSV read by the converter the build uses, so no type is guessed on either side).

frictionless is not run on these files: it reads Parquet through pandas and cannot check their
bytes or hash, so :func:`frictionless_target` is what the frictionless check validates instead
of the package's descriptor (the one place that leaves them out). Without pyarrow the files'
bytes and hashes are still checked, and the rest is one finding saying what to install: the
gate fails closed rather than pass what it could not read.
"""

from __future__ import annotations

import json
from typing import Any

from dprk_records.base.fileguard import UnsafeFileError
from dprk_records.base.hashing import check_hash_field
from dprk_records.columnar.arrowschema import arrow_schema, require_pyarrow
from dprk_records.columnar.fromcsv import read_csv_table
from dprk_records.columnar.metadata import SCHEMA_KEY
from dprk_records.columnar.resources import is_parquet_resource, parquet_resources, parquet_table
from dprk_records.errors import DprkRecordsError, MissingExtraError, ParquetConversionError
from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import Finding

CHECK = "parquet"
SHOWN = 80  # characters of a differing value quoted in a finding


def frictionless_target(ctx: PackageContext) -> tuple[Any, dict[str, Any]]:
    """What the frictionless check validates, as ``(source, options)`` for
    ``frictionless.validate``: the descriptor file itself, or, when it names Parquet resources,
    the descriptor without them (read from the package folder)."""
    if not parquet_resources(ctx.descriptor):
        return str(ctx.root / "datapackage.json"), {}
    descriptor = dict(ctx.descriptor)
    descriptor["resources"] = frictionless_resources(ctx)
    return descriptor, {"basepath": str(ctx.root)}


def frictionless_resources(ctx: PackageContext) -> list[Any] | None:
    """The resources the frictionless check validates, in package order (None when the
    descriptor has no list of them)."""
    resources = ctx.descriptor.get("resources")
    if not isinstance(resources, list):
        return None
    return [r for r in resources if not is_parquet_resource(r)]


def check_parquet(ctx: PackageContext) -> list[Finding]:
    """Every Parquet resource against its table's CSV (see the module docstring)."""
    findings: list[Finding] = []
    for resource in parquet_resources(ctx.descriptor):
        findings.extend(_check_resource(ctx, resource))
    return findings


def _finding(rule: str, message: str, resource: dict[str, Any], **where: Any) -> Finding:
    return Finding(CHECK, rule, message, file=str(resource.get("path", "")) or None, **where)


def _check_resource(ctx: PackageContext, resource: dict[str, Any]) -> list[Finding]:
    path = str(resource.get("path", ""))
    table = parquet_table(resource)
    csv_resource = ctx.resource(table) if table else None
    if csv_resource is None:
        message = (
            f"resource {resource.get('name')!r} names no table of the package (a table's "
            "Parquet resource is named <table>-parquet)"
        )
        return [_finding("no-table", message, resource)]
    findings = []
    if resource.get("schema") != csv_resource.get("schema"):
        message = f"its schema is not the schema of table {table}'s CSV resource"
        findings.append(_finding("schema-differs", message, resource, table=table))
    if ctx.unsafe_path(path):
        return findings  # the files check names it; it is never opened
    try:
        data = ctx.read_bytes(path)
    except (OSError, UnsafeFileError) as exc:
        return [*findings, _finding("unreadable", f"{path}: {exc}", resource, table=table)]
    findings.extend(_size_and_hash(data, resource, table))
    try:
        require_pyarrow("checking the Parquet resources of a package")
    except MissingExtraError as exc:
        return [*findings, _finding("not-checked", str(exc), resource, table=table)]
    schema = csv_resource.get("schema") if isinstance(csv_resource.get("schema"), dict) else {}
    try:
        stored = _read_parquet(data)
    except DprkRecordsError as exc:
        return [*findings, _finding("not-parquet", f"{path}: {exc}", resource, table=table)]
    findings.extend(_schema_findings(stored, schema, resource, table))
    findings.extend(_row_findings(ctx, stored, schema, csv_resource, resource, table))
    return findings


def _size_and_hash(data: bytes, resource: dict[str, Any], table: str) -> list[Finding]:
    findings = []
    recorded = resource.get("bytes")
    if recorded != len(data):
        message = f"the file has {len(data)} bytes, the descriptor records {recorded}"
        findings.append(_finding("bytes", message, resource, table=table))
    recorded_hash = resource.get("hash")
    mismatch = check_hash_field(data, recorded_hash) if isinstance(recorded_hash, str) else None
    if not isinstance(recorded_hash, str) or mismatch is not None:
        actual = f"; the file's is {mismatch.actual}" if mismatch else ""
        message = f"the descriptor records hash {recorded_hash!r}{actual}"
        findings.append(_finding("hash", message, resource, table=table))
    return findings


def _read_parquet(data: bytes) -> Any:
    """The Parquet file's table; a DprkRecordsError when pyarrow cannot read it."""
    pyarrow = require_pyarrow()
    import pyarrow.parquet as pq

    try:
        return pq.read_table(pyarrow.BufferReader(data))
    except (pyarrow.ArrowException, OSError, ValueError) as exc:
        raise DprkRecordsError(f"not a readable Parquet file ({exc})") from None


def _schema_findings(
    stored: Any, schema: dict[str, Any], resource: dict[str, Any], table: str
) -> list[Finding]:
    """Column names, types and nullability against the Table Schema's; the schema metadata."""
    expected = arrow_schema(schema)
    if stored.schema.names != expected.names:
        message = f"its columns are {stored.schema.names}, the schema's fields {expected.names}"
        return [_finding("columns", message, resource, table=table)]
    findings = []
    for want, got in zip(expected, stored.schema, strict=True):
        if (want.type, want.nullable) != (got.type, got.nullable):
            message = (
                f"column {got.name!r} is {got.type}{'' if got.nullable else ' not null'}, the "
                f"schema makes it {want.type}{'' if want.nullable else ' not null'}"
            )
            findings.append(_finding("column-type", message, resource, table=table, field=got.name))
    metadata = stored.schema.metadata or {}
    try:
        carried = json.loads(metadata.get(SCHEMA_KEY, b"null"))
    except ValueError:
        carried = None
    if carried != schema:
        message = f"its {SCHEMA_KEY.decode()} metadata is not the table's Table Schema"
        findings.append(_finding("metadata", message, resource, table=table))
    return findings


def _row_findings(
    ctx: PackageContext,
    stored: Any,
    schema: dict[str, Any],
    csv_resource: dict[str, Any],
    resource: dict[str, Any],
    table: str,
) -> list[Finding]:
    """The stored rows against the CSV's, read by the build's converter."""
    csv_path = str(csv_resource.get("path", ""))
    dialect = csv_resource.get("dialect") if isinstance(csv_resource.get("dialect"), dict) else {}
    try:
        if str(csv_resource.get("encoding", "utf-8")).lower() not in ("utf-8", "utf8"):
            raise ParquetConversionError(f"{csv_path}: not UTF-8")
        expected = read_csv_table(ctx.read_bytes(csv_path), schema, dialect, where=csv_path)
    except (OSError, UnsafeFileError, ParquetConversionError) as exc:
        ctx.note(CHECK, f"{resource.get('name')}: rows not compared, the CSV was not read ({exc})")
        return []
    if stored.num_rows != expected.num_rows:
        message = f"it has {stored.num_rows} rows, {csv_path} has {expected.num_rows}"
        return [_finding("row-count", message, resource, table=table)]
    findings = []
    for name in expected.column_names:
        if name not in stored.column_names:
            continue
        want, got = expected.column(name), stored.column(name)
        if want.type != got.type or want.equals(got):
            continue  # a wrong type is a column-type finding already
        for number, (a, b) in enumerate(zip(want.to_pylist(), got.to_pylist(), strict=True), 1):
            if (a != b and a == a) or type(a) is not type(b):  # NaN equals NaN here
                message = (
                    f"row {number}, field {name!r}: {_shown(b)} where {csv_path} has {_shown(a)}"
                )
                findings.append(
                    _finding("value", message, resource, table=table, row=number, field=name)
                )
                break
    return findings


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "..."
