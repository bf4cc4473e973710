"""`dprk-records add`: a new text goes into seeds/, the manifest and the package, or nothing does.

Every test works on a copy of the repository's data side (tests/checkouts.py) and adds
tests/corpus/add/kcna_add_01_cement_industry_review_meeting.txt, a KCNA-style report written for
these tests: a meeting at which a person already in the seeds (Jo Yong Won) appears with a new
title, four new persons speak or attend, and a figure is stated.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from dprk_records.add import command as add_module
from dprk_records.add.candidate import id_taken_by
from dprk_records.add.changelog import insert_entry
from dprk_records.add.command import AddError, Metadata, add_document
from dprk_records.add.ids import new_document_id, next_number
from dprk_records.add.reproduce import stale_package_files
from dprk_records.add.transaction import Transaction
from dprk_records.cli import main
from dprk_records.errors import DprkRecordsError
from dprk_records.release.snapshot import open_snapshot
from dprk_records.render.dictionary import registry_dictionary
from dprk_records.validate import validate_package
from dprk_records.validate.report import Finding, Report
from dprk_records.validate.versioning import changelog_has_entry

from .checkouts import ADD_DATE, ADD_TEXT, make_checkout, record_release, tree_bytes
from .conftest import REPORT_ID, SPEECH_ID

URL = "https://example.org/kcna/cement-industry-review"
SHA = hashlib.sha256(ADD_TEXT.read_bytes()).hexdigest()
NEW_ID = f"005_{SHA[:16]}"
NEW_PERSONS = {"han-sok-chol", "choe-un-hui", "rim-kwang-su", "kang-song-ae"}


@pytest.fixture
def checkout(built_package: Path, tmp_path: Path) -> Path:
    return make_checkout(tmp_path / "repo", built_package)


def add(checkout: Path, *options: str, text: Path = ADD_TEXT) -> int:
    return main(["add", str(text), "--checkout", str(checkout), *options])


def manifest_rows(checkout: Path) -> list[dict[str, str]]:
    text = (checkout / "seeds" / "manifest.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_add_puts_a_new_text_into_seeds_manifest_and_package(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest_before = (checkout / "seeds" / "manifest.csv").read_bytes()
    assert add(checkout, "--published", ADD_DATE, "--url", URL) == 0
    out = capsys.readouterr().out

    # the seed: byte for byte, under NNN_<sha prefix>, the next number after 000 and 004
    assert (checkout / "seeds" / f"{NEW_ID}.txt").read_bytes() == ADD_TEXT.read_bytes()
    # the manifest: the old rows untouched, one row appended with what was stated and derived
    manifest_after = (checkout / "seeds" / "manifest.csv").read_bytes()
    assert manifest_after.startswith(manifest_before)
    assert [r["document_id"] for r in manifest_rows(checkout)] == [REPORT_ID, SPEECH_ID, NEW_ID]
    row = manifest_rows(checkout)[-1]
    assert row == {
        "document_id": NEW_ID,
        "title": "Meeting Reviews Half-year Work of Cement Industry",
        "publisher": "KCNA",
        "kind": "report",
        "published": ADD_DATE,
        "date_basis": "dateline+manifest",
        "url": URL,
        "sha256": SHA,
    }

    # the package: exactly the build of the new seeds, and valid
    package = checkout / "datapackage"
    assert stale_package_files(checkout / "seeds", package, environ={}) == []
    report = validate_package(package, checkout=checkout)
    assert report.valid, [f.message for f in report.findings]
    tables = open_snapshot(package).tables
    document = next(r for r in tables["documents"] if r["document_id"] == NEW_ID)
    assert (document["published"], document["url"]) == (ADD_DATE, URL)
    assert (package / "sources" / f"{NEW_ID}.txt").read_bytes() == ADD_TEXT.read_bytes()
    assert {r["person_id"] for r in tables["persons"]} >= NEW_PERSONS
    assert any(r["document_id"] == NEW_ID for r in tables["events"])
    # the data dictionary counts rows: it is rewritten with the package
    assert (checkout / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == (
        registry_dictionary(package)
    )

    # what it adds and the bump it requires
    assert f"added {NEW_ID}" in out
    assert "4 new person(s): Choe Un Hui; Han Sok Chol; Kang Song Ae; Rim Kwang Su" in out
    assert "Jo Yong Won: secretary of the Central Committee of the WPK" in out  # a new title
    assert re.search(r"1 new event\(s\): [^\n]*cement industry \(2024-07-02\)", out)
    assert "`persons` +4" in out and "WARNING" not in out
    assert "Required version bump: MINOR (1 document(s) added)" in out
    version = json.loads((checkout / "schemas" / "package.json").read_text())["version"]
    assert f"nothing is released yet; {version} (unreleased) covers it" in out
    assert f"## {version} (unreleased)" in out and f"- Added document `{NEW_ID}`" in out
    assert "Still to do" not in out


def test_the_same_text_twice_is_refused_and_changes_nothing(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(checkout, "--published", ADD_DATE) == 0
    capsys.readouterr()
    before = tree_bytes(checkout)
    assert add(checkout, "--published", ADD_DATE) == 2
    err = capsys.readouterr().err
    assert f"already in the dataset as {NEW_ID}" in err and "nothing was added" in err
    # re-saved with Windows line endings: still the same text
    resaved = tmp_path / "resaved.txt"
    resaved.write_bytes(ADD_TEXT.read_bytes().replace(b"\n", b"\r\n"))
    assert add(checkout, text=resaved) == 2
    assert "differing only in line endings" in capsys.readouterr().err
    # a seed already in the repository
    assert add(checkout, text=checkout / "seeds" / f"{REPORT_ID}.txt") == 2
    assert f"already in the dataset as {REPORT_ID}" in capsys.readouterr().err
    assert tree_bytes(checkout) == before


def next_minor(version: str) -> str:
    """The version a package needs after ``version`` when documents are added."""
    major, minor, _ = (int(part) for part in version.split("."))
    return f"{major}.{minor + 1}.0"


def test_after_a_release_the_required_version_is_the_next_minor(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("LICENSE", "DATA-LICENSE.md"):
        assert (checkout / name).is_file()
    released = record_release(checkout)
    changelog = (checkout / "CHANGELOG.md").read_bytes()
    meta = (checkout / "schemas" / "package.json").read_bytes()
    assert add(checkout, "--published", ADD_DATE) == 0
    out = capsys.readouterr().out
    wanted = next_minor(released)
    assert f"the newest release is {released}; the package needs at least {wanted}" in out
    assert "Still to do" in out and f"must be at least {wanted}" in out
    # without --changelog the version and the CHANGELOG are the maintainer's to edit
    assert (checkout / "CHANGELOG.md").read_bytes() == changelog
    assert (checkout / "schemas" / "package.json").read_bytes() == meta


def test_changelog_option_records_the_entry_and_the_version(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    released = record_release(checkout)
    wanted = next_minor(released)
    assert add(checkout, "--published", ADD_DATE, "--changelog") == 0
    out = capsys.readouterr().out
    changelog = (checkout / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog_has_entry(changelog, wanted)
    new_section = changelog.split(f"## {wanted} (unreleased)\n\n", 1)[1].split("\n## ", 1)[0]
    assert new_section.startswith(f"- Added document `{NEW_ID}`")
    assert "- New persons: Choe Un Hui; Han Sok Chol; Kang Song Ae; Rim Kwang Su." in new_section
    assert changelog.index(f"## {wanted}") < changelog.index(f"## {released}")
    meta = json.loads((checkout / "schemas" / "package.json").read_text(encoding="utf-8"))
    assert meta["version"] == wanted
    assert open_snapshot(checkout / "datapackage").version == wanted
    assert f"Set the version in schemas/package.json to {wanted}" in out
    report = validate_package(checkout / "datapackage", checkout=checkout)
    assert report.valid, [f.message for f in report.findings]  # the version check included


def test_a_text_the_build_refuses_changes_nothing(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_bytes(checkout)
    assert add(checkout, "--published", "2024-07-04") == 2  # the dateline says July 3
    err = capsys.readouterr().err
    assert "the dateline says 'July 3'" in err and "nothing was added" in err
    assert tree_bytes(checkout) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "the file is empty", id="empty"),
        pytest.param(b"Pyongyang\x00\x01", "binary", id="binary"),
        pytest.param(b"Pyongyang \xff\xfe", "not valid UTF-8", id="not-utf8"),
    ],
)
def test_unusable_texts_are_refused(
    checkout: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    before = tree_bytes(checkout)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(DprkRecordsError, match=message):
        add_document(checkout, bad)
    assert tree_bytes(checkout) == before


def test_a_failing_gate_changes_nothing(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_gate(*args: Any, **kwargs: Any) -> Report:
        report = validate_package(*args, **kwargs)
        report.checks[0].findings.append(Finding("profile", "injected", "an injected problem"))
        return report

    monkeypatch.setattr(add_module, "validate_package", failing_gate)
    before = tree_bytes(checkout)
    with pytest.raises(AddError, match=r"(?s)fails the validation gate.*an injected problem"):
        add_document(checkout, ADD_TEXT, Metadata(published=None), environ={})
    assert tree_bytes(checkout) == before


def test_a_failure_while_writing_rolls_everything_back(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_release(checkout)
    written: list[Path] = []
    real_write = Transaction.write

    def write(self: Transaction, path: Path, data: bytes) -> None:
        real_write(self, path, data)
        written.append(path)

    def replace_folder(self: Transaction, target: Path, source: Path) -> None:
        raise OSError("disk full (injected)")

    monkeypatch.setattr(Transaction, "write", write)
    monkeypatch.setattr(Transaction, "replace_folder", replace_folder)
    before = tree_bytes(checkout)
    with pytest.raises(OSError, match="injected"):
        add_document(checkout, ADD_TEXT, Metadata(published=None), changelog=True, environ={})
    names = {p.name for p in written}
    assert {f"{NEW_ID}.txt", "manifest.csv", "package.json", "CHANGELOG.md"} <= names
    assert tree_bytes(checkout) == before  # every one of them undone


def test_changelog_command_prints_the_entry_for_two_packages(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tmp_path / "before"
    shutil.copytree(checkout / "datapackage", before)
    version = open_snapshot(before).version
    assert add(checkout, "--published", ADD_DATE) == 0
    capsys.readouterr()
    assert main(["changelog", str(before), str(checkout / "datapackage")]) == 0
    out = capsys.readouterr().out
    # a document added to the package of version V needs V's next minor
    assert out.startswith(f"## {next_minor(version)} (unreleased)\n\n")
    assert f"- Added document `{NEW_ID}`" in out and "- New events:" in out


def test_build_check_compares_without_writing(
    built_package: Path, package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = str(Path(__file__).resolve().parents[1] / "seeds")
    assert main(["build", "--check", "--seeds", seeds, "--out", str(built_package)]) == 0
    persons = package_copy / "data" / "persons.csv"
    persons.write_bytes(persons.read_bytes() + b"x,y,z,w\n")
    before = tree_bytes(package_copy)
    assert main(["build", "--check", "--seeds", seeds, "--out", str(package_copy)]) == 1
    assert "data/persons.csv" in capsys.readouterr().err
    assert tree_bytes(package_copy) == before


def test_document_ids_take_the_next_number_and_the_hash_prefix() -> None:
    sha = "ab" * 32
    assert new_document_id([REPORT_ID, SPEECH_ID], sha) == f"005_{sha[:16]}"
    assert new_document_id([], sha) == f"000_{sha[:16]}"
    assert next_number(["007_00", "bulletin", "002_ff"]) == 8
    assert id_taken_by(f"005_{sha[:16]}", {REPORT_ID, SPEECH_ID}) is None
    assert id_taken_by(f"005_{sha[:16]}", {f"003_{sha[:16]}"}) == f"003_{sha[:16]}"
    assert id_taken_by(f"005_{sha[:16]}", {"005_0000000000000000"}) == "005_0000000000000000"


CHANGELOG = """# Changelog

