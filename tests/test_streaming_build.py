"""The build in bounded memory: spilled tables sort as memory does, resolve takes documents in
order and once, and a build that spills every few rows writes the same bytes (that the rows are
those of the resolver before it streamed is `build --check` on the committed package)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dprk_records.pipeline.spill as spill
from dprk_records.errors import BuildError
from dprk_records.pipeline.analyse import DocumentSummary
from dprk_records.pipeline.build import build, prepare_all, read_seeds, tables_of
from dprk_records.pipeline.csvformat import render_cells, render_csv, render_line
from dprk_records.pipeline.describe import (
    DescriptorWriter,
    FileDigest,
    input_entry,
    source_entry,
    source_resource,
)
from dprk_records.pipeline.extract.event_names import event_key
from dprk_records.pipeline.extract.extractor import extract
from dprk_records.pipeline.extract.facts import EventFact, SpeechFact
from dprk_records.pipeline.extract.text import Span
from dprk_records.pipeline.resolve import (
    DocumentEvents,
    Observed,
    ResolveOrderError,
    Resolver,
    event_date,
    events_seen,
    observed,
)
from dprk_records.pipeline.rows import FigureRow, PositionRow
from dprk_records.pipeline.spill import FactSpill, SpilledTable, TableSpills, keyed_rows
from dprk_records.pipeline.streamed import (
    DocumentOrderError,
    RenderedRows,
    StreamedTable,
    rendered_rows,
)
from dprk_records.pipeline.tables import sort_rows
from dprk_records.schemas import field_names, package_meta, render_json
from dprk_records_tools.bench.corpus import write_corpus

from .conftest import REPO

CORPUS = REPO / "tests" / "corpus" / "texts"

_text = st.text(alphabet=st.sampled_from('ab,"\n\r é-'), max_size=6)
_doc = st.sampled_from(["a", "a-1", "a-1-2", "b", "a.b", "a_b"])
positions = st.lists(
    st.builds(
        PositionRow,
        document_id=_doc,
        start=st.integers(0, 30),
        end=st.integers(0, 40),
        person_id=st.sampled_from(["kim-a", "ri-b", "ri-b-2"]),
        title=_text,
        position_role=st.sampled_from(["member", "other"]),
        org_id=st.none() | st.sampled_from(["x", "x-y"]),
        status=st.sampled_from(["held", "referential"]),
        as_of=st.none() | st.dates(dt.date(2010, 1, 1), dt.date(2026, 1, 1)),
        method=_text,
    ),
    max_size=60,
)
figures = st.lists(
    st.builds(
        FigureRow,
        figure_id=st.sampled_from(["a-f1", "a-f10", "a-1-f2", "a-1-2-f3", "b-f9"]),
        document_id=_doc,
        start=st.integers(0, 9),
        end=st.integers(0, 9),
        value=st.floats(0, 1e6, allow_nan=False) | st.integers(0, 10**6).map(float),
        unit=st.none() | _text,
        measure=st.sampled_from(["participants", "output"]),
        qualifier=st.none() | _text,
        subject_id=st.none() | _text,
        method=_text,
    ),
    max_size=60,
)


def _spilled_csv(name: str, rows: list[object], folder: Path, run_rows: int) -> str:
    table = SpilledTable(name, folder, run_rows=run_rows)
    for start in range(0, len(rows), 5):  # taken in a few rows at a time, as documents come
        table.add(rows[start : start + 5])
    out = io.BytesIO()
    table.write_csv(out)
    assert table.rows == len(rows)
    return out.getvalue().decode("utf-8")


@settings(max_examples=60, deadline=None)
@given(
    rows=positions,
    run_rows=st.sampled_from([1, 2, 3, 7, 1000]),
    max_runs=st.sampled_from([2, 3, 64]),
)
def test_a_spilled_table_writes_the_csv_of_sorting_in_memory(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[PositionRow],
    run_rows: int,
    max_runs: int,
) -> None:
    """Whatever the runs and however often they are merged along the way."""
    folder = tmp_path_factory.mktemp("spill")
    spill.MAX_RUNS, default = max_runs, spill.MAX_RUNS
    try:
        spilled = _spilled_csv("positions", rows, folder, run_rows)
    finally:
        spill.MAX_RUNS = default
    expected = render_csv(field_names("positions"), sort_rows("positions", rows))
    assert spilled == expected
    assert len(list(folder.glob("*.pickle"))) < max(max_runs, 2)


@settings(max_examples=40, deadline=None)
@given(rows=figures, run_rows=st.sampled_from([1, 4, 1000]))
def test_a_spilled_table_sorts_text_ids_and_carriage_returns_as_memory_does(
    tmp_path_factory: pytest.TempPathFactory, rows: list[FigureRow], run_rows: int
) -> None:
    folder = tmp_path_factory.mktemp("spill")
    expected = render_csv(field_names("figures"), sort_rows("figures", rows))
    assert _spilled_csv("figures", rows, folder, run_rows) == expected


@settings(max_examples=150, deadline=None)
@given(
    rows=figures,
    cuts=st.lists(st.integers(0, 60), max_size=8),
    typed=st.sets(st.integers(0, 8)),
    run_rows=st.sampled_from([1, 3, 1000]),
    by_key=st.booleans(),
)
def test_a_spilled_table_taking_documents_writes_the_csv_of_sorting_in_memory(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[FigureRow],
    cuts: list[int],
    typed: set[int],
    run_rows: int,
    by_key: bool,
) -> None:
    """Rows taken a document at a time (keyed_rows), in key order or not, some pieces as typed
    rows among them: the ordered head, the runs and their merge give the bytes of one sort,
    ties included (the ids repeat)."""
    if by_key:  # (every piece's rows after the last piece's: the head takes them all)
        rows = sort_rows("figures", rows)
    bounds = [0, *sorted(cuts), len(rows)]
    pieces = [rows[a:b] for a, b in itertools.pairwise(bounds) if a < b]
    folder = tmp_path_factory.mktemp("spill")
    table = SpilledTable("figures", folder, run_rows=run_rows)
    for index, piece in enumerate(pieces):
        if index in typed:
            table.add(piece)
        else:
            table.add_document(keyed_rows("figures", piece))
    out = io.BytesIO()
    table.write_csv(out)
    assert table.rows == len(rows)
    expected = render_csv(field_names("figures"), sort_rows("figures", rows))
    assert out.getvalue().decode("utf-8") == expected


def test_a_spilled_table_appends_documents_in_key_order_without_sorting(tmp_path: Path) -> None:
    """Documents whose rows come in key order are appended as text: no run is written."""
    documents = [
        [
            FigureRow(
                figure_id=f"d{d}-f{i}", document_id=f"d{d}", start=i, end=i + 1,
                value=float(i), unit=None, measure="output", qualifier=None, subject_id=None,
                method="m",
            )
            for i in (12, 3, 7)
        ]
        for d in range(5)
    ]  # fmt: skip
    table = SpilledTable("figures", tmp_path, run_rows=2)
    for rows in documents:
        table.add_document(keyed_rows("figures", rows))
    out = io.BytesIO()
    table.write_csv(out)
    assert not list(tmp_path.glob("*.pickle"))
    all_rows = [row for rows in documents for row in rows]
    assert out.getvalue().decode() == render_csv(
        field_names("figures"), sort_rows("figures", all_rows)
    )
    late = replace(documents[0][0], figure_id="d0-f0")  # (sorts before the head's last row)
    table = SpilledTable("figures", tmp_path / "late", run_rows=2)
    (tmp_path / "late").mkdir()
    for rows in documents:
        table.add_document(keyed_rows("figures", rows))
    table.add_document(keyed_rows("figures", [late]))
    assert table.rows == 16
    ids = [line.split(",")[0] for line in table.sorted_lines()]
    assert ids == sorted(row.figure_id for row in [*all_rows, late])


_CELL = st.text(alphabet=st.sampled_from(["a", "é", ",", '"', "\n", "\r", " ", "\u2028", "0"]))


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(_CELL, max_size=5), max_size=6))
def test_a_row_rendered_alone_is_the_text_it_has_among_other_rows(rows: list[list[str]]) -> None:
    """A spilled table keeps each row as its own line (render_line) and writes the lines one
    after another: the bytes of rendering every row at once, quotes, line breaks and lone
    carriage returns included."""
    assert "".join(render_line(row) for row in rows) == render_cells(rows)


def test_a_spilled_table_leaves_runs_on_disk_and_not_in_memory(tmp_path: Path) -> None:
    rows = [
        FigureRow(
            figure_id=f"d-f{i}", document_id="d", start=i, end=i + 1, value=float(i), unit=None,
            measure="output", qualifier=None, subject_id=None, method="m",
        )
        for i in range(25, 0, -1)
    ]  # fmt: skip
    table = SpilledTable("figures", tmp_path, run_rows=10)
    table.add(rows)
    assert len(list(tmp_path.glob("figures.*.pickle"))) == 2  # two runs of 10 written out
    assert table.rows == 25
    ids = [line.split(",")[0] for line in table.sorted_lines()]
    assert ids == sorted(f"d-f{i}" for i in range(1, 26))


def _facts_of(documents: list) -> list:  # type: ignore[type-arg]
    return [extract(document) for document in documents]


def test_resolve_refuses_documents_out_of_order_or_rows_before_pass_one_ends() -> None:
    documents = prepare_all(read_seeds(CORPUS))
    facts = sorted(_facts_of(documents[:3]), key=lambda f: f.document_id)
    resolver = Resolver()
    with pytest.raises(ResolveOrderError, match="before pass one ended"):
        resolver.document_rows(facts[0], DocumentEvents(None, {}))
    resolver.observe(observed(facts[1]), None)
    with pytest.raises(ResolveOrderError, match="document-id order"):
        resolver.observe(observed(facts[0]), None)
    with pytest.raises(ResolveOrderError, match="document-id order"):
        resolver.observe(observed(facts[1]), None)  # the same document twice
    resolver.entity_rows()
    with pytest.raises(ResolveOrderError):
        resolver.observe(observed(facts[2]), None)


def test_facts_come_back_from_the_spill_as_they_went_in(tmp_path: Path) -> None:
    documents = prepare_all(read_seeds(CORPUS))[:4]
    facts = _facts_of(documents)
    spilled = FactSpill(tmp_path / "facts.pickle")
    extras = [b"", b"first", b"", b"x" * 1000]  # (what pass two reads of each document alone)
    for f, extra in zip(facts, extras, strict=True):
        spilled.append(f, extra)
    assert list(spilled) == facts
    assert list(spilled) == facts  # read back again: the file stays until the build ends
    with pytest.raises(ValueError, match="appended before"):
        spilled.append(facts[0])
    assert [pickle.loads(spilled.pickle_at(i)) for i in (3, 0, 2, 1)] == [
        facts[i] for i in (3, 0, 2, 1)
    ]
    assert [spilled.extra_at(i) for i in (1, 3, 0, 2)] == [extras[i] for i in (1, 3, 0, 2)]
    spilled.close()


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_a_build_that_spills_every_few_rows_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    write_corpus(30, seeds, seed=11)
    build(seeds, tmp_path / "memory", environ={}, workers=1, cache=False)
    monkeypatch.setattr(spill, "RUN_ROWS", 7)
    monkeypatch.setattr(spill, "ROWS_IN_MEMORY", 20)
    monkeypatch.setattr(spill, "MAX_RUNS", 3)
    monkeypatch.setattr(spill, "PICKLED_ROWS", 3)
    monkeypatch.setattr(spill, "WRITE_ROWS", 5)
    build(seeds, tmp_path / "spilled", environ={}, workers=1, cache=False)
    assert _files(tmp_path / "memory") == _files(tmp_path / "spilled")


def test_the_streaming_build_writes_the_tables_resolved_in_memory(tmp_path: Path) -> None:
    build(CORPUS, tmp_path / "pkg", environ={}, workers=1, cache=False)
    tables = tables_of(prepare_all(read_seeds(CORPUS)))
    for name, rows in tables.items():
        written = (tmp_path / "pkg" / "data" / f"{name}.csv").read_text(encoding="utf-8")
        assert written == render_csv(field_names(name), rows), name


def test_a_build_takes_documents_in_id_order_not_file_name_order(tmp_path: Path) -> None:
    # "a-b.txt" sorts before "a.txt" by file name, but the id "a" before "a-b": resolve reads
    # documents by id, and a seed folder listed in either order builds the same package
    seeds = tmp_path / "seeds"
    texts = sorted(CORPUS.glob("*.txt"))[:2]
    (seeds).mkdir()
    (seeds / "a.txt").write_bytes(texts[0].read_bytes())
    (seeds / "a-b.txt").write_bytes(texts[1].read_bytes())
    result = build(seeds, tmp_path / "pkg", environ={}, workers=1, cache=False)
    assert result.documents == 2
    ids = (tmp_path / "pkg" / "data" / "documents.csv").read_text().splitlines()[1:]
    assert [line.split(",")[0] for line in ids] == ["a", "a-b"]


def test_table_spills_keep_at_most_their_budget_of_rows_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spill, "ROWS_IN_MEMORY", 30)
    spills = TableSpills(["figures", "positions"], tmp_path)
    rows = [
        FigureRow(
            figure_id=f"d-f{i}", document_id="d", start=i, end=i + 1, value=1.0, unit=None,
            measure="output", qualifier=None, subject_id=None, method="m",
        )
        for i in range(100)
    ]  # fmt: skip
    for start in range(0, 100, 10):
        spills.add({"figures": rows[start : start + 10]})
        assert sum(t.buffered for t in spills.tables.values()) <= 30
    digest = spills.write("figures", tmp_path / "figures.csv")
    written = (tmp_path / "figures.csv").read_bytes()
    assert digest.size == len(written) and written.count(b"\n") == 101
    assert written.decode() == render_csv(field_names("figures"), sort_rows("figures", rows))


@settings(max_examples=150, deadline=None)
@given(rows=positions)
def test_a_streamed_table_writes_the_csv_of_sorting_in_memory(
    rows: list[PositionRow], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # each document's rows rendered alone, appended in document-id order: the bytes of sorting
    # the whole table (carriage returns and quoting included)
    path = tmp_path_factory.mktemp("streamed") / "positions.csv"
    table = StreamedTable("positions", path)
    for doc in sorted({row.document_id for row in rows}):
        table.add(doc, rendered_rows("positions", [r for r in rows if r.document_id == doc]))
    digest = table.close()
    expected = render_csv(field_names("positions"), sort_rows("positions", rows)).encode()
    assert path.read_bytes() == expected
    assert (digest.size, table.rows) == (len(expected), len(rows))


def test_a_streamed_table_refuses_documents_out_of_order(tmp_path: Path) -> None:
    table = StreamedTable("paragraphs", tmp_path / "paragraphs.csv")
    table.add("b", RenderedRows(0, ""))
    with pytest.raises(DocumentOrderError, match="rows of a come after those of b"):
        table.add("a", RenderedRows(0, ""))
    with pytest.raises(DocumentOrderError, match="rows of b come after those of b"):
        table.add("b", RenderedRows(0, ""))
    table.close()
    with pytest.raises(DocumentOrderError, match="after the end"):
        table.add("c", RenderedRows(0, ""))


def test_a_write_failing_while_documents_stream_leaves_the_previous_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pkg"
    build(CORPUS, out, environ={}, workers=1, cache=False)
    before = _files(out)
    calls = []

    def fail_third(self: StreamedTable, document_id: str, rendered: RenderedRows) -> None:
        calls.append(document_id)
        if len(calls) == 3:
            raise OSError("disk full")
        original(self, document_id, rendered)

    original = StreamedTable.add
    monkeypatch.setattr(StreamedTable, "add", fail_third)
    with pytest.raises(BuildError, match=r"disk full"):
        build(CORPUS, out, environ={"SOURCE_DATE_EPOCH": "1"}, workers=1, cache=False)
    monkeypatch.undo()
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


_summaries = st.lists(
    st.builds(
        DocumentSummary,
        document_id=st.from_regex(r"[a-z]{1,3}_[0-9]{1,3}", fullmatch=True),
        file_name=st.just(""),
        sha256=st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
        size=st.integers(1, 10**6),
        title=st.text(alphabet=st.sampled_from('ab "\\\n/é—\u2028'), max_size=8),
        publisher=st.none() | st.sampled_from(["KCNA", "Rodong Sinmun", ""]),
        published=st.none() | st.dates(dt.date(2010, 1, 1), dt.date(2026, 1, 1)),
    ),
    max_size=6,
    unique_by=lambda d: d.document_id,
)


@settings(max_examples=40, deadline=None)
@given(documents=_summaries, parquet=st.booleans(), epoch=st.sampled_from([None, "86400"]))
def test_the_descriptor_written_as_documents_come_is_the_one_json_of_the_whole(
    tmp_path_factory: pytest.TempPathFactory,
    documents: list[DocumentSummary],
    parquet: bool,
    epoch: str | None,
) -> None:
    """The streamed datapackage.json holds every document's source, resource and input in
    document-id order, and its bytes are render_json of what they parse to: the one JSON
    formatting, with no trace of the placeholders (none to 6 documents, any title)."""
    folder = tmp_path_factory.mktemp("descriptor")
    documents = sorted(
        (replace(d, file_name=f"{d.document_id}.txt") for d in documents),
        key=lambda d: d.document_id,
    )
    meta = package_meta()
    digests = {name: FileDigest(index, "0" * 64) for index, name in enumerate(meta.tables)}
    writer = DescriptorWriter(folder)
    for document in documents:
        writer.add(document)
    environ = {} if epoch is None else {"SOURCE_DATE_EPOCH": epoch}
    path = folder / "datapackage.json"
    writer.write(path, meta, digests, None, environ, digests if parquet else None)
    writer.close()
    text = path.read_text(encoding="utf-8")
    descriptor = json.loads(text)
    assert text == render_json(descriptor)
    assert descriptor["sources"] == [source_entry(d) for d in documents]
    assert descriptor["provenance"]["inputs"] == [input_entry(d) for d in documents]
    resources = descriptor["resources"]
    assert len(resources) == len(meta.tables) * (2 if parquet else 1) + len(documents)
    assert resources[len(resources) - len(documents) :] == [source_resource(d) for d in documents]
    newest = max((d.published for d in documents if d.published), default=None)
    if epoch is not None:
        assert descriptor["created"] == "1970-01-02T00:00:00Z"
    elif newest is None:
        assert "created" not in descriptor
    else:
        assert descriptor["created"] == f"{newest.isoformat()}T00:00:00Z"


def test_the_descriptor_writer_refuses_documents_out_of_order(tmp_path: Path) -> None:
    summary = DocumentSummary("b_1", "b_1.txt", "0" * 64, 1, "T", None, None)
    writer = DescriptorWriter(tmp_path)
    writer.add(summary)
    with pytest.raises(ValueError, match="out of document-id order"):
        writer.add(replace(summary, document_id="a_1"))
    writer.close()


_event_facts = st.lists(
    st.builds(
        EventFact,
        span=st.builds(Span, start=st.integers(0, 3), end=st.just(20)),
        name=st.sampled_from(["Plenary Meeting", "plenary meeting", "the visit", "Conference"]),
        ordinal=st.none() | st.just(8),
        series=st.none() | st.just("plenary meeting"),
        event_kind=st.sampled_from(["meeting", "visit"]),
        is_reported=st.booleans(),
        date_text=st.none() | st.sampled_from(["May 3", "Tuesday", "June 30"]),
        place=st.none() | st.sampled_from(["", "Pyongyang", "Wonsan"]),
        method=st.sampled_from(["lead", "headline-name", "named"]),
        parent=st.sampled_from(["", "conference", "plenary meeting"]),
    ),
    max_size=5,
)


def _events_sorting_every_mention(
    settled: dict[str, DocumentEvents], documents: list
) -> dict[str, tuple]:
    """What the events table said when resolve kept every mention and sorted them (the
    specification :class:`EventMentions` folds): event key -> the row's fields. ``settled``
    is what pass one gave for each document."""
    groups = {
        (doc, key): group for doc, ids in settled.items() for key, group in ids.groups.items()
    }
    mentions: dict[str, list] = {}
    for doc, _, events in documents:
        for e in events:
            mentions.setdefault(groups[(doc, event_key(e.name))], []).append((doc, e))
    rows = {}
    for key, items in mentions.items():
        label = sorted(items, key=lambda de: ("headline" in de[1].method, de[0], de[1].span.start))
        name = label[0][1].name
        items = sorted(items, key=lambda de: (de[0], de[1].span.start))
        first_doc, first = next((d, e) for d, e in items if e.name == name)
        reported = [(d, e) for d, e in items if e.is_reported]
        days = sorted(
            filter(None, (event_date(e.date_text, settled[d].published) for d, e in reported))
        )
        parent = next(
            (
                groups[(d, e.parent)]
                for d, e in items
                if e.parent and (d, e.parent) in groups and groups[(d, e.parent)] != key
            ),
            None,
        )
        rows[key] = (
            name,
            first.event_kind,
            first.ordinal,
            first_doc,
            first.span.start,
            first.method,
            days[0] if days else None,
            days[-1] if len(days) > 1 else None,
            next((e.place for _, e in reported if e.place), None),
            reported[0][0] if reported else None,
            parent,
        )
    return rows


@settings(max_examples=150, deadline=None)
@given(
    documents=st.lists(
        st.tuples(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)), _event_facts),
        max_size=4,
    )
)
def test_event_rows_folded_as_mentions_come_are_those_of_sorting_every_mention(
    documents: list,
) -> None:
    """Resolve folds each event's mentions as documents come (EventMentions): the label, the
    mention the row points to, the days, place, reporting document and parent event are those
    of keeping and sorting every mention, ties and headlines included."""
    documents = [
        (f"doc_{index}", published, events) for index, (published, events) in enumerate(documents)
    ]
    resolver = Resolver()
    settled = {}
    for doc, published, events in documents:
        seen = Observed(doc, (), (), events_seen(events), None, ())
        settled[doc] = resolver.observe(seen, published)
    expected = _events_sorting_every_mention(settled, documents)
    rows = resolver.entity_rows().get("events", [])
    key_of = {resolver.event_ids[key]: key for key in expected}
    got = {
        key_of[r.event_id]: (
            r.name,
            r.event_kind,
            r.ordinal,
            r.document_id,
            r.start,
            r.method,
            r.start_date,
            r.end_date,
            r.place,
            r.described_in,
            None if r.parent_event_id is None else key_of[r.parent_event_id],
        )
        for r in rows
    }
    assert got == expected


_speech_reports = st.lists(
    st.tuples(
        st.sampled_from([("e1", "p1", "report"), ("e1", "p1", "speech"), (None, "p2", "speech")]),
        st.builds(
            SpeechFact,
            span=st.builds(Span, start=st.integers(0, 3), end=st.integers(20, 21)),
            speaker=st.just("p"),
            speech_kind=st.sampled_from(["report", "speech", "concluding_speech"]),
            title=st.none() | st.sampled_from(["", "On Work", "On Farming"]),
            is_full_text=st.booleans(),
            method=st.sampled_from(["report-verb", "speech-headline"]),
        ),
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(documents=st.lists(_speech_reports, max_size=4))
def test_speech_rows_folded_as_reports_come_are_those_of_keeping_every_report(
    documents: list,
) -> None:
    """Resolve folds each speech's reports as pass two gives them (SpeechMentions): the row's
    report (the first in (document, offset) order that is not the full text, else the first
    of all, ties to the earlier), its full text's document and its title are those of keeping
    every report and choosing among them."""
    resolver = Resolver()
    kept: dict[tuple, list] = {}
    for index, reports in enumerate(documents):
        doc = f"doc_{index}"
        resolver.take_speeches([(key, (doc, speech)) for key, speech in reports])
        for key, speech in reports:
            kept.setdefault(key, []).append((doc, speech))
    expected = {}
    for key, items in kept.items():
        reports = [(d, s) for d, s in items if not s.is_full_text] or items
        doc, first = min(reports, key=lambda ds: (ds[0], ds[1].span.start))
        expected[key] = (
            doc,
            first.span.start,
            first.span.end,
            first.speech_kind,
            first.method,
            next((d for d, s in items if s.is_full_text), None),
            next((s.title for _, s in items if s.title), None),
        )
    got = {
        (r.event_id, r.speaker_id, r.speech_id.split("-")[1]): (
            r.document_id,
            r.start,
            r.end,
            r.speech_kind,
            r.method,
            r.full_text_document_id,
            r.speech_title,
        )
        for r in resolver.speech_rows()
    }
    assert got == expected
