"""Normalized text that remembers, for every character, where it came from in the verbatim seed.

Extraction works on clean text; the package stores only verbatim offsets. A MappedText carries both,
so any span found in normalized text converts back exactly, even across joined page breaks.
"""

from __future__ import annotations

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
    """A normalized string plus, per character, the verbatim span it stands for."""

    text: str
    origin_start: tuple[int, ...]
    origin_end: tuple[int, ...]

    def to_verbatim(self, start: int, end: int) -> tuple[int, int]:
        """Verbatim [start, end) of the normalized span [start, end); the span must be non-empty."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is not inside a text of {len(self.text)}")
        return self.origin_start[start], self.origin_end[end - 1]


def apply_edits(verbatim: str, start: int, end: int, edits: list[Edit]) -> MappedText:
    """Normalize verbatim[start:end] by applying non-overlapping, sorted edits inside it."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = start
    for edit in edits:
        if edit.start < pos or edit.end > end:
            raise ValueError(f"edit {edit} overlaps another or leaves [{start}, {end})")
        pieces.append(verbatim[pos : edit.start])
        starts.extend(range(pos, edit.start))
        ends.extend(range(pos + 1, edit.start + 1))
        pieces.append(edit.corrected)
        if len(edit.corrected) == edit.end - edit.start:
            starts.extend(range(edit.start, edit.end))
            ends.extend(range(edit.start + 1, edit.end + 1))
        else:
            starts.extend([edit.start] * len(edit.corrected))
            ends.extend([edit.end] * len(edit.corrected))
        pos = edit.end
    pieces.append(verbatim[pos:end])
    starts.extend(range(pos, end))
    ends.extend(range(pos + 1, end + 1))
    return MappedText("".join(pieces), tuple(starts), tuple(ends))
