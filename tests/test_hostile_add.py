"""`dprk-records add` against a hostile checkout: read-only folders and files, a full disk, an
undo that fails, a process killed mid-way, a journal left behind, a second add running.

The promise under test: the checkout ends exactly as before or with the text fully added, never
in between (at worst a journal says what is left, and the next `add` finishes the rollback), and
every failure is a `dprk-records add: error: ...` message with exit code 2, never a traceback.

The permission tests need a user that permissions bind, so they skip when run as root.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dprk_records.add import transaction
from dprk_records.add.command import add_document
from dprk_records.add.transaction import JOURNAL, WORK_DIR, exclusive, recover
from dprk_records.cli import main

from .checkouts import ADD_DATE, ADD_TEXT, make_checkout, tree_bytes
from .conftest import REPORT_ID, SPEECH_ID, permissions_enforced
from .test_add import NEW_ID, manifest_rows

NEEDS_PERMISSIONS = pytest.mark.needs_permissions


def require_permissions(folder: Path) -> None:
    if not permissions_enforced(folder):
        pytest.skip("file permissions do not bind here (root without setpriv, or not POSIX)")


SEED = f"seeds/{NEW_ID}.txt"


@pytest.fixture
def checkout(built_package: Path, tmp_path: Path) -> Iterator[Path]:
    root = make_checkout(tmp_path / "repo", built_package)
    yield root
    for here, _, _ in os.walk(root):  # what a test made read-only, tmp_path must still remove
        os.chmod(here, os.stat(here).st_mode | stat.S_IRWXU)


def add(checkout: Path, *options: str) -> int:
    return main(
        ["add", str(ADD_TEXT), "--checkout", str(checkout), "--published", ADD_DATE, *options]
    )


def listing(checkout: Path) -> list[str]:
    """The checkout's top level, hidden entries included: a leftover work folder shows here."""
    return sorted(p.name for p in checkout.iterdir())


