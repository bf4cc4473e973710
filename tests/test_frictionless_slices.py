"""frictionless a slice at a time (validate/slices.py) finds what one run over the package finds.

Each test corrupts a copy of the seeds' package with extra source texts, then runs the
frictionless check twice: with slices of two texts and with no slicing, and compares the
findings, which must be the same, in the same order. It also checks which way the sliced run
went (sliced, or back to one run because the package's metadata is at fault), so a plan that
never slices cannot pass for one that does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frictionless
import pytest

from dprk_records.base.hashing import sha256_hex
from dprk_records.validate import slices
from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import Finding
from dprk_records.validate.slices import sliced_runs
from dprk_records.validate.structural import check_frictionless
from dprk_records_tools.faults.tables import edit_descriptor, read_table, write_table

EXTRA = 5  # texts added to the seeds' two: 7 with no schema, so slices of 2 make 4 runs
SIZE = 2

Change = Callable[[Path], None]


def _with_extra_texts(package: Path) -> None:
    """Copies of the first source text under new names, each a resource of its own."""

    def add(descriptor: dict[str, Any]) -> None:
        first = next(r for r in descriptor["resources"] if "schema" not in r)
        data = (package / first["path"]).read_bytes()
        for index in range(EXTRA):
            path = f"sources/extra_{index}.txt"
            (package / path).write_bytes(data)
            descriptor["resources"].append(
                {
                    **first,
                    "name": f"extra-{index}",
                    "path": path,
                    "hash": f"sha256:{sha256_hex(data)}",
                }
            )

    edit_descriptor(package, add)


def _findings(
    package: Path, size: int, monkeypatch: pytest.MonkeyPatch, opened_as: Path | None = None
) -> tuple[list[Finding], list[Any]]:
    """The frictionless check's findings with slices of ``size``, and what it gave
    frictionless.validate, call by call."""
    calls: list[Any] = []
    validate = frictionless.validate

    def recorded(source: Any, **options: Any) -> Any:
        calls.append(source)
        return validate(source, **options)

    with monkeypatch.context() as patch:
        patch.setattr(slices, "SLICE", size)
        patch.setattr(frictionless, "validate", recorded)
        findings = check_frictionless(PackageContext.open(opened_as or package))
    return findings, calls


def _texts(package: Path) -> list[str]:
    """The text resources' names, in package order."""
    descriptor = PackageContext.open(package).descriptor
    return [r["name"] for r in descriptor["resources"] if "schema" not in r]


def _edit_text(index: int) -> Change:
    def change(package: Path) -> None:
        path = package / "sources" / f"extra_{index}.txt"
        path.write_bytes(path.read_bytes().replace(b"e", b"x", 1))

    return change


def _remove_text(index: int) -> Change:
    return lambda package: (package / "sources" / f"extra_{index}.txt").unlink()


def _resource_field(resource: str, **values: Any) -> Change:
    def change(package: Path) -> None:
        edit_descriptor(
            package,
            lambda d: next(r for r in d["resources"] if r.get("name") == resource).update(values),
        )

    return change


def _duplicate_paragraph(package: Path) -> None:
    header, rows = read_table(package, "paragraphs")
    write_table(package, "paragraphs", header, [*rows, dict(rows[0])])


def _wrong_type(package: Path) -> None:
    header, rows = read_table(package, "documents")
    rows[0]["char_count"] = "many"
    write_table(package, "documents", header, rows)


def _text_first(package: Path) -> None:
    """The last text moved before the tables, edited, and a table broken too: the findings come
    in package order whatever the runs' order."""

    def move(descriptor: dict[str, Any]) -> None:
        resources = descriptor["resources"]
        resources.insert(0, resources.pop())

    edit_descriptor(package, move)
    _edit_text(EXTRA - 1)(package)
    _duplicate_paragraph(package)


def _parquet_beside(package: Path) -> None:
    """A Parquet resource, which the check leaves to the parquet check: frictionless is then
    given the descriptor without it, as an object, not the file's path."""

    def add(descriptor: dict[str, Any]) -> None:
        descriptor["resources"].append(
            {"name": "documents-parquet", "path": "data/documents.parquet", "format": "parquet"}
        )

    edit_descriptor(package, add)
    _edit_text(2)(package)


def _licence_stripped(package: Path) -> None:
    def strip(descriptor: dict[str, Any]) -> None:
        descriptor["licenses"][0].pop("name")
        descriptor["licenses"][0].pop("path")

    edit_descriptor(package, strip)


def _names_twice(package: Path) -> None:
    edit_descriptor(package, lambda d: d["resources"][-1].update(name=d["resources"][-2]["name"]))


