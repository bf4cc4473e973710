"""Shared state of one document's extraction: the facts so far, and how rules record them.

The rule families (person_rules.py: listings, titles, predicates; event_rules.py: which events a
document reports) add to one FactCollector, so a title found by any rule lands on the same
person and a unit named anywhere is known to every later rule ("the factory" refers back).
"""

from __future__ import annotations

import re

from dprk_records.pipeline.extract.facts import (
    DocumentFacts,
    EventFact,
    PartFact,
    PersonMention,
    TitleFact,
    UnitFact,
)
from dprk_records.pipeline.extract.organizations import Unit, units_of_title
from dprk_records.pipeline.extract.person_names import NameMatch
from dprk_records.pipeline.extract.text import Sentence, Span, split_sentences
from dprk_records.pipeline.extract.titles import make_singular, position_role
from dprk_records.pipeline.lexicon import EVENT_ROLE_TITLE
from dprk_records.pipeline.prepare import Document

_EVENT_ROLE = re.compile(EVENT_ROLE_TITLE, re.IGNORECASE)


def document_sentences(document: Document) -> list[Sentence]:
    """Headline lines, then body sentences (the dateline itself left out)."""
    sentences: list[Sentence] = []
    content = document.normalized.content  # (a property that makes its tuple anew: once)
    for paragraph in content:
        offset = 0
        is_headline = False
        if document.dateline_paragraph is not None:
            if paragraph.paragraph_no < document.dateline_paragraph:
                is_headline = True
            elif paragraph.paragraph_no == document.dateline_paragraph and document.dateline:
                offset = document.dateline.end
        elif paragraph.paragraph_no == content[0].paragraph_no:
            is_headline = len(paragraph.text) < 250 and not paragraph.text.endswith(".")
        sentences.extend(split_sentences(paragraph, offset, is_headline))
    return sentences


def lead_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """The lead: the first body sentence (never a headline), where KCNA says which event the
    document reports; framing verbs ("inspected", "sent") give an event or a part only there."""
    body = [s for s in sentences if not s.is_headline]
    return body[:1]


class FactCollector:
    """Collects the facts of one document; one instance per document."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.facts = DocumentFacts(document.document_id)
        self.sentences = document_sentences(document)
        self.last_named_unit: dict[str, str] = {}
        self.mention_spans: set[Span] = (
            set()
        )  # spans of self.facts.persons, for a constant-time check
        # the foreign names among self.facts.persons[:foreign_read] (see known_foreign_names)
        self.foreign_known: frozenset[str] = frozenset()
        self.foreign_read = 0
        # a first stretch of self.facts.persons passed over (see _Extractor._mentions_since)
        self.passed = 0
        self.passed_reach = 0  # the furthest end of the mentions passed over

    # -- helpers ---------------------------------------------------------------------------
    def person(self, sentence: Sentence, name: NameMatch, method: str) -> PersonMention:
        """Record a mention of ``name`` (once per span, however many rules find it) and return it,
        so the rule can go on to give that person a title or a part."""
        span = sentence.span(name.start, name.end)
        mention = PersonMention(span, self.document.text[span.start : span.end], name.name, method)
        if span not in self.mention_spans:
            self.mention_spans.add(span)
            self.facts.persons.append(mention)
        return mention

    def title(
        self, sentence: Sentence, person: str, start: int, end: int, plural_ok: bool, method: str
    ) -> None:
        """Record the title at [start, end) of the sentence and the units it names; a role in this
        event ("chairman of the funeral committee") is a part, not a post, and is left out.
        ``plural_ok``: the post may be plural, a run of names sharing it; it is made singular."""
        raw = sentence.text[start:end]
        if _EVENT_ROLE.search(raw):
            return  # a part in this event ("chairman of the funeral committee"), not a post
        title = make_singular(raw) if plural_ok else raw
        title = re.sub(r"[`’]", "'", title)
        units = units_of_title(raw)
        unit_name = self.units(sentence, units, start, "title-unit-chain")
        self.facts.titles.append(
            TitleFact(
                person, sentence.span(start, end), title, position_role(title), unit_name, method
            )
        )

    def title_as_written(self, person: str, span: Span, title: str, method: str) -> None:
        """A title taken as it stands (before or around a name), with no unit chain."""
        self.facts.titles.append(TitleFact(person, span, title, position_role(title), None, method))

    def units(self, sentence: Sentence, chain: list[Unit], offset: int, method: str) -> str | None:
        """Record a chain of units (innermost first); returns the innermost unit's name."""
        names: list[str | None] = []
        for unit in chain:
            if unit.org_kind == "anaphor":
                names.append(self.last_named_unit.get(unit.name.lower().removeprefix("the ")))
            else:
                names.append(unit.name)
        for index, unit in enumerate(chain):
            if unit.org_kind == "anaphor":
                continue
            parent = names[index + 1] if index + 1 < len(names) else None
            span = sentence.span(offset + unit.start, offset + unit.end)
            self.facts.units.append(
                UnitFact(unit.name, unit.org_kind, span, parent, unit.place, method)
            )
            if unit.name[:1].isupper():
                head = unit.name.split()[-1].lower()
                self.last_named_unit[head] = unit.name
        return names[0] if names else None

    def reported_event(
        self,
        span: Span,
        name: str,
        kind: str,
        date_text: str | None,
        place: str | None,
        method: str,
        parent: str = "",
    ) -> None:
        """Record an unnumbered event the document reports (a framed visit, a meeting named by
        its occasion, a decree, a sitting of ``parent``)."""
        self.facts.events.append(
            EventFact(span, name, None, None, kind, True, date_text, place, method, parent)
        )

    def part(
        self, person: PersonMention, role: str, listing: int | None, order: int | None, method: str
    ) -> None:
        """Record the person's ``role`` in the document's principal reported event; ``listing`` and
        ``order`` place them in the listing that named them (None for a part no list gives)."""
        self.facts.parts.append(PartFact(person.name, person.span, role, listing, order, method))

    # -- listings ---------------------------------------------------------------------------
