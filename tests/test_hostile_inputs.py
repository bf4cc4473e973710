"""The hostile and careless inputs of the build and the gate, each a row of the probe table.

Every probe runs the command line as a user would and requires: the documented exit code, a
message naming the file and the reason, no Python traceback, nothing of the user's lost, and no
byte from outside the seeds or the package read or quoted. Probes that could block for ever (a
FIFO) run in a subprocess with a timeout, so a regression fails instead of hanging the suite.
The loader's, `add`'s, the release records' and the viewer's probes are in their own files
(tests/loader/test_loader_hostile.py, tests/test_hostile_add.py, tests/test_hostile_release.py,
tests/test_hostile_viewer.py).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dprk_records.cli import EXIT_ERROR, EXIT_INVALID, EXIT_OK, main
from dprk_records_tools.faults.tables import edit_rows, read_table

from .checkouts import ADD_DATE, ADD_TEXT, make_checkout, tree_bytes
from .conftest import REPORT_ID, SEEDS

SECRET = "a line of someone else's file that must never be shipped or printed"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run the CLI in this process; an uncaught exception fails the test with its traceback."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def run_apart(*argv: str, timeout: float = 120) -> tuple[int, str]:
    """Run the CLI in a subprocess, for probes that could block or print a traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "dprk_records.cli", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "DPRK_RECORDS_DEBUG": ""},
    )
    return done.returncode, done.stdout + done.stderr


def manifest_free_seeds(tmp_path: Path) -> Path:
    """The real seed texts without their manifest: every *.txt of the folder is a seed."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copyfile(path, seeds / path.name)
    return seeds


def a_secret(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    return secret


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every entry under folder (links not followed): files with their bytes, folders as None."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        found[path.relative_to(folder).as_posix()] = (
            path.read_bytes() if stat.S_ISREG(mode) else None
        )
    return found


# -- data loss -------------------------------------------------------------------------------------


def test_build_refuses_an_out_folder_holding_other_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A repository with a datapackage.json, .git and notebooks is not the build's to replace."""
    work = tmp_path / "work"
    (work / ".git").mkdir(parents=True)
    (work / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (work / "analysis.ipynb").write_text("{}")
    (work / "datapackage.json").write_text('{"name": "my-own"}')
    before = tree(work)
    code, output = run(capsys, "build", "--seeds", str(SEEDS), "--out", str(work), "--quiet")
    assert code == EXIT_ERROR
    assert f"{work}: holds files a build did not write (.git/, analysis.ipynb)" in output
    assert tree(work) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def test_build_replaces_its_own_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "datapackage"
    assert run(capsys, "build", "--seeds", str(SEEDS), "--out", str(out), "--quiet")[0] == EXIT_OK
    (out / "data" / "persons.csv").write_text("stale\n")
    assert run(capsys, "build", "--seeds", str(SEEDS), "--out", str(out), "--quiet")[0] == EXIT_OK
    assert (out / "data" / "persons.csv").read_text().startswith("person_id,")


def test_build_never_writes_into_a_release_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    released = tmp_path / "releases" / "0.1.0"
    released.mkdir(parents=True)
    code, output = run(capsys, "build", "--seeds", str(SEEDS), "--out", str(released), "--quiet")
    assert code == EXIT_ERROR and "published releases and are never rebuilt" in output
    assert not any(released.iterdir())


def test_a_killed_build_is_recovered_by_the_next_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Killed between its two renames: the package is aside and the target missing. The next
    run -- even one that fails at once -- puts it back and removes the leftovers."""
    out = tmp_path / "datapackage"
    run(capsys, "build", "--seeds", str(SEEDS), "--out", str(out), "--quiet")
    before = tree(out)
    out.rename(tmp_path / ".datapackage.old-1a2b3c4d")
    (tmp_path / ".datapackage.new-5e6f7a8b" / "data").mkdir(parents=True)
    code, output = run(capsys, "build", "--seeds", str(tmp_path / "none"), "--out", str(out))
    assert code == EXIT_ERROR and "seeds folder not found" in output
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackage"]


def test_package_folders_follow_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not mkdtemp's 0700: others may read a package as they may read any folder the user makes."""
    out = tmp_path / "datapackage"
    reference = tmp_path / "reference"
    reference.mkdir()
    run(capsys, "build", "--seeds", str(SEEDS), "--out", str(out), "--quiet")
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)


# -- outside reads ---------------------------------------------------------------------------------


