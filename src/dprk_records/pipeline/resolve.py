"""Resolve stage: per-document facts -> one id per person, organization, event and speech.

Ids are readable slugs derived from content: a person from the normalized name ("ri-il-hwan"),
an event from its canonical name, a named organization from its name, and a generic unit
("assembly shop") from its parent's id and its own words, so that two different assembly shops
never share an id. Collisions of different things on one slug get -2, -3, ... in sorted order of
their keys, so ids never depend on the order documents are read in.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, NamedTuple

from dprk_records.pipeline.extract.event_names import event_key
from dprk_records.pipeline.extract.facts import DocumentFacts, EventFact, SpeechFact, UnitFact
from dprk_records.pipeline.extract.person_names import is_korean_name
from dprk_records.pipeline.extract.status import HELD
from dprk_records.pipeline.extract.titles import body_of
from dprk_records.pipeline.lexicon import MONTHS, WEEKDAYS
from dprk_records.pipeline.rows import (
    EventReferenceRow,
    EventRow,
    FigureRow,
    OrganizationRow,
    ParticipationRow,
    PersonNameRow,
    PersonnelChangeRow,
    PersonRow,
    PositionRow,
    QuotationRow,
    SpeechRow,
)

_SPEECH_CLASS = {"concluding_speech": "closing_address", "closing_address": "closing_address"}


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "Ri Il Hwan" -> "ri-il-hwan". (Remembered: a
    build slugs the same names, units and document ids hundreds of thousands of times.)"""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", ""))
    return "-".join(words) or "x"


def assign_ids(keys: Sequence[str], label: dict[str, str]) -> dict[str, str]:
    """Slug each key's label; different keys with one slug get -2, -3 in sorted key order."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key in sorted(set(keys)):
        by_slug[slug(label[key])].append(key)
    ids = {}
    for base, members in by_slug.items():
        for index, key in enumerate(members, start=1):
            ids[key] = base if index == 1 else f"{base}-{index}"
    return ids


def event_date(date_text: str | None, published: dt.date | None) -> dt.date | None:
    """The day a reporting document gives ("April 6", "Tuesday"), dated by its publication."""
    if date_text is None or published is None:
        return None
    if date_text in WEEKDAYS:
        back = (published.weekday() - WEEKDAYS.index(date_text)) % 7
        return published - dt.timedelta(days=back)
    month_name, day = date_text.split()[:2]  # "October 9 to 14" starts on October 9
    month = MONTHS.index(month_name) + 1
    year = published.year - (1 if month > published.month else 0)
    try:
        return dt.date(year, month, int(day))
    except ValueError:
        return None


class UnitSeen(NamedTuple):
    """An organization a document names, as pass one takes it in: its id and its row's fields
    in that document (:func:`document_orgs`: the first mention's span, the parent and place
    any mention gives)."""

    org_id: str
    name: str
    org_kind: str
    parent_org_id: str | None
    place: str | None
    start: int
    end: int
    method: str


class EventSeen(NamedTuple):
    """An event a document names, as pass one takes it in: its event key, and the fields of
    its mention the events table reads."""

    key: str
    name: str
    start: int
    end: int
    ordinal: int | None
    series: str | None
    event_kind: str
    is_reported: bool
    date_text: str | None
    place: str | None
    method: str
    parent: str


@dataclass(frozen=True)
class Observed:
    """What pass one of resolve reads of a document's facts: the names, units and events ids are
    made of, and the participant counts of its principal event. The workers that analyse the
    documents make it (:func:`observed`) -- what can be settled from one document alone, such
    as its units' ids and its events' keys, is settled there, on every core, and kept in the
    analysis cache -- and send it to the resolver as plain tuples, quick to pickle and load; the
    facts themselves go, pickled, straight to disk for pass two."""

    document_id: str
    names: tuple[str, ...]
    units: tuple[UnitSeen, ...]  # one per name as written, in the order of first mentions
    events: tuple[EventSeen, ...]
    principal_event: str | None
    participants: tuple[float, ...]


def units_seen(doc: str, units: Sequence[UnitFact]) -> tuple[UnitSeen, ...]:
    """A document's units as pass one takes them in: one per name, in span order, with the
    organization ids of the name and its parent (none for a parent with the same id)."""
    per_doc, ids = document_orgs(doc, units)
    seen = []
    for name, unit in sorted(per_doc.items(), key=lambda kv: kv[1].span.start):
        oid = ids[name]
        parent = ids[unit.parent] if unit.parent and unit.parent in per_doc else None
        if parent == oid:
            parent = None
        seen.append(
            UnitSeen(
                oid,
                name,
                unit.org_kind,
                parent,
                unit.place,
                unit.span.start,
                unit.span.end,
                unit.method,
            )
        )
    return tuple(seen)


def events_seen(events: Sequence[EventFact]) -> tuple[EventSeen, ...]:
    """A document's events as pass one takes them in, each with its event key."""
    return tuple(
        EventSeen(
            event_key(e.name),
            e.name,
            e.span.start,
            e.span.end,
            e.ordinal,
            e.series,
            e.event_kind,
            e.is_reported,
            e.date_text,
            e.place,
            e.method,
            e.parent,
        )
        for e in events
    )


