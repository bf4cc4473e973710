"""The extractor's rules one at a time: names, titles, events, units, figures, quotations."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_records.pipeline.extract.event_names import (
    canonical_event_name,
    event_key,
    find_events,
    ordinal_text,
)
from dprk_records.pipeline.extract.organizations import named_orgs, unit_chain, units_of_title
from dprk_records.pipeline.extract.person_names import (
    find_foreign_names,
    find_names,
    is_syllable,
    parse_name_list,
)
from dprk_records.pipeline.extract.quantities import find_figures, find_quotes, parse_number
from dprk_records.pipeline.extract.titles import (
    is_plural,
    is_title,
    make_singular,
    position_role,
    split_titles,
)
from dprk_records.pipeline.lexicon import FAMILY_NAMES, ORDINAL_WORDS

SYLLABLES = [
    "Il",
    "Hwan",
    "Jong",
    "Un",
    "Sung",
    "Chol",
    "Myong",
    "Thae",
    "Kwang",
    "Hyok",
    "Song",
    "Su",
    "Gyong",
    "Ok",
]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Jo Yong Won made a report.", ["Jo Yong Won"]),
        ("O Il Jong and Ho Chol Man, department directors", ["O Il Jong", "Ho Chol Man"]),
        ("the Kim Chaek Iron and Steel Complex", []),
        ("Pak Thae Son-led Hero Work-team", []),
        ("Kim Il Sung University and the Kim Il Sung-Kim Jong Il Foundation", []),
        ("the Kim Jin Youth Shock Brigade", []),
        ("President Kim II Sung and Chairman Kim Jong II", ["Kim Il Sung", "Kim Jong Il"]),
        ("Kim Jong Un , chairman", ["Kim Jong Un"]),
        ("foreign press writes Kim Jong-un", ["Kim Jong Un"]),
        ("Sin Hyon U, chairman", ["Sin Hyon U"]),
        ("So far, No. 2 and An Important Day", []),
    ],
)
def test_korean_names(text: str, names: list[str]) -> None:
    assert [n.name for n in find_names(text)] == names


def test_listing_accepts_a_family_name_outside_the_list() -> None:
    assert [n.name for n in parse_name_list("Kye Sun Ok and Tak Yong Chan") or []] == [
        "Kye Sun Ok",
        "Tak Yong Chan",
    ]
    assert parse_name_list("members of the Political Bureau") is None


def test_foreign_names_only_where_framed() -> None:
    found = find_foreign_names(
        "talks with Foreign Minister Ivan Petrov, and Russian President Oleg Kuznetsov."
    )
    assert [n.name for n in found] == ["Ivan Petrov", "Oleg Kuznetsov"]
    assert find_foreign_names("President Kim Il Sung and the Central Committee") == []


@given(
    st.sampled_from(sorted(FAMILY_NAMES)),
    st.sampled_from(SYLLABLES),
    st.sampled_from(SYLLABLES),
    st.sampled_from(["made a report.", "was present.", ", premier of the Cabinet, spoke."]),
)
def test_any_korean_name_before_a_predicate_is_found(
    family: str, first: str, second: str, rest: str
) -> None:
    text = f"Then {family} {first} {second} {rest}".replace(" ,", ",")
    assert [n.name for n in find_names(text)] == [f"{family} {first} {second}"]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,.-", max_size=120))
def test_names_never_overlap_and_stay_inside(text: str) -> None:
    found = find_names(text)
    assert all(0 <= n.start < n.end <= len(text) for n in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_syllables() -> None:
    assert all(
        is_syllable(s) for s in ["Hwan", "Thae", "Chaek", "Gwon", "Hui", "Ryong", "Sop", "U"]
    )
    assert not any(is_syllable(s) for s in ["Iron", "Youth", "Steel", "Hero", "Power", "Mine"])


def test_titles_split_singular_and_classified() -> None:
    phrase = "members of the Political Bureau of the C.C., WPK and secretaries of the C.C., WPK"
    pieces = [make_singular(phrase[s:e]) for s, e in split_titles(phrase)]
    assert pieces == [
        "member of the Political Bureau of the C.C., WPK",
        "secretary of the C.C., WPK",
    ]
    assert is_plural("department directors of the Party Central Committee")
    assert not is_title("the tender-hearted teacher and father of the cell secretaries")
    assert not is_title("senior officials of the central and local Party committees")
    assert not is_title("was elected a secretary of the C.C., WPK")
    assert [
        position_role(t)
        for t in ["first Party cell secretary of X", "Vice-premier", "chief secretary of Y"]
    ] == [
        "first_cell_secretary",
        "vice_premier",
        "chief_secretary",
    ]
    # "the central and local Party committees" is one phrase, not two titles
    assert len(split_titles("senior officials of the central and local Party committees")) == 1


@pytest.mark.parametrize(
    "spelling",
    [
        "the 2nd Plenary Meeting of the 8th Party Central Committee",
        "the Second Plenary Meeting of its Eighth Central Committee",
        "the 2nd Plenary Meeting of the 8th C.C., WPK",
        "Second Plenary Meeting of the 8th Central Committee of the Workers' Party of Korea (WPK)",
    ],
)
def test_every_spelling_of_an_event_is_one_event(spelling: str) -> None:
    (event,) = find_events(spelling + " was held.")
    assert event.name == "2nd Plenary Meeting of the 8th Central Committee of the WPK"
    assert (event.ordinal, event.event_kind) == (2, "plenary_meeting")


@given(st.integers(min_value=1, max_value=20))
def test_ordinals_in_words_and_digits_agree(number: int) -> None:
    word = list(ORDINAL_WORDS)[number - 1].capitalize()
    digits = ordinal_text(number)
    assert event_key(f"{word} Congress of the WPK") == event_key(f"{digits} Congress of the WPK")
    assert (
        canonical_event_name(canonical_event_name(f"the {word} Party Congress"))
        == f"{digits} Congress of the WPK"
    )


def test_unit_chains() -> None:
    chain = units_of_title(
        "leader of work-team No. 3 of the assembly shop under the Hwangchon Machine Complex"
    )
    assert [(u.name, u.org_kind) for u in chain] == [
        ("work-team No. 3", "work_team"),
        ("assembly shop", "shop"),
        ("Hwangchon Machine Complex", "complex"),
    ]
    (farm_team, farm) = unit_chain(
        "the crop-raising team No. 5 of the Sindok Co-op Farm in Unryul County"
    )
    assert (farm_team.name, farm.name, farm.place) == (
        "crop-raising team No. 5",
        "Sindok Co-op Farm",
        "Unryul County",
    )
    assert units_of_title("member of the Political Bureau of the C.C., WPK") == []
    assert units_of_title("chairman of the Party committee of the factory") == []
    assert [
        [u.name for u in c] for c in named_orgs("the Faculty of Physics of Kim Il Sung University")
    ] == [["Faculty of Physics", "Kim Il Sung University"]]


def test_figures_and_quotes() -> None:
    (plan,) = find_figures("fulfilled its yearly plan more than 200 percent")
    assert (plan.value, plan.unit, plan.measure, plan.qualifier) == (
        200.0,
        "percent",
        "plan_fulfilment",
        "more than",
    )
    assert parse_number("10 000") == parse_number("10,000") == 10000.0
    kinds = [
        q.quote_kind
        for q in find_quotes(
            'the slogan "Let Us Go Forward!" and cheers of "hurrah!" of vessel "Sea 1"'
        )
    ]
    assert kinds == ["slogan", "cheer"]


def _facts(text: str):  # type: ignore[no-untyped-def]
    import hashlib

    from dprk_records.pipeline.extract.extractor import extract
    from dprk_records.pipeline.prepare import prepare
    from dprk_records.pipeline.read import SourceDocument

    data = text.encode()
    return extract(
        prepare(SourceDocument("t", "t.txt", text, hashlib.sha256(data).hexdigest(), None))
    )


def test_epithets_and_honorifics_are_not_titles() -> None:
    facts = _facts(
        "Pyongyang, May 2 (KCNA) -- The meeting stressed the leadership of the General Secretary "
        "Kim Jong Un and thanked the respected Comrade Kim Jong Un, the father of the people.\n\n"
        "Premier Kim Tok Hun and General Secretary of the WPK Kim Jong Un were present.\n"
    )
    assert sorted((t.person, t.title) for t in facts.titles) == [
        ("Kim Jong Un", "General Secretary of the WPK"),
        ("Kim Tok Hun", "Premier"),
    ]


def test_tiers_titles_and_order_in_one_listing() -> None:
    facts = _facts(
        "Pyongyang, May 2 (KCNA) -- The 4th Plenary Meeting of the 8th C.C., WPK was held on May 1.\n\n"
        "Attending it were Choe Ryong Hae, member of the Presidium of the Political Bureau of the C.C., "
        "WPK, chairman of the Standing Committee of the SPA and first vice-president of the State "
        "Affairs Commission, Jo Yong Won and Kim Tok Hun, members of the Presidium of the Political "
        "Bureau of the C.C., WPK, and Yoon Suk Yeol, Kye Sun Ok and other officials.\n"
    )
    listed = [(p.person, p.role, p.list_order) for p in facts.parts]
    assert listed == [
        ("Choe Ryong Hae", "attended", 1),
        ("Jo Yong Won", "attended", 2),
        ("Kim Tok Hun", "attended", 3),
        ("Yoon Suk Yeol", "attended", 4),
        ("Kye Sun Ok", "attended", 5),
    ]
    choe = [t.title for t in facts.titles if t.person == "Choe Ryong Hae"]
    assert choe == [
        "member of the Presidium of the Political Bureau of the C.C., WPK",
        "chairman of the Standing Committee of the SPA",
        "first vice-president of the State Affairs Commission",
    ]
    assert facts.principal_event == "4th plenary meeting 8th central committee wpk"


def test_more_listing_forms_and_a_dateline_without_dash() -> None:
    facts = _facts(
        "Pyongyang, June 3 (KCNA) Kim Jong Un visited the Mangyongdae Schoolchildren's Palace on June 2.\n\n"
        "He was greeted at the entrance by Kim Song Hui, director of the palace.\n\n"
        "Among those present were Jo Yong Won and Kim Yo Jong.\n"
    )
    assert [(p.person, p.role, p.list_order) for p in facts.parts if p.list_order] == [
        ("Kim Song Hui", "attended", 1),
        ("Jo Yong Won", "attended", 1),
        ("Kim Yo Jong", "attended", 2),
    ]
    (event,) = [e for e in facts.events if e.is_reported]
    assert (event.name, event.date_text) == (
        "visit to the Mangyongdae Schoolchildren's Palace",
        "June 2",
    )


def test_a_message_and_a_later_visit_that_is_not_the_event() -> None:
    facts = _facts(
        "Pyongyang, October 1 (KCNA) -- Kim Jong Un sent a message of greeting on Sunday to "
        "Ivan Sokolov, president of the Republic of Nowhere, wishing him success.\n\n"
        "Chairman Kim Jong Il visited the country in 2001. Kim Jong Un and his wife Ri Sol Ju "
        "visited the Kumsusan Palace of the Sun.\n"
    )
    (event,) = [e for e in facts.events if e.is_reported]
    assert (event.name, event.date_text) == ("message of greeting to Ivan Sokolov", "Sunday")
    assert sorted((p.person, p.role) for p in facts.parts) == [
        ("Ivan Sokolov", "other"),
        ("Kim Jong Un", "other"),
    ]
    assert ("Ivan Sokolov", "president of the Republic of Nowhere") in {
        (t.person, t.title) for t in facts.titles
    }


def test_event_named_with_in_the_and_reported_by_its_headline() -> None:
    facts = _facts(
        "Second National Meeting of Innovators in the Metal Industry Closes\n\n"
        "Pyongyang, May 5 (KCNA) -- The meeting ended its two-day work on May 4.\n\n"
        "Kim Tok Hun made a closing speech.\n"
    )
    reported = {(e.name, e.method) for e in facts.events if e.is_reported}
    assert reported == {
        ("2nd National Meeting of Innovators in the Metal Industry", "headline-named-event")
    }
    assert [(p.person, p.role) for p in facts.parts] == [("Kim Tok Hun", "closing_address")]


def test_a_clause_word_before_a_post_is_not_part_of_it() -> None:
    facts = _facts(
        "Pyongyang, May 2 (KCNA) -- A session was held on May 1.\n\n"
        "When Deputy Kang Song Il took the floor, Premier Ri Chol Ho spoke.\n"
    )
    assert sorted((t.person, t.title) for t in facts.titles) == [
        ("Kang Song Il", "Deputy"),
        ("Ri Chol Ho", "Premier"),
    ]


def test_sides_named_after_their_names_and_the_counterpart_met() -> None:
    facts = _facts(
        "Pyongyang, October 9 (KCNA) -- Kim Jong Un met Zhang Liqun, vice-premier of the State "
        "Council of China, at the Kumsusan Guesthouse on October 8.\n\n"
        "Present at the meeting were Choe Ryong Jin, Pak Hyon Su and Kim Song Ho from the DPRK "
        "side and Wang Dehai, Chinese ambassador to the DPRK, and members of the delegation from "
        "the Chinese side.\n"
    )
    listed = {}
    for part in facts.parts:
        listed.setdefault(part.listing, []).append((part.person, part.role, part.list_order))
    assert list(listed.values()) == [
        [("Kim Jong Un", "guided", None), ("Zhang Liqun", "other", None)],
        [
            ("Choe Ryong Jin", "attended", 1),
            ("Pak Hyon Su", "attended", 2),
            ("Kim Song Ho", "attended", 3),
        ],
        [("Wang Dehai", "attended", 1)],
    ]
    assert ("Wang Dehai", "Chinese ambassador to the DPRK") in {
        (t.person, t.title) for t in facts.titles
    }
    assert "Kim Song Ho" not in {t.person for t in facts.titles}
    (event,) = [e for e in facts.events if e.is_reported]
    assert event.name == "meeting with Zhang Liqun"


def test_an_order_promoting_ranks_is_the_event_and_names_the_promoted() -> None:
    facts = _facts(
        "Pyongyang, April 14 (KCNA) -- Kim Jong Un issued an order on promoting the military "
        "ranks of commanding officers of the Korean People's Army.\n\n"
        "According to the order, Ri Yong Sik was promoted to the rank of General, Pak Chol Ung "
        "and Han Song Gil to Colonel General, and Kim Tae Hyok to Lieutenant General.\n"
    )
    (event,) = [e for e in facts.events if e.is_reported]
    assert event.name == (
        "order on promoting the military ranks of commanding officers of the Korean People's Army"
    )
    assert sorted({(p.person, p.role) for p in facts.parts}) == [
        ("Han Song Gil", "other"),
        ("Kim Jong Un", "other"),
        ("Kim Tae Hyok", "other"),
        ("Pak Chol Ung", "other"),
        ("Ri Yong Sik", "other"),
    ]
    # the rank of each clause, gapped ones too, as a title the text gives
    assert sorted((t.person, t.title) for t in facts.titles) == [
        ("Han Song Gil", "Colonel General"),
        ("Kim Tae Hyok", "Lieutenant General"),
        ("Pak Chol Ung", "Colonel General"),
        ("Ri Yong Sik", "General"),
    ]


def test_a_lower_case_plural_post_before_two_names_is_each_ones() -> None:
    facts = _facts(
        "Pyongyang, May 2 (KCNA) -- The session went on.\n\n"
        "At the same sitting, deputies Sin Ok Ryon and Han Mun Sok were elected members of "
        "the Budget Committee of the SPA to fill vacancies.\n"
    )
    assert sorted((t.person, t.title) for t in facts.titles) == [
        ("Han Mun Sok", "deputy"),
        ("Han Mun Sok", "member of the Budget Committee of the SPA"),
        ("Sin Ok Ryon", "deputy"),
        ("Sin Ok Ryon", "member of the Budget Committee of the SPA"),
    ]


def test_a_name_both_numbered_and_unnumbered_gives_each_event_an_id() -> None:
    """One event name numbered in one text ("3rd Plenary Meeting ...") and unnumbered on two
    days in others: the numbered one keeps its name as id, the others get their day."""
    import datetime as dt
    from types import SimpleNamespace

    from dprk_records.pipeline.extract.facts import DocumentFacts, EventFact
    from dprk_records.pipeline.extract.text import Span
    from dprk_records.pipeline.resolve import resolve

    name = "Plenary Meeting of the Kangbong Provincial Committee of the WPK"

    def facts(doc: str, ordinal: int | None, day: str | None) -> DocumentFacts:
        event = EventFact(Span(0, 10), name, ordinal, None, "meeting", True, day, None, "test")
        return DocumentFacts(doc, events=[event])

    documents = [
        SimpleNamespace(document_id=doc, published=dt.date(2024, 3, day))
        for doc, day in (("a", 4), ("b", 5), ("c", 9))
    ]
    tables = resolve(
        documents, [facts("a", 3, None), facts("b", None, "March 4"), facts("c", None, "March 8")]
    )  # type: ignore[arg-type]
    ids = sorted(row.event_id for row in tables["events"])
    assert len(ids) == 3 and len(set(ids)) == 3


_FIGURE_WORDS = [
    "More than",
    "about",
    "OVER",
    "Some",
    "5",
    "10 000",
    "1,250",
    "One",
    "twenty",
    "Percent",
    "per cent",
    "%",
    "persons",
    "Tons",
    "years",
    "times",
    "and",
    "roundabout",
    "moreover",
    "someone",
    "the",
    "plan",
    "3.5",
    "-",
    "five-Year",
    "2021 years",
    "a",
    "year",
    "every",
]


@given(
    st.lists(st.sampled_from(_FIGURE_WORDS), min_size=1, max_size=14), st.sampled_from([" ", ""])
)
def test_case_folded_figure_scan_finds_what_the_ignorecase_scan_finds(
    words: list[str], joiner: str
) -> None:
    """find_figures lower-cases an ASCII sentence to scan it without IGNORECASE (much faster);
    that must never change which figures are found or where."""
    from dprk_records.pipeline.extract import quantities as q

    sentence = joiner.join(words)
    slow = q.figures_in(sentence, sentence, q._any_unit, q._FIGURE, q._COMPOUND_PERIOD)
    assert q.find_figures(sentence) == slow
