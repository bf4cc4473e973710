"""The gate streams its tables: what it finds does not depend on how it reads them.

The checks read a table a chunk of rows at a time, and the tables keyed by document a document
at a time (or, when a table is not in document order, grouped in memory first). Neither the
chunk size nor the order of a table's rows may change a finding:

- every corruption of the fault-injection catalogue gives the same findings, word for word and
  row for row, read in chunks of 3 rows as in the default chunks;
- with every table's rows in reverse order (no table in document order), the semantic checks
  find the same things (rows renumbered, so compared without them);
- the chunked reading gives exactly the whole-text reading, for any chunk size and columns.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.reader import tables as reader_tables
from dprk_records.reader.tables import json_row_chunks, json_rows
from dprk_records.validate import validate_package
from dprk_records.validate.context import TEXTS_KEPT, PackageContext
from dprk_records.validate.report import Finding
from dprk_records_tools.faults.cases import CASES, Case, NotApplicable
from dprk_records_tools.faults.runner import VARIANTS, make_checkout

from .conftest import REPO

SEMANTIC = {"rows", "spans", "titles", "orders", "references", "corrections", "popolo"}
# the corruptions whose findings come from the checks that stream tables
STREAMED_CASES = [
    case
    for case in CASES
    if case.__name__
    in {
        "wrong_type",
        "span_moved_by_one_character",
        "span_past_the_end",
        "char_count_wrong",
        "person_surface_changed",
        "title_swallows_the_next_name",
        "title_moved_to_another_person",
        "title_moved_to_a_person_of_its_sentence",
        "position_copied_into_another_document",
        "swapped_list_order",
        "gap_in_list_order",
        "list_order_without_listing",
        "orphan_foreign_key",
        "cyclic_parent_org",
        "undeclared_id_orphan",
        "correction_original_altered",
        "correction_dropped",
        "paragraph_text_altered",
        "boilerplate_flag_flipped",
        "version_not_bumped",
    }
]


def _findings(checkout: Path) -> list[tuple[object, ...]]:
    report = validate_package(checkout / "datapackage", checkout=checkout, workers=1)
    return [_key(f) for f in report.findings]


def _key(finding: Finding) -> tuple[object, ...]:
    return (finding.check, finding.rule, finding.table, finding.row, finding.field, finding.message)


def _reverse_rows(package: Path) -> None:
    """Every table's data rows in reverse order (the header first, as written by the build)."""
    for path in sorted((package / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            header, *body = list(csv.reader(handle))
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows([header, *reversed(body)])
        path.write_text(out.getvalue(), encoding="utf-8", newline="")


def test_the_cases_cover_every_streamed_check() -> None:
    assert len(STREAMED_CASES) == 20  # a renamed case must be renamed here, not dropped


@pytest.mark.parametrize("case", STREAMED_CASES, ids=[c.__name__ for c in STREAMED_CASES])
def test_chunk_size_and_row_order_change_no_finding(
    case: Case, built_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variant in VARIANTS:  # the first variant the corruption applies to
        checkout = make_checkout(built_package, REPO, tmp_path / variant, variant)
        try:
            expect = case(checkout)
            break
        except NotApplicable:
            continue
    else:
        pytest.fail(f"{case.__name__} applies to no variant")
    whole = _findings(checkout)
    assert any(f[0] == expect.check for f in whole), f"{case.__name__} not caught: {whole}"

    monkeypatch.setattr(reader_tables, "CHUNK_ROWS", 3)
    assert _findings(checkout) == whole

    monkeypatch.undo()
    _reverse_rows(checkout / "datapackage")
    reversed_ = _findings(checkout)
    semantic = Counter(f[:3] + f[4:5] for f in whole if f[0] in SEMANTIC)
    assert Counter(f[:3] + f[4:5] for f in reversed_ if f[0] in SEMANTIC) == semantic


def test_a_table_out_of_document_order_is_grouped_all_the_same(built_package: Path) -> None:
    ctx = PackageContext.open(built_package)
    groups = [(doc, [n for n, _ in rows]) for doc, (rows,) in ctx.by_document(["paragraphs"])]
    assert ctx.survey("paragraphs").by_document
    documents = [doc for doc, _ in groups]
    assert documents == sorted(set(documents)) and len(documents) >= 2
    assert [n for _, numbers in groups for n in numbers] == list(
        range(1, ctx.survey("paragraphs").rows + 1)
    )


def test_the_gate_keeps_a_few_texts_and_no_rows(built_package: Path) -> None:
    ctx = PackageContext.open(built_package)
    for _ in ctx.by_document(["positions"]):
        pass
    for document in ctx.document_paths():
        ctx.verbatim(document)
    assert len(ctx._texts) <= TEXTS_KEPT
    held = {name for name, value in vars(ctx).items() if isinstance(value, dict | list) and value}
    assert held <= {"descriptor", "_surveys", "_texts", "_document_paths", "_unsafe"}


def test_a_table_unreadable_midway_is_read_as_empty(package_copy: Path) -> None:
    path = package_copy / "data" / "paragraphs.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\xff" + data[len(data) // 2 :])
    ctx = PackageContext.open(package_copy)
    assert ctx.survey("paragraphs").problem is not None
    assert list(ctx.iter_rows("paragraphs")) == []
    assert "paragraphs" in ctx.read_errors


CELL = st.text(alphabet=st.sampled_from('ab1-," \n'), max_size=4)
SCHEMA = {
    "fields": [
        {"name": "document_id", "type": "string"},
        {"name": "start", "type": "integer"},
        {"name": "text", "type": "string"},
    ]
}


def _table(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@settings(max_examples=200, deadline=None)
@given(
    body=st.lists(st.lists(CELL, min_size=0, max_size=5), max_size=12),
    size=st.integers(min_value=1, max_value=5),
    fields=st.lists(st.sampled_from(["document_id", "start", "text", "absent"]), max_size=3),
)
def test_chunks_are_the_whole_reading_cut_up(
    body: list[list[str]], size: int, fields: list[str]
) -> None:
    text = _table([["document_id", "start", "text"], *body])
    whole = json_rows(text, SCHEMA)
    chunks = list(json_row_chunks(io.StringIO(text, newline=""), SCHEMA, size=size))
    assert all(0 < len(chunk) <= size for chunk in chunks)
    assert [row for chunk in chunks for row in chunk] == whole
    some = json_row_chunks(io.StringIO(text, newline=""), SCHEMA, fields, size=size)
    wanted = [key for key in dict.fromkeys(fields) if key != "absent"]
    projected = [{key: row[key] for key in wanted} for row in whole]
    assert [row for chunk in some for row in chunk] == projected


def test_a_row_past_the_first_chunks_is_reported_by_its_own_number(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = package_copy / "data" / "paragraphs.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    number = len(body) - 1  # the row before the last, well past the first chunks of 3
    assert number > 10
    body[number - 1][header.index("paragraph_no")] = "second"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    monkeypatch.setattr(reader_tables, "CHUNK_ROWS", 3)
    report = validate_package(package_copy, workers=1)
    rows = [f for f in report.findings if f.check == "rows"]
    assert [(f.table, f.row, f.field) for f in rows] == [("paragraphs", number, "paragraph_no")]