def observed(facts: DocumentFacts) -> Observed:
    """What pass one reads of ``facts``."""
    names = [m.name for m in facts.persons]
    names += [t.person for t in facts.titles]
    names += [p.person for p in facts.parts]
    names += [c.person for c in facts.changes]
    return Observed(
        facts.document_id,
        tuple(dict.fromkeys(names)),
        units_seen(facts.document_id, facts.units),
        events_seen(facts.events),
        facts.principal_event,
        tuple(g.value for g in facts.figures if g.measure == "participants"),
    )


SpeechKey = tuple[str | None, str, str]
"""What makes reports of a speech one speech: its event, its speaker and its kind of address."""
SpeechItem = tuple[SpeechKey, tuple[str, SpeechFact]]
"""A speech a document reports: its key, and the document with the speech's fact."""


@dataclass(frozen=True)
class FactRows:
    """What pass two makes of one document's facts (:meth:`Resolver.fact_rows`)."""

    rows: dict[str, list[Any]]
    speeches: list[SpeechItem]
    reads: dict[tuple[str, Any], Any]


@dataclass(frozen=True)
class DocumentEvents:
    """What pass one settles of one document alone: its publication date and the group of each
    event key it names (a numbered event's key; an unnumbered one's key with its day or the
    document). Pass two reads them for that document only, so :meth:`Resolver.observe` gives
    them back instead of keeping them: a build keeps them on disk with the document's facts
    (:class:`~dprk_records.pipeline.spill.FactSpill`), and memory does not grow with them."""

    published: dt.date | None
    groups: dict[str, str]


class ResolverReads:
    """The reads pass two makes of a resolver's ids -- a person's id by name, the event a
    document names, an event's day, a document's date -- each written down with its answer in
    :attr:`log`. A document's fact rows are a function of its facts and these answers alone, so
    rows kept from an earlier build still hold when the answers do (:meth:`Resolver.still_reads`):
    adding a document leaves the rows of every document whose names and events it does not
    touch as they were."""

    def __init__(self, resolver: Resolver, document: DocumentEvents) -> None:
        self._read = resolver.read
        self._document = document
        self.log: dict[tuple[str, Any], Any] = {}

    def _logged(self, what: str, of: Any) -> Any:
        value = self._read(what, of, self._document)
        self.log[(what, of)] = value
        return value

    def person(self, name: str) -> str:
        """The id of a name the document's facts give (every one was observed in pass one)."""
        value = self._logged("person", name)
        if value is None:
            raise ResolveOrderError(f"resolve: {name!r} was not observed in pass one")
        return str(value)

    def person_or_none(self, name: str) -> str | None:
        """The id of a name if any document names that person, else None."""
        value = self._logged("person", name)
        return None if value is None else str(value)

    def event(self, doc: str, key: str) -> str | None:
        """The id of the event ``doc`` names with event key ``key`` (None if it names none)."""
        value = self._logged("event", (doc, key))
        return None if value is None else str(value)

    def event_day(self, event_id: str) -> dt.date | None:
        """The day an event began, when the reports date it."""
        value = self._logged("day", event_id)
        return value if isinstance(value, dt.date) else None

    def published(self, doc: str) -> dt.date | None:
        """The publication date of a document."""
        value = self._logged("published", doc)
        return value if isinstance(value, dt.date) else None


