"""The `titles` check: a title belongs to the person it is stored for.

A span check proves that the words of ``positions.title`` are in the text; it cannot see whose
they are. Two rules that hold for every title shape of the catalogue (after, before and around a
name, plural shared, relative clause) catch a title that swallowed the next person, or that was
moved to someone else:

- `title-holds-name`  the title's span contains a mention of another person (a title ends where
                      the next name begins: "Vice-Premier Kim X" is never a title of the person
                      before him);
- `title-not-own`     the title is not the person's: it follows another person's name (a title
                      after a name is that name's: the appositive, the relative clause, "A was
                      elected X"; a run "A, B and C, members of ..." shares it), and it is not
                      right before the person's name past only other names of the same run
                      ("Vice-Premiers A, B and C": the title before A is C's too).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from typing import Any

from dprk_records.pipeline.extract.text import sentence_bounds
from dprk_records.pipeline.extract.titles import is_plural
from dprk_records.validate.context import Numbered, PackageContext
from dprk_records.validate.report import Finding

CHECK = "titles"

_NAMES_ONLY = re.compile(r"^(?:[\s,;]|and\b|[A-Z][\w'’-]*)*$")
_APPOSITION = re.compile(r"^[\s,]*$")


def _sentence_of(bounds: list[tuple[int, int]], starts: list[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _owns(
    person: Any,
    in_sentence: list[tuple[int, int, Any]],
    text: str,
    start: int,
    end: int,
    shared: bool,
) -> bool:
    """Whether the title at text[start:end] is ``person``'s, given the mentions of its sentence.

    The title is the person's when it comes right before the person's name (past only other
    names of the same run), when it is a plural before a run shared by every later name, or when
    the person is the nearest one named before it -- or in the run of names ending there ("A, B
    and C, members of ..."): a title after a name is that name's, never an earlier person's.
    Only a plural the clause gives its subjects ("A, TITLE, and B, TITLE, were elected
    secretaries") is shared by everyone named before it.
    """
    ours = [m for m in in_sentence if m[2] == person]
    if not ours:
        return False
    if any(m[0] < end and m[1] > start for m in ours):
        return True
    if any(m[0] >= end and (shared or _NAMES_ONLY.match(text[end : m[0]])) for m in ours):
        return True
    before = sorted(m for m in in_sentence if m[1] <= start)
    if shared and before and not _APPOSITION.match(text[before[-1][1] : start]):
        # a plural the clause gives its subjects ("A, TITLE, and B, TITLE, were elected
        # secretaries"): every person named before it shares it
        return any(m[1] <= start for m in ours)
    for index in range(len(before) - 1, -1, -1):
        if before[index][2] == person:
            return True
        if index and not _NAMES_ONLY.match(text[before[index - 1][1] : before[index][0]]):
            return False
    return False


def _sentences(
    text: str, blocks: list[tuple[int, int]] | None, mentions: list[tuple[int, int, Any]]
) -> tuple[list[tuple[int, int]], list[int], dict[int, list[tuple[int, int, Any]]]]:
    """A document's sentence bounds, their starts, and its mentions by sentence (in order)."""
    bounds = sentence_bounds(text, blocks)
    starts = [b[0] for b in bounds]
    by_sentence: dict[int, list[tuple[int, int, Any]]] = defaultdict(list)
    for mention in mentions:
        by_sentence[_sentence_of(bounds, starts, mention[0])].append(mention)
    return bounds, starts, by_sentence


def check_titles(ctx: PackageContext) -> list[Finding]:
    """Every ``positions`` row against the person mentions of its sentence: a title holding
    another person's name (title-holds-name), or not the stored person's own (title-not-own).
    Sentences are cut inside the normalized paragraphs, so a hard wrap ends none. One document
    at a time: its positions, mentions and paragraphs, never the whole tables."""
    tables = ["positions", "person_names", "paragraphs"]
    for name in tables:
        ctx.survey(name)  # a table missing from the descriptor: the check crashes, naming it
    findings = []
    wanted = ["start", "end", "person_id", "title"]
    for document, (positions, names, paragraphs) in ctx.by_document(tables, wanted):
        if positions:
            findings += _document_findings(ctx, document, positions, names, paragraphs)
    return sorted(findings, key=lambda finding: finding.row or 0)  # in the rows' order


def _document_findings(
    ctx: PackageContext,
    document: str,
    positions: Numbered,
    names: Numbered,
    paragraphs: Numbered,
) -> list[Finding]:
    """The titles check on the rows of one document."""
    mentions = [
        (row["start"], row["end"], row.get("person_id"))
        for _, row in names
        if isinstance(row.get("start"), int) and isinstance(row.get("end"), int)
    ]
    # the normalized paragraphs' verbatim spans: a hard wrap inside one is no sentence end
    blocks = [
        (row["start"], row["end"])
        for _, row in paragraphs
        if isinstance(row.get("start"), int) and isinstance(row.get("end"), int)
    ]
    read, text = False, None
    bounds: list[tuple[int, int]] = []
    starts: list[int] = []
    by_sentence: dict[int, list[tuple[int, int, Any]]] = {}
    findings = []
    for number, row in positions:
        start, end, person = row.get("start"), row.get("end"), row.get("person_id")
        if not isinstance(start, int) or not isinstance(end, int):
            continue  # a type error: the rows check reports it
        where = {"table": "positions", "row": number}
        inside = [m for m in mentions if m[2] != person and start <= m[0] and m[1] <= end]
        if inside:
            findings.append(
                Finding(
                    CHECK,
                    "title-holds-name",
                    f"the title {row.get('title')!r} of {person!r} at {document}[{start}:{end}] "
                    f"holds a mention of {inside[0][2]!r}: a title ends where the next name begins",
                    field="title",
                    **where,
                )
            )
            continue
        if not read:  # the text and its sentences, once a row of the document needs them
            read, text = True, ctx.verbatim(document)
            if text is not None:
                bounds, starts, by_sentence = _sentences(text, sorted(blocks) or None, mentions)
        if text is None:
            continue  # a missing source: the sources check reports it
        here = _sentence_of(bounds, starts, start)
        # a plural post before a run ("deputies A, TITLE, B, TITLE") is every later name's
        shared = is_plural(text[start:end]) and not is_plural(str(row.get("title")))
        in_sentence = by_sentence.get(here, [])
        if not _owns(person, in_sentence, text, start, end, shared):
            findings.append(
                Finding(
                    CHECK,
                    "title-not-own",
                    f"the title {row.get('title')!r} at {document}[{start}:{end}] is stored for "
                    f"{person!r}, who is not named in its sentence before it or right after it",
                    field="person_id",
                    **where,
                )
            )
    return findings
