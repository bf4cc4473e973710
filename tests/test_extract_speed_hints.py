"""The extractor's speed devices change no result (extract/hints.py).

A :class:`Hinted` pattern skips a text that has none of its hints, and a pattern that opens with
:func:`opening`'s lookahead rejects places by their first character: both must be true
statements about every match. These tests hold them to it on every text of the corpora and the
form cases, and check the necessary conditions the rules test by hand. A pattern written with
:func:`word_start` (and the quick ordinal scan) must match as the plain alternation it
replaces: on the corpora and on made-up texts.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dprk_records.pipeline.extract as extract_package
from dprk_records.pipeline.extract.hints import Gated, Hinted, hinted, initials, opening, word_start
from tests.forms.harness import load_cases

REPO = Path(__file__).resolve().parents[1]
_OPENING = re.compile(r"^\(\?=\[(?P<chars>(?:\\.|[^\]\\])*)\]\)")
# the words a match's lookahead reads after it (_ORDINAL_LOWER's event head) are in this reach
_AFTER = 40


@cache
def _texts() -> tuple[str, ...]:
    texts = [t for case in load_cases() for t in case.texts]
    texts += [
        p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "corpus").rglob("*.txt"))
    ]
    return tuple(texts)


def _module_patterns() -> list[tuple[str, object]]:
    found = []
    for info in pkgutil.iter_modules(extract_package.__path__):
        module = importlib.import_module(f"{extract_package.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Gated):
                found.append((f"{info.name}.{name}", value))
                found.append((f"{info.name}.{name}", value.pattern))
            elif isinstance(value, Hinted | re.Pattern):
                found.append((f"{info.name}.{name}", value))
            elif isinstance(value, list | tuple):
                for item in value:
                    for part in item if isinstance(item, tuple) else (item,):
                        if isinstance(part, Hinted | re.Pattern):
                            found.append((f"{info.name}.{name}", part))
    return found


HINTED = [(name, p) for name, p in _module_patterns() if isinstance(p, Hinted)]
GATED = [(name, p) for name, p in _module_patterns() if isinstance(p, Gated)]
OPENED = [
    (name, p.pattern if isinstance(p, Hinted) else p)
    for name, p in _module_patterns()
    if not isinstance(p, Gated)
    and _OPENING.match((p.pattern if isinstance(p, Hinted) else p).pattern)
]


def test_the_devices_are_in_use() -> None:
    assert len(HINTED) >= 10 and len(OPENED) >= 5 and GATED and len(_word_start_patterns()) >= 5


@pytest.mark.parametrize("name,pattern", HINTED, ids=[name for name, _ in HINTED])
def test_every_match_holds_a_hint(name: str, pattern: Hinted) -> None:
    for text in _texts():
        for match in pattern.pattern.finditer(text):
            window = text[match.start() : match.end() + _AFTER]
            assert any(hint in window for hint in pattern.hints), (name, match.group())
            for group in pattern.also:
                assert any(hint in text for hint in group), (name, match.group())


@pytest.mark.parametrize("name,pattern", GATED, ids=[name for name, _ in GATED])
def test_every_match_holds_a_piece_the_gate_finds(name: str, pattern: Gated) -> None:
    matches = 0
    for text in _texts():
        for match in pattern.pattern.finditer(text):
            matches += 1
            assert pattern.gate.search(text, match.start(), match.end()), (name, match.group())
    assert matches, f"{name}: no text of the corpora tries the gate"


# words of the texts a gate must read right (names, particles of foreign names, hyphens and
# apostrophes, lower-case words) and what stands between them
_WORDS = (
    "Ivan",
    "Petrov",
    "Jose",
    "Maria",
    "Kim",
    "Jong",
    "Un",
    "Lee-Ann",
    "Al",
    "O'Neil",
    "II",
    "de",
    "van",
    "la",
    "bin",
    "dos",
    "of",
    "the",
    "commander",
    "said",
    "U.S.",
    "1",
)
_BETWEEN = (" ", " ", " ", ", ", " , ", ",", ". ", "-", "; ", ": ", "(", ")", "\n")


@pytest.mark.parametrize("name,pattern", GATED, ids=[name for name, _ in GATED])
@settings(max_examples=500, deadline=None)
@given(pairs=st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_BETWEEN)), max_size=16))
def test_a_gate_changes_no_match(name: str, pattern: Gated, pairs: list[tuple[str, str]]) -> None:
    text = "".join(word + between for word, between in pairs)
    found = [(m.span(), m.groups()) for m in pattern.finditer(text)]
    assert found == [(m.span(), m.groups()) for m in pattern.pattern.finditer(text)], text


@pytest.mark.parametrize("name,pattern", OPENED, ids=[name for name, _ in OPENED])
def test_an_opening_lookahead_changes_no_match(name: str, pattern: re.Pattern[str]) -> None:
    bare = re.compile(_OPENING.sub("", pattern.pattern, count=1), pattern.flags)
    for text in _texts():
        found = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in bare.finditer(text)], name


def test_verb_final_hints_never_hide_a_frame() -> None:
    from dprk_records.pipeline.lexicon import VERB_FINAL_FRAMES, VERB_FINAL_HINTS

    assert {name for name, _, _ in VERB_FINAL_FRAMES} == set(VERB_FINAL_HINTS)
    for name, pattern, _ in VERB_FINAL_FRAMES:
        for text in _texts():
            for match in re.finditer(pattern, text):
                assert any(hint in match.group() for hint in VERB_FINAL_HINTS[name]), name


def test_a_hint_skips_only_texts_without_it() -> None:
    pattern = hinted(r"\bwas held\b", "held", also=(("was",),))
    assert pattern.search("The meeting was held.") is not None
    assert pattern.search("The meeting took place.") is None
    assert list(pattern.finditer("held, but never was")) == []
    assert opening(initials(["held", "Was"])) == "(?=[Wh])"


def test_the_sitting_rule_needs_a_day_in_folded_text() -> None:
    """event_rules.sitting scans only a sentence whose lower-cased text has "-day " or " day ":
    every match of the sitting pattern does, in any case."""
    from dprk_records.pipeline.extract.event_rules import _SITTING

    for text in [*_texts(), "The SECOND-DAY SITTING of the session", "the 2nd Day Meeting"]:
        for match in _SITTING.finditer(text):
            folded = match.group().lower()
            assert "-day " in folded or " day " in folded, match.group()


def test_an_honour_phrase_says_of() -> None:
    """The honour filters of names_pass and personnel_changes scan only a stretch with " of "."""
    from dprk_records.pipeline.extract.changes import _HONOUR_OF
    from dprk_records.pipeline.extract.extractor import _HONOUR

    for pattern in (_HONOUR, _HONOUR_OF):
        for text in _texts():
            for match in re.finditer(pattern.pattern.removesuffix("$"), text):
                assert " of " in match.group(), match.group()


def _pieces() -> list[str]:
    """Every line and every sentence of the corpora and form cases (a gate must hold for any
    text, so a rough split is enough)."""
    pieces = []
    for text in _texts():
        for line in text.splitlines():
            pieces.append(line)
            pieces.extend(re.split(r"(?<=[.!?])\s+", line))
    return [piece for piece in pieces if piece.strip()]


def test_a_sentence_the_change_gate_passes_over_states_no_change() -> None:
    """changes.may_state_change is False only for a sentence where find_changes finds nothing
    (with or without its names) and whose verb could open no change list; the gate passes over
    most sentences, and each of its three parts is needed."""
    from dprk_records.pipeline.extract import changes
    from dprk_records.pipeline.extract.person_names import find_names

    passed_over, stated = 0, 0
    for piece in _pieces():
        if changes.may_state_change(piece):
            stated += bool(changes.find_changes(piece, find_names(piece)))
            continue
        passed_over += 1
        assert changes.find_changes(piece, find_names(piece)) == [], piece
        assert changes._VERB.search(piece) is None, piece
    assert stated > 50 and passed_over > stated
    for said in (
        "Elected as members of the Political Bureau were Kim Chol Su and Ri Yong Ho.",
        "The meeting approved the retirement of Kim Chol Su from his post.",
        "Kim Chol Su was appointed premier.",
    ):
        assert changes.may_state_change(said), said
    assert not changes.may_state_change("The plan was carried out in full by the workers.")


def _names_read(text: str) -> list[tuple[int, int]]:
    """Where a rule reads a personal name in ``text``: a Korean name at any capital (strict,
    lenient as in lists, and as in a headline) and a foreign name (FOREIGN_NAME, also the run a
    list reads)."""
    from dprk_records.pipeline.extract.person_names import FOREIGN_NAME, match_name_at

    spans = [m.span() for m in FOREIGN_NAME.finditer(text)]
    for at, char in enumerate(text):
        if char.isupper():
            for lenient, headline in ((False, False), (True, False), (False, True)):
                name = match_name_at(text, at, lenient=lenient, headline=headline)
                if name is not None:
                    spans.append((name.start, name.end))
    return spans


def _assert_the_name_gate_passes(text: str) -> int:
    from dprk_records.pipeline.extract.person_names import _NAME_PIECE, may_name_someone

    spans = _names_read(text)
    for start, end in spans:
        assert _NAME_PIECE.search(text, start, end), (text[start:end], text)
    assert may_name_someone(text) or not spans
    return len(spans)


def test_every_name_holds_the_piece_the_name_gate_finds() -> None:
    """person_names.may_name_someone is False only for a text where no rule reads a name: the
    name rules and the listing frames pass over such a sentence (on the corpora, most sentences
    of which it passes, and on the foreign forms its particles are for)."""
    from dprk_records.pipeline.extract.person_names import may_name_someone

    names, passed_over = 0, 0
    for piece in _pieces():
        names += _assert_the_name_gate_passes(piece)
        passed_over += not may_name_someone(piece)
    assert names > 1000 and passed_over > 100
    for text in ("Present were Maria de la Cruz, minister.", "With them was Jean-paul de Vries."):
        assert _assert_the_name_gate_passes(text) and may_name_someone(text)
    assert not may_name_someone("Present were officials of the ministry, and others.")


@settings(max_examples=500, deadline=None)
@given(pairs=st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_BETWEEN)), max_size=16))
def test_the_name_gate_on_made_up_texts(pairs: list[tuple[str, str]]) -> None:
    _assert_the_name_gate_passes("".join(word + between for word, between in pairs))


def _word_start_patterns() -> list[tuple[str, re.Pattern[str], list[str]]]:
    from dprk_records.pipeline.extract import changes, event_names, organizations, person_names

    return [
        ("person_names._NAME_START", person_names._NAME_START, person_names._FAMILY_WORDS),
        (
            "person_names._FOREIGN_AFTER_TITLE",
            person_names._FOREIGN_AFTER_TITLE,
            person_names._FOREIGN_POSTS.split("|"),
        ),
        (
            "organizations._ORG_HEAD_WORD",
            organizations._ORG_HEAD_WORD,
            organizations._ORG_HEADS.split("|"),
        ),
        ("changes._VERB", changes._VERB, changes._VERB_WORDS),
        ("event_names._ORDINAL_LOWER", event_names._ORDINAL_LOWER.pattern, event_names._BY_LENGTH),
    ]


@pytest.mark.parametrize(
    "name,pattern,words", _word_start_patterns(), ids=[n for n, _, _ in _word_start_patterns()]
)
def test_a_word_start_scan_finds_what_the_plain_alternation_finds(
    name: str, pattern: re.Pattern[str], words: list[str]
) -> None:
    """Each pattern written with hints.word_start matches, on every text of the corpora and
    the form cases, what it matched written as a plain ``\\b(?:...)`` alternation."""
    piece = word_start(words)
    assert piece in pattern.pattern, name
    plain = re.compile(
        pattern.pattern.replace(piece, r"\b(?:" + "|".join(words) + ")"), pattern.flags
    )
    matches = 0
    for text in _texts():
        found = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in plain.finditer(text)], name
        matches += len(found)
    assert matches, f"{name}: no text of the corpora has a match"


# words over a few letters, so that alternatives share first letters, prefixes and whole words
_LETTERS = st.text("abAé1", min_size=1, max_size=3)


@settings(max_examples=1000, deadline=None)
@given(
    words=st.lists(_LETTERS, min_size=1, max_size=8, unique=True),
    tail=st.sampled_from(["", r"\b", r"(?=\s)", r"s?\b", r"(x)?"]),
    text=st.text("abAé1 -_.\n", max_size=30),
)
def test_word_start_matches_as_the_plain_alternation(
    words: list[str], tail: str, text: str
) -> None:
    """Whatever the words (sharing first letters or whole prefixes, in any order) and whatever
    follows them in the pattern, the word_start form finds the same matches and groups as
    ``\\b(?:w1|w2|...)``: the same order of trial within a first letter, and no place two
    first letters could both match."""
    escaped = [re.escape(w) for w in words]
    fast = re.compile(word_start(escaped) + tail)
    plain = re.compile(r"\b(?:" + "|".join(escaped) + ")" + tail)
    assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
        (m.span(), m.groups()) for m in plain.finditer(text)
    ]


def test_word_start_refuses_what_it_cannot_keep_equal() -> None:
    assert word_start(["Kim", "Ri", "Ra", "honou?red"]) == (
        r"(?:K(?<!\w.)(?:im)|R(?<!\w.)(?:i|a)|h(?<!\w.)(?:onou?red))"
    )
    for bad in (["-elect"], [" of"], ["a?b"], ["K*"], [""], ["(Kim)"]):
        with pytest.raises(ValueError, match="open with a letter or digit"):
            word_start(bad)


def test_the_figure_gate_passes_every_text_with_a_figure() -> None:
    """quantities.number_before_unit is True for every lower-cased text of the corpora where
    the figure pattern finds a match (the property test in test_extract_rules holds the whole
    scan to the IGNORECASE one on made-up sentences)."""
    from dprk_records.pipeline.extract.quantities import _FIGURE_FOLDED, number_before_unit

    gated = 0
    for text in _texts():
        folded = text.lower()
        for line in folded.splitlines():
            if _FIGURE_FOLDED.search(line) is not None:
                assert number_before_unit(line), line
            elif not number_before_unit(line):
                gated += 1
    assert gated, "no line of the corpora is spared the scan"


_ORDINAL_TOKENS = ("21st", "1st", "2nd", "103rd", "4th", "1234th", "21", "Second", "second")
_ORDINAL_TOKENS += ("Twenty-first", "Twenty", "First", "Firsts", "x1st", "A", "of", "1st-", "_2nd")
_ORDINAL_TOKENS += ("Workers\u2019", "\u0663rd", "\uff11st", "\u2013", "\u00e9")


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_ORDINAL_TOKENS), st.sampled_from((*_BETWEEN, "", "_"))),
        max_size=10,
    )
)
def test_the_ordinal_scan_finds_what_the_ordinal_pattern_finds(
    pairs: list[tuple[str, str]],
) -> None:
    """event_names.find_events scans a text with _ORDINAL_SCAN (digits 0-9 spelt out as first
    characters, no groups) unless it holds another digit: the matches of _ORDINAL either way,
    on made-up texts (curly apostrophes, dashes, Arabic-Indic and full-width digits) and on
    every text of the corpora."""
    from dprk_records.pipeline.extract.event_names import _ORDINAL, _ordinal_scan

    text = "".join(word + between for word, between in pairs)
    assert [m.span() for m in _ordinal_scan(text).finditer(text)] == [
        m.span() for m in _ORDINAL.finditer(text)
    ], text


def test_the_ordinal_scan_on_the_corpora() -> None:
    from dprk_records.pipeline.extract.event_names import _ORDINAL, _ORDINAL_SCAN, _ordinal_scan

    matches, quick = 0, 0
    for text in _texts():
        scan = _ordinal_scan(text)
        found = [m.span() for m in scan.finditer(text)]
        assert found == [m.span() for m in _ORDINAL.finditer(text)]
        matches += len(found)
        quick += scan is _ORDINAL_SCAN and not text.isascii()
    assert matches and quick, "no text of the corpora has an ordinal, or a curly apostrophe"
