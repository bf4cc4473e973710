"""Checks frictionless does not do: the official Data Package 2.0 profile, the registry, and the
generated JSON Schemas (both their freshness and every row against them)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from dprk_records.base.paths import profiles_dir, schemas_dir
from dprk_records.schemas import (
    json_schema_from_table_schema,
    package_meta,
    stale_json_schemas,
    table_schema,
)
from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import Finding
from dprk_records.validate.rowcheck import compile_row_schema


@cache
def _profile(name: str) -> dict[str, Any]:
    return json.loads((profiles_dir() / name).read_text(encoding="utf-8"))


def check_profile(ctx: PackageContext) -> list[Finding]:
    """datapackage.json against the official Data Package 2.0 JSON Schema profile, and each
    table resource's schema against the official Table Schema profile."""
    findings = []
    validator = jsonschema.Draft7Validator(_profile("datapackage.json"))
    for error in sorted(validator.iter_errors(ctx.descriptor), key=lambda e: e.json_path):
        findings.append(
            Finding(
                "profile", f"datapackage:{error.validator}", f"{error.json_path}: {error.message}"
            )
        )
    table_validator = jsonschema.Draft7Validator(_profile("tableschema.json"))
    for resource in ctx.table_resources():
        for error in table_validator.iter_errors(resource.get("schema", {})):
            findings.append(
                Finding(
                    "profile",
                    f"tableschema:{error.validator}",
                    f"{error.json_path}: {error.message}",
                    table=resource.get("name"),
                )
            )
    return findings


def check_registry(ctx: PackageContext) -> list[Finding]:
    """The package's tables and their schemas are exactly the registry's (schemas/tables/)."""
    findings = []
    root = ctx.schemas_root()
    expected = list(package_meta(root).tables)
    present = [r.get("name") for r in ctx.table_resources()]
    if present != expected:
        findings.append(
            Finding("registry", "table-set", f"tables are {present}, the registry has {expected}")
        )
    for name in expected:
        resource = ctx.resource(name)
        if resource is None:
            continue
        source = {
            k: v for k, v in table_schema(name, root).items() if k not in {"title", "description"}
        }
        if resource.get("schema") != source:
            findings.append(
                Finding(
                    "registry",
                    "schema-drift",
                    f"the descriptor's schema differs from schemas/tables/{name}.json; rebuild",
                    table=name,
                )
            )
    for name in stale_json_schemas(root):
        findings.append(
            Finding(
                "registry",
                "json-schema-stale",
                f"schemas/json/{name} is out of sync with schemas/tables/; run "
                "`dprk-records schemas` to regenerate",
            )
        )
    return findings


def _row_schema(json_dir: Path, name: str, table: dict[str, Any]) -> dict[str, Any]:
    path = json_dir / f"{name}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return json_schema_from_table_schema(name, table)


def check_rows(ctx: PackageContext) -> list[Finding]:
    """Every typed row of every table against its generated JSON Schema.

    A compiled column-wise pre-check (:mod:`dprk_records.validate.rowcheck`) picks the rows that
    may fail; jsonschema then checks exactly those, so the findings are jsonschema's own.
    """
    findings = []
    json_dir = (ctx.schemas_root() or schemas_dir()) / "json"
    for resource in ctx.table_resources():
        name = resource.get("name", "?")
        schema = _row_schema(json_dir, name, resource.get("schema", {}))
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        if ctx.survey(name).problem is not None:
            findings.append(Finding("rows", "unreadable", ctx.read_errors[name], table=name))
        precheck = compile_row_schema(schema)
        before = 0  # rows in the chunks before this one
        for rows in ctx.row_chunks(name):  # a table is never held whole
            suspects = precheck.suspects(rows) if precheck is not None else range(len(rows))
            findings += _row_findings(
                name, validator, [(before + i + 1, rows[i]) for i in suspects]
            )
            before += len(rows)
    return findings


def _row_findings(
    name: str, validator: jsonschema.Draft202012Validator, rows: list[tuple[int, dict[str, Any]]]
) -> list[Finding]:
    """jsonschema's own findings on the rows that may fail, given with their row numbers."""
    findings = []
    for number, row in rows:
        for error in validator.iter_errors(row):
            field = error.path[0] if error.path else None
            if error.validator == "required":
                field = error.message.split("'")[1] if "'" in error.message else None
            message = error.message
            findings.append(
                Finding(
                    "rows",
                    f"jsonschema:{error.validator}",
                    message if len(message) < 300 else message[:300] + "...",
                    table=name,
                    row=number,
                    field=str(field) if field is not None else None,
                )
            )
    return findings
