"""The command line's contract, held for every sub-command the parser has (issue 14): an example
in each --help that the parser accepts, -V/--version, one exit-code table, and a JSON error object
on standard output when a command offering --json fails. A command added later is checked by
being in the parser; nothing here lists the commands."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from dprk_records import cli
from dprk_records.__about__ import __version__
from dprk_records.add.changelog import release_status
from dprk_records.cli import EXIT_CODES, _parser, main, subcommands
from dprk_records.errors import DprkRecordsError
from dprk_records.schemas import package_meta

from .conftest import COMMITTED_PACKAGE, REPO
from .doc_commands import cli_problem, commands

SUBCOMMANDS = subcommands(_parser())
JSON_COMMANDS = sorted(
    name
    for name, parser in SUBCOMMANDS.items()
    if any("--json" in action.option_strings for action in parser._actions)
)


def examples(parser: argparse.ArgumentParser) -> list[list[str]]:
    """The command lines under the "example(s):" heading of a parser's epilog, as argv."""
    epilog = parser.epilog or ""
    _, heading, block = epilog.partition("example")
    assert heading, f"{parser.prog}: no example in its epilog"
    return commands(block.split("\n", 1)[1])


def no_traceback(text: str) -> bool:
    return "Traceback" not in text and 'File "' not in text


def json_error(out: str) -> dict[str, Any]:
    """The error object of a --json failure, checking it is the whole of standard output."""
    document = json.loads(out)
    assert list(document) == ["error"]
    error = document["error"]
    assert {"code", "kind", "message", "command"} <= set(error)
    return error