Intro.

## 0.2.0 (unreleased)

- Something.

## 0.1.0

- First.
"""


@pytest.mark.parametrize(
    ("text", "version", "expected"),
    [
        pytest.param(
            CHANGELOG,
            "0.3.0",
            CHANGELOG.replace("## 0.2.0", "## 0.3.0 (unreleased)\n\n- New.\n\n## 0.2.0"),
            id="new-heading-above-the-newest",
        ),
        pytest.param(
            CHANGELOG,
            "0.2.0",
            CHANGELOG.replace("- Something.\n", "- Something.\n- New.\n"),
            id="under-an-existing-heading",
        ),
        pytest.param(
            CHANGELOG,
            "0.1.0",
            CHANGELOG.replace("- First.\n", "- First.\n- New.\n"),
            id="under-the-last-heading",
        ),
        pytest.param(
            "# Changelog\n\n## 1.0.0\n",
            "1.0.0",
            "# Changelog\n\n## 1.0.0\n\n- New.\n",
            id="heading-without-body",
        ),
        pytest.param("", "0.1.0", "# Changelog\n\n## 0.1.0 (unreleased)\n\n- New.\n", id="empty"),
        pytest.param(
            "# Changelog\n",
            "0.1.0",
            "# Changelog\n\n## 0.1.0 (unreleased)\n\n- New.\n",
            id="no-entry",
        ),
    ],
)
def test_insert_entry(text: str, version: str, expected: str) -> None:
    result = insert_entry(text, version, ["- New."])
    assert result == expected
    assert changelog_has_entry(result, version)
