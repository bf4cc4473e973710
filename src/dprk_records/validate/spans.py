"""The `spans` check: every span lies inside its document and says what its row claims.

A table opts in with the custom Table Schema property ``spanClaim``::

    "spanClaim": {"field": "person_id", "compare": "words", "lookup": "persons.name"}

The claimed value is the row's ``field``, or, with ``lookup``, the named field of the row that
``field`` points at (by the looked-up table's primary key). A span that says several things
(a personnel change: the person and the post) lists one claim for each, and each must hold. How the span text is compared with it
is ``compare`` (see :mod:`dprk_records.pipeline.claims`). Each row costs a slice of its document
and the corrections inside the span (found by bisection), so the check is linear in rows. The
rows are streamed (a table's rows come in document order, so the text a row needs is one of the
last few read); what is kept is a number a document, the corrections and the looked-up names.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from dprk_records.pipeline.claims import COMPARE_KINDS, Correction, apply_corrections, claim_holds
from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import Finding

CHECK = "spans"
BOILERPLATE = "boilerplate"
_SHOWN = 120


@dataclass(frozen=True)
class CorrectionIndex:
    """The non-boilerplate corrections of one document, sorted by start."""

    starts: list[int]
    corrections: list[Correction]

    def inside(self, start: int, end: int) -> list[Correction]:
        """The corrections lying wholly inside [start, end)."""
        found = []
        for index in range(bisect.bisect_left(self.starts, start), len(self.starts)):
            fix = self.corrections[index]
            if fix.start >= end:
                break
            if fix.end <= end:
                found.append(fix)
        return found


def correction_index(ctx: PackageContext) -> dict[str, CorrectionIndex]:
    """Per document, the corrections a span's text is read with (boilerplate ones excepted)."""
    by_document: dict[str, list[Correction]] = {}
    wanted = ["document_id", "start", "end", "corrected", "correction_kind"]
    for row in ctx.iter_rows("corrections", wanted):
        start, end = row.get("start"), row.get("end")
        if row.get("correction_kind") == BOILERPLATE:
            continue
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        fix = Correction(start, end, str(row.get("corrected") or ""))
        by_document.setdefault(str(row.get("document_id")), []).append(fix)
    index = {}
    for document_id, fixes in by_document.items():
        fixes.sort(key=lambda c: (c.start, c.end))
        index[document_id] = CorrectionIndex([c.start for c in fixes], fixes)
    return index


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "...")


def _primary_key(resource: dict[str, Any]) -> str | None:
    key = resource.get("schema", {}).get("primaryKey")
    if isinstance(key, str):
        return key
    if isinstance(key, list) and len(key) == 1:
        return str(key[0])
    return None


def lookup_values(ctx: PackageContext, spec: str) -> dict[Any, Any] | None:
    """``"persons.name"`` -> {person_id: name}; None when the table or its key is unknown."""
    table, _, field = spec.partition(".")
    resource = ctx.resource(table)
    key = _primary_key(resource) if resource is not None else None
    if key is None or not field:
        return None
    return {row.get(key): row.get(field) for row in ctx.iter_rows(table, [key, field])}


def _check_documents(ctx: PackageContext) -> tuple[list[Finding], dict[str, int]]:
    """char_count of every document against its verbatim text; returns usable lengths."""
    findings, lengths = [], {}
    documents = ctx.iter_rows("documents", ["document_id", "path", "char_count"])
    for number, row in enumerate(documents, start=1):
        document_id = str(row.get("document_id"))
        text = ctx.verbatim(document_id)
        if text is None:
            findings.append(
                Finding(
                    CHECK,
                    "no-text",
                    f"{document_id}: no readable verbatim text at {row.get('path')}",
                    table="documents",
                    row=number,
                    field="path",
                )
            )
            continue
        lengths[document_id] = len(text)
        if row.get("char_count") != len(text):
            findings.append(
                Finding(
                    CHECK,
                    "char-count",
                    f"{document_id}: the text has {len(text)} characters, the row says "
                    f"{row.get('char_count')}",
                    table="documents",
                    row=number,
                    field="char_count",
                )
            )
    return findings, lengths


