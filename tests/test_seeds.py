"""The seeds are the verbatim documents, byte for byte, and the manifest describes them truly."""

from __future__ import annotations

import hashlib

import pytest

from dprk_records.pipeline.manifest import parse_manifest, render_manifest

from .conftest import REPO, REPORT_ID, SEEDS, SPEECH_ID

# Checked by hand with `sha256sum seeds/*.txt` against ../shared/seeds/.
EXPECTED_SHA256 = {
    REPORT_ID: "4ee3dd55924ec369cb15025316657bebbdcb41fe4e8d9e1b2e5f406b2dc35576",
    SPEECH_ID: "e777cb1cf80e310ddfbb4ba5eb755553871c196d1f66bf92f0752b1c6491046c",
}


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_SHA256))
def test_seed_bytes_are_the_originals(doc_id: str) -> None:
    data = (SEEDS / f"{doc_id}.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == EXPECTED_SHA256[doc_id]
    shared = REPO.parent / "shared" / "seeds" / f"{doc_id}.txt"
    if shared.is_file():
        assert data == shared.read_bytes()


def test_manifest_rows_match_the_files() -> None:
    entries = parse_manifest((SEEDS / "manifest.csv").read_text(encoding="utf-8"))
    assert {doc_id: e.sha256 for doc_id, e in entries.items()} == EXPECTED_SHA256
    report, speech = entries[REPORT_ID], entries[SPEECH_ID]
    assert (report.kind, speech.kind) == ("report", "speech")
    assert str(report.published) == str(speech.published) == "2021-04-07"
    # The report's dateline says "April 7" with no year: the year is the manifest's, and it says so.
    assert report.date_basis == "dateline+manifest"
    assert speech.date_basis == "manifest"


def test_manifest_is_in_canonical_form() -> None:
    text = (SEEDS / "manifest.csv").read_text(encoding="utf-8")
    assert render_manifest(parse_manifest(text)) == text
