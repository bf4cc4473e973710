"""The compiled row pre-check never lets through a row that jsonschema rejects."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.schemas import json_schema_for, package_meta
from dprk_records.validate.rowcheck import compile_property, compile_row_schema

TABLES = list(package_meta().tables)

# Values a CSV cell can be cast to, plus the troublemakers of set-based checks (True == 1 == 1.0).
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, 2.5, float("nan"), -1.0]),
    st.sampled_from(["", "x", "ri-il-hwan", "Ri Il Hwan", "2021-04-07", "2021-02-30", "report"]),
    st.sampled_from(["2021-4-7", "20210407", "0001-01-01", "a@1", "doc_1@12", "-0-", " "]),
    st.text(max_size=6),
)


def _validator(schema: dict[str, Any]) -> jsonschema.Validator:
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("table", TABLES)
def test_every_generated_row_schema_compiles(table: str) -> None:
    assert compile_row_schema(json_schema_for(table)) is not None


@settings(max_examples=150, deadline=None)
@given(table=st.sampled_from(TABLES), data=st.data())
def test_rows_jsonschema_rejects_are_always_suspects(table: str, data: st.DataObject) -> None:
    schema = json_schema_for(table)
    names = list(schema["properties"])
    row_strategy = st.fixed_dictionaries({name: CELLS for name in names})
    rows = data.draw(st.lists(row_strategy, min_size=1, max_size=8))
    if data.draw(st.booleans()):  # a missing or an extra key
        victim = dict(rows[0])
        if data.draw(st.booleans()):
            victim.pop(names[0])
        else:
            victim["_extra_cells"] = ["surplus"]
        rows.append(victim)
    suspects = set(compile_row_schema(schema).suspects(rows))
    validator = _validator(schema)
    rejected = {index for index, row in enumerate(rows) if any(validator.iter_errors(row))}
    assert rejected <= suspects


def test_duplicate_values_are_judged_once_but_flag_every_row() -> None:
    test = compile_property({"type": "integer", "minimum": 0})
    assert test is not None
    assert test.failing([1, -1, 1, -1, True, 2]) == [1, 3, 4]  # True is no integer
    assert test.failing([1, 1.0, 2]) == [1]  # a whole float is flagged (jsonschema decides)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "email"},
        {"type": "array"},
        {"oneOf": [{"type": "string"}]},
        {"type": "string", "pattern": "("},
        {"enum": [[1]]},
    ],
)
def test_unknown_keywords_are_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_property(schema) is None
    row_schema = {"type": "object", "properties": {"a": schema}, "required": ["a"]}
    assert compile_row_schema(row_schema) is None
    assert compile_row_schema({**json_schema_for("persons"), "$defs": {}}) is None