def lasting_reads(
    log: Mapping[tuple[str, Any], Any], document: DocumentEvents
) -> dict[tuple[str, Any], Any]:
    """The reads of one document's ``log`` put so that their answers are the same for every
    document: the event a document names as the event of the group pass one settled for it
    (``("group", group)``), a person and a day as they are; its date and an event key it
    settled no group for are its own, not the ids', and left out. Gathered over many documents
    they say in one check (:meth:`Resolver.still_answers`) that none of those documents' rows
    changed, while what pass one settled of each stays what it was."""
    lasting: dict[tuple[str, Any], Any] = {}
    for (what, of), value in log.items():
        if what == "event":
            group = document.groups.get(of[1])
            if group is not None:
                lasting[("group", group)] = value
        elif what != "published":
            lasting[(what, of)] = value
    return lasting


class FirstMention(NamedTuple):
    """What an event's row takes from the first mention of one of its names (not the mention
    itself: a corpus keeps one of these for every name of every event until pass one ends)."""

    document_id: str
    start: int
    end: int
    event_kind: str
    ordinal: int | None
    series: str | None
    method: str


class EventMentions:
    """What the events table reads of one event's mentions, folded in as documents come (in
    document-id order) instead of kept: a large corpus holds hundreds of thousands of mentions,
    each a fact with its span, date and place. "First" is first in (document,
    offset) order, the earlier mention winning a tie, as a stable sort of all of them would
    give."""

    __slots__ = (
        "days",
        "earliest",
        "first_day",
        "label",
        "last_day",
        "parent",
        "place",
        "reported_in",
    )

    def __init__(self) -> None:
        # the label's rank (a headline's short form last, then document, offset) and name
        self.label: tuple[bool, str, int, str] | None = None
        # each name's first mention (document and offset first, so its [:2] is where it is)
        self.earliest: dict[str, FirstMention] = {}
        self.reported_in: tuple[str, int] | None = None  # the first reported mention
        self.first_day: dt.date | None = None  # of the days the reported mentions give
        self.last_day: dt.date | None = None
        self.days = 0
        self.place: tuple[str, int, str] | None = None  # the first reported one that says it
        self.parent: tuple[str, int, str] | None = None  # the first other event it is a part of

    def take(self, doc: str, e: EventSeen, day: dt.date | None, parent: str | None) -> None:
        """One mention in document ``doc``: ``day`` is the day it gives (dated by the
        document), ``parent`` the group of the event it names as its whole, if another one."""
        at = (doc, e.start)
        rank = ("headline" in e.method, doc, e.start, e.name)
        if self.label is None or rank[:3] < self.label[:3]:
            self.label = rank
        known = self.earliest.get(e.name)
        if known is None or at < known[:2]:
            self.earliest[e.name] = FirstMention(
                doc,
                e.start,
                e.end,
                sys.intern(e.event_kind),  # (a handful of values, each unpickled anew)
                e.ordinal,
                e.series,
                sys.intern(e.method),
            )
        if parent is not None and (self.parent is None or at < self.parent[:2]):
            self.parent = (*at, parent)
        if not e.is_reported:
            return
        if self.reported_in is None or at < self.reported_in:
            self.reported_in = at
        if e.place and (self.place is None or at < self.place[:2]):
            self.place = (*at, e.place)
        if day is not None:
            self.days += 1
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)

    @property
    def name(self) -> str:
        """The event's label: its earliest mention's name, a headline's only when no other."""
        if self.label is None:
            raise ResolveOrderError("resolve: an event group without a mention")
        return self.label[3]


class FirstReport(NamedTuple):
    """What a speech's row takes from the report of it that comes first."""

    document_id: str
    start: int
    end: int
    speech_kind: str
    method: str


