"""The gate's fast paths give the findings of the slow ones they stand for.

- the compiled schema test (:mod:`dprk_records.validate.fastschema`) never calls a document
  valid that jsonschema rejects, so the `popolo` check falls back to jsonschema for every bad one;
- the column-wise CSV reading (:func:`dprk_records.reader.tables.json_rows`) gives exactly the
  rows of the DictReader it replaced;
- the `spans` check's shortcut (a corrected span equal to its value holds) is what
  ``claim_holds`` says.
"""

from __future__ import annotations

import copy
import csv
import gc
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.pipeline.claims import claim_holds
from dprk_records.reader.cells import json_value
from dprk_records.reader.tables import EXTRA_CELLS, json_rows
from dprk_records.render.loaded import Loaded
from dprk_records.render.popolo import TABLES, popolo_export
from dprk_records.validate import collector_paused
from dprk_records.validate.context import PackageContext
from dprk_records.validate.fastschema import compile_schema

REPO = Path(__file__).resolve().parents[1]
POPOLO_SCHEMA = json.loads((REPO / "schemas" / "popolo.schema.json").read_text(encoding="utf-8"))

# JSON values, plus the ones a quick test gets wrong most easily (True == 1 == 1.0, a str subclass)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from([0.0, 1.0, -1.5, float("nan")]),
    st.sampled_from(["", "x", "kim-jong-un", "Kim", "2021", "2021-04", "sources/a.txt#char=1,2"]),
    st.sampled_from(["Bad Id", "-x", "2021-4-7", "a:b#char=1,2", " "]),
    st.text(max_size=5),
    st.builds(lambda: type("Sub", (str,), {})("x")),
    st.builds(list),  # fresh each time: a mutation may put things inside
    st.builds(dict),
)


def _export(package: Path) -> dict[str, Any]:
    ctx = PackageContext.open(package)
    tables = {name: ctx.table_rows(name) for name in TABLES}
    texts = {doc: ctx.verbatim(doc) or "" for doc in ctx.document_paths()}
    return popolo_export(Loaded(ctx.descriptor, tables, texts))


@pytest.fixture(scope="module")
def popolo(built_package: Path) -> dict[str, Any]:
    return _export(built_package)


def _containers(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every dict and list inside ``document``."""
    found = [path]
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        if isinstance(value, dict | list):
            found.extend(_containers(value, (*path, key)))
    return found


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def test_a_valid_export_passes_the_quick_test(popolo: dict[str, Any]) -> None:
    quick = compile_schema(POPOLO_SCHEMA)
    assert quick is not None and quick(popolo)
    assert not list(jsonschema.Draft202012Validator(POPOLO_SCHEMA).iter_errors(popolo))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_quick_test_never_passes_an_invalid_export(
    popolo: dict[str, Any], data: st.DataObject
) -> None:
    quick = compile_schema(POPOLO_SCHEMA)
    assert quick is not None
    small = {key: value[:3] if isinstance(value, list) else value for key, value in popolo.items()}
    document = copy.deepcopy(small)
    for _ in range(data.draw(st.integers(1, 3))):
        target = _at(document, data.draw(st.sampled_from(_containers(document))))
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        action = data.draw(st.sampled_from(["set", "drop", "add"]))
        if action == "set" and keys:
            target[data.draw(st.sampled_from(keys))] = data.draw(VALUES)
        elif action == "drop" and keys:
            key = data.draw(st.sampled_from(keys))
            del target[key]
        elif isinstance(target, dict):
            target[data.draw(st.sampled_from(["extra", "id", "sources", "note"]))] = data.draw(
                VALUES
            )
        else:
            target.append(data.draw(VALUES))
    rejected = any(jsonschema.Draft202012Validator(POPOLO_SCHEMA).iter_errors(document))
    if rejected:
        assert not quick(document)


@pytest.mark.parametrize(
    ("schema", "document"),
    [
        ({"type": "integer"}, 1.0),  # whole floats are integers to jsonschema: too rare to model
        ({"type": "integer"}, True),
        ({"type": "string", "minLength": 2}, type("Sub", (str,), {})("x")),
        ({"properties": {"a": {"type": "string"}}}, type("D", (dict,), {})(a=1)),
        ({"items": {"type": "string"}}, type("L", (list,), {})([1])),
        ({"enum": [1]}, 1.0),
    ],
)
def test_the_quick_test_sends_doubtful_values_to_jsonschema(schema: Any, document: Any) -> None:
    quick = compile_schema(schema)
    assert quick is not None and not quick(document)


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{"type": "string"}]},
        {"patternProperties": {"a": {}}},
        {"$ref": "https://example.org/other.json"},
        {"properties": {"a": {"$id": "x", "type": "string"}}},
        {"$ref": "#/$defs/missing"},
    ],
)
def test_schemas_it_does_not_model_are_not_compiled(schema: Any) -> None:
    assert compile_schema(schema) is None


def test_format_is_compiled_only_when_it_does_not_assert() -> None:
    assert compile_schema({"format": "date"}) is not None
    assert compile_schema({"format": "date"}, format_asserts=True) is None


def test_recursive_references_compile() -> None:
    schema = {
        "$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}},
        "$ref": "#/$defs/node",
    }
    quick = compile_schema(schema)
    assert quick is not None
    assert quick({"next": {"next": {}}}) and not quick({"next": {"next": 1}})


def _dict_reader_rows(text: str, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The reading json_rows replaced: DictReader and one json_value call per cell."""
    types = {f["name"]: f.get("type", "string") for f in schema.get("fields", [])}
    missing = frozenset(schema.get("missingValues", [""]))
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle, restkey=EXTRA_CELLS, restval="")
        return [
            {
                key: json_value(value, types.get(key, "string"), missing)
                if isinstance(value, str)
                else value
                for key, value in row.items()
            }
            for row in reader
        ]


