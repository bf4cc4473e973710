"""Every bad seed gives one clear error naming the file and the reason, a non-zero exit, and no
partial output (the previous package, if any, is untouched)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.cli import main
from dprk_records.errors import SeedError
from dprk_records.pipeline.build import build
from dprk_records.pipeline.manifest import parse_manifest, render_manifest
from dprk_records.pipeline.read import InvalidSeedsError, decode_seed

from .conftest import REPORT_ID, SPEECH_ID


def _add_to_manifest(seeds: Path, name: str, data: bytes) -> None:
    """Write a new seed file and give it a truthful manifest row, so only its content is bad."""
    (seeds / f"{name}.txt").write_bytes(data)
    manifest = seeds / "manifest.csv"
    entries = parse_manifest(manifest.read_text(encoding="utf-8"))
    template = entries[REPORT_ID]
    entries[name] = type(template)(
        document_id=name,
        title="t",
        publisher=None,
        kind="report",
        published=None,
        date_basis=None,
        url=None,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    manifest.write_text(render_manifest(entries), encoding="utf-8")


def empty_file(seeds: Path) -> str:
    _add_to_manifest(seeds, "empty", b"")
    return "empty.txt: the file is empty"


def whitespace_only(seeds: Path) -> str:
    _add_to_manifest(seeds, "blank", b"  \n\n \n")
    return "blank.txt: the file is empty"


def binary_file(seeds: Path) -> str:
    _add_to_manifest(seeds, "image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return "image.txt: the file is binary"


def invalid_utf8(seeds: Path) -> str:
    _add_to_manifest(
        seeds, "latin1", "Pyongyang, May 1 (KCNA) -- Caf\u00e9 opened.".encode("latin-1")
    )
    return "latin1.txt: not valid UTF-8 (byte 0xe9 at offset 30)"


def control_characters(seeds: Path) -> str:
    text = "Pyongyang, May 1 (KCNA) -- A text\twith a bell\x07, an escape\x1b[0m and a\x0b.\r\n"
    _add_to_manifest(seeds, "controls", text.encode("utf-8"))
    return (
        "controls.txt: the file is binary or corrupted (control characters U+0007, U+000B, U+001B)"
    )


def seed_missing_from_manifest(seeds: Path) -> str:
    (seeds / "unlisted.txt").write_text("Pyongyang, May 1 (KCNA) -- A text.\n", encoding="utf-8")
    return "unlisted.txt: no row for 'unlisted' in"


def manifest_row_without_file(seeds: Path) -> str:
    (seeds / f"{SPEECH_ID}.txt").unlink()
    return f"manifest.csv: row '{SPEECH_ID}' has no file {SPEECH_ID}.txt"


def duplicate_content(seeds: Path) -> str:
    _add_to_manifest(seeds, "zz_copy", (seeds / f"{REPORT_ID}.txt").read_bytes())
    return f"zz_copy.txt: identical content to {REPORT_ID}.txt (a duplicate)"


def sha256_mismatch(seeds: Path) -> str:
    path = seeds / f"{REPORT_ID}.txt"
    path.write_bytes(path.read_bytes().replace(b"April 6", b"April 5", 1))
    return f"{REPORT_ID}.txt: sha256 "


def file_of_50_mb(seeds: Path) -> str:
    _add_to_manifest(seeds, "huge", b"x")  # a truthful-looking row; the size check comes first
    with (seeds / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    return "huge.txt: the file is 52,428,800 bytes, over the 2,097,152-byte limit"


def manifest_contradicts_dateline(seeds: Path) -> str:
    manifest = seeds / "manifest.csv"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(",report,2021-04-07,", ",report,2021-04-08,"),
        encoding="utf-8",
    )
    return f"{REPORT_ID}.txt: the dateline says 'April 7' but the manifest's published date is 2021-04-08"


CASES: list[Callable[[Path], str]] = [
    empty_file,
    whitespace_only,
    binary_file,
    invalid_utf8,
    control_characters,
    seed_missing_from_manifest,
    manifest_row_without_file,
    duplicate_content,
    sha256_mismatch,
    file_of_50_mb,
    manifest_contradicts_dateline,
]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1))
def test_a_text_is_refused_for_exactly_the_control_characters_it_holds(text: str) -> None:
    """The check reads the bytes, not the decoded text: both must name the same characters."""
    path = Path("seeds/t.txt")
    forbidden = sorted({ch for ch in text if ch < " " and ch not in "\t\n\r"})
    if not text.encode("utf-8").strip():
        return  # refused as empty, which the cases above check
    if not forbidden:
        assert decode_seed(path, text.encode("utf-8")) == text
        return
    with pytest.raises(SeedError) as caught:
        decode_seed(path, text.encode("utf-8"))
    codes = ", ".join(f"U+{ord(ch):04X}" for ch in forbidden)
    assert caught.value.reason == f"the file is binary or corrupted (control characters {codes})"


@pytest.mark.parametrize("breaker", CASES, ids=[case.__name__ for case in CASES])
def test_bad_input_is_refused_clearly(
    breaker: Callable[[Path], str], seeds_copy: Path, tmp_path: Path
) -> None:
    expected = breaker(seeds_copy)
    out = tmp_path / "out"
    with pytest.raises(InvalidSeedsError) as caught:
        build(seeds_copy, out, environ={})
    assert len(caught.value.problems) == 1, str(caught.value)
    assert expected in str(caught.value)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


@pytest.mark.parametrize("breaker", [binary_file, sha256_mismatch], ids=["binary", "sha256"])
def test_cli_exit_code_and_previous_package_untouched(
    breaker: Callable[[Path], str],
    seeds_copy: Path,
    built_package: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "datapackage"
    assert main(["build", "--seeds", str(seeds_copy), "--out", str(out), "--quiet"]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    expected = breaker(seeds_copy)
    assert main(["build", "--seeds", str(seeds_copy), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "dprk-records build: error: the seeds cannot be built (1 problem)" in err
    assert expected in err
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackage", "seeds"]


def test_malformed_manifest_names_the_row(seeds_copy: Path, tmp_path: Path) -> None:
    manifest = seeds_copy / "manifest.csv"
    manifest.write_text(manifest.read_text().replace(",speech,", ",poem,"), encoding="utf-8")
    with pytest.raises(InvalidSeedsError, match=r"manifest.csv: row 3: kind 'poem' is not one of"):
        build(seeds_copy, tmp_path / "out", environ={})


def test_no_manifest_takes_metadata_from_the_text(seeds_copy: Path, tmp_path: Path) -> None:
    (seeds_copy / "manifest.csv").unlink()
    build(seeds_copy, tmp_path / "out", environ={})
    rows = (tmp_path / "out" / "data" / "documents.csv").read_text(encoding="utf-8").splitlines()
    report = next(r for r in rows if r.startswith(REPORT_ID))
    speech = next(r for r in rows if r.startswith(SPEECH_ID))
    # Without a manifest the year is unknown: the date stays empty and the basis says "none".
    assert ",KCNA,report,Pyongyang,April 7,,none," in report
    assert report.startswith(f"{REPORT_ID},6th Conference of Cell Secretaries of WPK Opens")
    assert ",speech,,,,none," in speech
