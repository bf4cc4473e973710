"""`dprk-records timeline NAME`: a readable career, JSON, and a one-line error for a wrong name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dprk_records.cli import main

from .careers import BUREAU_MEMBER
from .conftest import COMMITTED_PACKAGE, REPORT_ID, SPEECH_ID


def test_a_career_by_name(career_package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "ryo chang-sik", "--package", str(career_package)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Ryo Chang Sik (ryo-chang-sik)",
        "  2020-04-11  attended: meeting of the Political Bureau of the Central Committee of the "
        "WPK (3rd in list)  [career-2020-04]",
        f"  2020-04-11  elected: {BUREAU_MEMBER}, at meeting of the Political Bureau of the "
        "Central Committee of the WPK  [career-2020-04]",
        f"  2020-04-12  title: {BUREAU_MEMBER} (first seen)  [career-2020-04]",
        "  2021-03-02  guided: visit to the Hungnam Fertilizer Complex  [career-2021-03]",
        f"  2021-03-03  title: {BUREAU_MEMBER}  [career-2021-03]",
        f"  2022-06-10  recalled: {BUREAU_MEMBER}, at 5th Plenary Meeting of the 8th Central "
        "Committee of the WPK  [career-2022-06]",
    ]


def test_kim_jong_un_from_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "Kim Jong Un", "--package", str(COMMITTED_PACKAGE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Kim Jong Un (kim-jong-un)"
    event = "6th Conference of Cell Secretaries of the WPK"
    assert f"  2021-04-06  guided: {event}  [{REPORT_ID}]" in out
    assert f"  2021-04-06  opening address: {event}  [{SPEECH_ID}]" in out
    assert f"  2021-04-07  title: General Secretary of the WPK (first seen)  [{REPORT_ID}]" in out


def test_json(career_package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "kim-chol", "--package", str(career_package), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["person_id"], data["name"]) == ("kim-chol", "Kim Chol")
    assert [(e["kind"], e["date"], e["date_basis"]) for e in data["entries"]] == [
        ("participation", "2021-03-02", "event_start"),
        ("title", "2021-03-03", "as_of"),
        ("change", "2022-06-11", "published"),
        ("title", "2022-06-11", "as_of"),
    ]


def test_an_unknown_name_exits_2_with_close_matches(
    career_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["timeline", "Ryo Chang Sok", "--package", str(career_package)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"dprk-records timeline: error: no person 'Ryo Chang Sok' in the package at "
        f"{career_package.resolve()}; close matches: Ryo Chang Sik (ryo-chang-sik)"
    ]


def test_a_missing_package_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "Kim Jong Un", "--package", str(tmp_path / "none")]) == 2
    assert "not a data package folder" in capsys.readouterr().err
