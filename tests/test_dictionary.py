"""The data dictionary: generated from schemas/ and the package's rows, never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from dprk_records.cli import main
from dprk_records.loader.package import Package
from dprk_records.release.snapshot import open_snapshot
from dprk_records.render.dictionary import (
    DICTIONARY,
    field_constraints,
    registry_dictionary,
    release_dictionary,
)
from dprk_records.schemas import table_schemas

from .conftest import COMMITTED_PACKAGE, REPO


def test_the_committed_dictionary_is_not_stale() -> None:
    expected = registry_dictionary(COMMITTED_PACKAGE)
    assert (REPO / DICTIONARY).read_text(encoding="utf-8") == expected, (
        "docs/data-dictionary.md is stale: run `dprk-records docs` (or `nox -s docs`)"
    )


def test_it_names_every_table_field_type_count_and_an_example() -> None:
    text = registry_dictionary(COMMITTED_PACKAGE)
    package = Package(COMMITTED_PACKAGE)
    for name, schema in table_schemas().items():
        assert f"\n## {name}\n" in text
        assert f"| [`{name}`](#{name}) | {package.row_count(name)} |" in text
        section = text.split(f"\n## {name}\n")[1].split("\n## ")[0]
        assert f"- Rows: {package.row_count(name)}" in section
        for field in schema["fields"]:
            line = next(x for x in section.splitlines() if x.startswith(f"| `{field['name']}` |"))
            assert f"| {field['type']} |" in line
    persons = text.split("\n## persons\n")[1].split("\n## ")[0]
    assert "| `person_id` | string | required; pattern `^[a-z0-9]+(?:-[a-z0-9]+)*$` |" in persons
    assert "`ho-chol-man` |" in persons  # the first person_id in key order is the example


def test_the_release_copy_is_the_same_text() -> None:
    snapshot = open_snapshot(COMMITTED_PACKAGE)
    assert release_dictionary(snapshot.descriptor, snapshot.tables) == registry_dictionary(
        COMMITTED_PACKAGE
    )


@pytest.mark.parametrize(
    ("constraints", "words"),
    [
        ({}, ""),
        ({"required": True, "unique": True}, "required; unique"),
        ({"enum": ["a", "b|c"]}, "one of `a`, `b\\|c`"),
        ({"minimum": 0, "maximum": 9}, "≥ 0; ≤ 9"),
        ({"minLength": 1}, "at least 1 character"),
        ({"maxLength": 5}, "at most 5 characters"),
        ({"pattern": "^a|b$"}, "pattern `^a\\|b$`"),
    ],
)
def test_constraints_in_words(constraints: dict[str, object], words: str) -> None:
    assert field_constraints({"constraints": constraints}) == words


def test_docs_command_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dictionary.md"
    args = ["docs", "--package", str(COMMITTED_PACKAGE), "--out", str(out)]
    assert main([*args, "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(args) == 0
    assert out.read_text(encoding="utf-8") == registry_dictionary(COMMITTED_PACKAGE)
    assert main([*args, "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert main([*args, "--check"]) == 1
