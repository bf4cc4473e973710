"""`dprk-records evaluate`: folding (property tests), gold files, predictions, metrics, CLI.

The scorer is tested on small hand-made tables (rows as dicts) whose scores are known by hand,
never on the extractor's output, which is still being written.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_records.cli import main
from dprk_records.evaluate import evaluate
from dprk_records.evaluate.fold import (
    fold_event,
    fold_name,
    fold_org,
    fold_text,
    fold_title,
    ordinal_suffix,
)
from dprk_records.evaluate.gold import GoldError, gold_schema, load_gold_dir, load_gold_file
from dprk_records.evaluate.model import PERSON_ROLES, DocumentFacts
from dprk_records.evaluate.predict import predict, role_and_list_order
from dprk_records.evaluate.report import as_json, render_json, render_text
from dprk_records.evaluate.score import (
    Counts,
    EvaluationError,
    failed_thresholds,
    parse_threshold,
    prf,
    score_all,
)
from dprk_records.schemas import table_schema

from .conftest import REPO, REPORT_ID, SEEDS, SPEECH_ID

CORPUS = REPO / "tests" / "corpus"
SEEDS_GOLD = CORPUS / "seeds_gold"
FOLDS = [fold_text, fold_name, fold_title, fold_event, fold_org]

# ---------------------------------------------------------------------------------------------
# fold.py: properties

KCNA_WORDS = [
    "the",
    "The",
    "Party",
    "Workers'",
    "Workers’",
    "Workers`",
    "of",
    "Korea",
    "(WPK)",
    "WPK",
    "C.C.,",
    "Central",
    "Committee",
    "Congress",
    "Sixth",
    "8th",
    "first",
    "twenty-first",
    "Twenty",
    "secretaries",
    "department",
    "directors",
    "Vice-premiers",
    "member",
    "under",
    "for",
    "Plenary",
    "Meeting",
    "parties",
    "chairmen",
    "No.",
    "2",
    "Kim",
    "II",
    "Sung",
    "—",
    "-",
    " ",
    "\t",
]
kcna_phrases = st.lists(st.sampled_from(KCNA_WORDS), max_size=14).map(" ".join)
ascii_text = st.text(alphabet=string.ascii_letters + string.digits + " .,;:'()-\"", max_size=60)
any_text = st.one_of(st.text(max_size=60), kcna_phrases, ascii_text)
PUNCTUATION = ".,;:!?'\"()`’‘-"


@pytest.mark.parametrize("fold", FOLDS, ids=lambda f: f.__name__)
@given(text=any_text)
def test_folds_are_idempotent(fold: Any, text: str) -> None:
    once = fold(text)
    assert fold(once) == once


@pytest.mark.parametrize("fold", FOLDS, ids=lambda f: f.__name__)
@given(text=st.one_of(ascii_text, kcna_phrases))
def test_folds_ignore_case(fold: Any, text: str) -> None:
    assert fold(text.upper()) == fold(text.lower()) == fold(text.swapcase()) == fold(text)


@pytest.mark.parametrize("fold", FOLDS, ids=lambda f: f.__name__)
@given(words=st.lists(st.sampled_from(KCNA_WORDS[:-2]), max_size=10), gaps=st.data())
def test_folds_ignore_whitespace_runs(fold: Any, words: list[str], gaps: st.DataObject) -> None:
    spaced = "".join(
        word + gaps.draw(st.sampled_from([" ", "  ", "\t", "\n", " \u00a0 "])) for word in words
    )
    assert fold(spaced) == fold(" ".join(words)) == fold("\n " + spaced + " ")


@pytest.mark.parametrize("fold", FOLDS, ids=lambda f: f.__name__)
@given(text=any_text)
def test_folds_ignore_punctuation_and_apostrophe_variants(fold: Any, text: str) -> None:
    bare = "".join(ch for ch in text if ch not in PUNCTUATION)
    assert fold(text) == fold(bare)
    for variant in "’‘`ʼ":
        assert fold(text.replace("'", variant)) == fold(text)


@given(text=any_text)
def test_fold_text_output_is_lowercase_words_and_single_spaces(text: str) -> None:
    folded = fold_text(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(ch.isalnum() or ch == " " for ch in folded)
    assert folded.casefold() == folded


@pytest.mark.parametrize("fold", [fold_title, fold_event, fold_org], ids=lambda f: f.__name__)
@given(text=any_text)
def test_domain_folds_build_on_the_base_fold(fold: Any, text: str) -> None:
    assert fold(fold_text(text)) == fold(text)


_ONES = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth"]
_TEENS += ["sixteenth", "seventeenth", "eighteenth", "nineteenth"]
_TENS = ["", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]


def _ordinal_in_words(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return f"{_TENS[tens]}ieth" if ones == 0 else f"{_TENS[tens]}y-{_ONES[ones]}"


@given(n=st.integers(min_value=1, max_value=99), capitalize=st.booleans())
def test_ordinals_in_words_fold_to_digits(n: int, capitalize: bool) -> None:
    word = _ordinal_in_words(n)
    word = word.capitalize() if capitalize else word
    digits = ordinal_suffix(n)
    assert fold_event(f"The {word} Conference of Cell Secretaries") == fold_event(
        f"{digits} Conference of Cell Secretaries"
    )
    assert fold_title(f"{word} vice director") == fold_title(f"{digits} vice director")


def test_ordinal_suffixes() -> None:
    cases = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th"}
    cases |= {21: "21st", 22: "22nd", 23: "23rd", 101: "101st", 111: "111th", 112: "112th"}
    assert {n: ordinal_suffix(n) for n in cases} == cases


SAME = [
    (fold_title, "secretary of the C.C., WPK", "secretary of the Party Central Committee"),
    (fold_title, "secretaries of the Party Central Committee", "secretary of the C.C., WPK"),
    (fold_title, "department directors of the C.C., WPK", "department director of the C.C., WPK"),
    (fold_title, "Vice-premiers", "Vice-premier"),
    (fold_title, "first vice department director", "1st vice department director"),
    (
        fold_title,
        "member of the Presidium of the Political Bureau of the Central Committee of the WPK",
        "member of the Presidium of the Political Bureau of the C.C., WPK",
    ),
    (
        fold_title,
        "chairman of the Kangwon Provincial Committee of the Workers' Party of Korea",
        "chairman of the Kangwon Provincial Committee of the WPK",
    ),
    (
        fold_title,
        "general secretary of the Workers’ Party of Korea",
        "General Secretary of the WPK",
    ),
    (fold_title, "secretary of the Party", "secretary of the WPK"),
    (
        fold_title,
        "Party cell secretary of repair workteam of cement shop",
        "Party cell secretary of repair work-team of cement shop",
    ),
    (
        fold_event,
        "the 2nd Plenary Meeting of the 8th Party Central Committee",
        "2nd Plenary Meeting of the 8th Central Committee of the WPK",
    ),
    (
        fold_event,
        "Second Plenary Meeting of its Eighth Central Committee of the WPK",
        "2nd Plenary Meeting of its 8th Central Committee of the WPK",
    ),
    (fold_event, "Eighth Party Congress", "8th Congress of the WPK"),
    (
        fold_event,
        "The Sixth Conference of Cell Secretaries of the Workers' Party of Korea (WPK)",
        "6th Conference of Cell Secretaries of the WPK",
    ),
    (
        fold_event,
        "Fifth Conference of the Cell Chairpersons of the Workers’ Party of Korea",
        "5th Conference of Cell Chairpersons of the WPK",
    ),
    (fold_event, "Twenty-first Congress", "21st Congress"),
    (fold_org, 'fishing vessel "Tanphung 18-03"', "fishing vessel Tanphung 18-03"),
    (fold_name, "Kim Jong Un ,", "KIM JONG UN"),
]
DIFFERENT = [
    (fold_title, "secretary of the C.C., WPK", "member of the C.C., WPK"),
    (fold_title, "vice department director", "department director"),
    (fold_event, "6th Conference of Cell Secretaries", "7th Conference of Cell Secretaries"),
    (fold_event, "8th Congress of the WPK", "8th Plenary Meeting of the 8th Central Committee"),
    (fold_name, "Ri Il Hwan", "Ri II Hwan"),  # OCR is the extractor's job, not the scorer's
    (fold_org, "steel shop No. 2", "steel shop No. 3"),
]


@pytest.mark.parametrize(("fold", "left", "right"), SAME)
def test_variants_of_one_name_fold_alike(fold: Any, left: str, right: str) -> None:
    assert fold(left) == fold(right)


@pytest.mark.parametrize(("fold", "left", "right"), DIFFERENT)
def test_different_names_stay_different(fold: Any, left: str, right: str) -> None:
    assert fold(left) != fold(right)


# ---------------------------------------------------------------------------------------------
# gold.py


def _gold(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "file": "doc_a.txt",
        "year": 2021,
        "document_kind": "report",
        "events": [
            {
                "name": "6th Conference of Cell Secretaries of the WPK",
                "ordinal": 6,
                "date_text": "April 6",
                "place": "Pyongyang",
            }
        ],
        "persons": [
            _person("Kim Jong Un", ["general secretary of the Workers' Party of Korea"], "guided"),
            _person("Ri Il Hwan", ["secretary of the C.C., WPK"], "platform", 1, "Ri II Hwan"),
            _person("Jo Yong Won", ["secretary of the C.C., WPK"], "report", 2),
            _person("Kim Il Sung", ["President"], "mentioned"),
        ],
        "organizations": [
            {"name": "work-team No. 2", "parent": "steel shop"},
            {"name": "steel shop", "parent": "Ryonha Complex"},
            {"name": "Ryonha Complex", "parent": None},
        ],
        "referenced_events": [
            "8th Congress of the WPK",
            "5th Conference of Cell Chairpersons of the WPK",
        ],
    }
    base.update(changes)
    return base


def _person(
    name: str, titles: list[str], role: str, order: int | None = None, surface: str | None = None
) -> dict[str, Any]:
    return {
        "name": name,
        "surface": surface or name,
        "titles": titles,
        "role_in_event": role,
        "list_order": order,
    }


def _write(folder: Path, stem: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_a_valid_gold_file_loads_as_facts(tmp_path: Path) -> None:
    facts = load_gold_file(_write(tmp_path, "doc_a", _gold()))
    assert facts.document_id == "doc_a"
    assert [p.name for p in facts.persons][:2] == ["Kim Jong Un", "Ri Il Hwan"]
    assert facts.persons[1].surface == "Ri II Hwan"
    assert facts.events[0].ordinal == 6
    assert facts.organizations[2].parent is None


BAD_GOLD = [
    ("not json", '{"file": "doc_a.txt",', "not valid JSON (line 1"),
    (
        "missing key",
        {k: v for k, v in _gold().items() if k != "events"},
        "(top level): 'events' is a required property",
    ),
    ("null list", _gold(events=None), "events: None is not of type 'array'"),
    (
        "bad role",
        _gold(persons=[_person("Kim Jong Un", [], "led")]),
        "persons[0].role_in_event: 'led' is not one of",
    ),
    (
        "bad order",
        _gold(persons=[_person("Kim Jong Un", [], "speech", 0)]),
        "persons[0].list_order: 0 is less than the minimum",
    ),
    ("extra key", _gold(comment="x"), "Additional properties are not allowed ('comment'"),
    ("wrong file", _gold(file="doc_b.txt"), "file: 'doc_b.txt' should be 'doc_a.txt'"),
    (
        "duplicate person",
        _gold(persons=[_person("Ri Il Hwan", [], "speech"), _person("RI IL HWAN", [], "speech")]),
        "'ri il hwan' is listed more than once",
    ),
    (
        "reported and referenced",
        _gold(referenced_events=["Sixth Conference of Cell Secretaries of the WPK"]),
        "is a reported event",
    ),
    (
        "orphan parent",
        _gold(organizations=[{"name": "steel shop", "parent": "Ryonha Complex"}]),
        "organizations[0].parent: 'Ryonha Complex' is not itself listed",
    ),
]


@pytest.mark.parametrize(("case", "data", "message"), BAD_GOLD, ids=[c[0] for c in BAD_GOLD])
def test_bad_gold_files_are_refused_naming_file_and_place(
    tmp_path: Path, case: str, data: Any, message: str
) -> None:
    path = _write(tmp_path, "doc_a", data)
    with pytest.raises(GoldError) as info:
        load_gold_file(path)
    text = str(info.value)
    assert str(path) in text
    assert message in text, text


def test_all_problems_of_a_gold_folder_are_reported_together(tmp_path: Path) -> None:
    _write(tmp_path, "doc_a", _gold(file="wrong.txt"))
    _write(tmp_path, "doc_b", _gold(file="doc_b.txt", year="2021"))
    _write(tmp_path, "doc_c", _gold(file="doc_c.txt"))
    with pytest.raises(GoldError) as info:
        load_gold_dir(tmp_path)
    assert len(info.value.problems) == 2
    assert "doc_a.json: file:" in info.value.problems[0]
    assert "doc_b.json: year: '2021' is not of type" in info.value.problems[1]
    with pytest.raises(GoldError, match="gold folder not found"):
        load_gold_dir(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(GoldError, match=r"no \*\.json gold files"):
        load_gold_dir(tmp_path / "empty")


def test_gold_schema_enums_follow_the_table_schemas() -> None:
    def enum(table: str, field: str) -> list[str]:
        (spec,) = [f for f in table_schema(table)["fields"] if f["name"] == field]
        return spec["constraints"]["enum"]

    properties = gold_schema()["properties"]
    assert properties["document_kind"]["enum"] == enum("documents", "document_kind")
    roles = gold_schema()["$defs"]["person"]["properties"]["role_in_event"]["enum"]
    assert set(roles) == {*enum("participations", "role"), "mentioned"} == set(PERSON_ROLES)


@pytest.mark.parametrize("folder", ["gold", "seeds_gold"])
def test_the_repository_gold_files_are_valid(folder: str) -> None:
    gold = load_gold_dir(CORPUS / folder)
    texts = SEEDS if folder == "seeds_gold" else CORPUS / "texts"
    for document_id, facts in gold.items():
        text = (texts / f"{document_id}.txt").read_text(encoding="utf-8")
        for person in facts.persons:
            assert person.surface in text, (document_id, person.surface)


def test_seed_gold_records_the_hand_checked_facts() -> None:
    gold = load_gold_dir(SEEDS_GOLD)
    assert sorted(gold) == [REPORT_ID, SPEECH_ID]
    report, speech = gold[REPORT_ID], gold[SPEECH_ID]
    report_text = (SEEDS / f"{REPORT_ID}.txt").read_text(encoding="utf-8")
    for org in report.organizations:
        assert org.name in report_text, org.name
    platform = [p.name for p in report.persons if p.list_order and p.role_in_event != "speech"]
    assert platform == [
        "Jo Yong Won",
        "Jong Sang Hak",
        "Ri Il Hwan",
        "Kwon Yong Jin",
        "Kim Jae Ryong",
        "O Il Jong",
        "Ho Chol Man",
    ]
    speakers = [p for p in report.persons if p.role_in_event == "speech"]
    assert [p.list_order for p in speakers] == list(range(1, 13))
    roles = {p.name: p.role_in_event for p in report.persons}
    assert roles["Kim Jong Un"] == "guided"
    assert roles["Jo Yong Won"] == "report"
    assert roles["Kim Il Sung"] == roles["Kim Jong Il"] == "mentioned"
    assert [e.name for e in report.events] == [e.name for e in speech.events]
    assert (report.year, speech.year) == (None, None)  # neither text gives a year
    assert [p.name for p in speech.persons] == ["Kim Jong Un"]
    assert speech.persons[0].role_in_event == "opening_address"


# ---------------------------------------------------------------------------------------------
# predict.py: hand-made tables (rows as dicts)


def _tables() -> dict[str, list[dict[str, Any]]]:
    """Predictions for doc_a (scored against _gold()), doc_b and doc_c (no gold)."""

    def doc(document_id: str, kind: str, basis: str) -> dict[str, Any]:
        published = dt.date(2021, 4, 7)
        return {
            "document_id": document_id,
            "document_kind": kind,
            "published": published,
            "date_basis": basis,
        }

    def person(pid: str, name: str) -> dict[str, Any]:
        return {"person_id": pid, "name": name}

    def name(doc_id: str, start: int, pid: str, surface: str) -> dict[str, Any]:
        return {"document_id": doc_id, "start": start, "person_id": pid, "surface": surface}

    def position(start: int, pid: str, title: str, org: str | None = None) -> dict[str, Any]:
        return {
            "document_id": "doc_a",
            "start": start,
            "person_id": pid,
            "title": title,
            "org_id": org,
        }

    def part(start: int, pid: str, role: str, order: int | None = None, listing: int | None = None):
        return {
            "document_id": "doc_a",
            "start": start,
            "event_id": "e6",
            "person_id": pid,
            "role": role,
            "listing": None if listing is None else f"doc_a@{listing}",
            "list_order": order,
        }

    def org(org_id: str, name: str, parent: str | None, doc_id: str) -> dict[str, Any]:
        return {"org_id": org_id, "name": name, "parent_org_id": parent, "document_id": doc_id}

    def ref(doc_id: str, start: int, event: str, reported: bool, **more: Any) -> dict[str, Any]:
        return {
            "document_id": doc_id,
            "start": start,
            "event_id": event,
            "is_reported": reported,
            "date_text": None,
            "place": None,
        } | more

    return {
        "documents": [
            doc("doc_a", "report", "dateline+footer"),
            doc("doc_b", "report", "dateline+manifest"),
            doc("doc_c", "report", "none"),
        ],
        "persons": [
            person("kim-jong-un", "Kim Jong Un"),
            person("ri-il-hwan", "Ri Il Hwan"),
            person("jo-yong-won", "Jo Yong Won"),
            person("pak-chol", "Pak Chol"),
        ],
        "person_names": [
            name("doc_a", 10, "kim-jong-un", "Kim Jong Un"),
            name("doc_a", 100, "ri-il-hwan", "Ri II Hwan"),
            name("doc_a", 120, "jo-yong-won", "Jo Yong Won"),
            name("doc_a", 300, "pak-chol", "Pak Chol"),
            name("doc_a", 400, "kim-jong-un", "Kim Jong Un"),
        ],
        "positions": [
            position(20, "kim-jong-un", "general secretary of the WPK"),
            position(105, "ri-il-hwan", "secretaries of the Party Central Committee"),
            position(125, "jo-yong-won", "member of the Political Bureau"),
            position(310, "pak-chol", "leader of work-team No. 2", "team"),
        ],
        "participations": [
            part(50, "kim-jong-un", "opening_address"),
            part(40, "kim-jong-un", "guided"),
            part(100, "ri-il-hwan", "platform", 1, 90),
            part(121, "jo-yong-won", "platform", 2, 90),
            part(200, "jo-yong-won", "report"),
            part(300, "pak-chol", "speech", 1, 280),
        ],
        "organizations": [
            org("team", "work-team No. 2", "shop", "doc_b"),
            org("shop", "steel shop", "complex", "doc_b"),
            org("complex", "Ryonha Complex", None, "doc_b"),
            org("farm", "Sindok Co-op Farm", None, "doc_a"),
        ],
        "events": [
            {
                "event_id": "e6",
                "name": "6th Conference of Cell Secretaries of the WPK",
                "ordinal": 6,
            },
            {"event_id": "e8", "name": "8th Congress of the WPK", "ordinal": 8},
            {
                "event_id": "e5",
                "name": "Fifth Conference of the Cell Chairpersons of the Workers' Party of Korea",
                "ordinal": 5,
            },
        ],
        "event_references": [
            ref("doc_a", 5, "e6", True, date_text="April 6", place="Pyongyang"),
            ref("doc_a", 60, "e8", False),
            ref("doc_a", 70, "e5", False),
            ref("doc_a", 500, "e6", False),
            ref("doc_a", 510, "e8", False),
        ],
    }


def test_predictions_follow_the_documented_derivation() -> None:
    predicted = predict(_tables())
    assert sorted(predicted) == ["doc_a", "doc_b", "doc_c"]
    a = predicted["doc_a"]
    people = {p.name: p for p in a.persons}
    assert [p.name for p in a.persons] == ["Kim Jong Un", "Ri Il Hwan", "Jo Yong Won", "Pak Chol"]
    assert people["Kim Jong Un"].role_in_event == "guided"  # guided beats opening_address
    assert people["Kim Jong Un"].list_order is None
    assert people["Ri Il Hwan"].surface == "Ri II Hwan"
    # The report gives Jo Yong Won's role; his order comes from his first listing.
    assert (people["Jo Yong Won"].role_in_event, people["Jo Yong Won"].list_order) == ("report", 2)
    assert people["Pak Chol"].titles == ("leader of work-team No. 2",)
    assert [e.name for e in a.events] == ["6th Conference of Cell Secretaries of the WPK"]
    assert (a.events[0].date_text, a.events[0].place) == ("April 6", "Pyongyang")
    # A reported event is not also referenced; each referenced event appears once.
    assert len(a.referenced_events) == 2
    assert {(o.name, o.parent) for o in a.organizations} == {
        ("Sindok Co-op Farm", None),
        ("work-team No. 2", "steel shop"),
        ("steel shop", "Ryonha Complex"),
        ("Ryonha Complex", None),
    }
    assert a.year == 2021  # the footer gives the year
    assert predicted["doc_b"].year is None  # the manifest's year is not the text's
    assert predicted["doc_b"].persons == ()
    assert len(predicted["doc_b"].organizations) == 3  # first mentioned in doc_b


def test_role_priority_ties_and_fallbacks() -> None:
    def row(start: int, role: str, order: int | None = None, listing: str | None = None):
        return {"start": start, "role": role, "list_order": order, "listing": listing}

    assert role_and_list_order([]) == ("mentioned", None)
    assert role_and_list_order([row(9, "closing_address"), row(5, "opening_address")]) == (
        "closing_address",
        None,
    )  # a tie between the addresses goes to the first row given
    assert role_and_list_order([row(1, "platform", 3, "d@0"), row(2, "speech", 2, "d@50")]) == (
        "speech",
        2,
    )
    listed = [row(200, "report"), row(90, "attended", 4, "d@80"), row(10, "platform", 7, "d@5")]
    assert role_and_list_order(listed) == ("report", 7)  # the first listing by offset
    assert role_and_list_order([row(1, "other"), row(2, "observer")]) == ("observer", None)


def test_predict_reads_row_dataclasses_too() -> None:
    from dprk_records.pipeline.rows import PersonNameRow, PersonRow

    tables: dict[str, list[Any]] = {
        "documents": [{"document_id": "d", "document_kind": "speech", "date_basis": "none"}],
        "persons": [
            PersonRow(
                person_id="o-il-jong", name="O Il Jong", family_name="O", given_name="Il Jong"
            )
        ],
        "person_names": [
            PersonNameRow(
                document_id="d",
                start=3,
                end=12,
                person_id="o-il-jong",
                surface="O II Jong",
                method="test",
            )
        ],
    }
    (person,) = predict(tables)["d"].persons
    assert (person.name, person.surface, person.role_in_event) == (
        "O Il Jong",
        "O II Jong",
        "mentioned",
    )


# ---------------------------------------------------------------------------------------------
# score.py: hand-computed scores


def test_counts_precision_recall_f1() -> None:
    assert prf({"a", "b", "c"}, {"b", "c", "d", "e"}) == Counts(2, 3, 4)
    counts = Counts(2, 3, 4)
    assert (counts.precision, counts.recall) == (0.5, 2 / 3)
    assert counts.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert Counts(0, 0, 0).f1 == Counts(0, 0, 0).precision == Counts(0, 0, 0).recall == 1.0
    assert (Counts(0, 2, 0).precision, Counts(0, 2, 0).recall, Counts(0, 2, 0).f1) == (0, 0, 0)
    assert (Counts(0, 0, 2).precision, Counts(0, 0, 2).recall, Counts(0, 0, 2).f1) == (0, 0, 0)
    assert Counts(1, 2, 3) + Counts(2, 2, 2) == Counts(3, 4, 5)


def _scored(tmp_path: Path) -> Any:
    _write(tmp_path, "doc_a", _gold())
    speech_gold = _gold(
        file="doc_b.txt",
        year=None,
        document_kind="speech",
        events=[],
        persons=[_person("Pak Chol", [], "attended")],
        organizations=[],
        referenced_events=[],
    )
    _write(tmp_path, "doc_b", speech_gold)
    return score_all(load_gold_dir(tmp_path), predict(_tables()), {"gold": "hand-made"})


EXPECTED_DOC_A = {  # metric: (true positives, gold, predicted)
    "persons": (3, 4, 4),  # Kim Il Sung missed, Pak Chol spurious
    "titles": (2, 4, 4),  # plural + "Party Central Committee" folds to gold's C.C., WPK title
    "events": (1, 1, 1),
    "roles": (3, 4, 4),  # Kim Il Sung "mentioned" missed, Pak Chol "speech" spurious
    "list_order": (2, 2, 3),
    "organizations": (3, 3, 4),  # the chain comes through Pak Chol's position
    "referenced_events": (2, 2, 2),  # "Fifth ... of the Cell Chairpersons" matches
    "event_details": (1, 1, 1),
    "changes": (0, 0, 0),  # the gold file has no "changes" key: not scored
    "change_order": (0, 0, 0),
}


def test_scores_of_a_hand_made_document_are_known(tmp_path: Path) -> None:
    evaluation = _scored(tmp_path)
    doc_a = evaluation.documents[0]
    got = {
        name: (s.counts.true_positives, s.counts.gold, s.counts.predicted)
        for name, s in doc_a.metrics.items()
    }
    assert got == EXPECTED_DOC_A
    assert doc_a.metrics["list_order"].counts.precision == pytest.approx(2 / 3)
    assert doc_a.metrics["list_order"].counts.f1 == pytest.approx(0.8)
    assert doc_a.metrics["organizations"].counts.f1 == pytest.approx(6 / 7)
    assert doc_a.metrics["persons"].missed == ("Kim Il Sung",)
    assert doc_a.metrics["persons"].spurious == ("Pak Chol",)
    assert doc_a.metrics["titles"].missed == (
        "Jo Yong Won: secretary of the C.C., WPK",
        "Kim Il Sung: President",
    )
    assert doc_a.metrics["titles"].spurious == (
        "Jo Yong Won: member of the Political Bureau",
        "Pak Chol: leader of work-team No. 2",
    )
    assert all(a.correct for a in doc_a.accuracies.values())
    assert evaluation.unscored == ("doc_c",)


def test_totals_are_micro_averaged(tmp_path: Path) -> None:
    evaluation = _scored(tmp_path)
    # doc_b adds one missed person and three spurious organizations (first mentioned there).
    assert evaluation.total("persons") == Counts(3, 5, 4)
    assert evaluation.total("persons").f1 == pytest.approx(2 * 3 / 9)
    assert evaluation.total("organizations") == Counts(3, 3, 7)
    assert evaluation.total("organizations").f1 == pytest.approx(0.6)
    assert evaluation.total("events") == Counts(1, 1, 1)  # doc_b: no events either side
    assert (
        evaluation.accuracy("document_kind").correct,
        evaluation.accuracy("document_kind").total,
    ) == (1, 2)
    assert evaluation.accuracy("year").value == 1.0
    assert evaluation.headline("document_kind") == 0.5


def test_thresholds(tmp_path: Path) -> None:
    evaluation = _scored(tmp_path)
    assert parse_threshold("events=1.0") == ("events", 1.0)
    assert failed_thresholds(evaluation, {"events": 1.0, "year": 1.0}) == []
    failures = failed_thresholds(evaluation, {"persons": 0.9, "document_kind": 0.75})
    assert failures == [
        "persons: total F1 0.667 is below 0.9",
        "document_kind: total accuracy 0.500 is below 0.75",
    ]
    for bad in ("persons", "people=1", "persons=high", "persons=1.5"):
        with pytest.raises(EvaluationError, match="--min-f1"):
            parse_threshold(bad)


def test_a_gold_file_without_a_built_document_is_an_error(tmp_path: Path) -> None:
    gold = {"doc_z": DocumentFacts("doc_z")}
    with pytest.raises(EvaluationError, match=r"doc_z\.json"):
        score_all(gold, predict(_tables()))


# ---------------------------------------------------------------------------------------------
# report.py


def test_macro_averages_weigh_each_document_once(tmp_path: Path) -> None:
    evaluation = _scored(tmp_path)
    # persons: doc_a F1 0.75 (3 of 4 each way), doc_b F1 0 (its one person missed): micro sums
    # the counts (6 / 9), macro averages the two documents
    assert evaluation.total("persons").f1 == pytest.approx(2 / 3)
    assert evaluation.macro("persons") == pytest.approx((0.375, 0.375, 0.375))
    # list_order: doc_a P 2/3, R 1, F1 0.8; doc_b has no listed person on either side: 1.0
    assert evaluation.macro("list_order") == pytest.approx((5 / 6, 1.0, 0.9))
    text = render_text(evaluation)
    assert "mP, mR, mF1: macro-averaged" in text
    assert (
        "  persons                 5     4     3   0.750   0.600   0.667   0.375   0.375   0.375"
        in text
    )
    data = as_json(evaluation)
    assert data["total"]["persons"]["macro_f1"] == 0.375
    assert data["total"]["list_order"]["macro_precision"] == round(5 / 6, 6)


def test_text_and_json_reports(tmp_path: Path) -> None:
    evaluation = _scored(tmp_path)
    text = render_text(evaluation, errors=True)
    assert "TOTAL (micro-averaged over 2 documents)" in text
    assert "  persons                 4     4     3   0.750   0.750   0.750" in text
    assert "persons missed (1):\n    - Kim Il Sung" in text
    assert "document_kind      accuracy 0.500 (1/2)" in text
    assert "not scored (no gold file): doc_c" in text
    assert "missed" not in render_text(evaluation)
    data = json.loads(render_json(evaluation, ["x"]))
    assert data == json.loads(json.dumps(as_json(evaluation, ["x"])))
    assert data["documents"]["doc_a"]["list_order"]["f1"] == 0.8
    assert data["documents"]["doc_b"]["document_kind"] == {
        "gold": "speech",
        "predicted": "report",
        "correct": False,
    }
    assert data["total"]["persons"]["true_positives"] == 3
    assert data["failed_thresholds"] == ["x"]


# ---------------------------------------------------------------------------------------------
# the command


TEXT = """Factory Inspected