class SpeechMentions:
    """What the speeches table reads of one speech's reports, folded in as pass two gives each
    document's speeches (in document-id order) instead of kept whole: the first report (in
    (document, offset) order, the earlier one winning a tie) that is not the speech's full
    text, else the first of all; the first document that prints it in full; the first title
    a report gives it."""

    __slots__ = ("first_any", "first_report", "full_text", "title")

    def __init__(self) -> None:
        self.first_report: FirstReport | None = None  # of the reports that are not full text
        self.first_any: FirstReport | None = None  # of all of them
        self.full_text: str | None = None
        self.title: str | None = None

    def take(self, doc: str, s: SpeechFact) -> None:
        """One report of the speech in document ``doc``."""
        report = FirstReport(
            doc, s.span.start, s.span.end, sys.intern(s.speech_kind), sys.intern(s.method)
        )
        if self.first_any is None or report[:2] < self.first_any[:2]:
            self.first_any = report
        if s.is_full_text:
            if self.full_text is None:
                self.full_text = doc
        elif self.first_report is None or report[:2] < self.first_report[:2]:
            self.first_report = report
        if s.title and self.title is None:
            self.title = s.title

    @property
    def first(self) -> FirstReport:
        """The report the row points to."""
        first = self.first_report or self.first_any
        if first is None:
            raise ResolveOrderError("resolve: a speech without a report")
        return first


class PassOneState(NamedTuple):
    """What :class:`Resolver`'s pass one keeps, as :meth:`Resolver.pass_one_state` gives it."""

    names: set[str]
    org_rows: dict[str, OrganizationRow]
    mentions: dict[str, EventMentions]
    counts: dict[str, int]
    last_document: str


class ResolveOrderError(RuntimeError):
    """A :class:`Resolver` was fed out of order: a bug in the caller, never in the data."""


