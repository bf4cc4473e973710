"""The first layer of the gate: frictionless, the official profile, and rows vs JSON Schemas."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dprk_records.cli import main
from dprk_records.validate import validate_package

from .conftest import COMMITTED_PACKAGE


def test_committed_package_is_valid() -> None:
    report = validate_package(COMMITTED_PACKAGE)
    assert report.valid, [f.message for f in report.findings]
    assert [c.name for c in report.checks] == [
        "files",
        "profile",
        "registry",
        "frictionless",
        "parquet",
        "rows",
        "sources",
        "spans",
        "titles",
        "orders",
        "references",
        "corrections",
        "version",
        "releases",
        "popolo",
    ]


def test_frictionless_cli_reports_valid() -> None:
    exe = shutil.which("frictionless")
    assert exe, "the frictionless CLI comes with the [build] extra"
    result = subprocess.run(
        [exe, "validate", "datapackage.json"], cwd=COMMITTED_PACKAGE, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout


def _edit_csv(package: Path, table: str, old: str, new: str) -> None:
    path = package / "data" / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_descriptor(package: Path, change: Callable[[dict], None]) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text())
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2))


def wrong_type(p: Path) -> tuple[str, str, str | None]:
    _edit_csv(p, "documents", ",21688,", ",21688.5,")
    return "rows", "documents", "char_count"


def enum_violation(p: Path) -> tuple[str, str, str | None]:
    _edit_csv(p, "corrections", ",ocr,", ",typo,")
    return "rows", "corrections", "correction_kind"


def duplicate_primary_key(p: Path) -> tuple[str, str, str | None]:
    path = p / "data" / "paragraphs.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]))
    return "frictionless", "paragraphs", None


def orphan_foreign_key(p: Path) -> tuple[str, str, str | None]:
    _edit_csv(p, "corrections", "000_4f944ba05b264b4e,3552", "999_nope,3552")
    return "frictionless", "corrections", None


def descriptor_field_removed(p: Path) -> tuple[str, str | None, str | None]:
    _edit_descriptor(p, lambda d: d.pop("resources"))
    return "profile", None, None


def bad_license(p: Path) -> tuple[str, str | None, str | None]:
    _edit_descriptor(p, lambda d: d["licenses"][0].pop("name") and d["licenses"][0].pop("path"))
    return "profile", None, None


def schema_drift(p: Path) -> tuple[str, str | None, str | None]:
    _edit_descriptor(p, lambda d: d["resources"][0]["schema"]["fields"][1].update(type="integer"))
    return "registry", "documents", None


CASES = [
    wrong_type,
    enum_violation,
    duplicate_primary_key,
    orphan_foreign_key,
    descriptor_field_removed,
    bad_license,
    schema_drift,
]


@pytest.mark.parametrize("corrupt", CASES, ids=[c.__name__ for c in CASES])
def test_corruption_is_caught_by_the_intended_check(corrupt: Callable, package_copy: Path) -> None:
    check, table, field = corrupt(package_copy)
    report = validate_package(package_copy)
    assert not report.valid
    assert check in report.failed_checks()
    hits = [f for f in report.findings if f.check == check]
    if table:
        assert any(f.table == table for f in hits), hits
    if field:
        assert any(f.field == field and f.row is not None for f in hits), hits


def test_cli_exit_codes_and_json(package_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(package_copy)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("VALID")
    enum_violation(package_copy)
    assert main(["validate", str(package_copy), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False
    failing = [c for c in data["checks"] if not c["passed"]]
    assert failing[0]["findings"][0]["table"] == "corrections"
    assert main(["validate", str(package_copy / "missing")]) == 2
    assert "no datapackage.json here" in capsys.readouterr().err


def test_a_crashing_check_fails_closed(package_copy: Path) -> None:
    from dprk_records.validate import Check

    def broken(ctx: object) -> list:
        raise KeyError("fields")

    report = validate_package(package_copy, [Check("broken", "raises", broken)])
    assert not report.valid
    assert report.findings[0].rule == "check-crashed" and "KeyError" in report.findings[0].message


def test_notes_say_what_a_check_could_not_do(package_copy: Path) -> None:
    from dprk_records.validate.report import render_json, render_text

    report = validate_package(package_copy)
    assert report.valid
    assert "note: no release yet" in render_text(report)
    version = next(c for c in json.loads(render_json(report))["checks"] if c["name"] == "version")
    assert any("CHANGELOG.md not checked" in note for note in version["notes"])
