"""schemas/ is the single source of truth and everything derived from it is in sync."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dprk_records.base.paths import profiles_dir, schemas_dir
from dprk_records.errors import SchemaError
from dprk_records.pipeline.manifest import DOCUMENT_KINDS
from dprk_records.schemas import (
    field_enum,
    in_table_order,
    package_meta,
    references_to,
    referencing_fields,
    render_json,
    stale_json_schemas,
    table_schema,
    table_schemas,
)


def test_generated_json_schemas_are_in_sync() -> None:
    assert stale_json_schemas() == [], "run `dprk-records schemas` and commit schemas/json/"


@pytest.mark.parametrize("table", package_meta().tables)
def test_table_schema_follows_the_official_profile(table: str) -> None:
    profile = json.loads((profiles_dir() / "tableschema.json").read_text())
    jsonschema.Draft7Validator(profile).validate(table_schema(table))


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


def test_document_kinds_are_the_schemas_enum() -> None:
    enum = table_schema("documents")["fields"][3]
    assert enum["name"] == "document_kind"
    assert (
        DOCUMENT_KINDS
        == field_enum("documents", "document_kind")
        == tuple(enum["constraints"]["enum"])
    )
    with pytest.raises(SchemaError, match="no enum"):
        field_enum("documents", "title")
    with pytest.raises(SchemaError, match="no field"):
        field_enum("documents", "kind")


def test_id_columns_are_the_keys_and_foreign_keys_of_a_table() -> None:
    assert referencing_fields("persons") == {"person_id", "speaker_id"}
    assert referencing_fields("documents") == {
        "document_id",
        "described_in",
        "full_text_document_id",
    }
    assert ("speeches", "speaker_id") in references_to("persons")
    assert ("organizations", "parent_org_id") in references_to("organizations")


def test_table_lists_follow_the_registry_and_refuse_unknown_tables() -> None:
    assert in_table_order({"figures", "documents", "persons"}) == (
        "documents",
        "persons",
        "figures",
    )
    with pytest.raises(SchemaError, match="person"):
        in_table_order({"documents", "person"})


_JSON_PLAIN = st.one_of(
    st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=True)
)
_JSON_KEYS = st.one_of(st.text(), st.integers(), st.booleans(), st.none())


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.dictionaries(st.text(), _JSON_PLAIN, max_size=8),
        st.dictionaries(_JSON_KEYS, _JSON_PLAIN, max_size=4),
        st.dictionaries(st.text(max_size=3), st.lists(st.integers(), max_size=3), max_size=3),
        st.lists(_JSON_PLAIN, max_size=3),
        _JSON_PLAIN,
    )
)
@example({"a": 1, "b": '\u2028 "quoted" \\ \n \ud800 é', "c": True, "d": None, "e": -5})
@example({1: "a", "b": 2})  # json.dumps turns the key 1 into "1"
@example({"a": 1.5, "b": float("nan")})
@example({True: None, None: False})
def test_render_json_writes_what_json_dumps_writes(data: object) -> None:
    """render_json renders flat dicts itself (the descriptor's per-document items): the same
    text as the json module's indented output, for any keys and values."""
    assert render_json(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