class Resolver:
    """Ids and rows for the facts of a corpus, in two passes over its documents.

    A corpus of hundreds of thousands of documents does not fit in memory as facts, so resolve
    never holds them all: pass one (:meth:`observe`, each document's facts in document-id order)
    keeps only what ids are made of -- the names of persons, the units, and what each event's
    row takes from its mentions (:class:`EventMentions`) -- and gives back what concerns one
    document alone (:class:`DocumentEvents`); pass two (:meth:`document_rows`, the same facts
    again with that, from wherever the caller kept them) turns each document's facts into its
    rows with those ids.
    The rows, and so the package, are the same as when every document is resolved at once.
    """

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.org_rows: dict[str, OrganizationRow] = {}
        self.mentions: dict[str, EventMentions] = defaultdict(EventMentions)
        self.counts: dict[str, int] = {}
        self.last_document = ""
        self.person_ids: dict[str, str] | None = None
        self.event_ids: dict[str, str] = {}
        self.event_names: dict[str, str] = {}  # event id -> name, for the speeches' ids
        self.event_days: dict[str, dt.date | None] = {}
        self.speeches: dict[SpeechKey, SpeechMentions] = defaultdict(SpeechMentions)

    # pass one ------------------------------------------------------------------------------
    def observe(self, seen: Observed, published: dt.date | None) -> DocumentEvents:
        """Take in what pass one reads of one document (:func:`observed`); documents come in
        document-id order. Gives back what pass two will read of this document alone, for the
        caller to keep until it asks for the document's rows."""
        doc = seen.document_id
        if self.person_ids is not None or doc <= self.last_document:
            raise ResolveOrderError(
                f"{doc}: resolve takes each document once, in document-id order, before any "
                "rows are asked for"
            )
        self.last_document = doc
        self.names.update(seen.names)
        self._observe_units(doc, seen.units)
        return DocumentEvents(published, self._observe_events(doc, seen, published))

    def _observe_units(self, doc: str, units: Sequence[UnitSeen]) -> None:
        """A document's units become organization rows; one id across documents keeps the
        first row and fills in the parent and place later ones give."""
        for unit in units:
            known = self.org_rows.get(unit.org_id)
            if known is None:
                self.org_rows[unit.org_id] = OrganizationRow(
                    org_id=unit.org_id,
                    name=unit.name,
                    org_kind=sys.intern(unit.org_kind),  # (few values, each unpickled anew)
                    parent_org_id=unit.parent_org_id,
                    place=unit.place,
                    document_id=doc,
                    start=unit.start,
                    end=unit.end,
                    method=sys.intern(unit.method),
                )
            elif (known.parent_org_id is None and unit.parent_org_id) or (
                known.place is None and unit.place
            ):
                self.org_rows[unit.org_id] = replace(
                    known,
                    parent_org_id=known.parent_org_id or unit.parent_org_id,
                    place=known.place or unit.place,
                )

    def _observe_events(
        self, doc: str, seen: Observed, published: dt.date | None
    ) -> dict[str, str]:
        """Group key of each event the document names: a numbered event is one event wherever
        it is named ("8th Congress of the WPK"); an unnumbered one ("visit to X", "press
        statement") is one event per day it happened, or per document when no day is known.
        Also the largest participant count the document states for its principal event.
        Gives the group of each key."""
        groups: dict[str, str] = {}
        keys = [e.key for e in seen.events]
        days = [  # (read where a day is used: an unnumbered event's group, a reported event's row)
            event_date(e.date_text, published) if e.ordinal is None or e.is_reported else None
            for e in seen.events
        ]
        for e, key, day in zip(seen.events, keys, days, strict=True):
            if e.ordinal is not None:
                groups[key] = key
            elif day is not None or key not in groups:
                groups[key] = f"{key}|{day or doc}"
        for e, key, day in zip(seen.events, keys, days, strict=True):
            group = groups[key]
            parent = groups.get(e.parent) if e.parent else None
            self.mentions[group].take(
                doc, e, day if e.is_reported else None, parent if parent != group else None
            )
        if seen.principal_event is not None:
            group = groups[seen.principal_event]
            for value in seen.participants:
                self.counts[group] = max(self.counts.get(group, 0), int(value))
        return groups

    # between the passes --------------------------------------------------------------------
    def pass_one_state(self) -> PassOneState:
        """What pass one has gathered so far (before :meth:`entity_rows`), for a later build to
        go on from when it only adds documents after these (:mod:`~dprk_records.pipeline.
        journal`): observing the rest then gives what observing them all would."""
        if self.person_ids is not None:
            raise ResolveOrderError("resolve: pass one's state is taken before it ends")
        return PassOneState(
            self.names, self.org_rows, dict(self.mentions), self.counts, self.last_document
        )

    @classmethod
    def resumed(cls, state: PassOneState) -> Resolver:
        """A resolver in pass one as :meth:`pass_one_state` found one."""
        resolver = cls()
        resolver.names = set(state.names)
        resolver.org_rows = dict(state.org_rows)
        resolver.mentions = defaultdict(EventMentions, state.mentions)
        resolver.counts = dict(state.counts)
        resolver.last_document = state.last_document
        return resolver

    def entity_rows(self) -> dict[str, list[Any]]:
        """The rows of the tables of things (persons, organizations, events), once every document
        has been observed; ends pass one. The references to events are rows of the documents
        that make them (:meth:`document_rows`)."""
        if self.person_ids is not None:
            raise ResolveOrderError("resolve: the entity rows are made once, after pass one")
        tables: dict[str, list[Any]] = defaultdict(list)
        names = self.names
        self.person_ids = ids = assign_ids(sorted(names), {n: n for n in names})
        for name in sorted(names):
            if is_korean_name(name):
                family, _, given = name.partition(" ")
            else:
                given, _, family = name.rpartition(" ")
            tables["persons"].append(
                PersonRow(person_id=ids[name], name=name, family_name=family, given_name=given)
            )
        tables["organizations"].extend(self.org_rows.values())
        self._events(tables)
        # what pass two reads is in the ids now: the rows go to the caller, not kept here too
        self.names, self.org_rows = set(), {}
        return dict(tables)

    def _events(self, tables: dict[str, list[Any]]) -> None:
        mentions = self.mentions
        label = {key: folded.name for key, folded in mentions.items()}
        # An unnumbered name that stands for several events gets its day (or document) in the id.
        names_used: dict[str, int] = defaultdict(int)
        for key in mentions:
            names_used[key.split("|")[0]] += 1
        id_label = {
            key: label[key]
            if names_used[key.split("|")[0]] == 1 or "|" not in key  # a numbered one keeps it
            else f"{label[key]} {key.split('|')[1]}"
            for key in mentions
        }
        self.event_ids = ids = assign_ids(sorted(mentions), id_label)
        for key in sorted(mentions):
            folded = mentions[key]
            # the row's span is a mention that says the label (not a headline's short form)
            first = folded.earliest[label[key]]
            row = EventRow(
                event_id=ids[key],
                name=label[key],
                event_kind=first.event_kind,
                ordinal=first.ordinal,
                series=first.series,
                organizer_org_id=None,
                parent_event_id=ids[folded.parent[2]] if folded.parent else None,
                start_date=folded.first_day,
                end_date=folded.last_day if folded.days > 1 else None,
                place=folded.place[2] if folded.place else None,
                attendance=self.counts.get(key),
                described_in=folded.reported_in[0] if folded.reported_in else None,
                document_id=first.document_id,
                start=first.start,
                end=first.end,
                method=first.method,
            )
            self.event_names[row.event_id] = row.name
            self.event_days[row.event_id] = row.start_date
            tables["events"].append(row)
        self.mentions = defaultdict(EventMentions)  # pass two needs only the ids

    # pass two ------------------------------------------------------------------------------
    def document_rows(self, f: DocumentFacts, document: DocumentEvents) -> dict[str, list[Any]]:
        """One document's rows in the tables of facts (pass two, after :meth:`entity_rows`;
        ``document`` is what :meth:`observe` gave for it), its speeches kept for
        :meth:`speech_rows`."""
        made = self.fact_rows(f, document)
        self.take_speeches(made.speeches)
        return made.rows

    def read(self, what: str, of: Any, document: DocumentEvents) -> Any:
        """One answer pass two reads of the ids for the document ``document`` settled in pass
        one (see :class:`ResolverReads`)."""
        if what == "event":
            group = document.groups.get(of[1])
            return None if group is None else self.event_ids[group]
        if what == "published":
            return document.published
        return self._answer(what, of)

    def _answer(self, what: str, of: Any) -> Any:
        """An answer that is the same for every document (see :func:`lasting_reads`)."""
        if what == "person":
            return self.person_ids.get(of) if self.person_ids is not None else None
        if what == "group":
            return self.event_ids[of]
        if what == "day":
            return self.event_days.get(of)
        raise ValueError(f"resolve: no read {what!r}")

    def still_answers(self, answers: Mapping[tuple[str, Any], Any]) -> bool:
        """Whether each of ``answers`` (:func:`lasting_reads` of documents' logs) is still
        what this resolver answers: then every one of those logs still reads the same for its
        document, as long as what pass one settled of the document is what it was."""
        answer = self._answer
        try:
            return all(answer(what, of) == value for (what, of), value in answers.items())
        except (TypeError, ValueError, KeyError):  # (an event group gone, a damaged state)
            return False

    def still_reads(self, log: Mapping[tuple[str, Any], Any], document: DocumentEvents) -> bool:
        """Whether every read of ``log`` (:attr:`ResolverReads.log`) gives the same answer
        here for the document ``document`` settled in pass one: then :meth:`fact_rows` of the
        same facts gives the same rows."""
        read = self.read
        try:
            return all(read(what, of, document) == value for (what, of), value in log.items())
        except (TypeError, ValueError, KeyError):  # not a log of reads (a damaged cache entry)
            return False

    def speeches_taken(self) -> dict[SpeechKey, SpeechMentions]:
        """What pass two has folded of the speeches so far, for a later build to go on from
        when it keeps the rows of these documents and adds others after them."""
        return dict(self.speeches)

    def resume_speeches(self, taken: Mapping[SpeechKey, SpeechMentions]) -> None:
        """Go on from :meth:`speeches_taken` of the documents before the next one taken."""
        self.speeches = defaultdict(SpeechMentions, taken)

    def take_speeches(self, speeches: Sequence[SpeechItem]) -> None:
        """Keep the speeches :meth:`fact_rows` found in one document, for :meth:`speech_rows`."""
        for key, (doc, speech) in speeches:
            self.speeches[key].take(doc, speech)

    def fact_rows(self, f: DocumentFacts, document: DocumentEvents) -> FactRows:
        """One document's rows in the tables of facts, its speeches by the key that makes one
        speech of reports in several documents, and every read it made of this resolver. It
        changes nothing, so workers can run it for many documents at once, and reads only
        through :class:`ResolverReads`, so its result holds for as long as those reads give
        the same answers (:meth:`still_reads`; :mod:`~dprk_records.pipeline.passtwo`)."""
        if self.person_ids is None:
            raise ResolveOrderError(f"{f.document_id}: rows are asked for before pass one ended")
        reads = ResolverReads(self, document)
        tables: dict[str, list[Any]] = defaultdict(list)
        doc = f.document_id
        published = reads.published(doc)
        seen_names = set()
        for m in f.persons:
            if m.span.start not in seen_names:
                seen_names.add(m.span.start)
                tables["person_names"].append(
                    PersonNameRow(
                        document_id=doc,
                        start=m.span.start,
                        end=m.span.end,
                        person_id=reads.person(m.name),
                        surface=m.surface,
                        method=m.method,
                    )
                )
        seen_references = set()
        for e in f.events:
            referred = reads.event(doc, event_key(e.name))
            if (referred, e.span.start) in seen_references:
                continue  # the same mention found twice (as in a headline and its body)
            seen_references.add((referred, e.span.start))
            tables["event_references"].append(
                EventReferenceRow(
                    document_id=doc,
                    start=e.span.start,
                    end=e.span.end,
                    event_id=referred,
                    is_reported=e.is_reported,
                    date_text=e.date_text,
                    place=e.place,
                    method=e.method,
                )
            )
        _, orgs = document_orgs(doc, f.units)
        event_id = reads.event(doc, f.principal_event) if f.principal_event else None
        seen_positions = set()
        for t in f.titles:
            key = (t.span.start, reads.person(t.person))
            if key in seen_positions:
                continue
            seen_positions.add(key)
            tables["positions"].append(
                PositionRow(
                    document_id=doc,
                    start=t.span.start,
                    end=t.span.end,
                    person_id=reads.person(t.person),
                    title=t.title,
                    position_role=t.position_role,
                    org_id=orgs.get(t.unit) if t.unit else None,
                    status=t.status,
                    as_of=published if t.status == HELD else None,
                    method=t.method,
                )
            )
        if event_id is not None:
            seen_parts = set()
            for p in f.parts:
                part_key = (p.span.start, p.role)
                if part_key in seen_parts:
                    continue
                seen_parts.add(part_key)
                listing = f"{doc}@{p.listing}" if p.listing is not None else None
                tables["participations"].append(
                    ParticipationRow(
                        document_id=doc,
                        start=p.span.start,
                        end=p.span.end,
                        event_id=event_id,
                        person_id=reads.person(p.person),
                        role=p.role,
                        listing=listing,
                        list_order=p.list_order,
                        method=p.method,
                    )
                )
        speeches = []
        for s in f.speeches:
            kind_class = _SPEECH_CLASS.get(s.speech_kind, s.speech_kind)
            speeches.append(((event_id, reads.person(s.speaker), kind_class), (doc, s)))
        for q in f.quotes:
            tables["quotations"].append(
                QuotationRow(
                    quote_id=f"{slug(doc)}-q{q.span.start}",
                    document_id=doc,
                    start=q.span.start,
                    end=q.span.end,
                    text=q.text,
                    quote_kind=q.quote_kind,
                    speaker_id=reads.person_or_none(q.speaker) if q.speaker else None,
                    method=q.method,
                )
            )
        for g in f.figures:
            subject = event_id if g.measure == "participants" else None
            tables["figures"].append(
                FigureRow(
                    figure_id=f"{slug(doc)}-f{g.span.start}",
                    document_id=doc,
                    start=g.span.start,
                    end=g.span.end,
                    value=g.value,
                    unit=g.unit,
                    measure=g.measure,
                    qualifier=g.qualifier,
                    subject_id=subject,
                    method=g.method,
                )
            )
        tables["personnel_changes"] = self._change_rows(f, reads, orgs, event_id)
        return FactRows(dict(tables), speeches, reads.log)

    def _change_rows(
        self,
        f: DocumentFacts,
        reads: ResolverReads,
        orgs: dict[str, str],
        principal: str | None,
    ) -> list[PersonnelChangeRow]:
        """Personnel changes: made at the event the document reports (its principal event),
        effective on that event's day when the text dates it."""
        doc = f.document_id
        rows: list[PersonnelChangeRow] = []
        seen = set()
        counts: dict[str, int] = defaultdict(int)
        for c in f.changes:
            event_id = (reads.event(doc, c.event) or principal) if c.event else principal
            key = (c.span.start, c.span.end, c.person, c.change, c.post)
            if key in seen:
                continue
            seen.add(key)
            # one span can state several changes ("relieved of his posts as X and Y" has one
            # span per post, but "A was recalled and elected ..." one for both): number them
            label = f"{doc} c{c.span.start} {c.span.end}"
            counts[label] += 1
            number = counts[label]
            rows.append(
                PersonnelChangeRow(
                    change_id=slug(label) if number == 1 else f"{slug(label)}-{number}",
                    document_id=doc,
                    start=c.span.start,
                    end=c.span.end,
                    person_id=reads.person(c.person),
                    change=c.change,
                    post=c.post,
                    body=body_of(c.post) if c.rank is None and c.change != "awarded" else None,
                    body_org_id=orgs.get(c.unit) if c.unit else None,
                    rank=c.rank,
                    event_id=event_id,
                    effective_date=reads.event_day(event_id) if event_id else None,
                    listing=f"{doc}@{c.listing}" if c.list_order is not None else None,
                    list_order=c.list_order,
                    method=c.method,
                )
            )
        return rows

    def speech_rows(self) -> list[SpeechRow]:
        """The speeches table, once pass two has seen every document: a speech reported in
        several documents (and perhaps printed in full in one) is one row."""
        event_names = self.event_names
        labels = {}
        for key in self.speeches:
            event_id, speaker, kind_class = key
            labels[repr(key)] = f"{speaker} {kind_class} {event_names.get(event_id, '')}"
        ids = assign_ids([repr(k) for k in self.speeches], labels)
        rows = []
        for key, folded in self.speeches.items():
            event_id, speaker, _ = key
            first = folded.first
            rows.append(
                SpeechRow(
                    speech_id=ids[repr(key)],
                    document_id=first.document_id,
                    start=first.start,
                    end=first.end,
                    event_id=event_id,
                    speaker_id=speaker,
                    speech_kind=first.speech_kind,
                    speech_title=folded.title,
                    full_text_document_id=folded.full_text,
                    method=first.method,
                )
            )
        return rows


