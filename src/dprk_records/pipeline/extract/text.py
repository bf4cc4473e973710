"""Sentences and comma segments of normalized paragraphs, with a way back to verbatim offsets.

Every extractor works on a Sentence; a Sentence knows its paragraph, so any span found in it maps
to verbatim coordinates through the paragraph's offset map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dprk_records.pipeline.normalize import Paragraph

_BOUNDARY = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘']?[A-Z])")
_LINE = re.compile(r"[^\n]+")
_NO_BREAK_BEFORE = re.compile(r"(?:\b(?:No|Co|Mr|Mrs|Dr|St|Jr|Gen|Lt|Col|Vol|vs|Art|Nos)|\b[A-Z])$")
_COMMA = re.compile(r",\s+")


@dataclass(frozen=True)
class Span:
    """Verbatim [start, end) in the seed text."""

    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of a normalized paragraph; ``start`` is its offset inside the paragraph text."""

    paragraph: Paragraph
    start: int
    text: str
    is_headline: bool

    def span(self, start: int, end: int) -> Span:
        """Verbatim span of [start, end) given in this sentence's coordinates."""
        vs, ve = self.paragraph.mapped.to_verbatim(self.start + start, self.start + end)
        return Span(vs, ve)

    @property
    def verbatim_start(self) -> int:
        """Where the sentence begins in the verbatim text: sentences of different paragraphs
        compare by it (a title's status reads which sentence holds the title)."""
        return self.span(0, 1).start


@dataclass(frozen=True)
class Segment:
    """A comma-separated piece of a sentence, leading "and " removed (``had_and`` remembers it)."""

    start: int
    end: int
    text: str
    had_and: bool


def split_sentences(
    paragraph: Paragraph, offset: int = 0, is_headline: bool = False
) -> list[Sentence]:
    """Sentences of paragraph.text[offset:], never breaking after "No." or an initial."""
    text = paragraph.text
    sentences = []
    pos = offset
    for match in _BOUNDARY.finditer(text, offset):
        # an abbreviation is at most three letters before the stop (and a line end): read the
        # five characters before it, not the whole sentence, so a paragraph costs linear time
        if text[match.start()] == "." and _NO_BREAK_BEFORE.search(
            text[max(pos, match.start() - 5) : match.start()]
        ):
            continue
        end = match.start() + len(match.group().rstrip())
        if text[pos:end].strip():
            sentences.append(Sentence(paragraph, pos, text[pos:end], is_headline))
        pos = match.end()
    if text[pos:].strip():
        sentences.append(Sentence(paragraph, pos, text[pos:].rstrip(), is_headline))
    return sentences


def _glued_comma(text: str, start: int, at: int) -> bool:
    """A comma that belongs to a name: after "C.C." or a word "CC" ("C.C., WPK")."""
    if text.endswith("C.C.", start, at):
        return True
    return text.endswith("CC", start, at) and (at - 2 == 0 or not text[at - 3].isalnum())


def split_segments(text: str, start: int = 0, end: int | None = None) -> list[Segment]:
    """Comma segments of text[start:end], keeping "C.C., WPK" and quoted names whole."""
    return list(iter_segments(text, start, end))


def iter_segments(text: str, start: int = 0, end: int | None = None) -> Iterator[Segment]:
    """The segments of :func:`split_segments` one by one, so that a reader that stops at the
    first segment that is not a title (an appositive) reads no further."""
    end = len(text) if end is None else end
    pos = start
    # quotes are counted as the commas go, so a sentence of any length costs linear time
    counted, straight, opened, closed = 0, 0, 0, 0
    for match in _COMMA.finditer(text, start, end):
        at = match.start()
        straight += text.count('"', counted, at)
        opened += text.count("“", counted, at)
        closed += text.count("”", counted, at)
        counted = at
        if _glued_comma(text, start, at) or straight % 2 == 1 or opened > closed:
            continue
        yield from _segment(text, pos, match.start())
        pos = match.end()
    yield from _segment(text, pos, end)


def _segment(text: str, pos: int, cut_start: int) -> Iterator[Segment]:
    """The piece [pos, cut_start) trimmed of spaces and end punctuation, if anything is left."""
    piece_start, piece_end = pos, cut_start
    while piece_start < piece_end and text[piece_start].isspace():
        piece_start += 1
    while piece_end > piece_start and text[piece_end - 1] in " .;:,":
        piece_end -= 1
    had_and = text.startswith("and ", piece_start)
    if had_and:
        piece_start += 4
    if piece_start < piece_end:
        yield Segment(piece_start, piece_end, text[piece_start:piece_end], had_and)


def sentence_bounds(
    text: str, blocks: Iterable[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """[start, end) of each sentence of a whole text: cut at the sentence ends
    :func:`split_sentences` cuts at, inside each block -- the normalized paragraphs' verbatim
    spans when given (a hard wrap inside a paragraph is no cut, as the extractor reads it),
    else each line -- so that the gate sees the sentences the extractor saw."""
    spans = (
        list(blocks) if blocks is not None else [(m.start(), m.end()) for m in _LINE.finditer(text)]
    )
    bounds = []
    for block_start, block_end in spans:
        pos = block_start
        for match in _BOUNDARY.finditer(text, block_start, block_end):
            before = text[pos : match.start() + 1]
            if before.endswith(".") and _NO_BREAK_BEFORE.search(before[:-1]):
                continue
            bounds.append((pos, match.start() + 1))
            pos = match.end()
        bounds.append((pos, block_end))
    return bounds
