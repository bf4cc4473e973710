"""The span-claim text folding (dprk_records.pipeline.claims): examples and properties."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.pipeline.claims import (
    IMPLICIT_EVENT_WORDS,
    NUMBER_WORDS,
    ORDINALS,
    Correction,
    apply_corrections,
    claim_holds,
    fold_spacing,
    fold_words,
    is_subsequence,
    numbers_in,
)

ALPHABET = string.ascii_letters + string.digits + " \n\t.,;:'’‘`\"-()!?"
texts = st.text(alphabet=ALPHABET, max_size=120)
words = st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=10), max_size=12)


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("6th Conference of Cell Secretaries of the WPK",
         "The Sixth Conference of Cell Secretaries of the Workers' Party of Korea"),
        ("secretary of the Party Central Committee", "secretaries of the Party Central Committee"),
        ("member of the Presidium of the Political Bureau of the C.C., WPK",
         "member of the Presidium of the Political Bureau of the Central Committee of the WPK"),
        ("Ri Il Hwan", "Ri Il Hwan, secretary"),
        ("Workers’ Party of Korea", "the WPK"),
        ("20th Congress", "the Twentieth Congress"),
        ("cell secretary", "the exemplary cell secretaries"),
    ],
)  # fmt: skip
def test_words_claims_that_hold(value: str, span: str) -> None:
    assert claim_holds("words", span, span, value)


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("7th Conference of Cell Secretaries", "6th Conference of Cell Secretaries"),
        ("Central Committee secretary", "secretary of the Central Committee"),  # order matters
        ("Ri Il Hwan", "Ri Jong Hwan"),
        ("the of and", "the of and"),  # nothing left to check is not a match
    ],
)
def test_words_claims_that_fail(value: str, span: str) -> None:
    assert not claim_holds("words", span, span, value)


def test_event_claims_ignore_order_and_an_implicit_party() -> None:
    value = "2nd Plenary Meeting of the 8th Central Committee of the WPK"
    assert claim_holds("event", "", "Second Plenary Meeting of its Eighth Central Committee", value)
    assert claim_holds("event", "", "2nd Plenary Meeting of the 8th Party Central Committee", value)
    assert not claim_holds("event", "", "3rd Plenary Meeting of the 8th Central Committee", value)
    inspection = "inspection of the Kim Chaek Iron and Steel Complex"
    assert claim_holds("event", "", "inspected the Kim Chaek Iron and Steel Complex", inspection)


@pytest.mark.parametrize(
    ("span", "value"),
    [("10 000 persons", 10000), ("10,000", 10000.0), ("more than 200 percent", 200),
     ("ten thousand", 10000), ("two hundred and five", 205), ("101.5 percent", 101.5),
     ("five-year plan", 5), ("1 234 567 tons", 1234567)],
)  # fmt: skip
def test_number_claims(span: str, value: float) -> None:
    assert claim_holds("number", span, span, value)
    assert not claim_holds("number", span, span, value + 1)


def test_number_claims_do_not_join_a_date_and_a_year() -> None:
    assert numbers_in("on April 6, 2021") == [6.0, 2021.0]
    assert not claim_holds("number", "x", "no digits here", "not a number")


def test_corrected_claims_fold_spacing_and_apostrophes_only() -> None:
    fixes = [Correction(4, 6, "Il")]
    span = "Kim II  Sung`s"
    corrected = apply_corrections(span, 0, fixes)
    assert corrected == "Kim Il  Sung`s"
    assert claim_holds("corrected", span, corrected, "Kim Il Sung's")
    assert not claim_holds("corrected", span, corrected, "Kim Il Sungs")
    assert not claim_holds("exact", span, corrected, "Kim Il  Sung`s")


def test_unknown_compare_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown spanClaim compare kind"):
        claim_holds("fuzzy", "a", "a", "a")


@given(texts)
def test_fold_spacing_is_idempotent_and_plain(text: str) -> None:
    folded = fold_spacing(text)
    assert fold_spacing(folded) == folded
    assert "  " not in folded and not set("’‘`\n\t") & set(folded)


@given(texts)
def test_fold_words_is_idempotent(text: str) -> None:
    folded = fold_words(text)
    assert fold_words(" ".join(folded)) == folded


@given(texts)
def test_a_text_says_its_own_words(text: str) -> None:
    if fold_words(text):
        assert claim_holds("words", text, text, text)
    if set(fold_words(text)) - IMPLICIT_EVENT_WORDS:  # "the WPK" alone names no event
        assert claim_holds("event", text, text, text)
    assert claim_holds("exact", text, text, text)
    assert claim_holds("corrected", text, text, text)


@given(words, st.data())
def test_any_ordered_selection_of_words_holds(span_words: list[str], data: st.DataObject) -> None:
    keep = data.draw(st.lists(st.booleans(), min_size=len(span_words), max_size=len(span_words)))
    value = " ".join(w for w, k in zip(span_words, keep, strict=True) if k)
    if fold_words(value):
        assert claim_holds("words", " ".join(span_words), " ".join(span_words), value)


@given(st.lists(st.integers(), unique=True, min_size=2, max_size=8))
def test_subsequence_respects_order(items: list[int]) -> None:
    assert is_subsequence(items[::2], items)
    assert not is_subsequence(items[::-1], items)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([" ", ","]))
def test_grouped_digits_read_as_one_number(number: int, separator: str) -> None:
    written = f"{number:,}".replace(",", separator)
    assert numbers_in(f"about {written} people") == [float(number)]


@given(st.sampled_from(sorted(NUMBER_WORDS)))
def test_number_words_read_as_numbers(word: str) -> None:
    assert claim_holds("number", word, f"some {word} units", NUMBER_WORDS[word])


@given(st.sampled_from(sorted(ORDINALS)))
def test_ordinal_words_and_digits_fold_alike(word: str) -> None:
    assert fold_words(f"the {word.capitalize()} Congress") == fold_words(
        f"{ORDINALS[word]} Congress"
    )


@given(texts, st.integers(min_value=0, max_value=50))
def test_no_corrections_leave_text_unchanged(text: str, start: int) -> None:
    assert apply_corrections(text, start, []) == text


@given(st.text(alphabet=string.ascii_letters, min_size=4, max_size=40), st.data())
def test_applying_a_correction_replaces_exactly_its_span(text: str, data: st.DataObject) -> None:
    begin = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = data.draw(st.integers(min_value=begin, max_value=len(text)))
    fixed = apply_corrections(text, 100, [Correction(100 + begin, 100 + end, "#")])
    assert fixed == text[:begin] + "#" + text[end:]


@pytest.mark.parametrize(
    ("said", "name", "holds"),
    [
        # the extractor's aliases are the gate's too
        (
            "5th Enlarged Meeting of 8th CMC of WPK",
            "5th Enlarged Meeting of the 8th Central Military Commission of the WPK",
            True,
        ),
        (
            "9th Plenum of 8th C.C., WPK",
            "9th Plenary Meeting of the 8th Central Committee of the WPK",
            True,
        ),
        (
            "15th Politburo Meeting of 8th CC, WPK",
            "15th Meeting of the Political Bureau of the 8th Central Committee of the WPK",
            True,
        ),
        # a short mention says only words of the name: a term the document gives elsewhere
        (
            "the Eighth Plenary Meeting",
            "8th Plenary Meeting of the 8th Central Committee of the WPK",
            True,
        ),
        (
            "The Standing Committee of the 14th SPA held its 19th plenary meeting",
            "19th Plenary Meeting of the 14th Standing Committee of the SPA of the DPRK",
            True,
        ),
        # ... never a word the name lacks
        (
            "the Ninth Plenary Meeting",
            "8th Plenary Meeting of the 8th Central Committee of the WPK",
            False,
        ),
        (
            "the Eighth Plenary Meeting of the 7th Central Committee",
            "8th Plenary Meeting of the 8th Central Committee of the WPK",
            False,
        ),
        # an occasion said with a verb, a committee formed
        (
            "national meeting was held on Saturday to mark the 60th anniversary of the Theses",
            "national meeting marking the 60th anniversary of the Theses",
            True,
        ),
        (
            "state funeral committee was formed to hold the funeral of Ri Chol",
            "formation of the state funeral committee for Ri Chol",
            True,
        ),
    ],
)
def test_event_claims_with_aliases_and_short_mentions(said: str, name: str, holds: bool) -> None:
    assert claim_holds("event", said, said, name) is holds


# --- the folding's gates -----------------------------------------------------------------------

_ALIAS_PIECES = st.sampled_from(
    [
        "Workers' Party of Korea",
        "Workers Party of Korea (WPK)",
        "Workers’ Party  of Korea",
        "(WPK)",
        " (WPK)",
        "Democratic People's Republic of Korea",
        "Politburo",
        "Plenum",
        "Plenary Session",
        "CC, the WPK",
        "CC WPK",
        "C.C., WPK",
        "C.C. of the WPK",
        "C.C",
        "CC.",
        "WPK Central Committee",
        "WPK Central Military Commission",
        "CMC",
        "Supreme People's Assembly",
        "SPA Standing Committee",
        "Standing Committee of the 14th SPA",
        "WPK Congress",
        "WPK Conference",
        "of the Party",
        "party of korea",
        "twenty-ninth",
        "Sixth",
        "c. c.",
        "Kim Chol",
        "member",
        "secretaries",
        ",",
        ".",
        "-",
        "Party",
        "WPK",
    ]
)


@st.composite
def _alias_texts(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(_ALIAS_PIECES, max_size=12))
    return "".join(piece + draw(st.sampled_from([" ", "", ", ", "\n"])) for piece in pieces)


def _fold_words_ungated(text: str) -> list[str]:
    """fold_words as it read every text with every pattern."""
    from dprk_records.pipeline import claims
    from dprk_records.pipeline.lexicon import EVENT_ALIASES

    for pattern, replacement, _ in EVENT_ALIASES:
        text = re.sub(pattern, replacement, text)
    folded = claims.fold_apostrophes(text).casefold()
    folded = claims._PARTY_NAME.sub(" wpk ", folded)
    folded = claims._CENTRAL_COMMITTEE.sub(" central committee ", folded)
    folded = folded.replace("'", "")
    folded = claims._COMPOUND_ORDINAL.sub(claims._compound_ordinal, folded)
    words = (claims.canonical_word(word) for word in claims._WORD.findall(folded))
    return [word for word in words if word]


def test_every_alias_has_its_gate() -> None:
    from dprk_records.pipeline.lexicon import EVENT_ALIASES

    assert [pattern for pattern, _, gates in EVENT_ALIASES if not gates or not all(gates)] == []


@settings(max_examples=500, deadline=None)
@given(_alias_texts())
def test_every_match_of_an_alias_holds_one_of_its_gates(text: str) -> None:
    from dprk_records.pipeline.lexicon import EVENT_ALIASES

    for pattern, _, gates in EVENT_ALIASES:
        for match in re.finditer(pattern, text):
            assert any(gate in match.group(0) for gate in gates), (pattern, match)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_alias_texts(), texts))
def test_gated_folding_folds_as_every_pattern_would(text: str) -> None:
    assert fold_words(text) == _fold_words_ungated(text)


def test_a_slipped_numeric_ordinal_reads_as_the_ordinal_it_names() -> None:
    assert fold_words("the 21th and 2th Plenary Meetings, the 11st") == [
        "21st",
        "2nd",
        "plenary",
        "meeting",
        "11th",
    ]
    said = "21th Plenary Meeting of the 7th Central Committee of the WPK"
    named = "21st Plenary Meeting of the 7th Central Committee of the WPK"
    assert claim_holds("event", said, said, named)
    assert not claim_holds("event", said, said, named.replace("21st", "22nd"))


def test_a_package_of_a_text_with_a_slipped_ordinal_is_valid(tmp_path: Path) -> None:
    """The extractor names the event of "the 21th Plenary Meeting" the 21st; the gate reads the
    span the same way, so the build of such a text passes it."""
    from dprk_records.pipeline.build import build
    from dprk_records.validate import validate_package

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "x_0000000000000001.txt").write_text(
        "Plenary Meeting Opens\n\nPyongyang, April 7 (KCNA) -- The 21th Plenary Meeting of the "
        "Ryonju Provincial Committee of the WPK was held on April 6. Kim Chol Man made a report.\n",
        encoding="utf-8",
    )
    build(seeds, tmp_path / "package", cache=False, workers=1)
    report = validate_package(tmp_path / "package", workers=1)
    assert report.valid, [finding.message for finding in report.findings]