Pyongyang, May 3 (KCNA) -- Ri Chol Nam, premier of the Cabinet, inspected the Ryonha Machine Complex on May 2.

-0-
"""


def test_cli_evaluate_builds_in_memory_and_applies_thresholds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds, gold = tmp_path / "seeds", tmp_path / "gold"
    seeds.mkdir()
    (seeds / "kcna_x.txt").write_text(TEXT, encoding="utf-8")
    never = _gold(
        file="kcna_x.txt",
        persons=[_person("Nobody Named Here", [], "mentioned")],
        events=[],
        organizations=[],
        referenced_events=[],
    )
    _write(gold, "kcna_x", never)
    args = ["evaluate", "--gold", str(gold), "--seeds", str(seeds)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "kcna_x" in out
    assert "TOTAL (micro-averaged over 1 documents)" in out
    assert main([*args, "--min-f1", "persons=0"]) == 0
    assert capsys.readouterr().err == ""
    assert main([*args, "--min-f1", "persons=1.0", "--json"]) == 1
    captured = capsys.readouterr()
    assert "below --min-f1: persons: total F1 0.000 is below 1" in captured.err
    assert json.loads(captured.out)["failed_thresholds"] == ["persons: total F1 0.000 is below 1"]
    assert not list(tmp_path.glob("**/datapackage.json"))  # nothing was written


def test_cli_evaluate_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "gold", "kcna_x", _gold(file="other.txt"))
    assert main(["evaluate", "--gold", str(tmp_path / "gold")]) == 2
    assert "kcna_x.json: file: 'other.txt' should be 'kcna_x.txt'" in capsys.readouterr().err
    assert main(["evaluate", "--gold", str(SEEDS_GOLD), "--min-f1", "f1=1"]) == 2
    assert "--min-f1 'f1=1'" in capsys.readouterr().err


def test_cli_evaluate_a_built_package_with_the_seed_gold(
    built_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["evaluate", "--gold", str(SEEDS_GOLD), "--package", str(built_package), "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert sorted(data["documents"]) == [REPORT_ID, SPEECH_ID]
    assert data["source"]["package"] == str(built_package)
    assert data["total"]["persons"]["gold"] == 23
    from_seeds = evaluate(SEEDS_GOLD, SEEDS)
    assert from_seeds.total("persons") == evaluate(SEEDS_GOLD, package_dir=built_package).total(
        "persons"
    )


def test_changes_are_scored_only_where_the_gold_annotates_them() -> None:
    from dprk_records.evaluate.model import ChangeFact, DocumentFacts
    from dprk_records.evaluate.score import Evaluation, score_document

    predicted = DocumentFacts(
        "d",
        changes=(
            ChangeFact("Ri Chol", "elected", "members of the Political Bureau", 1),
            ChangeFact("Ko Un", "elected", "member of the Political Bureau", 2),
            ChangeFact("Ko Un", "awarded", "Order of Labour", None),
        ),
    )
    gold = DocumentFacts(
        "d",
        changes=(
            ChangeFact("Ri Chol", "elected", "member of the Political Bureau", 1),
            ChangeFact("Ko Un", "elected", "member of the Political Bureau", 3),
            ChangeFact("Ko Un", "released", "minister of Railways", None),
        ),
    )
    scored = score_document(gold, predicted)
    # the plural post folds to the singular; the kind of change is part of the key
    assert scored.metrics["changes"].counts == Counts(2, 3, 3)
    assert scored.metrics["changes"].missed == ("Ko Un: released minister of Railways",)
    assert scored.metrics["change_order"].counts == Counts(1, 2, 2)
    unannotated = score_document(DocumentFacts("e"), predicted)
    assert not unannotated.metrics["changes"].scored
    evaluation = Evaluation((scored, unannotated))
    assert evaluation.total("changes") == Counts(2, 3, 3)  # the unannotated one adds nothing
    assert evaluation.macro("changes")[2] == pytest.approx(2 / 3)  # and is not averaged in


def test_the_role_ranking_covers_exactly_the_roles_gold_and_tables_use() -> None:
    """PERSON_ROLES is a ranking, so it is written out; what it ranks must be the gold schema's
    roles, which are the participations table's roles plus "mentioned"."""
    import json

    from dprk_records.base.paths import schemas_dir
    from dprk_records.evaluate.model import PERSON_ROLES
    from dprk_records.schemas import field_enum

    gold = json.loads((schemas_dir() / "gold.schema.json").read_text(encoding="utf-8"))
    person = next(d for d in gold["$defs"].values() if "role_in_event" in d.get("properties", {}))
    gold_roles = person["properties"]["role_in_event"]["enum"]
    assert sorted(PERSON_ROLES) == sorted(gold_roles)
    assert set(PERSON_ROLES) == {*field_enum("participations", "role"), "mentioned"}
    assert len(set(PERSON_ROLES)) == len(PERSON_ROLES)
