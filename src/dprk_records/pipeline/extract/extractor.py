"""Extract stage for one document: persons, titles, units, events, parts, speeches, quotes, figures.

The rules read KCNA's forms, never particular names:
- listing sentences ("Taking the platform were A, TITLE, B and C, TITLES, ..."), where a plural
  title goes to every name since the previous title and the order is counted through all tiers;
- appositive titles after a name ("X, director of ..., made a report"), titles before a name
  ("Premier X", "Vice-premiers A and B", "Marshal X of the Korean People's Army");
- predicates that give a part in the event ("presided over", "made a report", "was present");
- the lead sentence that says which event the document reports (a numbered event that "was
  opened", "A meeting of ... was held", "X inspected the Y", "X sent a letter to Y").
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from dprk_records.pipeline.extract.base import lead_sentences
from dprk_records.pipeline.extract.event_rules import EventRules
from dprk_records.pipeline.extract.facts import DocumentFacts, FigureFact, PersonMention, QuoteFact
from dprk_records.pipeline.extract.organizations import named_orgs
from dprk_records.pipeline.extract.person_names import (
    NameMatch,
    find_foreign_names,
    find_names,
    foreign_name_candidates,
    may_name_someone,
)
from dprk_records.pipeline.extract.person_rules import PeopleRules
from dprk_records.pipeline.extract.quantities import find_figures, find_quotes
from dprk_records.pipeline.extract.status import with_statuses
from dprk_records.pipeline.extract.text import Sentence, Span, iter_segments
from dprk_records.pipeline.extract.titles import is_title
from dprk_records.pipeline.lexicon import HONOUR_NAME_OF
from dprk_records.pipeline.prepare import Document

_HONOUR = re.compile(HONOUR_NAME_OF)
_INDEFINITE = re.compile(r"^an? (?=[a-z])")


def _honour_before(text: str, at: int) -> bool:
    """Whether an honour's name runs up to ``at`` ("the Order of Kim Il Sung"): the name there is
    the honour's, no person's. Every such phrase says " of ", so a stretch without one is not
    scanned."""
    start = max(0, at - 200)
    return text.find(" of ", start, at) >= 0 and _HONOUR.search(text, start, at) is not None


@lru_cache(maxsize=1 << 12)
def _mention_of(known: str) -> re.Pattern[str]:
    """A known name as a whole word (compiled once per name, not once per sentence)."""
    return re.compile(rf"(?<![\w-]){re.escape(known)}(?![\w-])")


def overlaps_another(spans: Sequence[Span], own: Sequence[Span]) -> list[bool]:
    """For each span of ``own``, whether one of ``spans`` other than an equal one overlaps it.

    The spans are sorted by start once; for each of ``own`` only those that start before it
    ends are candidates, and of them the walk back stops as soon as none further back can
    reach it (a running maximum of their ends says so), so a sentence listing hundreds of
    names costs about linear time, not a test of every pair."""
    ordered = sorted(spans, key=attrgetter("start"))
    starts = [s.start for s in ordered]
    reach = list(itertools.accumulate((s.end for s in ordered), max))
    found = []
    for span in own:
        at = bisect.bisect_left(starts, span.end) - 1
        while at >= 0 and reach[at] > span.start:
            other = ordered[at]
            if span.start < other.end and other != span:
                found.append(True)
                break
            at -= 1
        else:
            found.append(False)
    return found


@dataclass
class SentenceState:
    """What the passes over one sentence hand on to the passes after them, explicitly: whether
    it can name anyone at all, the regions the listings took and the names found outside them."""

    sentence: Sentence
    is_lead: bool
    may_name: bool
    regions: list[tuple[int, int]] = field(default_factory=list)
    names: list[NameMatch] = field(default_factory=list)


SentencePass = Callable[["_Extractor", SentenceState], None]


class _Extractor(PeopleRules, EventRules):
    """All rule families over one document, in reading order."""

    def run(self) -> DocumentFacts:
        lead = set(id(s) for s in lead_sentences(self.sentences))
        if self.document.kind == "speech":
            self.speech_document()
        for sentence in self.sentences:
            state = SentenceState(sentence, id(sentence) in lead, may_name_someone(sentence.text))
            for sentence_pass in SENTENCE_PASSES:
                sentence_pass(self, state)
        for document_pass in DOCUMENT_PASSES:
            document_pass(self)
        return self.facts

    # -- the passes over one sentence, in the order SENTENCE_PASSES lists them ---------------
    def units_pass(self, state: SentenceState) -> None:
        if not state.sentence.is_headline:
            for chain in named_orgs(state.sentence.text):
                self.units(state.sentence, chain, 0, "named-org")

    def listings_pass(self, state: SentenceState) -> None:
        if not state.sentence.is_headline:
            state.regions = self.listings(state.sentence, state.may_name)

    def names_pass(self, state: SentenceState) -> None:
        if not state.may_name:
            return  # (no name of any kind, so none framed before either: state.names stays [])
        sentence = state.sentence
        names = [
            n
            for n in find_names(sentence.text, headline=sentence.is_headline)
            if not _honour_before(sentence.text, n.start)
        ]
        names = self.with_foreign_names(sentence, names, state.regions)
        state.names = self.not_inside_listed(sentence, names)
        method = "headline-name" if sentence.is_headline else "name-pattern"
        for name in state.names:
            in_listing = any(s <= name.start < e for s, e in state.regions)
            mention = self.person(sentence, name, method)
            if sentence.is_headline or in_listing:
                continue  # headlines carry no titles; listings parsed their own
            self.title_before(sentence, name)
            after = self.appositive(sentence, name)
            self.predicate(sentence, mention, name, after, state.is_lead)

    def changes_pass(self, state: SentenceState) -> None:
        self.personnel_changes(state.sentence, state.names)

    def events_pass(self, state: SentenceState) -> None:
        self.events_in(state.sentence, state.is_lead, state.names)
        if state.is_lead:
            self.lead_events(state.sentence, state.names)

    def quotes_pass(self, state: SentenceState) -> None:
        if not state.sentence.is_headline:
            self.quotes_and_figures(state.sentence)

    def title_statuses(self) -> None:
        """Each title's status: a post held on the document's date, or a title only referred to
        (a past post, a dead leader's remembered title)."""
        starts = sorted(s.verbatim_start for s in self.sentences)
        self.facts.titles = with_statuses(self.facts, self.document.text, starts)

    def not_inside_listed(self, sentence: Sentence, names: list[NameMatch]) -> list[NameMatch]:
        """Names that are not a piece of a longer name a listing already took ("Hyon Mo" in
        "Ra Hyon Mo")."""
        if not names:
            return []
        own = [sentence.span(name.start, name.end) for name in names]
        # only the mentions that reach into the names' stretch can overlap one of them
        low, high = min(s.start for s in own), max(s.end for s in own)
        spans = [
            p.span for p in self._mentions_since(low) if p.span.start < high and low < p.span.end
        ]
        return [
            name
            for name, inside in zip(names, overlaps_another(spans, own), strict=True)
            if not inside
        ]

    def _mentions_since(self, low: int) -> list[PersonMention]:
        """The person mentions found so far, less a first stretch of them that all end at or
        before ``low`` (none of those can reach a sentence from ``low`` on). Mentions are only
        ever appended, sentence by sentence, so the stretch grows and each mention is passed
        over once: a document with thousands of names costs linear time here."""
        persons = self.facts.persons
        if self.passed_reach > low:  # (a sentence before the ones passed over: read them all)
            return persons
        while self.passed < len(persons) and persons[self.passed].span.end <= low:
            self.passed_reach = max(self.passed_reach, persons[self.passed].span.end)
            self.passed += 1
        return persons[self.passed :]

    def with_foreign_names(
        self, sentence: Sentence, names: list[NameMatch], regions: list[tuple[int, int]]
    ) -> list[NameMatch]:
        """Korean names plus foreign ones framed by a post before them or a title after them."""
        foreign = find_foreign_names(sentence.text)
        for known in self.known_foreign_names():  # mentioned again, with no frame
            if known not in sentence.text:  # a mention contains the name: most sentences have none
                continue
            for match in _mention_of(known).finditer(sentence.text):
                foreign.append(NameMatch(match.start(), match.end(), known))
        for candidate in foreign_name_candidates(sentence.text):
            # the first comma segment after the name (the rest are not read)
            after = next(
                iter_segments(sentence.text, sentence.text.index(",", candidate.end) + 1), None
            )
            if (
                after is not None
                and is_title(_INDEFINITE.sub("", after.text))  # "a writer of Peru"
                and not after.had_and
                and not find_names(after.text)
                and not any(s <= candidate.start < e for s, e in regions)
            ):
                foreign.append(candidate)
        if not foreign:  # (most sentences: the names, in order, as they came)
            return sorted(names, key=lambda n: n.start)
        extra = [f for f in foreign if not any(n.start < f.end and f.start < n.end for n in names)]
        unique = {(n.start, n.end): n for n in names + extra}
        return sorted(unique.values(), key=lambda n: n.start)

    def quotes_and_figures(self, sentence: Sentence) -> None:
        for quote in find_quotes(sentence.text):
            speaker = None
            if quote.quote_kind == "report_title":
                speaker = next(
                    (s.speaker for s in self.facts.speeches if s.title == quote.text), None
                )
            self.facts.quotes.append(
                QuoteFact(
                    sentence.span(quote.start, quote.end),
                    quote.text,
                    quote.quote_kind,
                    speaker,
                    f"quote-{quote.quote_kind}",
                )
            )
        for figure in find_figures(sentence.text):
            self.facts.figures.append(
                FigureFact(
                    sentence.span(figure.start, figure.end),
                    figure.value,
                    figure.unit,
                    figure.measure,
                    figure.qualifier,
                    f"figure-{figure.rule}",
                )
            )


SENTENCE_PASSES: tuple[SentencePass, ...] = (
    _Extractor.units_pass,  # named units, so that "the factory" later refers back
    _Extractor.listings_pass,  # list frames and the name-list parser; committees; award lists
    _Extractor.names_pass,  # every other name: titles before and after it, its predicate
    _Extractor.changes_pass,  # elected, appointed, relieved, promoted, awarded: who and to what
    _Extractor.events_pass,  # named events; the lead's unnamed or framed event
    _Extractor.quotes_pass,  # quotations and figures
)
"""The rules over each sentence, in order; each reads the sentence, the facts so far and what
the passes before it put in :class:`SentenceState`."""

DOCUMENT_PASSES: tuple[Callable[[_Extractor], None], ...] = (
    _Extractor.decision_event,  # changes, no event in the lead: the decree a sentence dates
    _Extractor.headline_event,  # a listing with no event named: the headline's event
    _Extractor.mark_reported,  # bare names completed, mentions of reported events, principal
    _Extractor.lone_changes_unordered,  # a change list of one person has no order
    _Extractor.changes_to_their_events,  # a report of two decrees: each change to its own
    _Extractor.title_statuses,  # held, or only referred to: "former", "tribute to TITLE NAME"
)
"""The rules over the whole document, after every sentence."""


def extract(document: Document) -> DocumentFacts:
    """All facts of one document."""
    return _Extractor(document).run()


def extract_all(documents: Iterable[Document]) -> list[DocumentFacts]:
    """The facts of each document, in input order. Each document is extracted on its own, so
    its facts never depend on the others: documents meet only in resolve."""
    return [extract(document) for document in documents]
