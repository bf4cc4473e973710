"""Patterns with a cheap necessary condition: words one of which every match contains.

Most sentences of a long report open no list, form no committee and name no sitting, yet a
pattern that begins with a word boundary or an alternation is tried at every place of every
sentence. A :class:`Hinted` pattern first asks whether one of its hints occurs in the text at all
(a substring test, many times faster than a scan) and scans only then. A hint must be a true
necessary condition -- a literal piece of every string the pattern can match -- so skipping a
text without any changes no result (tests/test_extract_speed_hints.py holds the hints to it).
A substring test reads the whole text, though: a pattern that opens with a choice of words is
better written with :func:`word_start`, which lets the engine skip to the words' first letters.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Hinted:
    """A compiled pattern and the words one of which each of its matches contains (and one of
    each group in ``also``, when a match needs two words apart: a noun and its verb)."""

    pattern: re.Pattern[str]
    hints: tuple[str, ...]
    also: tuple[tuple[str, ...], ...] = ()

    def possible(self, text: str) -> bool:
        """Whether the pattern can match anywhere in ``text`` (False: it cannot). It is asked of
        every sentence, so the substring tests run in C (``map`` over ``str.__contains__``)."""
        contains = text.__contains__
        return any(map(contains, self.hints)) and (
            not self.also or all(any(map(contains, group)) for group in self.also)
        )

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        # (the first group's test inlined: most calls end there)
        if any(map(text.__contains__, self.hints)) and (not self.also or self.possible(text)):
            return self.pattern.search(text, pos, endpos)
        return None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if any(map(text.__contains__, self.hints)) and (not self.also or self.possible(text)):
            return self.pattern.match(text, pos, endpos)
        return None

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if any(map(text.__contains__, self.hints)) and (not self.also or self.possible(text)):
            return self.pattern.finditer(text, pos, endpos)
        return iter(())


@dataclass(frozen=True)
class Gated:
    """A compiled pattern and a far cheaper one, the gate, that finds a piece of every match of
    it: a text where the gate finds nothing is not scanned with the pattern. For a necessary
    condition no fixed word can state ("a capitalized word right before a comma"), where a
    :class:`Hinted` pattern's substring tests cannot serve."""

    pattern: re.Pattern[str]
    gate: re.Pattern[str]

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.gate.search(text) is not None:
            return self.pattern.finditer(text)
        return iter(())


def hinted(
    pattern: str | re.Pattern[str],
    *hints: str,
    also: tuple[tuple[str, ...], ...] = (),
    flags: int = 0,
) -> Hinted:
    """A :class:`Hinted` pattern; ``hints`` are literal, case and all."""
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
    return Hinted(compiled, hints, also)


def opening(chars: str) -> str:
    """A lookahead for the characters every match begins with, ``chars`` a class body ("\\d",
    "A-Z"). Python's engine tries a pattern that opens with a word boundary or an alternation at
    every place in full; one that opens with a character class it rejects at most places with
    a single test. Prefixed to a pattern it changes none of the matches, so long as ``chars``
    holds every character a match can begin with."""
    return f"(?=[{chars}])"


def word_start(alternatives: Sequence[str]) -> str:
    r"""``\b(?:a1|a2|...)`` written so that Python's engine scans only for the alternatives'
    first characters: one alternative per first character, the word boundary asked after it
    (``(?<!\w.)``: the character before is no word character). A pattern that opens with a
    lookahead or a boundary is tried in full at every place (a call into the matcher each),
    one that opens with a choice of literal characters is skipped along in a tight loop to
    the places holding one of them: for capitalized words, a few places in a hundred.

    Each alternative is a pattern piece that begins with a letter or digit matched as itself;
    within a first character the alternatives keep their order, and two alternatives with
    different first characters never match at the same place, so the matches are the plain
    form's, group numbers and all (a property test holds it to it)."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        first, rest = alternative[:1], alternative[1:]
        if not first.isalnum() or rest[:1] in ("?", "*", "+", "{"):
            raise ValueError(
                f"an alternative must open with a letter or digit, matched once: {alternative!r}"
            )
        groups.setdefault(first, []).append(rest)
    return (
        "(?:"
        + "|".join(rf"{first}(?<!\w.)(?:{'|'.join(rests)})" for first, rests in groups.items())
        + ")"
    )


def initials(words: Iterable[str]) -> str:
    """The first characters of ``words`` as a class body for :func:`opening`."""
    return "".join(re.escape(char) for char in sorted({word[0] for word in words}))
