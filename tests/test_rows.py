"""The row dataclasses (pipeline/rows.py) are generated from the Table Schemas and stay so.

The comparison here does not reuse the generator's type mapping: it resolves each dataclass
field's annotation to real Python types and checks them against its own reading of the schema,
so a wrong mapping in the generator fails too.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import subprocess
import types
import typing
from pathlib import Path
from typing import Any

import pytest

import dprk_records.schemas as registry
from dprk_records.errors import SchemaError
from dprk_records.pipeline.rows import ROW_TYPES, CorrectionRow, PersonRow
from dprk_records.pipeline.tables import sort_key
from dprk_records.schemas import (
    check_row_types,
    package_meta,
    row_class_name,
    rows_module_path,
    rows_source,
    stale_json_schemas,
    table_schema,
    table_schemas,
)

PYTHON_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "date": dt.date,
    "year": int,
}


def mismatches(row_type: type, schema: dict[str, Any]) -> list[str]:
    """Every way ``row_type`` differs from ``schema``: names, order, types, nullability."""
    hints = typing.get_type_hints(row_type)
    ours = [field.name for field in dataclasses.fields(row_type)]
    theirs = [field["name"] for field in schema["fields"]]
    problems = [] if ours == theirs else [f"fields {ours} != schema {theirs}"]
    for field in schema["fields"]:
        name = field["name"]
        if name not in hints:
            continue
        args = set(typing.get_args(hints[name])) if _is_union(hints[name]) else {hints[name]}
        nullable = type(None) in args
        required = bool(field.get("constraints", {}).get("required", False))
        if nullable == required:
            problems.append(f"{name}: nullable {nullable}, schema required {required}")
        if args - {type(None)} != {PYTHON_TYPES[field.get("type", "string")]}:
            problems.append(f"{name}: {hints[name]} is not schema type {field.get('type')}")
    return problems


def _is_union(hint: Any) -> bool:
    return isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union


def test_every_registry_table_has_a_row_type_in_registry_order() -> None:
    assert list(ROW_TYPES) == list(package_meta().tables)


@pytest.mark.parametrize("table", package_meta().tables)
def test_row_type_matches_its_table_schema(table: str) -> None:
    assert mismatches(ROW_TYPES[table], table_schema(table)) == []


def _mutations(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Schemas that differ from ``schema`` in one way each."""
    out = {}
    flipped = copy.deepcopy(schema)
    constraints = flipped["fields"][0].setdefault("constraints", {})
    constraints["required"] = not constraints.get("required", False)
    out["required flipped"] = flipped
    retyped = copy.deepcopy(schema)
    retyped["fields"][0]["type"] = (
        "boolean" if retyped["fields"][0]["type"] != "boolean" else "date"
    )
    out["type changed"] = retyped
    renamed = copy.deepcopy(schema)
    renamed["fields"][-1]["name"] += "_renamed"
    out["field renamed"] = renamed
    reordered = copy.deepcopy(schema)
    reordered["fields"][0], reordered["fields"][1] = reordered["fields"][1], reordered["fields"][0]
    out["fields reordered"] = reordered
    added = copy.deepcopy(schema)
    added["fields"].append({"name": "extra", "type": "string"})
    out["field added"] = added
    return out


@pytest.mark.parametrize("table", ["corrections", "events"])
def test_the_comparison_fails_on_any_difference(table: str) -> None:
    for what, mutated in _mutations(table_schema(table)).items():
        assert mismatches(ROW_TYPES[table], mutated), f"{what} went unnoticed"
        with pytest.raises(SchemaError, match="stale"):
            check_row_types(ROW_TYPES, {**table_schemas(), table: mutated})


def test_corrections_original_and_corrected_may_be_empty() -> None:
    """The drift that made the row types generated: the schema has these optional."""
    hints = typing.get_type_hints(CorrectionRow)
    assert hints["original"] == hints["corrected"] == str | None


def test_the_build_check_passes_on_the_registry() -> None:
    check_row_types(ROW_TYPES)