def _claim_specs(resource: dict[str, Any]) -> list[tuple[str, str, str | None]] | str:
    """(field, compare, lookup) of each claim of a resource's spanClaim (one object, or a list of
    them when a span says several things: a change's person and post), or why it cannot be used."""
    claims = resource.get("schema", {}).get("spanClaim")
    if isinstance(claims, dict):
        claims = [claims]
    if not isinstance(claims, list) or not claims:
        return "spanClaim must be an object or a non-empty list of objects"
    names = {f.get("name") for f in resource.get("schema", {}).get("fields", [])}
    specs = []
    for claim in claims:
        if not isinstance(claim, dict):
            return "spanClaim must be an object or a non-empty list of objects"
        field, compare, lookup = claim.get("field"), claim.get("compare"), claim.get("lookup")
        if field not in names:
            return f"spanClaim.field {field!r} is not a field of the table"
        if compare not in COMPARE_KINDS:
            return f"spanClaim.compare {compare!r} is not one of {COMPARE_KINDS}"
        if lookup is not None and not isinstance(lookup, str):
            return "spanClaim.lookup must be 'table.field'"
        specs.append((str(field), str(compare), lookup))
    return specs


def _span_problem(start: Any, end: Any, length: int) -> tuple[str, str] | None:
    if not isinstance(start, int) or not isinstance(end, int):
        return None  # a type error: the rows check reports it
    if start < 0:
        return "span-negative", f"start {start} is negative"
    if start >= end:
        return "span-empty", f"[{start}, {end}) is empty or reversed"
    if end > length:
        return "span-past-end", f"end {end} is past the end of the document ({length} characters)"
    return None


def _check_table(
    ctx: PackageContext,
    resource: dict[str, Any],
    lengths: dict[str, int],
    corrections: dict[str, CorrectionIndex],
) -> list[Finding]:
    name = str(resource.get("name"))
    specs = _claim_specs(resource)
    if isinstance(specs, str):
        return [Finding(CHECK, "bad-span-claim", specs, table=name)]
    looked_up: list[dict[Any, Any] | None] = []
    for _, _, lookup in specs:
        values = lookup_values(ctx, lookup) if lookup else None
        if lookup and values is None:
            return [Finding(CHECK, "bad-span-claim", f"cannot look up {lookup!r}", table=name)]
        looked_up.append(values)
    findings = []
    empty = CorrectionIndex([], [])
    # the same name or title recurs in many rows: each (span, value) is judged once
    verdicts: dict[tuple[str, str, str, type, Any], bool] = {}
    wanted = ["document_id", "start", "end", *(field for field, _, _ in specs)]
    for number, row in enumerate(ctx.iter_rows(name, wanted), start=1):
        where = {"table": name, "row": number}
        document_id = str(row.get("document_id"))
        if document_id not in lengths:
            findings.append(
                Finding(
                    CHECK,
                    "unknown-document",
                    f"{document_id!r} is not a document with a verbatim text",
                    field="document_id",
                    **where,
                )
            )
            continue
        start, end = row.get("start"), row.get("end")
        problem = _span_problem(start, end, lengths[document_id])
        if problem:
            findings.append(Finding(CHECK, problem[0], problem[1], field="end", **where))
            continue
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        text = ctx.verbatim(document_id) or ""
        span = text[start:end]
        for (field, compare, lookup), values in zip(specs, looked_up, strict=True):
            value = row.get(field)
            if values is not None and value is not None:
                value = values.get(value)  # an id that points nowhere is the references check's
            if value is None:
                continue
            fixes = (
                [] if compare == "exact" else corrections.get(document_id, empty).inside(start, end)
            )
            corrected = apply_corrections(span, start, fixes) if fixes else span
            key = (compare, span, corrected, type(value), value)  # type keeps 1, 1.0, True apart
            holds = verdicts.get(key)
            if holds is None and compare == "corrected" and corrected == value:
                holds = True  # a text is itself up to spacing: most paragraphs, no folding needed
            if holds is None:
                holds = verdicts[key] = claim_holds(compare, span, corrected, value)
            if not holds:
                claimed = f"{lookup} = {value!r} via {field}" if lookup else f"{value!r}"
                findings.append(
                    Finding(
                        CHECK,
                        f"claim-{compare}",
                        f"{document_id}[{start}:{end}] reads {_shown(corrected)}, not {claimed}",
                        field=field,
                        **where,
                    )
                )
    return findings


def check_spans(ctx: PackageContext) -> list[Finding]:
    """Spans lie inside their documents and say what their rows claim (per ``spanClaim``)."""
    findings, lengths = _check_documents(ctx)
    corrections = correction_index(ctx)
    for resource in ctx.table_resources():
        if "spanClaim" in resource.get("schema", {}):
            findings.extend(_check_table(ctx, resource, lengths, corrections))
    return findings
