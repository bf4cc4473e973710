"""Spans of a document as highlight marks, and the verbatim text rendered with them nested.

Every fact row with ``document_id``/``start``/``end`` becomes part of a :class:`Mark`: rows with
the same span share one mark, whose kind is the first of :data:`KINDS` among their tables. The
text is rendered so that a mark nested in another (a correction inside a name, a name inside a
speech) is one element holding exactly its characters; only marks that cross another are split
into fragments, which share the mark's ``data-span``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dprk_records.render.loaded import Rows, cell

# highlight kind -> label; the order decides the kind of a span several tables share
KINDS = {
    "person": "person",
    "title": "title",
    "change": "personnel change",
    "organization": "organization",
    "event": "event",
    "speech": "speech",
    "quotation": "slogan / quotation",
    "figure": "figure",
    "correction": "correction",
}
TABLE_KINDS = {
    "person_names": "person",
    "participations": "person",
    "positions": "title",
    "personnel_changes": "change",
    "organizations": "organization",
    "events": "event",
    "event_references": "event",
    "speeches": "speech",
    "quotations": "quotation",
    "figures": "figure",
    "corrections": "correction",
}
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s)|\n")


@dataclass(frozen=True)
class Mark:
    """One highlighted span of a document and the rows (table, row) that point at it."""

    start: int
    end: int
    kind: str
    rows: tuple[tuple[str, dict[str, Any]], ...]

    @property
    def anchor(self) -> str:
        """The span's element id, stable across builds: ``s{start}-{end}``."""
        return f"s{self.start}-{self.end}"

    @property
    def kinds(self) -> list[str]:
        """Every kind among the mark's rows, in :data:`KINDS` order."""
        present = {TABLE_KINDS[table] for table, _ in self.rows}
        return [kind for kind in KINDS if kind in present]


def span_of(row: Mapping[str, Any]) -> tuple[int, int] | None:
    """``(start, end)`` of a row when both are whole numbers, else None."""
    start, end = row.get("start"), row.get("end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end:
        return start, end
    return None


def document_marks(document_id: str, tables: Mapping[str, Rows], length: int) -> list[Mark]:
    """The marks of one document (spans inside its ``length`` characters), in text order."""
    grouped: dict[tuple[int, int], list[tuple[str, dict[str, Any]]]] = {}
    for table in TABLE_KINDS:
        for row in tables.get(table, []):
            span = span_of(row)
            if cell(row.get("document_id")) == document_id and span and span[1] <= length:
                grouped.setdefault(span, []).append((table, row))
    order = list(KINDS)
    marks = []
    for (start, end), rows in grouped.items():
        kind = min((TABLE_KINDS[table] for table, _ in rows), key=order.index)
        marks.append(Mark(start, end, kind, tuple(rows)))
    return sorted(marks, key=lambda m: (m.start, -m.end))


def verbatim_html(text: str) -> str:
    """Text escaped for HTML so that the DOM's text is exactly ``text`` (CR kept as ``&#13;``)."""
    return html.escape(text, quote=False).replace("\r", "&#13;")


def _mark_tag(mark: Mark, first: bool, title: str) -> str:
    attributes = [
        f'class="k-{mark.kind}{"" if first else " frag"}"',
        f'data-span="{mark.anchor}"',
        f'data-start="{mark.start}"',
        f'data-end="{mark.end}"',
        f'data-kinds="{" ".join(mark.kinds)}"',
        f'title="{html.escape(title)}"',
    ]
    if first:
        attributes[:0] = [f'id="{mark.anchor}"', 'tabindex="0"']
    return f"<mark {' '.join(attributes)}>"


def render_marked(text: str, marks: list[Mark], title_of: Mapping[str, str]) -> str:
    """``text`` as HTML with each mark an element around exactly its characters.

    The text is cut at every span boundary; the marks covering a piece, outermost first, stay
    open while they remain a prefix of the open stack, so properly nested marks open once and
    close once and only a mark crossing another is split (its pieces share ``data-span``). An
    empty span is an empty element at its position. ``title_of`` maps an anchor to a tooltip.
    """
    spans = sorted((m for m in marks if m.start < m.end), key=lambda m: (m.start, -m.end))
    empties: dict[int, list[Mark]] = {}
    for mark in marks:
        if mark.start == mark.end:
            empties.setdefault(mark.start, []).append(mark)
    bounds = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    started: set[str] = set()
    stack: list[Mark] = []
    active: list[Mark] = []  # the marks covering the current piece, in (start, -end) order
    out: list[str] = []
    upcoming = 0
    for index, lo in enumerate(bounds):
        active = [m for m in active if m.end > lo]
        while upcoming < len(spans) and spans[upcoming].start <= lo:
            active.append(spans[upcoming])
            upcoming += 1
        wanted = active if index + 1 < len(bounds) else []
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        while len(stack) > keep:
            stack.pop()
            out.append("</mark>")
        for mark in empties.get(lo, []):
            out.append(_mark_tag(mark, True, title_of.get(mark.anchor, "")) + "</mark>")
        for mark in wanted[keep:]:
            out.append(_mark_tag(mark, mark.anchor not in started, title_of.get(mark.anchor, "")))
            started.add(mark.anchor)
            stack.append(mark)
        if index + 1 < len(bounds):
            out.append(verbatim_html(text[lo : bounds[index + 1]]))
    return "".join(out)


def sentence_bounds(text: str, start: int, end: int, limit: int = 300) -> tuple[int, int]:
    """The sentence (or line) around ``[start, end)``, at most ``limit`` characters each side."""
    lo = max(0, start - limit)
    left = lo
    for match in _SENTENCE_END.finditer(text, lo, start):
        left = match.end()
    while left < start and text[left].isspace():
        left += 1
    hi = min(len(text), end + limit)
    match = _SENTENCE_END.search(text, end, hi)
    right = hi if match is None else match.start() if match.group() == "\n" else match.end()
    return left, right


def quote_html(text: str, start: int, end: int, kind: str) -> str:
    """The sentence around a span on one line, escaped, the span marked, cuts shown as '…'."""
    left, right = sentence_bounds(text, start, end)
    cut_left = left > 0 and not (text[left - 1].isspace() or text[left - 1] in ".!?")
    cut_right = right < len(text) and not (text[right].isspace() or text[right - 1] in ".!?")

    def squash(part: str) -> str:
        return html.escape(_SPACES.sub(" ", part))

    return (
        f"{'…' if cut_left else ''}{squash(text[left:start])}"
        f'<mark class="k-{kind}">{squash(text[start:end])}</mark>'
        f"{squash(text[end:right])}{'…' if cut_right else ''}"
    )
