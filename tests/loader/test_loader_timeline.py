"""A person's career from the loader: order, dates, first-seen marks, errors, older packages.

The golden timelines are those of tests/careers.py's package, checked by hand against its three
texts: every span below is quoted, so a wrong offset shows as wrong words.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

import dprk_records
from dprk_records.loader.package import Package
from dprk_records.loader.timeline import (
    TimelineEntry,
    TimelineSources,
    career,
    describe,
    find_person,
    fold_name,
    ordinal,
)
from dprk_records_tools.faults.tables import edit_descriptor

from ..careers import BUREAU_MEMBER, MANAGER, MEETING, PLENUM, VISIT
from ..conftest import COMMITTED_PACKAGE

A, B, C = "career-2020-04", "career-2021-03", "career-2022-06"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def spans(package: Path, entries: list[TimelineEntry]) -> list[str]:
    """The words each entry points at."""
    texts = {d["document_id"]: d["path"] for d in Package(package).read("documents")}
    return [
        (package / texts[e.document_id]).read_text(encoding="utf-8")[e.start : e.end]
        for e in entries
    ]


def test_ryo_chang_sik_career_in_date_order(career_package: Path) -> None:
    entries = Package(career_package).timeline("ryo-chang-sik")
    assert [(e.kind, e.date, e.date_basis, e.document_id, e.start, e.end) for e in entries] == [
        ("participation", day("2020-04-11"), "event_start", A, 346, 359),
        ("change", day("2020-04-11"), "effective_date", A, 361, 448),
        ("title", day("2020-04-12"), "as_of", A, 389, 448),
        ("participation", day("2021-03-02"), "event_start", B, 65, 78),
        ("title", day("2021-03-03"), "as_of", B, 80, 139),
        ("change", day("2022-06-10"), "effective_date", C, 196, 287),
    ]
    assert spans(career_package, entries) == [
        "Ryo Chang Sik",
        "Ryo Chang Sik was elected a member of the Political Bureau of the WPK Central Committee",
        BUREAU_MEMBER,
        "Ryo Chang Sik",
        BUREAU_MEMBER,
        "Ryo Chang Sik was recalled as a member of the Political Bureau of the WPK Central "
        "Committee",
    ]
    attended, elected, _, guided, _, recalled = entries
    assert (attended.role, attended.event_id, attended.list_order) == ("attended", MEETING, 3)
    assert attended.listing == f"{A}@295"
    assert (elected.change, elected.post, elected.event_id) == ("elected", BUREAU_MEMBER, MEETING)
    assert elected.date == day("2020-04-11") and elected.list_order is None
    assert (guided.role, guided.event_id, guided.list_order) == ("guided", VISIT, None)
    assert (recalled.change, recalled.event_id) == ("recalled", PLENUM)
    assert recalled.event_name == "5th Plenary Meeting of the 8th Central Committee of the WPK"


def test_a_title_is_first_seen_once_and_knows_its_span_of_dates(career_package: Path) -> None:
    titles = [e for e in Package(career_package).timeline("ryo-chang-sik") if e.kind == "title"]
    assert [(t.document_id, t.first_seen) for t in titles] == [(A, True), (B, False)]
    for title in titles:
        assert title.title == BUREAU_MEMBER and title.position_role == "member"
        assert (title.seen_from, title.seen_until) == (day("2020-04-12"), day("2021-03-03"))
        assert title.seen_in == (A, B)


def test_a_change_without_its_own_date_takes_the_documents(career_package: Path) -> None:
    entries = Package(career_package).timeline("kim-chol")
    assert [(e.kind, e.date, e.date_basis, e.first_seen) for e in entries] == [
        ("participation", day("2021-03-02"), "event_start", False),
        ("title", day("2021-03-03"), "as_of", True),
        ("change", day("2022-06-11"), "published", False),  # no effective date in the text
        ("title", day("2022-06-11"), "as_of", False),  # same day: the change's span starts first
    ]
    appointed = entries[2]
    assert (appointed.change, appointed.post, appointed.body_org_id) == (
        "appointed",
        MANAGER,
        "hungnam-fertilizer-complex",
    )
    assert appointed.event_id is None and appointed.list_order is None
    assert entries[1].org_id == "hungnam-fertilizer-complex"


def test_describe_says_each_entry_on_one_line(career_package: Path) -> None:
    lines = [describe(e) for e in Package(career_package).timeline("ryo-chang-sik")]
    assert lines == [
        "attended: meeting of the Political Bureau of the Central Committee of the WPK "
        "(3rd in list)",
        f"elected: {BUREAU_MEMBER}, at meeting of the Political Bureau of the Central Committee "
        "of the WPK",
        f"title: {BUREAU_MEMBER} (first seen)",
        "guided: visit to the Hungnam Fertilizer Complex",
        f"title: {BUREAU_MEMBER}",
        f"recalled: {BUREAU_MEMBER}, at 5th Plenary Meeting of the 8th Central Committee of the "
        "WPK",
    ]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip


def test_entries_as_json(career_package: Path) -> None:
    entry = Package(career_package).timeline("ryo-chang-sik")[2]
    data = json.loads(json.dumps(entry.to_dict()))
    assert data["kind"] == "title" and data["date"] == "2020-04-12"
    assert data["seen_in"] == [A, B] and data["seen_until"] == "2021-03-03"
    assert data["first_seen"] is True and data["change"] is None


def test_the_public_api_reaches_the_timeline(career_package: Path) -> None:
    entries = dprk_records.timeline("pak-pong-ju", path=career_package)
    assert all(isinstance(e, dprk_records.TimelineEntry) for e in entries)
    assert [(e.kind, e.change or e.role) for e in entries] == [
        ("participation", "attended"),
        ("change", "awarded"),
    ]


def test_unknown_person_id_names_close_matches(career_package: Path) -> None:
    with pytest.raises(dprk_records.UnknownPersonError) as caught:
        Package(career_package).timeline("ryo-chang-sikk")
    message = str(caught.value)
    assert "no person 'ryo-chang-sikk'" in message
    assert "close matches: Ryo Chang Sik (ryo-chang-sik)" in message
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, dprk_records.DprkRecordsError)
    with pytest.raises(dprk_records.UnknownPersonError, match="no close match either"):
        Package(career_package).timeline("zzzzzz")
    with pytest.raises(dprk_records.UnknownPersonError):  # a name is not an id here
        Package(career_package).timeline("Ryo Chang Sik")


@pytest.mark.parametrize(
    "query", ["ryo-chang-sik", "Ryo Chang Sik", "RYO CHANG SIK", "ryo chang-sik", "Ryo Ch'ang Sik"]
)
def test_find_person_by_id_or_name(career_package: Path, query: str) -> None:
    assert Package(career_package).find_person(query)["person_id"] == "ryo-chang-sik"


def test_find_person_by_a_sources_spelling_and_ambiguity() -> None:
    persons = [
        {"person_id": "ri-il-hwan", "name": "Ri Il Hwan"},
        {"person_id": "ri-il-hwan-2", "name": "Ri Il Hwan"},
        {"person_id": "kim-chol", "name": "Kim Chol"},
    ]
    spellings = [{"person_id": "kim-chol", "surface": "Kim Ch'yol"}]  # as one source spells him
    assert find_person("kim chyol", persons, spellings)["person_id"] == "kim-chol"
    assert find_person("KIM CH’YOL", persons, spellings)["person_id"] == "kim-chol"
    with pytest.raises(dprk_records.UnknownPersonError):
        find_person("kim chyol", persons)  # without the spellings
    with pytest.raises(
        dprk_records.AmbiguousPersonError,
        match=r"names 2 persons .*: Ri Il Hwan \(ri-il-hwan\), Ri Il Hwan \(ri-il-hwan-2\); "
        "give the person id",
    ):
        find_person("Ri Il Hwan", persons)
    assert fold_name(" Kim  Jong-un ") == fold_name("kim-jong-un") == "kim jong un"


def test_a_package_without_personnel_changes_has_no_change_entries(
    career_package: Path, tmp_path: Path
) -> None:
    older = shutil.copytree(career_package, tmp_path / "older")

    def drop(descriptor: dict) -> None:
        descriptor["resources"] = [
            r for r in descriptor["resources"] if r["name"] != "personnel_changes"
        ]

    edit_descriptor(older, drop)
    (older / "data" / "personnel_changes.csv").unlink()
    entries = Package(older).timeline("ryo-chang-sik")
    assert [e.kind for e in entries] == ["participation", "title", "participation", "title"]


def test_sorting_is_total_and_undated_entries_come_last() -> None:
    sources = TimelineSources.of(
        [{"document_id": "d1", "published": "2020-01-02"}, {"document_id": "d0"}],
        [{"event_id": "e", "name": "E", "start_date": None}],
    )
    positions = [
        {"document_id": "d0", "start": 5, "end": 9, "title": "vice-premier", "as_of": None},
        {"document_id": "d1", "start": 50, "end": 60, "title": "Premier", "as_of": "2020-01-02"},
        {"document_id": "d1", "start": 10, "end": 16, "title": "premier ", "as_of": "2020-01-02"},
    ]
    parts = [{"document_id": "d1", "start": 0, "end": 3, "event_id": "e", "role": "attended"}]
    changes = [{"document_id": "d0", "start": 1, "end": 9, "change": "promoted", "post": "x"}]
    entries = career(positions, changes, parts, sources)
    assert [(e.kind, e.document_id, e.start, e.date, e.first_seen) for e in entries] == [
        ("participation", "d1", 0, day("2020-01-02"), False),  # the event is undated: published
        ("title", "d1", 10, day("2020-01-02"), True),  # one entry per title and document
        ("change", "d0", 1, None, False),  # d0 has no date at all: last
        ("title", "d0", 5, None, True),
    ]
    assert entries[0].date_basis == "published" and entries[2].date_basis is None
    assert career(positions[::-1], changes, parts, sources) == entries


def test_dates_as_text_or_as_dates_give_the_same_timeline(career_package: Path) -> None:
    """The viewer of a release reads rows with dates as ISO strings; the loader as dates."""
    package = Package(career_package)
    typed = {name: package.read(name) for name in package.tables}
    as_text = {
        name: [
            {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}
            for row in rows
        ]
        for name, rows in typed.items()
    }
    from dprk_records.loader.timeline import person_timeline

    assert person_timeline("ryo-chang-sik", as_text) == package.timeline("ryo-chang-sik")


def test_seeds_kim_jong_un_has_titles_and_participations() -> None:
    entries = Package(COMMITTED_PACKAGE).timeline("kim-jong-un")
    assert {e.kind for e in entries} >= {"title", "participation"}
    assert entries == sorted(entries, key=lambda e: (e.date is None, e.date or dt.date.min))
    title = next(e for e in entries if e.kind == "title")
    assert title.first_seen and title.title == "General Secretary of the WPK"


def test_every_change_a_real_build_gives_is_in_the_timeline(career_build: Path) -> None:
    """The extractor's own rows (whatever they are today) all reach a timeline, in order."""
    loaded = Package(career_build)
    for row in loaded.read("personnel_changes"):
        entries = loaded.timeline(row["person_id"])
        assert any(
            (e.kind, e.document_id, e.start, e.end, e.change)
            == ("change", row["document_id"], row["start"], row["end"], row["change"])
            for e in entries
        ), row
        dated = [e.date for e in entries if e.date is not None]
        assert dated == sorted(dated)