# (change, the way the sliced check must go: "sliced", "whole" when a run found something of the
# package's and the check ran once more over it all, "unsliced" when the plan declined)
CASES: dict[str, tuple[Change, str]] = {
    "clean": (lambda package: None, "sliced"),
    "text in a later slice edited": (_edit_text(3), "sliced"),
    "text in a later slice missing": (_remove_text(4), "sliced"),
    "table row twice": (_duplicate_paragraph, "sliced"),
    "table cell of the wrong type": (_wrong_type, "sliced"),
    "text before the tables, both broken": (_text_first, "sliced"),
    "a Parquet resource beside, a text edited": (_parquet_beside, "sliced"),
    "wrong hash in a later slice": (_resource_field("extra-3", hash="sha256:zz"), "sliced"),
    "bytes not a number in a later slice": (_resource_field("extra-4", bytes="many"), "whole"),
    "title not a string in a later slice": (_resource_field("extra-2", title=7), "whole"),
    "package licence without name or path": (_licence_stripped, "whole"),
    "two resources of one name": (_names_twice, "unsliced"),
}


@pytest.mark.parametrize("case", CASES)
def test_slices_find_what_one_run_finds(
    case: str, built_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, way = CASES[case]
    package = tmp_path / "package"
    shutil.copytree(built_package, package)
    _with_extra_texts(package)
    change(package)
    whole, whole_calls = _findings(package, 10**9, monkeypatch)
    sliced, calls = _findings(package, SIZE, monkeypatch)
    assert len(whole_calls) == 1
    assert sliced == whole
    runs = -(-len(_texts(package)) // SIZE)
    expected_calls = {"sliced": runs, "whole": runs + 1, "unsliced": 1}[way]
    if way == "whole":  # (the run that found it stops the others' use, not their running)
        assert 2 <= len(calls) <= expected_calls and calls[-1] == whole_calls[0]
    else:
        assert len(calls) == expected_calls
    if case != "clean":
        assert whole, "the corruption must give findings, or the comparison shows nothing"


def test_text_findings_keep_the_package_order(
    built_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    shutil.copytree(built_package, package)
    _with_extra_texts(package)
    _text_first(package)
    findings, _ = _findings(package, SIZE, monkeypatch)
    tables = [f.table for f in findings]
    assert tables[0] == "extra-4" and "paragraphs" in tables


@pytest.mark.parametrize("opened_as", [".", "datapackage.json"])
def test_a_package_opened_where_it_is_names_its_files_as_one_run_does(
    opened_as: str, built_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validated from inside its folder: a missing text is named the same way both ways."""
    package = tmp_path / "package"
    shutil.copytree(built_package, package)
    _with_extra_texts(package)
    _remove_text(4)(package)
    monkeypatch.chdir(package)
    whole, _ = _findings(package, 10**9, monkeypatch, Path(opened_as))
    sliced, calls = _findings(package, SIZE, monkeypatch, Path(opened_as))
    assert len(calls) > 1 and sliced == whole
    assert [f.rule for f in whole] == ["scheme-error"] and str(package) not in whole[0].message


def _resource(name: str, schema: Any = None) -> dict[str, Any]:
    resource: dict[str, Any] = {"name": name, "path": f"{name}.txt"}
    if schema is not None:
        resource["schema"] = schema
    return resource


def _keyed(name: str, target: str) -> dict[str, Any]:
    key = {"fields": ["a"], "reference": {"resource": target, "fields": ["a"]}}
    return _resource(name, {"fields": [{"name": "a"}], "foreignKeys": [key]})


def test_the_plan_keeps_tables_and_what_they_refer_to_in_the_first_run() -> None:
    resources = [
        _resource("t1"),
        _keyed("table", "t2"),
        _resource("t2"),
        _resource("t3"),
        _resource("t4"),
        _resource("t5"),
    ]
    descriptor = {"$schema": "v2", "name": "p", "sources": [1, 2], "resources": resources}
    runs = sliced_runs(descriptor, resources, 2)
    assert runs is not None
    assert [[r["name"] for r in run["resources"]] for run in runs] == [
        ["table", "t2", "t1", "t3"],
        ["t4", "t5"],
    ]
    assert {k: v for k, v in runs[0].items() if k != "resources"} == {
        "$schema": "v2",
        "name": "p",
        "sources": [1, 2],
    }
    assert set(runs[1]) == {"$schema", "resources"}


@pytest.mark.parametrize(
    "resources",
    [
        [_resource("a"), _resource("b")],  # no more texts than a slice
        [_resource("a"), _resource("b"), _resource("a")],  # a name twice
        [_resource("a"), _resource("b"), "c"],  # not an object
        [_resource("a"), _resource("b"), {"path": "c.txt"}],  # no name
        [_resource("a"), _resource("b"), _resource("c"), _resource("t", "schema.json")],
        [_resource("a"), _resource("b"), _resource("c"), _resource("t", {"foreignKeys": 1})],
        [_resource("a"), _resource("b"), _resource("c"), _keyed("t", 7)],  # type: ignore[arg-type]
    ],
)
def test_the_plan_declines_what_it_cannot_split_safely(resources: list[Any]) -> None:
    assert sliced_runs({"resources": resources}, resources, 2) is None


def test_a_key_without_a_resource_refers_to_its_own_table() -> None:
    resources = [_keyed("self", ""), _resource("a"), _resource("b"), _resource("c")]
    runs = sliced_runs({"resources": resources}, resources, 2)
    assert runs is not None and [r["name"] for r in runs[0]["resources"]] == ["self", "a", "b"]
