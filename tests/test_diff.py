"""release.diff: what changed between two packages and the semantic-version bump it requires."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from dprk_records.release.diff import (
    diff_packages,
    minimum_version,
    parse_version,
    render_first_release,
    render_markdown,
    type_change_level,
)
from dprk_records.release.snapshot import Snapshot

Tables = dict[str, list[dict[str, Any]]]


def _table(name: str, fields: list[tuple[str, str]], key: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "table",
        "path": f"data/{name}.csv",
        "schema": {"fields": [{"name": n, "type": t} for n, t in fields], "primaryKey": [key]},
    }


BASE_DESCRIPTOR = {
    "name": "dprk-records",
    "version": "1.2.3",
    "description": "Facts.",
    "resources": [
        _table("documents", [("document_id", "string"), ("char_count", "integer")], "document_id"),
        _table("persons", [("person_id", "string"), ("name", "string")], "person_id"),
    ],
}
BASE_TABLES: Tables = {
    "documents": [{"document_id": "a", "char_count": 10}, {"document_id": "b", "char_count": 20}],
    "persons": [{"person_id": "kim-jong-un", "name": "Kim Jong Un"}],
}


def snapshot(change: Callable[[dict[str, Any], Tables], object] | None = None) -> Snapshot:
    descriptor, tables = copy.deepcopy(BASE_DESCRIPTOR), copy.deepcopy(BASE_TABLES)
    if change:
        change(descriptor, tables)
    return Snapshot("test", descriptor, tables)


def _fields(descriptor: dict[str, Any], table: int) -> list[dict[str, Any]]:
    return descriptor["resources"][table]["schema"]["fields"]


def add_document(d: dict[str, Any], t: Tables) -> None:
    t["documents"].append({"document_id": "c", "char_count": 5})


def withdraw_document(d: dict[str, Any], t: Tables) -> None:
    t["documents"].pop()


def correct_a_value(d: dict[str, Any], t: Tables) -> None:
    t["persons"][0]["name"] = "Kim Jong-un"


def add_a_person(d: dict[str, Any], t: Tables) -> None:
    t["persons"].append({"person_id": "ri-il-hwan", "name": "Ri Il Hwan"})


def add_a_field(d: dict[str, Any], t: Tables) -> None:
    _fields(d, 1).append({"name": "family_name", "type": "string"})


def remove_a_field(d: dict[str, Any], t: Tables) -> None:
    _fields(d, 0).pop()


def rename_a_field(d: dict[str, Any], t: Tables) -> None:
    _fields(d, 1)[1]["name"] = "full_name"
    for row in t["persons"]:
        row["full_name"] = row.pop("name")


def narrow_a_type(d: dict[str, Any], t: Tables) -> None:
    _fields(d, 1)[1]["type"] = "integer"


def widen_a_type(d: dict[str, Any], t: Tables) -> None:
    _fields(d, 0)[1]["type"] = "number"


def add_a_table(d: dict[str, Any], t: Tables) -> None:
    d["resources"].append(_table("figures", [("figure_id", "string")], "figure_id"))
    t["figures"] = []


def remove_a_table(d: dict[str, Any], t: Tables) -> None:
    d["resources"].pop()


def rename_a_table(d: dict[str, Any], t: Tables) -> None:
    d["resources"][1]["name"] = "people"
    t["people"] = t.pop("persons")


def restrict_to_an_enum(d: dict[str, Any], t: Tables) -> None:
    _fields(d, 1)[1]["constraints"] = {"enum": ["Kim Jong Un"]}


def describe_a_field(d: dict[str, Any], t: Tables) -> None:
    _fields(d, 1)[1]["description"] = "The normalized name."


def change_the_description(d: dict[str, Any], t: Tables) -> None:
    d["description"] = "Facts, checked."


CASES = [
    (None, "none"),
    (add_document, "minor"),
    (withdraw_document, "major"),
    (correct_a_value, "patch"),
    (add_a_person, "patch"),
    (add_a_field, "minor"),
    (remove_a_field, "major"),
    (rename_a_field, "major"),
    (narrow_a_type, "major"),
    (widen_a_type, "minor"),
    (add_a_table, "minor"),
    (remove_a_table, "major"),
    (rename_a_table, "major"),
    (restrict_to_an_enum, "major"),
    (describe_a_field, "patch"),
    (change_the_description, "patch"),
]


@pytest.mark.parametrize(
    ("change", "bump"), CASES, ids=[c.__name__ if c else "identical" for c, _ in CASES]
)
def test_the_bump_a_change_requires(change: Any, bump: str) -> None:
    assert diff_packages(snapshot(), snapshot(change)).bump == bump


def test_rows_are_counted_by_primary_key() -> None:
    diff = diff_packages(
        snapshot(), snapshot(lambda d, t: (add_a_person(d, t), correct_a_value(d, t)))
    )
    persons = next(r for r in diff.rows if r.table == "persons")
    assert (persons.rows, persons.added, persons.removed, persons.changed) == (2, 1, 0, 1)


def test_a_rename_is_reported_as_one() -> None:
    diff = diff_packages(snapshot(), snapshot(rename_a_field))
    assert [c.what for c in diff.schema] == ["field `persons.name` renamed to `full_name`"]
    persons = next(r for r in diff.rows if r.table == "persons")
    assert not persons.differs  # the values did not change, only the field's name


def test_release_notes_are_markdown() -> None:
    new = snapshot(lambda d, t: (add_a_field(d, t), add_document(d, t), d.update(version="1.3.0")))
    notes = render_markdown(diff_packages(snapshot(), new))
    assert notes.startswith("# dprk-records data 1.3.0\n")
    assert "Required version bump: **MINOR** (version at least 1.3.0)." in notes
    assert "- MINOR: field `persons.family_name` added" in notes
    assert "| `documents` | 3 | 1 | 0 | 0 |" in notes and "Unchanged: `persons`." in notes
    assert "- MINOR: 1 document(s) added" in notes
    assert "No schema changes." in render_markdown(diff_packages(snapshot(), snapshot()))
    assert "| `persons` | 1 |" in render_first_release(snapshot())


@pytest.mark.parametrize(
    ("previous", "bump", "minimum"),
    [("1.2.3", "major", "2.0.0"), ("1.2.3", "minor", "1.3.0"), ("1.2.3", "patch", "1.2.4"),
     ("1.2.3", "none", "1.2.3"), ("0.1.0", "minor", "0.2.0")],
)  # fmt: skip
def test_minimum_version(previous: str, bump: str, minimum: str) -> None:
    assert minimum_version(previous, bump) == minimum


def test_versions_and_types() -> None:
    assert parse_version("1.10.0-rc.1") == (1, 10, 0)
    with pytest.raises(ValueError, match="not a semantic version"):
        parse_version("1.0")
    assert type_change_level("integer", "number") == "minor"
    assert type_change_level("date", "string") == "minor"
    assert type_change_level("string", "date") == "major"
    assert type_change_level("number", "integer") == "major"