def test_rows_module_is_generated_from_the_schemas() -> None:
    assert rows_module_path().read_text(encoding="utf-8") == rows_source(), (
        "run `dprk-records schemas`"
    )


def test_a_changed_schema_makes_the_rows_module_stale(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    (root / "tables").mkdir(parents=True)
    (root / "package.json").write_text(json.dumps({**_package_json(), "tables": ["corrections"]}))
    schema = copy.deepcopy(table_schema("corrections"))
    (root / "tables" / "corrections.json").write_text(json.dumps(schema))
    unchanged = rows_source(root)
    assert "class CorrectionRow:" in unchanged and "class PersonRow:" not in unchanged
    schema["fields"][3]["constraints"] = {"required": True}  # original: str | None -> str
    (root / "tables" / "corrections.json").write_text(json.dumps(schema))
    registry.table_schema.cache_clear()
    try:
        changed = rows_source(root)
    finally:
        registry.table_schema.cache_clear()
    assert "    original: str | None\n" in unchanged
    assert "    original: str\n" in changed


def _package_json() -> dict[str, Any]:
    meta = package_meta()
    return {
        "name": meta.name,
        "title": meta.title,
        "description": meta.description,
        "version": meta.version,
        "schema_version": meta.schema_version,
        "homepage": meta.homepage,
        "keywords": list(meta.keywords),
        "licenses": list(meta.licenses),
    }


def test_schemas_check_and_write_cover_the_rows_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dprk-records schemas --check` reports a stale rows.py; `dprk-records schemas` rewrites it."""
    target = tmp_path / "rows.py"
    target.write_text(rows_source().replace("kw_only=True, ", ""), encoding="utf-8")
    monkeypatch.setattr(registry, "rows_module_path", lambda: target)
    assert registry.stale_generated_files() == [str(target)]
    assert stale_json_schemas() == []  # the gate's registry check is about schemas/json/ only
    assert registry.write_rows_module() == target
    assert target.read_text(encoding="utf-8") == rows_source()
    assert registry.stale_generated_files() == []


def test_rows_module_is_ruff_format_clean() -> None:
    ruff = pytest.importorskip("ruff.__main__")
    result = subprocess.run(
        [ruff.find_ruff_bin(), "format", "--check", str(rows_module_path())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_rows_are_keyword_only_frozen_and_ordered() -> None:
    with pytest.raises(TypeError):
        PersonRow("o-il-jong", "O Il Jong", "O", "Il Jong")  # type: ignore[misc]
    one = PersonRow(person_id="a", name="A B", family_name="A", given_name="B")
    two = PersonRow(person_id="b", name="A B", family_name="A", given_name="B")
    assert one < two  # rows sort like tuples of their fields, in schema order
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.name = "x"  # type: ignore[misc]


def test_class_names_come_from_table_names() -> None:
    assert {table: cls.__name__ for table, cls in ROW_TYPES.items()} == {
        table: row_class_name(table) for table in package_meta().tables
    }
    assert row_class_name("speeches") == "SpeechRow"
    assert row_class_name("person_names") == "PersonNameRow"
    assert row_class_name("personnel_changes") == "PersonnelChangeRow"


@pytest.mark.parametrize(
    ("table", "cells", "key"),
    [
        ("persons", {"person_id": "ri-chol"}, ((True, "ri-chol"),)),
        ("events", {"event_id": None}, ((False, None),)),
        (
            "positions",
            {"document_id": "doc", "start": 12, "person_id": None},
            ((True, "doc"), (True, 12), (False, None)),
        ),
    ],
)
def test_a_rows_sort_key_is_its_primary_key_empty_values_first(
    table: str, cells: dict[str, Any], key: tuple[Any, ...]
) -> None:
    assert sort_key(table)(types.SimpleNamespace(**cells)) == key
    assert sort_key(table)(types.SimpleNamespace(**cells)) < sort_key(table)(
        types.SimpleNamespace(**{name: "~" for name in cells} | {"start": 13})
    )
