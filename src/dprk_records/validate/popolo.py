"""The ``popolo`` check: the package's Popolo export, made in memory, is what its schema says.

The export (:func:`dprk_records.render.popolo.popolo_export`) is validated against
``schemas/popolo.schema.json`` (the checkout's or release's own, else the installed one) with
jsonschema, and every id it names must be one it holds. jsonschema runs only when a compiled test
(:mod:`dprk_records.validate.fastschema`) finds the export may be invalid: it took most of a
minute on 10 000 documents, and its findings are the same either way.
"""

from __future__ import annotations

import json

from dprk_records.base.paths import schemas_dir
from dprk_records.render.loaded import Loaded
from dprk_records.render.popolo import SCHEMA_FILE, dangling_references, popolo_export
from dprk_records.validate.context import PackageContext
from dprk_records.validate.fastschema import compile_schema
from dprk_records.validate.report import Finding

MAX_FINDINGS = 50
COLLECTION_TABLES = {
    "persons": "persons",
    "organizations": "organizations",
    "memberships": "positions",
    "events": "events",
}


def check_popolo(ctx: PackageContext) -> list[Finding]:
    """Export the package to Popolo in memory and validate it against the Popolo JSON Schema."""
    from jsonschema import Draft202012Validator

    root = ctx.schemas_root()
    path = root / SCHEMA_FILE if root and (root / SCHEMA_FILE).is_file() else None
    path = path or schemas_dir() / SCHEMA_FILE
    schema = json.loads(path.read_text(encoding="utf-8"))
    # tables and texts read as the export asks for them, none held beyond its use
    export = popolo_export(Loaded(ctx.descriptor, ctx.tables_when_asked(), ctx.verbatim_texts()))
    findings = []
    quick = compile_schema(schema)
    valid = quick is not None and quick(export)
    errors = [] if valid else list(Draft202012Validator(schema).iter_errors(export))
    for error in errors[:MAX_FINDINGS]:
        where = "/".join(str(part) for part in error.path) or "(top)"
        table = COLLECTION_TABLES.get(str(error.path[0])) if error.path else None
        findings.append(Finding("popolo", "popolo-schema", f"{where}: {error.message}", table))
    for problem in dangling_references(export)[:MAX_FINDINGS]:
        findings.append(Finding("popolo", "popolo-reference", problem))
    if len(errors) > MAX_FINDINGS:
        ctx.note("popolo", f"{len(errors) - MAX_FINDINGS} more schema errors not listed")
    return findings