def document_orgs(
    doc: str, units: Sequence[UnitFact]
) -> tuple[dict[str, UnitFact], dict[str, str]]:
    """A document's units by name as written there (the first mention keeps its span; later
    ones fill in parent and place) and the organization id of each name.

    A named organization's id is its name's slug; a generic unit ("assembly shop") takes its
    parent's id before its own words, so that two different assembly shops never share an id.
    """
    per_doc: dict[str, UnitFact] = {}
    for unit in units:
        known = per_doc.get(unit.name)
        if known is None:
            per_doc[unit.name] = unit
        else:
            per_doc[unit.name] = UnitFact(
                known.name,
                known.org_kind,
                known.span,
                known.parent or unit.parent,
                known.place or unit.place,
                known.method,
            )
    ids: dict[str, str] = {}

    def org_id(name: str, depth: int = 0) -> str:
        if name in ids:
            return ids[name]
        unit = per_doc[name]
        if name[:1].isupper() or unit.parent is None or depth > 8 or unit.parent not in per_doc:
            value = slug(name)
        else:
            value = f"{org_id(unit.parent, depth + 1)}-{slug(name)}"
        ids[name] = value
        return value

    for name in per_doc:
        org_id(name)
    return per_doc, ids


def resolve(documents: Sequence[Any], facts: Sequence[DocumentFacts]) -> dict[str, list[Any]]:
    """Rows of every fact table for a set of documents and their extracted facts, all in memory
    (a build streams them through :class:`Resolver` instead). ``documents`` are anything with a
    ``document_id`` and a ``published`` date: the documents or their summaries."""
    published = {d.document_id: d.published for d in documents}
    ordered = sorted(facts, key=lambda f: f.document_id)
    resolver = Resolver()
    settled = [resolver.observe(observed(f), published[f.document_id]) for f in ordered]
    tables: dict[str, list[Any]] = defaultdict(list)
    for name, rows in resolver.entity_rows().items():
        tables[name].extend(rows)
    for f, document in zip(ordered, settled, strict=True):
        for name, rows in resolver.document_rows(f, document).items():
            tables[name].extend(rows)
    tables["speeches"].extend(resolver.speech_rows())
    return dict(tables)
