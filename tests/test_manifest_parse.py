"""The seeds manifest parsed: each defect of a row named with the row and the reason, blank
lines skipped, and the cells of a good row as the entry holds them."""

from __future__ import annotations

import datetime as dt

import pytest

from dprk_records.errors import SeedError
from dprk_records.pipeline.manifest import MANIFEST_COLUMNS, ManifestEntry, parse_manifest

HEADER = ",".join(MANIFEST_COLUMNS)
SHA = "a" * 64
GOOD = f"doc_a,A title,KCNA,report,2024-04-07,manifest,https://example.org/a,{SHA}"


def _text(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def test_a_good_manifest_with_blank_lines() -> None:
    other = f"doc_b, , ,,,, ,{SHA}"
    entries = parse_manifest(_text(GOOD, "", other, ""))
    assert entries == {
        "doc_a": ManifestEntry(
            "doc_a", "A title", "KCNA", "report", dt.date(2024, 4, 7), "manifest",
            "https://example.org/a", SHA,
        ),
        "doc_b": ManifestEntry("doc_b", None, None, None, None, None, None, SHA),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((GOOD, "", f"doc_b,t,KCNA,report,,,,{SHA},extra"), "row 3: expected 8 cells"),
        ((f"doc_b,t,KCNA,report,,,{SHA}",), "row 2: expected 8 cells"),
        ((f"Doc_B,t,,,,,,{SHA}",), "row 2: document_id 'Doc_B' is not a lowercase file stem"),
        ((f" ,t,,,,,,{SHA}",), "row 2: document_id '' is not a lowercase file stem"),
        ((GOOD, GOOD), "row 3: document_id 'doc_a' appears twice"),
        (("doc_b,t,,,,,,ABC",), "row 2: sha256 'ABC' is not 64 lowercase hex digits"),
        (("doc_b,t,,,,,,",), "row 2: sha256 '' is not 64 lowercase hex digits"),
        ((f"doc_b,t,,poem,,,,{SHA}",), "row 2: kind 'poem' is not one of"),
        ((f"doc_b,t,,,2024-04-07,guess,,{SHA}",), "row 2: date_basis 'guess' is not one of"),
        (
            (f"doc_b,t,,,7 April,manifest,,{SHA}",),
            "row 2: published '7 April' is not a YYYY-MM-DD date",
        ),
        (
            (f"doc_b,t,,,2024-04-07,,,{SHA}",),
            "row 2: published and date_basis must be given together",
        ),
        (
            (f"doc_b,t,,,,,javascript:alert(1),{SHA}",),
            "row 2: url 'javascript:alert(1)' is not a web address (its scheme 'javascript:'",
        ),
    ],
)
def test_each_defect_names_its_row(rows: tuple[str, ...], message: str) -> None:
    with pytest.raises(SeedError) as caught:
        parse_manifest(_text(*rows), "seeds/manifest.csv")
    assert caught.value.path == "seeds/manifest.csv"
    assert caught.value.reason.startswith(message)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", "None"),
        ("\n" + HEADER + "\n", "[]"),
        ("document_id,title\n", "['document_id', 'title']"),
    ],
)
def test_a_wrong_header_says_what_it_found(text: str, found: str) -> None:
    with pytest.raises(SeedError) as caught:
        parse_manifest(text)
    assert caught.value.reason == f"header must be {HEADER} (found {found})"