def test_the_parser_has_the_commands_this_file_checks() -> None:
    assert {"build", "validate", "diff", "changelog", "timeline", "info"} <= set(SUBCOMMANDS)
    assert {"validate", "evaluate", "timeline"} <= set(JSON_COMMANDS)


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_help_shows_an_example(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: dprk-records {name}" in out
    assert "\nexample:\n  dprk-records " in out or "\nexamples:\n  dprk-records " in out


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_example_parses_as_that_command(name: str) -> None:
    found = examples(SUBCOMMANDS[name])
    assert found
    for argv in found:
        assert argv[:2] == ["dprk-records", name], argv
        assert cli_problem(argv[1:]) is None, argv


def test_the_top_level_help_has_the_exit_codes_and_an_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert [code for code, _ in EXIT_CODES] == [0, 1, 2, 3, 130]
    for code, meaning in EXIT_CODES:
        assert f"{code} {' '.join(meaning.split())}" in out
    for argv in examples(_parser()):
        assert cli_problem(argv[1:]) is None, argv


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([flag])
    assert exit_.value.code == 0
    captured = capsys.readouterr()
    data = package_meta().version
    assert captured.out == f"dprk-records {__version__} (data package {data})\n"
    assert captured.err == ""


# -- --json failures --------------------------------------------------------------------------


def test_validate_a_missing_package_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none"
    assert main(["validate", str(missing), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ""
    error = json_error(captured.out)
    assert (error["code"], error["kind"], error["command"]) == (2, "PackageError", "validate")
    assert error["message"].startswith(f"{missing}: ")


def test_validate_an_unknown_release_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--release", "9.9.9", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ""
    error = json_error(captured.out)
    assert (error["code"], error["kind"], error["command"]) == (
        2,
        "UnknownVersionError",
        "validate",
    )
    assert "'9.9.9' is not a known release (known: " in error["message"]


def test_without_json_the_same_failure_is_one_line_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "--release", "9.9.9"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("dprk-records validate: error: data version '9.9.9' is not")
    assert len(captured.err.splitlines()) == 1


def test_evaluate_without_its_gold_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", "--gold", str(tmp_path / "none"), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ""
    error = json_error(captured.out)
    assert (error["code"], error["kind"], error["command"]) == (2, "GoldError", "evaluate")
    assert f"{tmp_path / 'none'}: gold folder not found" in error["message"]


def test_timeline_of_an_unknown_name_as_json_suggests_persons(
    career_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["timeline", "Ryo Chang Sok", "--package", str(career_package), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ""
    error = json_error(captured.out)
    assert error == {
        "code": 2,
        "kind": "UnknownPersonError",
        "message": f"no person 'Ryo Chang Sok' in the package at {career_package.resolve()}; "
        "close matches: Ryo Chang Sik (ryo-chang-sik)",
        "command": "timeline",
        "suggestions": [{"person_id": "ryo-chang-sik", "name": "Ryo Chang Sik"}],
    }


@pytest.mark.parametrize("name", JSON_COMMANDS)
@pytest.mark.parametrize(
    ("raised", "code", "kind"),
    [
        (DprkRecordsError("refused: the reason"), 2, "DprkRecordsError"),
        (PermissionError(13, "Permission denied", "/some/file"), 2, "PermissionError"),
        (RuntimeError("unexpected"), 3, "internal"),
        (KeyboardInterrupt(), 130, "interrupted"),
    ],
    ids=["error", "oserror", "bug", "interrupt"],
)
def test_every_json_command_fails_in_json(
    name: str,
    raised: BaseException,
    code: int,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Whatever a command offering --json raises, its failure is the JSON object, exit code
    included; the command line is its own first example with --json."""
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)

    def fail(args: argparse.Namespace) -> int:
        raise raised

    monkeypatch.setattr(cli, SUBCOMMANDS[name].get_default("func").__name__, fail)
    argv = examples(SUBCOMMANDS[name])[0][1:]
    assert main([*argv, "--json"] if "--json" not in argv else argv) == code
    captured = capsys.readouterr()
    assert captured.err == ""
    error = json_error(captured.out)
    assert (error["code"], error["kind"], error["command"]) == (code, kind, name)
    assert no_traceback(error["message"])
    if kind == "PermissionError":
        assert (error["message"], error["path"]) == ("/some/file: Permission denied", "/some/file")
    if kind == "internal":
        assert "RuntimeError: unexpected" in error["message"] and "bug" in error["message"]


def test_refused_arguments_with_json_are_a_json_error_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--no-such-option", "--json"])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    error = json_error(captured.out)
    assert error == {
        "code": 2,
        "kind": "usage",
        "message": "unrecognized arguments: --no-such-option",
        "command": "validate",
    }
    assert "usage: dprk-records" in captured.err and no_traceback(captured.err)


def test_refused_arguments_without_json_print_only_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--no-such-option"])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("error: unrecognized arguments: --no-such-option\n")


# -- diff and changelog name what is missing, and a released version as released ---------------


def recorded_checkout(root: Path, changelog: str) -> Path:
    """A folder with releases/0.1.0 (the real recorded release) and the given CHANGELOG.md."""
    shutil.copytree(REPO / "releases" / "0.1.0", root / "releases" / "0.1.0")
    (root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    return root


@pytest.mark.parametrize("command", ["diff", "changelog"])
def test_a_release_never_recorded_is_named_as_such(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = recorded_checkout(tmp_path, "# Changelog\n")
    missing = checkout / "releases" / "0.9.0"
    assert main([command, str(missing), str(checkout / "releases" / "0.1.0")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"dprk-records {command}: error: {missing}: no release 0.9.0 is recorded under "
        f"{checkout / 'releases'}/ (recorded: 0.1.0)\n"
    )


@pytest.mark.parametrize("command", ["diff", "changelog"])
def test_a_missing_package_is_not_found(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = recorded_checkout(tmp_path, "# Changelog\n")
    missing = tmp_path / "elsewhere" / "datapackage"
    assert main([command, str(checkout / "releases" / "0.1.0"), str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dprk-records {command}: error: {missing}: not found (")
    assert "build the package first" not in err


def test_changelog_heads_a_released_version_with_its_release_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = recorded_checkout(tmp_path, "# Changelog\n\n## 0.1.0 (2026-11-24)\n\n- First.\n")
    release = str(checkout / "releases" / "0.1.0")
    assert main(["changelog", release, release]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## 0.1.0 (2026-11-24)\n\n")
    assert "unreleased" not in out


def test_changelog_heads_a_registered_version_released_without_a_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the loader registry (packaged, lists 0.1.0) knows this version is out."""
    package = tmp_path / "package"
    shutil.copytree(REPO / "releases" / "0.1.0", package)
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n", encoding="utf-8")
    assert main(["changelog", str(package), str(package), "--checkout", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("## 0.1.0 (released)\n\n")


@pytest.mark.parametrize(
    ("version", "released", "changelog", "status"),
    [
        ("0.2.0", {"0.1.0"}, "## 0.2.0 (unreleased)\n", "unreleased"),
        ("0.1.0", {"0.1.0"}, "## 0.2.0 (2027-01-01)\n\n## 0.1.0 (2026-11-24)\n", "2026-11-24"),
        ("0.1.0", {"0.1.0"}, "## [0.1.0] - 2026-11-24\n", "2026-11-24"),
        ("0.1.0", {"0.1.0"}, "## 0.1.0\n\n- Released 2026-11-24.\n", "released"),
        ("0.1.0", set(), "## 0.1.0 (2026-11-24)\n", "unreleased"),
    ],
    ids=["unreleased", "dated", "keep-a-changelog", "date-only-in-body", "not-recorded"],
)
def test_release_status(version: str, released: set[str], changelog: str, status: str) -> None:
    assert release_status(version, released, changelog) == status


def test_a_reader_that_goes_away_is_not_an_error() -> None:
    """`dprk-records info | head -1`: the pipe closes before the command writes; it exits 0
    and says nothing about a broken pipe."""
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "dprk_records.cli", "info", "--path", str(COMMITTED_PACKAGE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the interpreter has even started
    err = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=60) == 0
    assert "Broken pipe" not in err and "Traceback" not in err
