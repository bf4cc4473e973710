"""Normalized text that remembers, for every character, where it came from in the verbatim seed.

Extraction works on clean text; the package stores only verbatim offsets. A MappedText carries both,
so any span found in normalized text converts back exactly, even across joined page breaks.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """One repair: verbatim [start, end) reads ``original`` and becomes ``corrected``."""

    start: int
    end: int
    original: str
    corrected: str
    kind: str
    rule: str


@dataclass(frozen=True)
class MappedText:
    """A normalized string and the verbatim span each of its characters stands for, kept as
    pieces rather than per character (two tuples of ints a character cost a tenth of a
    document's analysis): piece ``i`` covers the characters from ``piece_starts[i]`` up to the
    next piece. A copied piece (``verbatim_ends[i]`` is None) maps its k-th character to
    verbatim [verbatim_starts[i] + k, verbatim_starts[i] + k + 1); an edit's replacement of
    another length maps every character to the whole edit, [verbatim_starts[i], verbatim_ends[i]).
    """

    text: str
    piece_starts: tuple[int, ...]
    verbatim_starts: tuple[int, ...]
    verbatim_ends: tuple[int | None, ...]

    def _origin(self, index: int) -> tuple[int, int]:
        piece = bisect_right(self.piece_starts, index) - 1
        start = self.verbatim_starts[piece]
        end = self.verbatim_ends[piece]
        if end is None:
            start += index - self.piece_starts[piece]
            return start, start + 1
        return start, end

    def to_verbatim(self, start: int, end: int) -> tuple[int, int]:
        """Verbatim [start, end) of the normalized span [start, end); the span must be non-empty."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is not inside a text of {len(self.text)}")
        if len(self.piece_starts) == 1 and self.verbatim_ends[0] is None:
            # one copied piece (a paragraph without edits, most of them): a shift
            return self.verbatim_starts[0] + start, self.verbatim_starts[0] + end
        return self._origin(start)[0], self._origin(end - 1)[1]


def apply_edits(verbatim: str, start: int, end: int, edits: list[Edit]) -> MappedText:
    """Normalize verbatim[start:end] by applying non-overlapping, sorted edits inside it."""
    pieces: list[str] = []
    piece_starts: list[int] = []
    verbatim_starts: list[int] = []
    verbatim_ends: list[int | None] = []
    length = 0

    def piece(text: str, verbatim_start: int, verbatim_end: int | None) -> None:
        nonlocal length
        if text:
            pieces.append(text)
            piece_starts.append(length)
            verbatim_starts.append(verbatim_start)
            verbatim_ends.append(verbatim_end)
            length += len(text)

    pos = start
    for edit in edits:
        if edit.start < pos or edit.end > end:
            raise ValueError(f"edit {edit} overlaps another or leaves [{start}, {end})")
        piece(verbatim[pos : edit.start], pos, None)
        same_length = len(edit.corrected) == edit.end - edit.start
        piece(edit.corrected, edit.start, None if same_length else edit.end)
        pos = edit.end
    piece(verbatim[pos:end], pos, None)
    return MappedText(
        "".join(pieces), tuple(piece_starts), tuple(verbatim_starts), tuple(verbatim_ends)
    )