def test_a_seed_that_is_a_link_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = manifest_free_seeds(tmp_path)
    (seeds / "borrowed.txt").symlink_to(a_secret(tmp_path))
    out = tmp_path / "out"
    code, output = run(capsys, "build", "--seeds", str(seeds), "--out", str(out), "--quiet")
    assert code == EXIT_ERROR
    assert (
        f"{seeds / 'borrowed.txt'}: it is a symbolic link, not a regular file; a seed must be a plain text file"
        in output
    )
    assert SECRET not in output and not out.exists()


def test_a_manifest_that_is_a_link_is_refused(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = seeds_copy / "manifest.csv"
    real = tmp_path / "manifest-elsewhere.csv"
    shutil.move(manifest, real)
    manifest.symlink_to(real)
    code, output = run(capsys, "build", "--seeds", str(seeds_copy), "--out", str(tmp_path / "o"))
    assert code == EXIT_ERROR and f"{manifest}: it is a symbolic link" in output


def _package_with(tmp_path: Path, built_package: Path) -> Path:
    package = tmp_path / "package"
    shutil.copytree(built_package, package)
    return package


def test_validate_refuses_a_table_linked_out_of_the_package(
    tmp_path: Path, built_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same bytes outside: hashes agree, and still the link is named and never opened."""
    package = _package_with(tmp_path, built_package)
    csv_file = package / "data" / "persons.csv"
    outside = tmp_path / "persons-elsewhere.csv"
    shutil.move(csv_file, outside)
    csv_file.symlink_to(outside)
    code, output = run(capsys, "validate", str(package), "--quiet")
    assert code == EXIT_INVALID
    assert (
        "data/persons.csv: it is a symbolic link; only files inside the package are read" in output
    )


def test_validate_never_quotes_a_source_linked_out_of_the_package(
    tmp_path: Path, built_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = _package_with(tmp_path, built_package)
    source = package / "sources" / f"{REPORT_ID}.txt"
    source.unlink()
    source.symlink_to(a_secret(tmp_path))
    code, output = run(capsys, "validate", str(package), "--json")
    assert code == EXIT_INVALID
    assert SECRET not in output
    findings = json.loads(output)
    assert any(
        f["check"] == "files" and f"sources/{REPORT_ID}.txt: it is a symbolic link" in f["message"]
        for f in _findings(findings)
    )


def _findings(report: dict) -> list[dict]:
    return [f for check in report["checks"] for f in check["findings"]]


@pytest.mark.parametrize("where", ["../outside.csv", "ABSOLUTE"])
def test_validate_refuses_a_resource_path_out_of_the_package(
    where: str, tmp_path: Path, built_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = _package_with(tmp_path, built_package)
    outside = tmp_path / "outside.csv"
    outside.write_text(f"person_id,name\n{SECRET},x\n")
    path = str(outside) if where == "ABSOLUTE" else where
    descriptor = json.loads((package / "datapackage.json").read_text())
    next(r for r in descriptor["resources"] if r["name"] == "persons")["path"] = path
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    code, output = run(capsys, "validate", str(package))
    assert code == EXIT_INVALID
    assert f"{path}: " in output and SECRET not in output


# -- wrong results ---------------------------------------------------------------------------------


def test_a_title_given_to_another_person_of_its_sentence_is_invalid(
    tmp_path: Path, built_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One positions.person_id changed to the person named just before the title (hashes are
    refreshed): both are in the sentence, the span still says the title, the gate says whose."""
    package = _package_with(tmp_path, built_package)
    _, positions = read_table(package, "positions")
    row = next(r for r in positions if r["person_id"] == "jong-sang-hak")

    def move(rows: list[dict[str, str]]) -> None:
        for each in rows:
            if each == row:
                each["person_id"] = "jo-yong-won"

    edit_rows(package, "positions", move)
    code, output = run(capsys, "validate", str(package))
    assert code == EXIT_INVALID
    assert "[title-not-own]" in output and "'jo-yong-won'" in output


# -- hangs -----------------------------------------------------------------------------------------


@needs_fifo
def test_a_fifo_among_the_seeds_is_refused_without_blocking(tmp_path: Path) -> None:
    seeds = manifest_free_seeds(tmp_path)
    os.mkfifo(seeds / "pipe.txt")
    code, output = run_apart("build", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == EXIT_ERROR
    assert "pipe.txt: it is a FIFO (named pipe), not a regular file" in output
    assert "Traceback" not in output


@needs_fifo
def test_a_fifo_as_a_table_of_the_package_is_refused_without_blocking(
    tmp_path: Path, built_package: Path
) -> None:
    package = _package_with(tmp_path, built_package)
    (package / "data" / "persons.csv").unlink()
    os.mkfifo(package / "data" / "persons.csv")
    code, output = run_apart("validate", str(package), "--workers", "1")
    assert code == EXIT_INVALID
    assert "data/persons.csv: it is a FIFO (named pipe), not a regular file" in output
    assert "Traceback" not in output


# -- tracebacks ------------------------------------------------------------------------------------


def test_a_folder_named_like_a_seed_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = manifest_free_seeds(tmp_path)
    (seeds / "x.txt").mkdir()
    code, output = run(capsys, "build", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == EXIT_ERROR and "x.txt: it is a folder, not a regular file" in output


def test_an_out_that_is_a_link_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    code, output = run(capsys, "build", "--seeds", str(SEEDS), "--out", str(link), "--quiet")
    assert code == EXIT_ERROR and f"{link}: is a symbolic link" in output
    assert link.is_symlink() and not any(real.iterdir())


def test_builds_racing_on_one_folder_take_turns(tmp_path: Path) -> None:
    """Three builds at once into one folder: each succeeds, and one whole package is left."""
    out = tmp_path / "datapackage"
    command = [sys.executable, "-m", "dprk_records.cli", "build", "--seeds", str(SEEDS)]
    racers = [
        subprocess.Popen(
            [*command, "--out", str(out), "--quiet"], stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    results = [
        (racer.wait(timeout=300), racer.stderr.read() if racer.stderr else "") for racer in racers
    ]
    for racer in racers:
        if racer.stderr:
            racer.stderr.close()
    assert [code for code, _ in results] == [EXIT_OK] * 3, results
    assert not any("Traceback" in err for _, err in results)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackage"]
    assert run_apart("build", "--check", "--seeds", str(SEEDS), "--out", str(out))[0] == EXIT_OK


def test_a_descriptor_of_nested_brackets_is_an_error_not_a_crash(tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000)
    code, output = run_apart("validate", str(package))
    assert code == EXIT_ERROR
    assert "brackets nest too deeply to be a package descriptor" in output
    assert "Traceback" not in output


def test_a_bug_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever no check foresaw still ends in a message and a documented code."""
    import dprk_records.pipeline.build as build_module

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("an unforeseen state")

    monkeypatch.setattr(build_module, "build", broken)
    monkeypatch.delenv("DPRK_RECORDS_DEBUG", raising=False)
    code, output = run(capsys, "build", "--quiet")
    assert code == 3
    assert "internal error (ValueError: an unforeseen state); this is a bug" in output


# -- text ------------------------------------------------------------------------------------------


def test_cr_only_line_ends_are_line_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A text saved with old Mac line ends gives the same paragraphs and rows as with LF, and a
    package the gate finds valid."""
    lf, cr = tmp_path / "lf", tmp_path / "cr"
    lf.mkdir()
    cr.mkdir()
    for path in SEEDS.glob("*.txt"):
        data = path.read_bytes().replace(b"\r\n", b"\n")
        (lf / path.name).write_bytes(data)
        (cr / path.name).write_bytes(data.replace(b"\n", b"\r"))
    for seeds in (lf, cr):
        code, _ = run(
            capsys, "build", "--seeds", str(seeds), "--out", str(seeds) + "-out", "--quiet"
        )
        assert code == EXIT_OK
    for table in ("paragraphs", "positions", "participations", "events"):
        _, with_lf = read_table(tmp_path / "lf-out", table)
        _, with_cr = read_table(tmp_path / "cr-out", table)
        assert [r.get("text", r.get("title")) for r in with_cr] == [
            r.get("text", r.get("title")) for r in with_lf
        ]
        assert len(with_cr) == len(with_lf)
    _, paragraphs = read_table(tmp_path / "cr-out", "paragraphs")
    assert not any("\r" in row["text"] for row in paragraphs)
    assert run(capsys, "validate", str(tmp_path / "cr-out"), "--quiet")[0] == EXIT_OK


# -- misc ------------------------------------------------------------------------------------------


def test_a_manifest_that_is_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = manifest_free_seeds(tmp_path)
    (seeds / "manifest.csv").mkdir()
    code, output = run(capsys, "build", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == EXIT_ERROR
    assert (
        "manifest.csv: it is a folder, not a regular file; the manifest must be a plain CSV file"
        in output
    )


def test_a_seed_name_that_is_no_document_id_is_refused_at_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = manifest_free_seeds(tmp_path)
    shutil.copyfile(next(SEEDS.glob("*.txt")), seeds / "My Report.txt")
    code, output = run(capsys, "build", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert code == EXIT_ERROR
    assert "My Report.txt: the file name 'My Report' is not a document id" in output
    assert not (tmp_path / "out").exists()


def test_a_participation_copied_into_a_document_of_another_event_is_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two texts of two events, both naming one person: a participation of the first copied
    into the second, its span moved onto that person's name there. Every span says its words;
    the second text does not speak of the event, and the gate says so."""
    corpus = SEEDS.parent / "tests" / "corpus" / "texts"
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in (
        "kcna_03_precision_machine_factory_inspection",
        "kcna_08_greenhouse_farm_construction_inspection",
    ):
        shutil.copyfile(corpus / f"{name}.txt", seeds / f"{name}.txt")
    package = tmp_path / "package"
    assert run(capsys, "build", "--seeds", str(seeds), "--out", str(package), "--quiet")[0] == 0
    assert run(capsys, "validate", str(package), "--quiet")[0] == EXIT_OK
    _, mentions = read_table(package, "person_names")
    _, references = read_table(package, "event_references")
    spoken_of = {(r["document_id"], r["event_id"]) for r in references}

    def copy(rows: list[dict[str, str]]) -> None:
        for row in rows:
            for mention in mentions:
                elsewhere = mention["document_id"] != row["document_id"]
                if (
                    elsewhere
                    and mention["person_id"] == row["person_id"]
                    and (mention["document_id"], row["event_id"]) not in spoken_of
                ):
                    moved = {k: mention[k] for k in ("document_id", "start", "end")}
                    rows.append(row | moved | {"listing": "", "list_order": ""})
                    return
        raise AssertionError("the two texts should name one person at two events")

    edit_rows(package, "participations", copy)
    code, output = run(capsys, "validate", str(package))
    assert code == EXIT_INVALID
    assert "[event-not-in-document]" in output
    assert (
        "references             FAILED (1)" in output and "spans                  passed" in output
    )


def test_add_never_stages_a_schema_linked_out_of_the_checkout(
    tmp_path: Path, built_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file of the checkout that is a link to elsewhere is refused before anything is staged
    or changed; its target's bytes are not read."""
    checkout = make_checkout(tmp_path / "repo", built_package)
    (checkout / "schemas" / "notes.json").symlink_to(a_secret(tmp_path))
    before = tree_bytes(checkout / "seeds")
    argv = ["add", str(ADD_TEXT), "--checkout", str(checkout), "--published", ADD_DATE]
    code, output = run(capsys, *argv)
    assert code == EXIT_ERROR
    assert "notes.json: it is a symbolic link, not a regular file" in output
    assert SECRET not in output and tree_bytes(checkout / "seeds") == before


@needs_fifo
def test_add_refuses_a_text_that_is_a_fifo(tmp_path: Path, built_package: Path) -> None:
    checkout = make_checkout(tmp_path / "repo", built_package)
    fifo = tmp_path / "new.txt"
    os.mkfifo(fifo)
    argv = ["add", str(fifo), "--checkout", str(checkout), "--published", ADD_DATE]
    code, output = run_apart(*argv)
    assert code == EXIT_ERROR and "new.txt: it is a FIFO (named pipe), not a regular file" in output
    assert "Traceback" not in output


def test_diff_checks_a_release_zip_as_the_loader_does(
    tmp_path: Path, built_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A zip given to diff is unpacked only after the loader's checks: here a member no release
    ships is refused, and nothing of the archive is left behind."""
    import zipfile

    version = json.loads((built_package / "datapackage.json").read_text())["version"]
    top = f"dprk-records-data-{version}"
    archive = tmp_path / f"{top}.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(built_package.rglob("*")):
            if path.is_file():
                zf.write(path, f"{top}/{path.relative_to(built_package).as_posix()}")
        zf.writestr(f"{top}/run-me.sh", "echo hello\n")
    code, output = run(capsys, "diff", str(archive), str(built_package))
    assert code == EXIT_ERROR
    assert "'dprk-records-data-" in output and "run-me.sh" in output
    assert "is not a file a release ships" in output and "Traceback" not in output
    assert "faulty" not in output  # no registry vouches for this zip: it is only not a release
