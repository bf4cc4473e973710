"""Golden facts of the two seeds, each checked by hand against the text of seeds/*.txt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dprk_records.loader.package import Package

from .conftest import REPORT_ID, SPEECH_ID


@pytest.fixture(scope="module")
def package(built_package: Path) -> Package:
    return Package(built_package)


def rows(package: Package, table: str, **where: Any) -> Iterator[dict[str, Any]]:
    for row in package.read(table):
        if all(row[key] == value for key, value in where.items()):
            yield row


def titles_of(package: Package, person_id: str, document_id: str = REPORT_ID) -> list[str]:
    found = rows(package, "positions", person_id=person_id, document_id=document_id)
    return [row["title"] for row in sorted(found, key=lambda r: r["start"])]


EVENT = "6th-conference-of-cell-secretaries-of-the-wpk"

PLATFORM = [
    (
        "jo-yong-won",
        [
            "member of the Presidium of the Political Bureau of the Central Committee of the WPK",
            "secretary for organizational affairs of the Party Central Committee",
        ],
    ),
    ("jong-sang-hak", ["secretary of the Party Central Committee"]),
    ("ri-il-hwan", ["secretary of the Party Central Committee"]),
    ("kwon-yong-jin", ["director of the General Political Bureau of the Korean People's Army"]),
    ("kim-jae-ryong", ["department director of the Party Central Committee"]),
    ("o-il-jong", ["department director of the Party Central Committee"]),
    ("ho-chol-man", ["department director of the Party Central Committee"]),
]


def test_platform_in_listed_order_with_every_title(package: Package) -> None:
    platform = sorted(
        rows(package, "participations", role="platform"), key=lambda r: r["list_order"]
    )
    assert [(r["person_id"], r["list_order"]) for r in platform] == [
        (person, order) for order, (person, _) in enumerate(PLATFORM, start=1)
    ]
    assert {r["event_id"] for r in platform} == {EVENT}
    assert len({r["listing"] for r in platform}) == 1
    for person, titles in PLATFORM:
        assert titles_of(package, person) == titles, person


def test_ocr_names_keep_their_surface(package: Package) -> None:
    surfaces = {
        (r["person_id"], r["surface"]) for r in rows(package, "person_names", document_id=REPORT_ID)
    }
    assert ("ri-il-hwan", "Ri II Hwan") in surfaces
    assert ("o-il-jong", "O II Jong") in surfaces
    assert ("pak-kon-il", "Pak Kon II") in surfaces
    assert ("kim-il-sung", "Kim II Sung") in surfaces
    assert ("kim-jong-il", "Kim Jong II") in surfaces
    person = next(rows(package, "persons", person_id="ri-il-hwan"))
    assert (person["name"], person["family_name"], person["given_name"]) == (
        "Ri Il Hwan",
        "Ri",
        "Il Hwan",
    )


def test_names_inside_organizations_are_not_persons(package: Package) -> None:
    names = {row["name"] for row in package.read("persons")}
    assert not {"Pak Thae Son", "Kim Chaek", "Kim Jin"} & names
    assert len(names) == 22  # 7 on the platform, 12 speakers, Kim Jong Un, Kim Il Sung, Kim Jong Il


def test_kim_jong_un_guided_and_made_the_opening_address(package: Package) -> None:
    parts = {
        r["role"]
        for r in rows(package, "participations", person_id="kim-jong-un", document_id=REPORT_ID)
    }
    assert parts == {"guided", "opening_address"}
    assert titles_of(package, "kim-jong-un") == ["General Secretary of the WPK"]
    (speech,) = rows(package, "speeches", speaker_id="kim-jong-un")
    assert speech["speech_kind"] == "opening_address"
    assert speech["event_id"] == EVENT
    assert speech["full_text_document_id"] == SPEECH_ID  # the second seed is the speech itself
    (in_speech,) = rows(package, "participations", document_id=SPEECH_ID)
    assert (in_speech["person_id"], in_speech["role"]) == ("kim-jong-un", "opening_address")


def test_the_report_its_title_and_reporter(package: Package) -> None:
    (report,) = rows(package, "speeches", speech_kind="report")
    assert report["speaker_id"] == "jo-yong-won"
    assert report["speech_title"] == (
        "Let's unconditionally and devotedly carry out the five-year plan set forth at the Eighth "
        "Party Congress by further boosting the militant and fighting efficiency of Party cells."
    )
    (title_quote,) = rows(package, "quotations", quote_kind="report_title")
    assert title_quote["speaker_id"] == "jo-yong-won"


SPEAKERS = [
    (
        "pak-myong-gun",
        "Party cell secretary of repair work-team of cement shop under the Sangwon Cement Complex",
    ),
    (
        "ji-tong-gyu",
        "Party cell secretary of Pak Thae Son-led Hero Work-team of the Yonggwang Pit of the Kumgol Mine",
    ),
    (
        "pak-kwang-hyok",
        "Party cell secretary of thermal insulation work-team No. 1 of thermal insulation shop under the Pyongyang Thermal Power Plant",
    ),
    (
        "pak-kon-il",
        "Party cell secretary of the repair work-team No. 2 of the steel shop No. 2 under the Kim Chaek Iron and Steel Complex",
    ),
    (
        "ju-yong-bom",
        "Party cell secretary of the electrolysis repair work-team of the water electrolysis shop under the Hungnam Fertilizer Complex",
    ),
    (
        "pak-hyon-chol",
        "first Party cell secretary of the crop-raising team No. 10 of Kangson Co-op Farm in Chollima District",
    ),
    (
        "kim-chun-song",
        "first Party cell secretary of road supervision team of road repair and management corps under the Kaechon City Land and Environmental Conservation Department",
    ),
    (
        "kim-song-nam",
        "Party cell secretary of the Kim Jin Youth Shock Brigade under the Songnam Youth Coal Mine",
    ),
    (
        "pak-yong-chol",
        'Party cell secretary of fishing vessel "Tanphung 18-03" under the January 8 Fishery Station',
    ),
    (
        "ri-ho-jun",
        "first Party cell secretary of the North Hamgyong Provincial Public Prosecutors Office",
    ),
    (
        "pak-song-chol",
        "Party cell secretary of the work-team No. 13 under the Kaesong City Children's Foodstuff Factory",
    ),
    (
        "kim-jong-sik",
        "Party cell secretary of the assembly shop under the Songchongang Electric Appliances Factory",
    ),
]


def test_twelve_speakers_in_order_with_their_units(package: Package) -> None:
    speakers = sorted(rows(package, "participations", role="speech"), key=lambda r: r["list_order"])
    assert [r["person_id"] for r in speakers] == [person for person, _ in SPEAKERS]
    assert [r["list_order"] for r in speakers] == list(range(1, 13))
    for person, title in SPEAKERS:
        assert titles_of(package, person)[-1] == title, person
    # Pak Hyon Chol holds two posts, split at "and": a branch committee and a cell.
    assert titles_of(package, "pak-hyon-chol") == [
        "secretary of branch Party committee",
        SPEAKERS[5][1],
    ]
    roles = {
        r["person_id"]: r["position_role"]
        for r in rows(package, "positions", document_id=REPORT_ID)
    }
    assert (roles["pak-myong-gun"], roles["kim-chun-song"]) == (
        "cell_secretary",
        "first_cell_secretary",
    )


def _chain(package: Package, org_id: str) -> list[str]:
    orgs = {row["org_id"]: row for row in package.read("organizations")}
    names = []
    current: str | None = org_id
    while current is not None:
        names.append(orgs[current]["name"])
        current = orgs[current]["parent_org_id"]
    return names


def test_units_nest_work_team_shop_complex(package: Package) -> None:
    positions = {
        r["person_id"]: r for r in rows(package, "positions", document_id=REPORT_ID) if r["org_id"]
    }
    assert _chain(package, positions["pak-myong-gun"]["org_id"]) == [
        "repair work-team",
        "cement shop",
        "Sangwon Cement Complex",
    ]
    assert _chain(package, positions["pak-kon-il"]["org_id"]) == [
        "repair work-team No. 2",
        "steel shop No. 2",
        "Kim Chaek Iron and Steel Complex",
    ]
    assert _chain(package, positions["pak-yong-chol"]["org_id"]) == [
        'fishing vessel "Tanphung 18-03"',
        "January 8 Fishery Station",
    ]
    assert _chain(package, positions["pak-hyon-chol"]["org_id"]) == [
        "crop-raising team No. 10",
        "Kangson Co-op Farm",
    ]
    farm = next(rows(package, "organizations", name="Kangson Co-op Farm"))
    assert (farm["org_kind"], farm["place"]) == ("farm", "Chollima District")
    vessel = next(rows(package, "organizations", name='fishing vessel "Tanphung 18-03"'))
    assert vessel["org_kind"] == "vessel"


def test_the_event_itself(package: Package) -> None:
    (event,) = rows(package, "events", event_id=EVENT)
    assert event["name"] == "6th Conference of Cell Secretaries of the WPK"
    assert (event["ordinal"], event["series"]) == (6, "Conference of Cell Secretaries of the WPK")
    assert (event["start_date"], event["place"]) == (dt.date(2021, 4, 6), "Pyongyang")
    assert event["attendance"] == 10000  # "Participating in this conference are 10 000 persons"
    assert event["described_in"] == REPORT_ID
    assert event["event_kind"] == "conference"


def test_every_earlier_event_referred_to(package: Package) -> None:
    referred = {r["event_id"] for r in package.read("event_references") if not r["is_reported"]}
    names = {r["event_id"]: r["name"] for r in package.read("events")}
    assert sorted(names[e] for e in referred) == [
        "1st workshop for the chief secretaries of the city and county Party committees",
        "2nd Plenary Meeting of the 8th Central Committee of the WPK",
        "4th Conference of Cell Secretaries of the WPK",
        "5th Conference of Cell Chairpersons of the WPK",
        "8th Congress of the WPK",
    ]
    in_speech = {r["event_id"] for r in rows(package, "event_references", document_id=SPEECH_ID)}
    assert in_speech == {
        EVENT,
        "8th-congress-of-the-wpk",
        "2nd-plenary-meeting-of-the-8th-central-committee-of-the-wpk",
        "5th-conference-of-cell-chairpersons-of-the-wpk",
    }


def test_figures(package: Package) -> None:
    figures = {
        (r["document_id"], r["value"], r["unit"], r["measure"], r["qualifier"])
        for r in package.read("figures")
    }
    assert (REPORT_ID, 200.0, "percent", "plan_fulfilment", "more than") in figures
    assert (SPEECH_ID, 10000.0, "person", "participants", None) in figures


def test_slogans_and_quoted_phrases(package: Package) -> None:
    quotes = {(r["quote_kind"], r["text"]) for r in package.read("quotations")}
    assert (
        "slogan",
        "Let Us Strengthen Party Cells into Loyal Cells, into Vanguard Ranks for the Implementation of the Party's Policies!",
    ) in quotes
    assert ("slogan", "One for all and all for one!") in quotes
    assert ("cheer", "hurrah!") in quotes
    assert ("quote", "The People Are God") in quotes
    assert ("quote", "gold seas") in quotes
    assert not any("Tanphung" in text for _, text in quotes)  # a vessel's name, not a quotation


def test_every_fact_row_has_span_and_method(package: Package) -> None:
    for table in (
        "person_names",
        "positions",
        "participations",
        "events",
        "event_references",
        "speeches",
        "quotations",
        "figures",
        "organizations",
    ):
        for row in package.read(table):
            assert 0 <= row["start"] < row["end"], (table, row)
            assert row["method"], (table, row)


def test_the_seeds_state_no_personnel_change(package: Package) -> None:
    # Read by hand: the report says the Conference "honored ... with the title of loyal Party
    # cell" (an honour to a cell, not to a person, A18) and the speech that cell secretaries "are
    # replaced by other persons" (no one named). Neither text elects, appoints, relieves,
    # promotes or decorates a named person, so the table is there, typed, and empty.
    assert "personnel_changes" in package.tables
    assert package.read("personnel_changes") == []
    assert package.row_count("personnel_changes") == 0
