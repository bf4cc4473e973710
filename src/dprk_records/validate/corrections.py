"""The `corrections` check: the corrections table is an exact, reversible record of normalization.

Corrections lie inside paragraphs and do not overlap; each one's ``original`` is what the verbatim
text reads; undoing them turns every paragraph's text back into its verbatim span, and applying
them to the verbatim span gives the paragraph's text exactly. Boilerplate corrections (a whole
paragraph marked as web chrome) are not applied; they must cover exactly the paragraphs flagged
``is_boilerplate``. One pass per document over its sorted rows, a document at a time.
"""

from __future__ import annotations

from typing import Any

from dprk_records.validate.context import Numbered, PackageContext
from dprk_records.validate.report import Finding

CHECK = "corrections"
BOILERPLATE = "boilerplate"


def _undo(text: str, fixes: list[dict[str, Any]], start: int) -> str | None:
    """Paragraph text with its corrections undone, or None when a corrected piece is not where
    the corrections say. ``start`` is the paragraph's verbatim start."""
    pieces, pos_text, pos_verbatim = [], 0, start
    for fix in fixes:
        gap = fix["start"] - pos_verbatim
        corrected = str(fix.get("corrected") or "")
        pieces.append(text[pos_text : pos_text + gap])
        pos_text += gap
        if text[pos_text : pos_text + len(corrected)] != corrected:
            return None
        pieces.append(str(fix.get("original") or ""))
        pos_text += len(corrected)
        pos_verbatim = fix["end"]
    pieces.append(text[pos_text:])
    return "".join(pieces)


def _check_paragraph(
    number: int,
    paragraph: dict[str, Any],
    verbatim: str,
    fixes: list[dict[str, Any]],
    has_boilerplate_fix: bool,
) -> list[Finding]:
    start, end, text = paragraph["start"], paragraph["end"], str(paragraph.get("text") or "")
    label = f"{paragraph.get('document_id')} paragraph {paragraph.get('paragraph_no')}"
    where = {"table": "paragraphs", "row": number}
    findings = []
    applied, pos = [], start
    for fix in fixes:
        applied.append(verbatim[pos : fix["start"]])
        applied.append(str(fix.get("corrected") or ""))
        pos = fix["end"]
    applied.append(verbatim[pos:end])
    if "".join(applied) != text:
        message = f"{label}: its {len(fixes)} correction(s) applied to [{start}:{end}] give "
        findings.append(
            Finding(CHECK, "apply-mismatch", message + "another text", field="text", **where)
        )
    if _undo(text, fixes, start) != verbatim[start:end]:
        message = f"{label}: undoing its corrections does not give back the verbatim text"
        findings.append(Finding(CHECK, "undo-mismatch", message, field="text", **where))
    if bool(paragraph.get("is_boilerplate")) != has_boilerplate_fix:
        message = (
            f"{label}: is_boilerplate is {paragraph.get('is_boilerplate')} but it has "
            f"{'a' if has_boilerplate_fix else 'no'} boilerplate correction"
        )
        findings.append(
            Finding(CHECK, "boilerplate-flag", message, field="is_boilerplate", **where)
        )
    return findings


def _check_originals(
    document_id: str, verbatim: str, fixes: list[tuple[int, dict[str, Any]]]
) -> list[Finding]:
    findings = []
    last_end = -1
    for number, fix in fixes:
        start, end = fix["start"], fix["end"]
        where = {"table": "corrections", "row": number}
        reads, original = verbatim[start:end], str(fix.get("original") or "")
        if reads != original:
            message = f"{document_id}[{start}:{end}] reads {reads[:60]!r}, not {original[:60]!r}"
            findings.append(Finding(CHECK, "original-mismatch", message, field="original", **where))
        if fix.get("correction_kind") == BOILERPLATE:
            continue
        if start < last_end:
            message = f"{document_id}[{start}:{end}] overlaps the correction before it"
            findings.append(Finding(CHECK, "overlap", message, field="start", **where))
        last_end = max(last_end, end)
    return findings


def _check_document(
    document_id: str,
    verbatim: str,
    fixes: list[tuple[int, dict[str, Any]]],
    paragraphs: list[tuple[int, dict[str, Any]]],
) -> list[Finding]:
    findings = _check_originals(document_id, verbatim, fixes)
    inline = [row for _, row in fixes if row.get("correction_kind") != BOILERPLATE]
    boilerplate = {
        (r["start"], r["end"]) for _, r in fixes if r.get("correction_kind") == BOILERPLATE
    }
    spans = set()
    position, used = 0, 0
    for number, paragraph in sorted(paragraphs, key=lambda i: (i[1]["start"], i[1]["end"])):
        p_start, p_end = paragraph["start"], paragraph["end"]
        spans.add((p_start, p_end))
        while position < len(inline) and inline[position]["start"] < p_start:
            position += 1  # before this paragraph (or across its start): outside, reported below
        mine = []
        while position < len(inline) and inline[position]["end"] <= p_end:
            mine.append(inline[position])
            position += 1
        used += len(mine)
        has_fix = (p_start, p_end) in boilerplate
        findings.extend(_check_paragraph(number, paragraph, verbatim, mine, has_fix))
    stray = len(inline) - used + len(boilerplate - spans)
    if stray:
        message = f"{document_id}: {stray} correction(s) lie outside or across paragraphs"
        findings.append(Finding(CHECK, "outside-paragraphs", message, table="corrections"))
    return findings


def _with_spans(rows: Numbered) -> Numbered:
    """A document's rows with integer spans, sorted by (start, end, row number)."""
    kept = [
        (number, row)
        for number, row in rows
        if isinstance(row.get("start"), int) and isinstance(row.get("end"), int)
    ]
    return sorted(kept, key=lambda item: (item[1]["start"], item[1]["end"], item[0]))


def check_corrections(ctx: PackageContext) -> list[Finding]:
    """Corrections undo to the verbatim text and apply to exactly each paragraph's text, one
    document at a time."""
    findings = []
    for document_id, (fixes, paragraphs) in ctx.by_document(["corrections", "paragraphs"]):
        fixes, paragraphs = _with_spans(fixes), _with_spans(paragraphs)
        if not fixes and not paragraphs:
            continue
        verbatim = ctx.verbatim(document_id)
        if verbatim is None:
            continue  # the spans and sources checks report a missing text
        findings.extend(_check_document(document_id, verbatim, fixes, paragraphs))
    return findings
