"""Data that says what it means (issue 14, deliverable 5).

- a person named in a headline is a mention like any other (person_names);
- a title is a post held on the document's date (status ``held``, dated by ``as_of``), a past
  post only referred to (``referential``) or a dead leader's remembered title (``posthumous``);
- a figure's measure is classed from its words: how often, how long, a share of a plan.

Texts are invented, with invented people; they run through the real pipeline.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import pytest

from dprk_records.pipeline.extract.extractor import extract, extract_all
from dprk_records.pipeline.extract.facts import DocumentFacts
from dprk_records.pipeline.prepare import prepare
from dprk_records.pipeline.read import SourceDocument
from dprk_records.pipeline.tables import combine_tables, text_rows
from dprk_records.render.loaded import load_package
from dprk_records.render.popolo import popolo_export

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "datapackage" / "data"
FOOTER = "\n\n-0-\n\nwww.kcna.kp (Juche110.3.3.)\n"


def _source(body: str, headline: str) -> SourceDocument:
    text = headline + "\n\nPyongyang, March 3 (KCNA) -- " + body + FOOTER
    return SourceDocument("d", "d.txt", text, hashlib.sha256(text.encode()).hexdigest(), None)


def document_facts(body: str, headline: str = "Meeting Held") -> tuple[str, DocumentFacts]:
    """The text of a one-document report and its extracted facts."""
    source = _source(body, headline)
    return source.text, extract(prepare(source))


def titles(body: str) -> list[tuple[str, str, str]]:
    """(person, title, status) of every title the body states."""
    _, facts = document_facts(body)
    return [(t.person, t.title, t.status) for t in facts.titles]


def figures(body: str) -> list[tuple[str, float, str, str]]:
    """(words of the span, value, unit, measure) of every figure the body states."""
    text, facts = document_facts(body)
    return [(text[f.span.start : f.span.end], f.value, f.unit, f.measure) for f in facts.figures]


def _rows(table: str) -> list[dict[str, str]]:
    with (DATA / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- headline mentions ------------------------------------------------------------------------


def test_a_person_named_in_a_headline_is_a_mention_with_its_verbatim_span() -> None:
    text, facts = document_facts(
        "Premier Kang Chol Su inspected the Sinhung Farm on Monday.",
        headline="Premier Kang Chol Su Inspects Sinhung Farm",
    )
    headline = [p for p in facts.persons if p.method == "headline-name"]
    assert [(p.name, text[p.span.start : p.span.end]) for p in headline] == [
        ("Kang Chol Su", "Kang Chol Su")
    ]
    assert headline[0].span.start == text.index("Kang Chol Su")  # in the headline, not the body
    # the body's mention is a mention of its own
    assert [p.span.start for p in facts.persons] == [
        text.index("Kang Chol Su"),
        text.index("Kang Chol Su", text.index("(KCNA)")),
    ]


def test_a_headline_name_glued_to_an_organization_is_no_mention() -> None:
    _, facts = document_facts(
        "A meeting was held at the university.", headline="Ri Myong Su University Holds Meeting"
    )
    assert facts.persons == []


# -- title status -----------------------------------------------------------------------------


def test_a_title_stated_of_a_present_official_is_held() -> None:
    assert titles("Premier Kang Chol Su made a report at the meeting.") == [
        ("Kang Chol Su", "Premier", "held")
    ]


def test_titles_in_a_tribute_are_posthumous_both_of_a_pair() -> None:
    body = (
        "The participants paid tribute to President Ri Myong Su and Chairman Pak Chol Ho who "
        "founded the Party."
    )
    assert titles(body) == [
        ("Ri Myong Su", "President", "posthumous"),
        ("Pak Chol Ho", "Chairman", "posthumous"),
    ]


def test_a_title_in_a_birth_anniversary_is_posthumous() -> None:
    body = "The meeting marked the birth anniversary of President Ri Myong Su."
    assert titles(body) == [("Ri Myong Su", "President", "posthumous")]


def test_a_posthumous_title_word_is_posthumous_without_a_frame() -> None:
    assert titles("Generalissimo Ri Myong Su founded the army.") == [
        ("Ri Myong Su", "Generalissimo", "posthumous")
    ]


def test_a_former_post_is_referential() -> None:
    body = "Kang Chol Su, former director of the Sinpho Fishery Station, spoke at the meeting."
    assert titles(body) == [
        ("Kang Chol Su", "former director of the Sinpho Fishery Station", "referential")
    ]


def test_a_post_in_a_past_relative_clause_is_referential() -> None:
    body = "Kang Chol Su, who was premier of the Cabinet, spoke at the meeting."
    assert titles(body) == [("Kang Chol Su", "premier of the Cabinet", "referential")]


def test_only_held_titles_are_dated_by_the_document() -> None:
    body = (
        "Premier Kang Chol Su made a report. The participants paid tribute to President Ri "
        "Myong Su."
    )
    documents = [prepare(_source(body, "Meeting Held"))]
    tables = combine_tables(map(text_rows, documents), documents, extract_all(documents))
    positions = tables["positions"]
    assert [(p.person_id, p.status, p.as_of) for p in positions] == [
        ("kang-chol-su", "held", dt.date(2021, 3, 3)),
        ("ri-myong-su", "posthumous", None),
    ]


# -- figure measures --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The conference shall be convened every five years by the rules.",
            ("every five years", 5.0, "year", "frequency"),
        ),
        (
            "The study meetings are held three times a month.",
            ("three times a month", 3.0, "time per month", "frequency"),
        ),
    ],
)
def test_how_often_is_a_frequency(body: str, expected: tuple[str, float, str, str]) -> None:
    assert figures(body) == [expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The brigade worked in the pit for five years.",
            ("five years", 5.0, "year", "duration"),
        ),
        ("The dam was built in three months.", ("three months", 3.0, "month", "duration")),
        ("The plenary meeting adopted a five-year plan.", ("five-year", 5.0, "year", "duration")),
    ],
)
def test_how_long_is_a_duration(body: str, expected: tuple[str, float, str, str]) -> None:
    assert figures(body) == [expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The mine fulfilled its yearly plan by 120 percent.",
            ("120 percent", 120.0, "percent", "plan_fulfilment"),
        ),
        (
            "The workers produced 120 percent of the plan.",
            ("120 percent", 120.0, "percent", "plan_fulfilment"),
        ),
    ],
)
def test_a_share_of_a_plan_is_plan_fulfilment(
    body: str, expected: tuple[str, float, str, str]
) -> None:
    assert figures(body) == [expected]


def test_a_percent_of_no_plan_is_not_plan_fulfilment() -> None:
    assert figures("Grain output grew 12 percent.") == [("12 percent", 12.0, "percent", "growth")]
    assert figures("Some 90 percent of the members were young.") == [
        ("Some 90 percent", 90.0, "percent", "count")
    ]


# -- the seeds, as built ----------------------------------------------------------------------


def test_the_seeds_headline_mention_is_in_person_names() -> None:
    documents = {row["document_id"]: row for row in _rows("documents")}
    texts = {doc: (REPO / "seeds" / f"{doc}.txt").read_text(encoding="utf-8") for doc in documents}
    headline_rows = [r for r in _rows("person_names") if r["method"] == "headline-name"]
    assert headline_rows, "no headline mention in the package"
    for row in headline_rows:
        text = texts[row["document_id"]]
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == row["surface"]
        assert start < text.index("(KCNA)")  # before the dateline: in the headline
    assert ("000_4f944ba05b264b4e", "kim-jong-un") in {
        (r["document_id"], r["person_id"]) for r in headline_rows
    }


def test_the_seeds_dead_leaders_titles_are_posthumous_and_undated() -> None:
    rows = [r for r in _rows("positions") if r["person_id"] in {"kim-il-sung", "kim-jong-il"}]
    assert {(r["person_id"], r["title"]) for r in rows} == {
        ("kim-il-sung", "President"),
        ("kim-jong-il", "Chairman"),
    }
    assert {(r["status"], r["as_of"]) for r in rows} == {("posthumous", "")}
    others = [r for r in _rows("positions") if r["person_id"] not in {"kim-il-sung", "kim-jong-il"}]
    assert others and {r["status"] for r in others} == {"held"}
    assert all(r["as_of"] == "2021-04-07" for r in others)


def test_the_seeds_every_five_years_is_a_frequency() -> None:
    texts = {
        doc: (REPO / "seeds" / f"{doc}.txt").read_text(encoding="utf-8")
        for doc in {r["document_id"] for r in _rows("figures")}
    }
    said = {
        texts[r["document_id"]][int(r["start"]) : int(r["end"])]: r["measure"]
        for r in _rows("figures")
    }
    assert said["every five years"] == "frequency"
    assert said["five years"] == "duration"  # "for five years"


def test_the_seeds_posthumous_titles_are_no_popolo_memberships() -> None:
    memberships = popolo_export(load_package(REPO / "datapackage"))["memberships"]
    people = {m["person_id"] for m in memberships}
    assert {"kim-il-sung", "kim-jong-il"}.isdisjoint(people)
    assert "kim-jong-un" in people  # his title held on the date is one
    held = [r for r in _rows("positions") if r["status"] == "held"]
    assert not _rows("personnel_changes")  # so every membership is a held title
    assert len(memberships) == len(held) > 0
