"""schemas/ is the single source of truth and everything derived from it is in sync."""

from __future__ import annotations

import json
from dataclasses import fields

import jsonschema
import pytest

from dprk_records.base.paths import profiles_dir, schemas_dir
from dprk_records.pipeline.rows import ROW_TYPES
from dprk_records.schemas import package_meta, stale_json_schemas, table_schema, table_schemas


def test_generated_json_schemas_are_in_sync() -> None:
    assert stale_json_schemas() == [], "run `dprk-records schemas` and commit schemas/json/"


@pytest.mark.parametrize("table", package_meta().tables)
def test_table_schema_follows_the_official_profile(table: str) -> None:
    profile = json.loads((profiles_dir() / "tableschema.json").read_text())
    jsonschema.Draft7Validator(profile).validate(table_schema(table))


@pytest.mark.parametrize("table", package_meta().tables)
def test_row_dataclass_matches_schema(table: str) -> None:
    assert [f.name for f in fields(ROW_TYPES[table])] == [
        f["name"] for f in table_schema(table)["fields"]
    ]


def test_registry_lists_every_schema_file_once() -> None:
    on_disk = sorted(p.stem for p in (schemas_dir() / "tables").glob("*.json"))
    assert sorted(package_meta().tables) == on_disk
    assert len(set(package_meta().tables)) == len(package_meta().tables)


def test_a_field_name_means_the_same_kind_of_value_in_every_table() -> None:
    """The same name is the same quantity: type and constraints agree wherever a name is used
    (descriptions may say what it refers to in each table, and a key column may be optional
    where it is a reference)."""
    seen: dict[str, tuple[str, object]] = {}
    for table, schema in table_schemas().items():
        for field in schema["fields"]:
            constraints = {
                k: v
                for k, v in field.get("constraints", {}).items()
                if k not in {"unique", "required"}
            }
            shape = (field["type"], constraints)
            first = seen.setdefault(field["name"], (table, shape))
            assert first[1] == shape, (
                f"field {field['name']!r} differs between {first[0]} and {table}"
            )


def test_foreign_keys_point_at_real_keys() -> None:
    schemas = table_schemas()
    for table, schema in schemas.items():
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"].get("resource") or table
            assert target in schemas, f"{table} references unknown table {target}"
            target_fields = {f["name"]: f for f in schemas[target]["fields"]}
            own = {f["name"]: f for f in schema["fields"]}
            for mine, theirs in zip(fk["fields"], fk["reference"]["fields"], strict=True):
                assert own[mine]["type"] == target_fields[theirs]["type"]