SCHEMA = {
    "fields": [
        {"name": "a", "type": "integer"},
        {"name": "b", "type": "number"},
        {"name": "c", "type": "boolean"},
        {"name": "d", "type": "string"},
        {"name": "e", "type": "year"},
    ]
}
CELL = st.sampled_from(["", "1", "-2", " 3", "1.5", "x", "true", "false", "NA", "1e3", '"q,"'])


@settings(max_examples=300, deadline=None)
@given(
    header=st.lists(st.sampled_from(["a", "b", "c", "d", "e", "z", EXTRA_CELLS]), max_size=5),
    rows=st.lists(st.lists(CELL, max_size=7), max_size=6),
    missing=st.sampled_from([None, [""], ["", "NA"], ["NA"]]),
    blank_first=st.booleans(),
)
def test_json_rows_reads_what_dict_reader_read(
    header: list[str], rows: list[list[str]], missing: list[str] | None, blank_first: bool
) -> None:
    schema: dict[str, Any] = dict(SCHEMA)
    if missing is not None:
        schema["missingValues"] = missing
    handle = io.StringIO()
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerows([header, *rows])  # an empty row is a blank line
    text = ("\r\n" if blank_first else "") + handle.getvalue()
    expected, got = _dict_reader_rows(text, schema), json_rows(text, schema)
    assert got == expected
    assert [list(row.items()) for row in got] == [list(row.items()) for row in expected]
    assert [list(map(type, row.values())) for row in got] == [
        list(map(type, row.values())) for row in expected
    ]


def test_equal_texts_of_a_string_column_are_one_object() -> None:
    # the gate holds every row at once: an id repeated on a thousand rows is kept once
    text = "d,a\r\n" + "".join(f"{'person-' + 'x' * 30},{n}\r\n" for n in range(3))
    rows = json_rows(text, SCHEMA)
    assert [row["d"] for row in rows] == ["person-" + "x" * 30] * 3
    assert rows[0]["d"] is rows[1]["d"] is rows[2]["d"]


def test_json_rows_of_an_empty_text() -> None:
    assert json_rows("", SCHEMA) == [] == _dict_reader_rows("", SCHEMA)


@pytest.mark.parametrize(
    "text", ["Kim Jong Un", "  the Sixth\n Conference ", "Workers’ Party", "", "1 000"]
)
def test_a_corrected_span_equal_to_its_value_holds(text: str) -> None:
    assert claim_holds("corrected", text, text, text)


def test_the_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with collector_paused(False):
        assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