def journal_of(checkout: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((checkout / WORK_DIR / JOURNAL).read_text(encoding="utf-8"))
    return data


def states(journal: dict[str, Any]) -> dict[str, str]:
    return {step["target"]: step["state"] for step in journal["steps"]}


def fail_when_the_new_package_moves_in(
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    before: Callable[[], object] | None = None,
) -> None:
    """Make the folder step fail at its worst moment: the old datapackage/ is already aside."""
    real_move = transaction._move

    def move(source: Path, target: Path) -> None:
        if source.name.startswith("new-"):
            if before is not None:
                before()
            raise error
        real_move(source, target)

    monkeypatch.setattr(transaction, "_move", move)


@NEEDS_PERMISSIONS
@pytest.mark.parametrize(
    ("read_only", "options", "shown"),
    [
        pytest.param(["seeds"], (), ["seeds/"], id="seeds"),
        pytest.param(["seeds/manifest.csv"], (), ["seeds/manifest.csv"], id="manifest"),
        pytest.param(["datapackage"], (), ["datapackage/"], id="datapackage"),
        pytest.param(["datapackage/data"], (), ["datapackage/data/"], id="package-subfolder"),
        pytest.param(["CHANGELOG.md"], ("--changelog",), ["CHANGELOG.md"], id="changelog"),
        pytest.param(["."], (), ["{checkout}/ (the checkout)"], id="checkout-root"),
        pytest.param(["seeds", "datapackage"], (), ["datapackage/", "seeds/"], id="two-at-once"),
    ],
)
def test_a_read_only_target_is_refused_by_name_before_anything_changes(
    checkout: Path,
    capsys: pytest.CaptureFixture[str],
    read_only: list[str],
    options: tuple[str, ...],
    shown: list[str],
) -> None:
    require_permissions(checkout.parent)
    before, names = tree_bytes(checkout), listing(checkout)
    for relative in read_only:
        path = checkout / relative
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    assert add(checkout, *options) == 2
    captured = capsys.readouterr()
    problems = [
        f"{where.format(checkout=checkout.resolve())}: not writable (Permission denied)"
        for where in shown
    ]
    if len(problems) == 1:
        wanted = f"{problems[0]}; nothing was changed"
    else:
        wanted = "nothing was changed:\n" + "\n".join(f"  - {line}" for line in problems)
    assert captured.err == f"dprk-records add: error: {wanted}\n"
    assert "Traceback" not in captured.out + captured.err
    assert tree_bytes(checkout) == before and listing(checkout) == names
    # nothing was left behind: once writable again, the same text is added, not refused
    for relative in read_only:
        (checkout / relative).chmod((checkout / relative).stat().st_mode | stat.S_IWUSR)
    assert add(checkout, *options) == 0
    assert [r["document_id"] for r in manifest_rows(checkout)] == [REPORT_ID, SPEECH_ID, NEW_ID]


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), id="disk-full"),
        pytest.param(KeyboardInterrupt(), id="interrupted"),
    ],
)
def test_a_failure_mid_swap_restores_the_old_package_and_every_file(
    checkout: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: BaseException,
) -> None:
    before, names = tree_bytes(checkout), listing(checkout)
    fail_when_the_new_package_moves_in(monkeypatch, error)
    if isinstance(error, KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            add_document(checkout, ADD_TEXT, environ={})
    else:
        assert add(checkout) == 2
        assert capsys.readouterr().err == (
            "dprk-records add: error: datapackage/: could not be written (No space left on "
            "device); every change was undone, nothing was changed\n"
        )
    assert tree_bytes(checkout) == before and listing(checkout) == names  # no journal either


def test_an_undo_that_fails_does_not_stop_the_others_and_the_next_add_finishes_it(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_bytes(checkout)
    manifest = (checkout / "seeds" / "manifest.csv").read_bytes()
    fail_when_the_new_package_moves_in(
        monkeypatch, OSError(errno.ENOSPC, "No space left on device")
    )
    real_undo = transaction._undo_step
    tried: list[str] = []

    def undo(root: Path, work: Path, step: dict[str, Any]) -> None:
        tried.append(step["target"])
        if step["target"] == "seeds/manifest.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(root / step["target"]))
        real_undo(root, work, step)

    monkeypatch.setattr(transaction, "_undo_step", undo)
    assert add(checkout) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert captured.err.startswith(
        f"dprk-records add: error: the addition of {NEW_ID} failed at datapackage/ (No space "
        "left on device), and 1 change(s) could not be undone:\n"
        "  - seeds/manifest.csv: the old file could not be put back (Permission denied)\n"
        "Everything else was undone."
    )
    assert "run `dprk-records add --recover` (or the next `dprk-records add`" in captured.err
    # every undo was tried, newest first, the ones after the failing one too
    assert tried == ["datapackage", "docs/data-dictionary.md", "seeds/manifest.csv", SEED]
    assert not (checkout / SEED).exists()
    for path, data in before.items():
        if path != "seeds/manifest.csv":
            assert (checkout / path).read_bytes() == data, path
    # what is left is in the journal, with the old manifest beside it
    journal = journal_of(checkout)
    assert states(journal) == {
        SEED: "undone",
        "seeds/manifest.csv": "undo failed: Permission denied",
        "docs/data-dictionary.md": "undone",
        "datapackage": "undone",
    }
    step = next(s for s in journal["steps"] if s["target"] == "seeds/manifest.csv")
    assert (checkout / WORK_DIR / step["backup"]).read_bytes() == manifest

    # a build refuses seeds an add has not finished undoing
    assert main(["build", "--seeds", str(checkout / "seeds"), "--quiet"]) == 2
    assert "run `dprk-records add --recover` first" in capsys.readouterr().err

    monkeypatch.undo()  # the cause is fixed
    assert add(checkout) == 0
    out = capsys.readouterr().out
    assert f"Note: the addition of {NEW_ID} (started " in out
    assert "was interrupted; it has now been rolled back (restored seeds/manifest.csv)" in out
    assert [r["document_id"] for r in manifest_rows(checkout)] == [REPORT_ID, SPEECH_ID, NEW_ID]
    assert not (checkout / WORK_DIR).exists()


@NEEDS_PERMISSIONS
def test_undos_that_meet_a_read_only_folder_are_kept_for_the_next_add(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    require_permissions(checkout.parent)
    seeds = checkout / "seeds"
    before = tree_bytes(seeds)
    fail_when_the_new_package_moves_in(
        monkeypatch,
        OSError(errno.ENOSPC, "No space left on device"),
        before=lambda: seeds.chmod(0o555),  # someone makes seeds/ read-only mid-way
    )
    assert add(checkout) == 2
    err = capsys.readouterr().err
    assert "2 change(s) could not be undone" in err and "Traceback" not in err
    assert (
        f"  - {SEED}: the new file is still there and could not be removed (Permission denied)"
    ) in err
    assert "  - seeds/manifest.csv: the old file could not be put back (Permission denied)" in err
    assert set(states(journal_of(checkout)).values()) == {
        "undone",
        "undo failed: Permission denied",
    }

    monkeypatch.undo()
    seeds.chmod(0o755)
    assert recover(checkout) is not None
    assert tree_bytes(seeds) == before
    assert not (checkout / WORK_DIR).exists()


KILL_MID_SWAP = """
import os, signal, sys
from dprk_records.cli import main
from dprk_records.add import transaction

real_move = transaction._move

def move(source, target):
    if source.name.startswith("new-"):  # the old datapackage/ is aside, the new one not in yet
        os.kill(os.getpid(), signal.SIGKILL)
    real_move(source, target)

transaction._move = move
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_an_add_killed_mid_way_is_rolled_back_by_the_next_run(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, names = tree_bytes(checkout), listing(checkout)
    args = ["add", str(ADD_TEXT), "--checkout", str(checkout), "--published", ADD_DATE]
    killed = subprocess.run(
        [sys.executable, "-c", KILL_MID_SWAP, *args], capture_output=True, check=False
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # the worst moment: no datapackage/ at all, an orphan seed, the manifest with its new row
    assert not (checkout / "datapackage").exists() and (checkout / SEED).is_file()
    assert states(journal_of(checkout)) == {
        SEED: "applied",
        "seeds/manifest.csv": "applied",
        "docs/data-dictionary.md": "applied",
        "datapackage": "applying",
    }
    note = recover(checkout)
    assert note is not None and note.endswith(
        "it has now been rolled back (restored datapackage/; restored docs/data-dictionary.md; "
        f"restored seeds/manifest.csv; removed {SEED})"
    )
    assert tree_bytes(checkout) == before and listing(checkout) == names
    assert recover(checkout) is None  # nothing left to do


def half_added(checkout: Path) -> None:
    """Written by hand in the documented format: the state the probe found after a failed add
    (an orphan seed and a manifest row), which used to make the same add be refused."""
    manifest = checkout / "seeds" / "manifest.csv"
    work = checkout / WORK_DIR
    work.mkdir()
    (work / "backup-1").write_bytes(manifest.read_bytes())
    manifest.write_bytes(manifest.read_bytes() + b"005_x,A Half-added Report,KCNA,report,,,,0\n")
    (checkout / SEED).write_bytes(ADD_TEXT.read_bytes())
    steps = [
        {"kind": "file", "target": SEED, "backup": None, "created": [], "state": "applied"},
        {"kind": "file", "target": "seeds/manifest.csv", "backup": "backup-1", "state": "applying"},
    ]
    journal = {
        "format": 1,
        "about": "the addition of 005_x",
        "started": "2024-07-03T10:00:00+00:00",
        "pid": 1,
        "state": "applying",
        "steps": steps,
    }
    (work / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")


def test_a_journal_left_behind_is_rolled_back_before_the_same_text_is_added(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    half_added(checkout)
    work = checkout / WORK_DIR
    assert add(checkout) == 0
    out = capsys.readouterr().out
    assert (
        "Note: the addition of 005_x (started 2024-07-03T10:00:00+00:00) was interrupted; it has "
        f"now been rolled back (restored seeds/manifest.csv; removed {SEED})"
    ) in out
    assert [r["document_id"] for r in manifest_rows(checkout)] == [REPORT_ID, SPEECH_ID, NEW_ID]
    assert not work.exists()


def test_recover_alone_rolls_back_and_adds_nothing(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_bytes(checkout)
    half_added(checkout)
    assert main(["add", "--recover", "--checkout", str(checkout)]) == 0
    assert "was interrupted; it has now been rolled back" in capsys.readouterr().out
    assert tree_bytes(checkout) == before and not (checkout / WORK_DIR).exists()
    assert main(["add", "--recover", "--checkout", str(checkout)]) == 0
    assert "no interrupted add to recover" in capsys.readouterr().out


def test_a_journal_pointing_outside_the_checkout_is_not_followed(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Not part of any checkout.\n", encoding="utf-8")
    work = checkout / WORK_DIR
    work.mkdir()
    step = {"kind": "file", "target": "../outside.txt", "backup": None, "state": "applied"}
    (work / JOURNAL).write_text(json.dumps({"format": 1, "steps": [step]}), encoding="utf-8")
    before = tree_bytes(checkout)
    assert add(checkout) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dprk-records add: error: {work / JOURNAL}: an interrupted")
    assert "target '../outside.txt' leaves the checkout" in err and "Traceback" not in err
    assert outside.read_text(encoding="utf-8") == "Not part of any checkout.\n"
    assert tree_bytes(checkout) == before


def test_a_second_add_while_one_runs_is_refused(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree_bytes(checkout)
    with exclusive(checkout):
        assert add(checkout) == 2
    assert capsys.readouterr().err == (
        f"dprk-records add: error: {checkout}: another `dprk-records add` is running in this "
        "checkout; wait for it to finish, then try again (nothing was changed)\n"
    )
    assert tree_bytes(checkout) == before
