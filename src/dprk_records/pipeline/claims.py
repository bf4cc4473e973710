"""Text folding for span claims: does the source text at [start, end) say what a row claims?

Pure functions only (no I/O, no package objects), so the extractor can use the very same rules
to decide what it may claim, and property tests can pin them down. Four ways to compare, named
by a Table Schema's ``spanClaim.compare``:

- ``exact``      the verbatim characters are the value;
- ``corrected``  the span with its corrections applied is the value, up to whitespace runs and
                 apostrophe variants (’ ‘ ` -> ');
- ``words``      every word of the value appears, in order, among the words of the corrected span,
                 both folded by :func:`fold_words` (case, apostrophes, punctuation, stop words,
                 ordinals, party aliases, a trailing plural);
- ``event``      like ``words`` but in any order; "wpk", "dprk", "to", "for" and a reporting
                 verb ("held its 19th plenary meeting") may be left implicit, the extractor's
                 aliases apply ("CMC", "Plenum") and a framing verb counts as its noun
                 ("inspected" = "inspection"): an event's canonical name ("2nd Plenary Meeting of
                 the 8th Central Committee of the WPK") against the words of a mention ("Second
                 Plenary Meeting of its Eighth Central Committee") -- or a short mention every
                 word of which is in the name ("the Eighth Plenary Meeting" whose term the
                 document gives elsewhere, a headline's "21st Political Bureau of 7th CC");
- ``number``     a number written in the corrected span (digits with space or comma thousands
                 separators, or number words one..twenty, hundred, thousand) equals the value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from dprk_records.pipeline.lexicon import EVENT_ALIASES, ORDINAL_WORDS, VERB_NOUNS, ordinal_text

COMPARE_KINDS = ("exact", "corrected", "words", "event", "number")
IMPLICIT_EVENT_WORDS = frozenset(
    {"wpk", "dprk", "to", "for", "held", "convened", "opened", "it", "is", "was", "were", "been"}
)
# A framed event is named by the noun of the verb that frames it: "X inspected the Y" is the
# event "inspection of the Y", "visited" a "visit to", "sent a letter" a "letter to".
EVENT_VERB_NOUNS = VERB_NOUNS
STOP_WORDS = frozenset({"the", "of", "a", "an", "and"})

ORDINALS = {word: ordinal_text(n) for word, n in ORDINAL_WORDS.items() if "-" not in word}
_NUMERIC_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")

_NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
NUMBER_WORDS = {word: n for n, word in enumerate(_NUMBER_WORDS, start=1)}
SCALE_WORDS = {"hundred": 100, "thousand": 1000}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_WHITESPACE = re.compile(r"\s+")
_EVENT_ALIASES = [
    (re.compile(pattern), replacement, gates) for pattern, replacement, gates in EVENT_ALIASES
]
_PARTY_NAME = re.compile(r"\bworkers'?\s+party\s+of\s+korea\b")
_CENTRAL_COMMITTEE = re.compile(r"\bc\.\s?c\.?(?![^\W_])")
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(
    r"(?<![\d.,])\d{1,3}(?:(?:,\d{3})+|(?: \d{3})+)(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?"
)
_NUMBER_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Correction:
    """One repair inside a document: verbatim [start, end) reads ``original``, becomes ``corrected``."""

    start: int
    end: int
    corrected: str


def fold_apostrophes(text: str) -> str:
    """’ ‘ and ` become '."""
    return text.translate(_APOSTROPHES)


def fold_spacing(text: str) -> str:
    """Apostrophe variants folded, whitespace runs made one space, ends trimmed."""
    return _WHITESPACE.sub(" ", fold_apostrophes(text)).strip()


def apply_corrections(text: str, start: int, corrections: Iterable[Correction]) -> str:
    """``text`` (the verbatim characters from offset ``start`` on) with the corrections applied.

    Corrections are in the document's verbatim coordinates; those not wholly inside the text, and
    any that overlap an earlier one, are ignored.
    """
    pieces, pos, end = [], start, start + len(text)
    for fix in sorted(corrections, key=lambda c: (c.start, c.end)):
        if fix.start < pos or fix.end > end:
            continue
        pieces.append(text[pos - start : fix.start - start])
        pieces.append(fix.corrected)
        pos = fix.end
    pieces.append(text[pos - start :])
    return "".join(pieces)


_COMPOUND_ORDINAL = re.compile(
    r"\b("
    + "|".join(sorted((w for w in ORDINAL_WORDS if "-" in w), key=len, reverse=True))
    + r")\b"
)


def _compound_ordinal(match: re.Match[str]) -> str:
    """ "twenty-ninth" -> "29th" (before the hyphen splits it into two words)."""
    return ordinal_text(ORDINAL_WORDS[match.group(1)])


@lru_cache(maxsize=1 << 16)
def canonical_word(word: str) -> str:
    """One already case-folded, punctuation-free word in canonical form ('' for a stop word).

    Ordinals become digits in one form ("sixth", "6th" -> "6th"; "21th" -> "21st"), a trailing
    plural goes ("secretaries" -> "secretary", "cells" -> "cell"; not "ss": "congress"), and
    "party" becomes "wpk".
    (Remembered: the span check folds millions of words, most of them names and titles that
    recur.)
    """
    if word in ORDINALS:
        return ORDINALS[word]
    numeric = _NUMERIC_ORDINAL.match(word)
    if numeric:  # the extractor names "the 21th Plenary Meeting" the 21st: so does its span
        return ordinal_text(int(numeric.group(1)))
    if word in STOP_WORDS:
        return ""
    if len(word) > 3 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("men"):
        word = word[:-3] + "man"  # chairmen -> chairman
    elif len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word in STOP_WORDS:
        return ""
    if word in ORDINALS:
        return ORDINALS[word]
    return "wpk" if word == "party" else word


def apply_event_aliases(text: str) -> str:
    """``text`` with the extractor's aliases of bodies and event heads applied in order ("CMC",
    "Plenum": lexicon.EVENT_ALIASES), each only to a text that holds one of the words every
    match of it holds (a span check folds long spans thousands of times). The extractor names
    events through it and the span check folds through it, so both read an alias alike."""
    for pattern, replacement, gates in _EVENT_ALIASES:
        if any(gate in text for gate in gates):
            text = pattern.sub(replacement, text)
    return text


def fold_words(text: str) -> list[str]:
    """The words of ``text`` folded for comparison: "the Sixth Conference of Cell Secretaries of
    the Workers' Party of Korea" -> ["6th", "conference", "cell", "secretary", "wpk"]."""
    return list(_folded_words(text))


@lru_cache(maxsize=16)
def _folded_words(text: str) -> tuple[str, ...]:
    """:func:`fold_words`, remembered for the last few texts: a row's claims fold the same span
    one after the other (a change's person and its post)."""
    folded = fold_apostrophes(apply_event_aliases(text)).casefold()
    if "party" in folded:
        folded = _PARTY_NAME.sub(" wpk ", folded)
    if "c." in folded:
        folded = _CENTRAL_COMMITTEE.sub(" central committee ", folded)
    folded = folded.replace("'", "")
    if "-" in folded:
        folded = _COMPOUND_ORDINAL.sub(_compound_ordinal, folded)
    words = (canonical_word(word) for word in _WORD.findall(folded))
    return tuple(word for word in words if word)


def is_subsequence(needles: Sequence[str], haystack: Iterable[str]) -> bool:
    """Whether every item of ``needles`` appears in ``haystack``, in the same order."""
    remaining = iter(haystack)
    return all(any(item == needle for item in remaining) for needle in needles)


def _word_numbers(text: str) -> Iterator[float]:
    """Numbers written in words: "ten" -> 10, "two hundred" -> 200, "ten thousand" -> 10000."""
    total, current, in_number = 0, 0, False
    for match in _NUMBER_WORD.finditer(text.casefold() + " ."):
        word = match.group()
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
            in_number = True
        elif word in SCALE_WORDS:
            scale = SCALE_WORDS[word]
            if scale == 1000:
                total, current = (total + max(current, 1)) * 1000, 0
            else:
                current = max(current, 1) * scale
            in_number = True
        elif word == "and" and in_number:
            continue
        else:
            if in_number:
                yield float(total + current)
            total, current, in_number = 0, 0, False
    if in_number:
        yield float(total + current)


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text``: "10 000", "10,000", "101.5" and number words."""
    found = [float(m.group().replace(",", "").replace(" ", "")) for m in _DIGITS.finditer(text)]
    return found + list(_word_numbers(text))


def claim_holds(compare: str, span_text: str, corrected_text: str, value: object) -> bool:
    """Whether a span says ``value`` by the rule ``compare`` (one of COMPARE_KINDS).

    ``span_text`` is the verbatim span, ``corrected_text`` the same span with its corrections
    applied. An unknown compare kind raises ValueError.
    """
    if compare == "exact":
        return span_text == str(value)
    if compare == "corrected":
        return fold_spacing(corrected_text) == fold_spacing(str(value))
    if compare == "words":
        wanted = fold_words(str(value))
        return bool(wanted) and is_subsequence(wanted, fold_words(corrected_text))
    if compare == "event":
        # the verb -> noun folding applies to both sides, so that a text always says itself
        # counted, not merely present: "8th Plenary Meeting of the 8th Central Committee" needs
        # its "8th" twice
        wanted = Counter(
            EVENT_VERB_NOUNS.get(w, w)
            for w in fold_words(str(value))
            if EVENT_VERB_NOUNS.get(w, w) not in IMPLICIT_EVENT_WORDS
        )
        said = Counter(EVENT_VERB_NOUNS.get(word, word) for word in fold_words(corrected_text))
        # the mention says the whole name, or is a short form saying only words of it ("the
        # Eighth Plenary Meeting" of the 8th Plenary Meeting of the 8th Central Committee)
        short = Counter({w: n for w, n in said.items() if w not in IMPLICIT_EVENT_WORDS})
        return bool(wanted) and (wanted <= said or (bool(short) and short <= wanted))
    if compare == "number":
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        return any(abs(found - number) < 1e-9 for found in numbers_in(corrected_text))
    raise ValueError(f"unknown spanClaim compare kind {compare!r}; expected one of {COMPARE_KINDS}")
