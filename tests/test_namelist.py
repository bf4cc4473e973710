"""The name-list parser on its own: generated lists must come back whole and in order, whatever
their length, joints and titles (hypothesis), and each title goes to its own run."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dprk_records.pipeline.extract.event_rules import headline_event_name
from dprk_records.pipeline.extract.namelist import parse_name_lists
from dprk_records.pipeline.extract.person_names import find_names

FAMILY = ["Kim", "Ri", "Pak", "Choe", "Jo", "Kang", "Ryu", "Han", "O", "Ra", "Tak", "Sim"]
SYLLABLES = ["Chol", "Su", "Myong", "Il", "Ok", "Hyok", "Song", "Gyong", "Nam", "Bom", "Ae"]
TITLES = [
    "member of the Political Bureau of the C.C., WPK",
    "vice-premier of the Cabinet",
    "minister of Public Health",
    "chairman of the Hwangju County People's Committee",
]
PLURALS = {
    "member of the Political Bureau of the C.C., WPK": "members of the Political Bureau of the C.C., WPK",
    "vice-premier of the Cabinet": "vice-premiers of the Cabinet",
    "minister of Public Health": "ministers of Public Health",
    "chairman of the Hwangju County People's Committee": "chairmen of the Hwangju County People's Committee",
}

names = st.builds(
    lambda family, given: " ".join([family, *given]),
    st.sampled_from(FAMILY),
    st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=2),
)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@given(st.lists(names, min_size=1, max_size=40, unique=True), st.booleans())
def test_a_bare_list_comes_back_whole_and_in_order(people: list[str], closing: bool) -> None:
    text = _join(people) + (" and other officials concerned." if closing else ".")
    if closing and len(people) > 1:
        text = ", ".join(people) + " and other officials concerned."
    (found,) = parse_name_lists(text, 0)
    assert [e.name.name for e in found.entries] == people
    assert all(not e.titles for e in found.entries)


@given(
    st.lists(
        st.tuples(st.lists(names, min_size=1, max_size=4, unique=True), st.sampled_from(TITLES)),
        min_size=1,
        max_size=6,
    )
)
def test_each_tier_title_goes_to_its_own_run(tiers: list[tuple[list[str], str]]) -> None:
    seen: set[str] = set()
    tiers = [([p for p in run if p not in seen and not seen.add(p)], t) for run, t in tiers]
    tiers = [(run, t) for run, t in tiers if run]
    if not tiers:
        return
    parts = []
    for run, title in tiers:
        shown = PLURALS[title] if len(run) > 1 else title
        parts.append(f"{_join(run)}, {shown}")
    text = ", ".join(parts) + ", and other officials."
    (found,) = parse_name_lists(text, 0)
    expected = [(p, [t]) for run, t in tiers for p in run]
    assert [(e.name.name, [x.title for x in e.titles]) for e in found.entries] == expected


def test_a_decree_of_title_name_lines_joined_into_one_paragraph() -> None:
    text = (
        "Vice-Premier Kim Chol Su Minister of Public Health Ri Yong Ae Director of the "
        "Central Bureau of Statistics Pak Song Il"
    )
    assert [n.name for n in find_names(text)] == ["Kim Chol Su", "Ri Yong Ae", "Pak Song Il"]
    (found,) = parse_name_lists(text, 0)
    assert [(e.name.name, [t.title for t in e.titles]) for e in found.entries] == [
        ("Kim Chol Su", ["Vice-Premier"]),
        ("Ri Yong Ae", ["Minister of Public Health"]),
        ("Pak Song Il", ["Director of the Central Bureau of Statistics"]),
    ]


def test_names_inside_unit_names_stay_out() -> None:
    assert find_names("the Kim Chaek University of Technology and the Kim Il Sung Prize") == []


def test_headline_event_names_lose_subject_and_verbs() -> None:
    assert headline_event_name("Reception Given for Visiting Delegation")[2] == (
        "reception for Visiting Delegation"
    )
    assert headline_event_name("Kim Jong Un Receives Delegation of Sunland")[2] == (
        "reception of delegation of Sunland"
    )
    assert headline_event_name("Talks Held between Two Governments")[2] == (
        "talks between Two Governments"
    )


def test_a_post_and_the_next_name_without_a_comma_between() -> None:
    text = (
        "Kim Bong Nam, leader of work-team No. 3 of the sintering shop under the Sanju Machine "
        "Complex and Yang Sang Ryon, manager of the Sanju Machine Complex."
    )
    (found,) = parse_name_lists(text, 0)
    assert [(e.name.name, [t.title for t in e.titles]) for e in found.entries] == [
        (
            "Kim Bong Nam",
            ["leader of work-team No. 3 of the sintering shop under the Sanju Machine Complex"],
        ),
        ("Yang Sang Ryon", ["manager of the Sanju Machine Complex"]),
    ]
