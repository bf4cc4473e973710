"""Whether a title is a post its person holds on the document's date (positions.status).

A title found by the title rules is ``held`` unless the words of the title or those around the
title and its name say otherwise. The rules are named records read in order; the first that fits
gives the status:
- posthumous: the title's own words ("eternal President", "Generalissimo", "the late"), or a
  phrase of remembrance right before the title and name ("paid tribute to TITLE NAME", "the
  behests of TITLE NAME", "the birth anniversary of ..."), read through one "TITLE NAME and"
  before it ("tribute to TITLE NAME and TITLE NAME");
- referential: a past post ("former director", "the then premier", "X, who was premier, ...").
No rule names a person: a leader's titles are posthumous by how the text speaks of them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from dprk_records.pipeline.extract.facts import DocumentFacts, PersonMention, TitleFact
from dprk_records.pipeline.lexicon import (
    PAST_CLAUSE,
    PAST_TITLE_OPENING,
    PAST_TITLE_WORDS,
    POSTHUMOUS_TITLE_WORDS,
    REMEMBRANCE_FRAME,
)

HELD, REFERENTIAL, POSTHUMOUS = "held", "referential", "posthumous"
STATUSES = (HELD, REFERENTIAL, POSTHUMOUS)


@dataclass(frozen=True)
class StatusRule:
    """A title's status from its words: ``title`` is searched in the title as written,
    ``before`` must match the words that end where the title-and-name phrase begins,
    ``between`` is searched in the words between the name and a title after it."""

    name: str
    status: str
    title: str = ""
    before: str = ""
    between: str = ""


STATUS_RULES: tuple[StatusRule, ...] = (
    StatusRule("posthumous-title-word", POSTHUMOUS, title=POSTHUMOUS_TITLE_WORDS),
    StatusRule("posthumous-remembrance-frame", POSTHUMOUS, before=REMEMBRANCE_FRAME),
    StatusRule("referential-past-word", REFERENTIAL, title=PAST_TITLE_OPENING),
    StatusRule("referential-past-word-before", REFERENTIAL, before=PAST_TITLE_WORDS),
    StatusRule("referential-past-clause", REFERENTIAL, between=PAST_CLAUSE),
)
_COMPILED = [
    (
        rule,
        re.compile(rule.title) if rule.title else None,
        re.compile(rule.before) if rule.before else None,
        re.compile(rule.between) if rule.between else None,
    )
    for rule in STATUS_RULES
]
_LOOK_BACK = 160  # how far before the phrase the frame words are read
_NEAR = 200  # how far from its title a person's mention may be


@dataclass(frozen=True)
class TitleContext:
    """The words a status rule reads, in verbatim coordinates of one sentence."""

    title: str
    before: str  # the sentence's words before the title-and-name phrase
    between: str  # the words between the name and a title after it ("" for a title before it)


def status_of(context: TitleContext) -> tuple[str, str | None]:
    """(status, name of the rule that gave it); ("held", None) when no rule fits."""
    for rule, title, before, between in _COMPILED:
        if title is not None and not title.search(context.title):
            continue
        if before is not None and not before.search(context.before):
            continue
        if between is not None and not between.search(context.between):
            continue
        return rule.status, rule.name
    return HELD, None


def _mention(fact: TitleFact, own: list[PersonMention]) -> PersonMention | None:
    """The person's mention the title belongs to: the nearest one before it (a title after the
    name), else the one right after it (a title before the name); ``own`` are the person's
    mentions, in document order."""
    before = [
        m for m in own if m.span.end <= fact.span.start and fact.span.start - m.span.end <= _NEAR
    ]
    if before:
        return max(before, key=lambda m: m.span.end)
    after = [
        m for m in own if m.span.start >= fact.span.end and m.span.start - fact.span.end <= _NEAR
    ]
    return min(after, key=lambda m: m.span.start) if after else None


def title_context(
    text: str, fact: TitleFact, mention: PersonMention | None, sentence_start: int
) -> TitleContext:
    """The words around one title in the verbatim ``text``, not reaching back past the start
    of its sentence."""
    phrase_start = fact.span.start
    between = ""
    if mention is not None:
        phrase_start = min(phrase_start, mention.span.start)
        if mention.span.end <= fact.span.start:
            between = text[mention.span.end : fact.span.start]
    floor = max(sentence_start, phrase_start - _LOOK_BACK)
    before = " ".join(text[floor:phrase_start].split()) + " " if phrase_start > floor else ""
    return TitleContext(" ".join(text[fact.span.start : fact.span.end].split()), before, between)


def with_statuses(facts: DocumentFacts, text: str, sentence_starts: list[int]) -> list[TitleFact]:
    """Every title of the document with its status set (sentence_starts: verbatim offsets of
    the sentences' starts, ascending)."""
    titles = []
    # each person's mentions in order, found once (not once per title)
    mentions: dict[str, list[PersonMention]] = {}
    for person in facts.persons:
        mentions.setdefault(person.name, []).append(person)
    for fact in facts.titles:
        # the last sentence start at or before the title (the starts are ascending)
        index = bisect_right(sentence_starts, fact.span.start)
        sentence_start = sentence_starts[index - 1] if index else 0
        mention = _mention(fact, mentions.get(fact.person, []))
        status, _ = status_of(title_context(text, fact, mention, sentence_start))
        titles.append(replace(fact, status=status))
    return titles
