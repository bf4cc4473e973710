"""The ``popolo`` check: the package's Popolo export is what its schema says.

The export is made one object at a time (:class:`dprk_records.render.popolo_store.PopoloStore`
sorts them in a temporary file) and never held whole: ``meta`` with empty collections is
validated against ``schemas/popolo.schema.json`` (the checkout's or release's own, else the
installed one), then each object against its collection's ``items`` schema, and every id an
object names must be one the export holds. That is the whole document's validation, finding for
finding and in jsonschema's order, whenever the schema puts nothing on a collection but its
items (checked here; a schema that does gets the export validated whole, in memory).

jsonschema runs only when a compiled test (:mod:`dprk_records.validate.fastschema`) finds an
object may be invalid: it took most of a minute on 10 000 documents, and its findings are the
same either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from dprk_records.base.paths import schemas_dir
from dprk_records.render.popolo import (
    COLLECTIONS,
    SCHEMA_FILE,
    References,
    popolo_collections,
    popolo_meta,
)
from dprk_records.render.popolo_store import PopoloStore
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
# what a schema may say beside its collections' items for them to be validated one by one
_ROOT_KEYS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "type", "required"}
    | {"additionalProperties", "properties", "$defs"}
)
_COLLECTION_KEYS = frozenset({"type", "items", "title", "description", "$comment"})


class _Errors:
    """Schema errors as findings: the first MAX_FINDINGS kept, the rest counted."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.count = 0

    def add(self, path: list[Any], message: str) -> None:
        self.count += 1
        if len(self.findings) < MAX_FINDINGS:
            where = "/".join(str(part) for part in path) or "(top)"
            table = COLLECTION_TABLES.get(str(path[0])) if path else None
            self.findings.append(Finding("popolo", "popolo-schema", f"{where}: {message}", table))


class _Test:
    """A (sub)schema's quick yes/no test, and jsonschema's errors when it says no."""

    def __init__(self, schema: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator

        self._quick = compile_schema(schema)
        self._validator = Draft202012Validator(schema)

    def errors(self, instance: Any) -> Iterator[Any]:
        if self._quick is not None and self._quick(instance):
            return iter(())
        return self._validator.iter_errors(instance)


def _item_schemas(schema: Any) -> dict[str, dict[str, Any]] | None:
    """Each collection's items schema as a root of its own (the ``$defs`` it refers to kept),
    or None when the schema says more of a collection than its items."""
    if not isinstance(schema, dict) or not set(schema) <= _ROOT_KEYS:
        return None
    properties = schema.get("properties")
    if not isinstance(properties, dict) or list(properties)[:1] != ["meta"]:
        return None
    items = {}
    for name in COLLECTIONS:
        collection = properties.get(name)
        if (
            not isinstance(collection, dict)
            or not set(collection) <= _COLLECTION_KEYS
            or collection.get("type") != "array"
            or not isinstance(collection.get("items"), dict)
        ):
            return None
        items[name] = {"$defs": schema.get("$defs", {}), **collection["items"]}
    if [name for name in properties if name != "meta"] != list(COLLECTIONS):
        return None
    return items


def check_popolo(ctx: PackageContext) -> list[Finding]:
    """Export the package to Popolo an object at a time and validate it against the Popolo
    JSON Schema."""
    root = ctx.schemas_root()
    path = root / SCHEMA_FILE if root and (root / SCHEMA_FILE).is_file() else None
    path = path or schemas_dir() / SCHEMA_FILE
    schema = json.loads(path.read_text(encoding="utf-8"))
    items = _item_schemas(schema)
    errors = _Errors()
    references = References(limit=MAX_FINDINGS)
    meta = popolo_meta(ctx.descriptor)
    # each table read as the store asks for it, a chunk of rows at a time
    with PopoloStore(ctx.iter_rows, ctx.verbatim_texts()) as store:
        if items is None:  # validated whole
            export: dict[str, Any] = {"meta": meta}
            for name, objects in popolo_collections(store):
                export[name] = list(objects)
                for item in export[name]:
                    references.add(name, item)
            for error in _Test(schema).errors(export):
                errors.add(list(error.path), error.message)
        else:
            skeleton = {"meta": meta, **{name: [] for name in COLLECTIONS}}
            for error in _Test(schema).errors(skeleton):
                errors.add(list(error.path), error.message)
            for name, objects in popolo_collections(store):
                test = _Test(items[name])
                for index, item in enumerate(objects):
                    references.add(name, item)
                    for error in test.errors(item):
                        errors.add([name, index, *error.path], error.message)
    findings = errors.findings
    for problem in references.problems()[:MAX_FINDINGS]:
        findings.append(Finding("popolo", "popolo-reference", problem))
    if errors.count > MAX_FINDINGS:
        ctx.note("popolo", f"{errors.count - MAX_FINDINGS} more schema errors not listed")
    return findings
