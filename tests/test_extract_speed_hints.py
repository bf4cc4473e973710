"""The extractor's speed devices change no result (extract/hints.py).

A :class:`Hinted` pattern skips a text that has none of its hints, and a pattern that opens with
:func:`opening`'s lookahead rejects places by their first character: both must be true
statements about every match. These tests hold them to it on every text of the corpora and the
form cases, and check the necessary conditions the rules test by hand.
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
from dprk_records.pipeline.extract.hints import Gated, Hinted, hinted, initials, opening
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
    assert len(HINTED) >= 10 and len(OPENED) >= 10 and GATED


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
