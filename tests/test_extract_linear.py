"""The extractor reads a sentence that lists hundreds of names in about linear time, and gives
what it gave when it read such a sentence once per name.

Three rules used to re-read a sentence once for each name or head word in it: the name of a unit
walked back from its head word over the whole stretch before it, the overlap of each name with
every mention found so far, and the "and made a speech" said later in a subject's clause. Each now
reads only what can matter; these tests hold each to the plain reading it replaced (kept here as the
oracle), and a long listing to its facts. How the time grows is measured by the benchmark
(``tools/dprk_records_tools/bench/linearity.py``), not here.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.pipeline.extract import organizations, person_rules
from dprk_records.pipeline.extract.extractor import _Extractor, extract, overlaps_another
from dprk_records.pipeline.extract.facts import PersonMention
from dprk_records.pipeline.extract.text import Span
from dprk_records.pipeline.prepare import prepare
from dprk_records.pipeline.read import SourceDocument

# --- the unit name before a head word --------------------------------------------------------

_NON_SPACE = re.compile(r"\S+")


def _name_start_reference(text: str, head_start: int, floor: int) -> int | None:
    """The walk as it read the whole stretch from ``floor``: every word tokenized first."""
    words = list(_NON_SPACE.finditer(text[floor:head_start]))
    start = head_start
    for word in reversed(words):
        token = word.group()
        if not organizations._RUN_WORD.match(token) or token in {"Province", "The", "A", "An"}:
            break
        start = floor + word.start()
    while True:
        first = text[start:head_start].split(" ", 1)[0]
        if first not in {"and", "of", "No."} and not first.isdigit():
            break
        start += len(first) + 1
    return start if start < head_start else None


_UNIT_WORDS = st.sampled_from(
    [
        "Kangson",
        "Ryongsong",
        "Machine",
        "Kim",
        "Chaek",
        "and",
        "of",
        "No.",
        "3",
        "12th",
        "the",
        "The",
        "Province",
        "A",
        "An",
        "workers",
        "Sub-",
        "Party",
        "of,",
        "Complex,",
    ]
)
_GAPS = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", "\u00a0", ", "])


@st.composite
def _unit_texts(draw: st.DrawFn) -> tuple[str, int, int]:
    words = draw(st.lists(_UNIT_WORDS, min_size=0, max_size=40))
    text = ""
    for word in words:
        text += word + draw(_GAPS)
    head_start = len(text)
    text += "Complex of the Ministry"
    floor = draw(st.integers(min_value=0, max_value=head_start))
    return text, head_start, floor


@settings(max_examples=400, deadline=None)
@given(case=_unit_texts(), reach=st.integers(min_value=1, max_value=40))
def test_a_unit_name_is_walked_back_as_over_the_whole_stretch(
    case: tuple[str, int, int], reach: int
) -> None:
    text, head_start, floor = case
    # a short first reach, so that the walk often needs the stretch before it
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(organizations, "_NAME_LOOK_BACK", reach)
        assert organizations._name_start(text, head_start, floor) == _name_start_reference(
            text, head_start, floor
        )


# --- names inside another mention ------------------------------------------------------------


def _overlaps_reference(spans: list[Span], own: list[Span]) -> list[bool]:
    """Every name against every mention."""
    return [
        any(s.start < span.end and span.start < s.end and s != span for s in spans) for span in own
    ]


_SPANS = st.builds(
    lambda start, length: Span(start, start + length),
    st.integers(min_value=0, max_value=120),
    st.integers(min_value=1, max_value=30),
)


@settings(max_examples=500, deadline=None)
@given(spans=st.lists(_SPANS, max_size=30), own=st.lists(_SPANS, max_size=12))
def test_overlaps_are_those_of_every_pair(spans: list[Span], own: list[Span]) -> None:
    own = own + spans[:3]  # (a name is often a mention itself: equal spans do not count)
    assert overlaps_another(spans, own) == _overlaps_reference(spans, own)


# --- a part said later in the clause ---------------------------------------------------------

_LATER_PART_REFERENCE = re.compile(
    r"^[^.;]*?\band (?P<verb>(?:made|delivered|gave) (?:an? (?:[a-z-]+ )?speech|a report))\b"
)
_CLAUSE_WORDS = st.sampled_from(
    [
        "and made a report",
        "and gave an opening speech",
        "and delivered a speech",
        "and made a congratulatory speech",
        "grand made a speech",  # "and" inside a word is no "and"
        "x_and gave a report",
        "and made reports",
        "and made a speeches",
        "and",
        "made",
        "a report",
        "Kim Chol",
        "2",
        ".",
        ";",
        ",",
        "-",
    ]
)


@st.composite
def _clauses(draw: st.DrawFn) -> tuple[str, int]:
    """A text and where a subject's words end in it: often where one of its pieces begins, as
    when a name runs straight into "and" ("...Choland made a report")."""
    words = draw(st.lists(_CLAUSE_WORDS, max_size=16))
    text, starts = "", [0]
    for word in words:
        text += word + draw(st.sampled_from([" ", " ", "", "  ", "\n"]))
        starts.append(len(text))
    after = draw(st.one_of(st.sampled_from(starts), st.integers(min_value=0, max_value=len(text))))
    return text, after


@settings(max_examples=500, deadline=None)
@given(case=_clauses())
def test_a_later_part_is_what_the_clause_pattern_reads(case: tuple[str, int]) -> None:
    text, after = case
    rest = text[after:].lstrip()
    rest_start = len(text) - len(rest)
    expected = _LATER_PART_REFERENCE.match(rest)
    found = person_rules._later_part(text, rest_start)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found.verb == expected.group("verb")
        assert found.verb_start == rest_start + expected.start("verb")


# --- a long listing, read whole ---------------------------------------------------------------

_FAMILY = ("Kim", "Ri", "Pak", "Choe", "Jong", "Kang", "Han", "Ryu", "Hwang", "Mun")
_GIVEN = ("Chol", "Song", "Nam", "Hyok", "Myong", "Kwang", "Yong", "Jin", "Ho", "Sok")


def _names(count: int) -> list[str]:
    """``count`` different invented names."""
    names = []
    for index in range(count):
        family = _FAMILY[index % 10]
        first, second = _GIVEN[(index // 10) % 10], _GIVEN[(index // 100) % 10]
        names.append(f"{family} {first} {second}")
    return names


def test_a_platform_of_three_hundred_titled_names_is_read_whole() -> None:
    names = _names(300)
    listing = ", ".join(
        f"{name}, member of the Political Bureau of the Central Committee of the Workers' Party "
        "of Korea and director of the Ryongsong Machine Complex"
        for name in names
    )
    text = (
        "Meeting Held\n\nPyongyang, April 7 (KCNA) -- A meeting was held on April 6.\n\n"
        f"Taking the platform were {listing}.\n"
    )
    facts = extract(prepare(SourceDocument("x_0000000000000001", "x.txt", text, "0" * 64, None)))
    assert [p.name for p in facts.persons] == names
    orders = [p.list_order for p in facts.parts if p.method.startswith("listing-")]
    assert orders == list(range(1, 301))
    assert {t.person for t in facts.titles} == set(names)
    complex_units = {u.name for u in facts.units if u.name.endswith("Complex")}
    assert complex_units == {"Ryongsong Machine Complex"}


# --- the mentions a sentence can reach -------------------------------------------------------

_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("mention"), _SPANS),
        st.tuples(st.just("ask"), st.integers(min_value=0, max_value=160)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(operations=_OPERATIONS)
def test_no_mention_that_reaches_a_sentence_is_passed_over(
    operations: list[tuple[str, object]],
) -> None:
    """Whatever order mentions come in and sentences ask (a later one may start before an
    earlier one ended), every mention that ends after ``low`` is among those given."""
    text = "Meeting Held\n\nPyongyang, April 7 (KCNA) -- A meeting was held.\n"
    extractor = _Extractor(
        prepare(SourceDocument("x_0000000000000002", "x.txt", text, "0" * 64, None))
    )
    for what, value in operations:
        if what == "mention":
            assert isinstance(value, Span)
            extractor.facts.persons.append(PersonMention(value, "", "Kim Chol", "test"))
        else:
            assert isinstance(value, int)
            given_back = extractor._mentions_since(value)
            persons = extractor.facts.persons
            assert given_back == persons[len(persons) - len(given_back) :]  # a last stretch
            reaching = [p for p in persons if p.span.end > value]
            assert all(any(p is q for q in given_back) for p in reaching)
