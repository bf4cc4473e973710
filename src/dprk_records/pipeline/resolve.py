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
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from dprk_records.pipeline.extract.event_names import event_key
from dprk_records.pipeline.extract.facts import DocumentFacts, EventFact, SpeechFact, UnitFact
from dprk_records.pipeline.extract.person_names import is_korean_name
from dprk_records.pipeline.extract.status import HELD
from dprk_records.pipeline.extract.titles import body_of
from dprk_records.pipeline.lexicon import MONTHS, WEEKDAYS
from dprk_records.pipeline.prepare import Document
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


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "Ri Il Hwan" -> "ri-il-hwan"."""
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


class _Resolver:
    def __init__(self, documents: Sequence[Document], facts: Sequence[DocumentFacts]) -> None:
        self.documents = {d.document_id: d for d in documents}
        self.facts = sorted(facts, key=lambda f: f.document_id)
        self.tables: dict[str, list[Any]] = defaultdict(list)

    # persons ----------------------------------------------------------------------------
    def persons(self) -> dict[str, str]:
        names = {m.name for f in self.facts for m in f.persons}
        names |= {t.person for f in self.facts for t in f.titles}
        names |= {p.person for f in self.facts for p in f.parts}
        names |= {c.person for f in self.facts for c in f.changes}
        ids = assign_ids(sorted(names), {n: n for n in names})
        for name in sorted(names):
            if is_korean_name(name):
                family, _, given = name.partition(" ")
            else:
                given, _, family = name.rpartition(" ")
            self.tables["persons"].append(
                PersonRow(person_id=ids[name], name=name, family_name=family, given_name=given)
            )
        seen = set()
        for f in self.facts:
            for m in f.persons:
                key = (f.document_id, m.span.start)
                if key not in seen:
                    seen.add(key)
                    self.tables["person_names"].append(
                        PersonNameRow(
                            document_id=f.document_id,
                            start=m.span.start,
                            end=m.span.end,
                            person_id=ids[m.name],
                            surface=m.surface,
                            method=m.method,
                        )
                    )
        return ids

    # organizations ------------------------------------------------------------------------
    def organizations(self) -> dict[tuple[str, str], str]:
        """Org ids per (document, unit name as written there)."""
        per_doc: dict[tuple[str, str], UnitFact] = {}
        for f in self.facts:
            for unit in f.units:
                key = (f.document_id, unit.name)
                known = per_doc.get(key)
                if known is None:
                    per_doc[key] = unit
                else:  # the first mention keeps its span; later ones fill in parent and place
                    per_doc[key] = UnitFact(
                        known.name,
                        known.org_kind,
                        known.span,
                        known.parent or unit.parent,
                        known.place or unit.place,
                        known.method,
                    )
        ids: dict[tuple[str, str], str] = {}

        def org_id(doc: str, name: str, depth: int = 0) -> str:
            if (doc, name) in ids:
                return ids[(doc, name)]
            unit = per_doc[(doc, name)]
            if (
                name[:1].isupper()
                or unit.parent is None
                or depth > 8
                or (doc, unit.parent) not in per_doc
            ):
                value = slug(name)
            else:
                value = f"{org_id(doc, unit.parent, depth + 1)}-{slug(name)}"
            ids[(doc, name)] = value
            return value

        rows: dict[str, OrganizationRow] = {}
        for (doc, name), unit in sorted(
            per_doc.items(), key=lambda kv: (kv[0][0], kv[1].span.start)
        ):
            oid = org_id(doc, name)
            parent = (
                org_id(doc, unit.parent) if unit.parent and (doc, unit.parent) in per_doc else None
            )
            if parent == oid:
                parent = None
            known = rows.get(oid)
            if known is None:
                rows[oid] = OrganizationRow(
                    org_id=oid,
                    name=name,
                    org_kind=unit.org_kind,
                    parent_org_id=parent,
                    place=unit.place,
                    document_id=doc,
                    start=unit.span.start,
                    end=unit.span.end,
                    method=unit.method,
                )
            elif (known.parent_org_id is None and parent) or (known.place is None and unit.place):
                rows[oid] = replace(
                    known,
                    parent_org_id=known.parent_org_id or parent,
                    place=known.place or unit.place,
                )
        self.tables["organizations"].extend(rows.values())
        return ids

    # events -------------------------------------------------------------------------------
    def event_groups(self) -> dict[tuple[str, str], str]:
        """Group key of every (document, event key): a numbered event is one event wherever it is
        named ("8th Congress of the WPK"); an unnumbered one ("visit to X", "press statement")
        is one event per day it happened, or per document when no day is known."""
        groups: dict[tuple[str, str], str] = {}
        for f in self.facts:
            published = self.documents[f.document_id].published
            for e in f.events:
                key = event_key(e.name)
                if e.ordinal is not None:
                    groups[(f.document_id, key)] = key
                    continue
                day = event_date(e.date_text, published)
                if day is not None or (f.document_id, key) not in groups:
                    groups[(f.document_id, key)] = f"{key}|{day or f.document_id}"
        return groups

    def events(self) -> dict[tuple[str, str], str]:
        """Event ids by (document, event key)."""
        groups = self.event_groups()
        mentions: dict[str, list[tuple[str, EventFact]]] = defaultdict(list)
        for f in self.facts:
            for e in f.events:
                mentions[groups[(f.document_id, event_key(e.name))]].append((f.document_id, e))
        label = {}
        for key, items in mentions.items():
            preferred = sorted(
                items, key=lambda de: ("headline" in de[1].method, de[0], de[1].span.start)
            )
            label[key] = preferred[0][1].name
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
        ids = assign_ids(sorted(mentions), id_label)
        attendance = self.attendance(groups)
        for key in sorted(mentions):
            items = sorted(mentions[key], key=lambda de: (de[0], de[1].span.start))
            first_doc, first = items[0]
            # the row's span is a mention that says the label (not a headline's short form)
            first_doc, first = next(((d, e) for d, e in items if e.name == label[key]), items[0])
            named = first
            reported = [(d, e) for d, e in items if e.is_reported]
            dates = sorted(
                filter(
                    None,
                    (event_date(e.date_text, self.documents[d].published) for d, e in reported),
                )
            )
            place = next((e.place for _, e in reported if e.place), None)
            parent_id = next(
                (
                    ids[groups[(d, e.parent)]]
                    for d, e in items
                    if e.parent and (d, e.parent) in groups and groups[(d, e.parent)] != key
                ),
                None,
            )
            self.tables["events"].append(
                EventRow(
                    event_id=ids[key],
                    name=label[key],
                    event_kind=named.event_kind,
                    ordinal=named.ordinal,
                    series=named.series,
                    organizer_org_id=None,
                    parent_event_id=parent_id,
                    start_date=dates[0] if dates else None,
                    end_date=dates[-1] if len(dates) > 1 else None,
                    place=place,
                    attendance=attendance.get(key),
                    described_in=reported[0][0] if reported else None,
                    document_id=first_doc,
                    start=first.span.start,
                    end=first.span.end,
                    method=first.method,
                )
            )
            seen = set()
            for doc, e in items:
                if (doc, e.span.start) in seen:
                    continue
                seen.add((doc, e.span.start))
                self.tables["event_references"].append(
                    EventReferenceRow(
                        document_id=doc,
                        start=e.span.start,
                        end=e.span.end,
                        event_id=ids[key],
                        is_reported=e.is_reported,
                        date_text=e.date_text,
                        place=e.place,
                        method=e.method,
                    )
                )
        return {doc_key: ids[group] for doc_key, group in groups.items()}

    def attendance(self, groups: dict[tuple[str, str], str]) -> dict[str, int]:
        """Largest participant count each reporting document states for its principal event."""
        counts: dict[str, int] = {}
        for f in self.facts:
            if f.principal_event is None:
                continue
            group = groups[(f.document_id, f.principal_event)]
            for figure in f.figures:
                if figure.measure == "participants":
                    counts[group] = max(counts.get(group, 0), int(figure.value))
        return counts

    # the rest -----------------------------------------------------------------------------
    def facts_rows(
        self,
        persons: dict[str, str],
        orgs: dict[tuple[str, str], str],
        events: dict[tuple[str, str], str],
    ) -> None:
        speeches: dict[tuple[str | None, str, str], list[tuple[str, SpeechFact]]] = defaultdict(
            list
        )
        for f in self.facts:
            doc = f.document_id
            published = self.documents[doc].published
            event_id = events.get((doc, f.principal_event)) if f.principal_event else None
            seen_positions = set()
            for t in f.titles:
                key = (doc, t.span.start, persons[t.person])
                if key in seen_positions:
                    continue
                seen_positions.add(key)
                self.tables["positions"].append(
                    PositionRow(
                        document_id=doc,
                        start=t.span.start,
                        end=t.span.end,
                        person_id=persons[t.person],
                        title=t.title,
                        position_role=t.position_role,
                        org_id=orgs.get((doc, t.unit)) if t.unit else None,
                        status=t.status,
                        as_of=published if t.status == HELD else None,
                        method=t.method,
                    )
                )
            if event_id is not None:
                seen_parts = set()
                for p in f.parts:
                    key = (doc, p.span.start, event_id, p.role)
                    if key in seen_parts:
                        continue
                    seen_parts.add(key)
                    listing = f"{doc}@{p.listing}" if p.listing is not None else None
                    self.tables["participations"].append(
                        ParticipationRow(
                            document_id=doc,
                            start=p.span.start,
                            end=p.span.end,
                            event_id=event_id,
                            person_id=persons[p.person],
                            role=p.role,
                            listing=listing,
                            list_order=p.list_order,
                            method=p.method,
                        )
                    )
            for s in f.speeches:
                kind_class = _SPEECH_CLASS.get(s.speech_kind, s.speech_kind)
                speeches[(event_id, persons[s.speaker], kind_class)].append((doc, s))
            for q in f.quotes:
                self.tables["quotations"].append(
                    QuotationRow(
                        quote_id=f"{slug(doc)}-q{q.span.start}",
                        document_id=doc,
                        start=q.span.start,
                        end=q.span.end,
                        text=q.text,
                        quote_kind=q.quote_kind,
                        speaker_id=persons.get(q.speaker) if q.speaker else None,
                        method=q.method,
                    )
                )
            for g in f.figures:
                subject = event_id if g.measure == "participants" else None
                self.tables["figures"].append(
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
        self.change_rows(persons, orgs, events)
        event_names = {row.event_id: row.name for row in self.tables["events"]}
        labels = {}
        for key in speeches:
            event_id, speaker, kind_class = key
            labels[repr(key)] = f"{speaker} {kind_class} {event_names.get(event_id, '')}"
        ids = assign_ids([repr(k) for k in speeches], labels)
        for key, items in speeches.items():
            event_id, speaker, _ = key
            reports = [(d, s) for d, s in items if not s.is_full_text] or items
            doc, first = min(reports, key=lambda ds: (ds[0], ds[1].span.start))
            full_text = next((d for d, s in items if s.is_full_text), None)
            title = next((s.title for _, s in items if s.title), None)
            self.tables["speeches"].append(
                SpeechRow(
                    speech_id=ids[repr(key)],
                    document_id=doc,
                    start=first.span.start,
                    end=first.span.end,
                    event_id=event_id,
                    speaker_id=speaker,
                    speech_kind=first.speech_kind,
                    speech_title=title,
                    full_text_document_id=full_text,
                    method=first.method,
                )
            )

    def change_rows(
        self,
        persons: dict[str, str],
        orgs: dict[tuple[str, str], str],
        events: dict[tuple[str, str], str],
    ) -> None:
        """Personnel changes: made at the event the document reports (its principal event),
        effective on that event's day when the text dates it."""
        event_days = {row.event_id: row.start_date for row in self.tables["events"]}
        rows: list[tuple[str, PersonnelChangeRow]] = []
        for f in self.facts:
            doc = f.document_id
            principal = events.get((doc, f.principal_event)) if f.principal_event else None
            seen = set()
            for c in f.changes:
                event_id = events.get((doc, c.event), principal) if c.event else principal
                key = (c.span.start, c.span.end, c.person, c.change, c.post)
                if key in seen:
                    continue
                seen.add(key)
                label = f"{doc} c{c.span.start} {c.span.end}"
                rows.append(
                    (
                        label,
                        PersonnelChangeRow(
                            change_id="",  # numbered below, once every change of a span is known
                            document_id=doc,
                            start=c.span.start,
                            end=c.span.end,
                            person_id=persons[c.person],
                            change=c.change,
                            post=c.post,
                            body=(
                                body_of(c.post)
                                if c.rank is None and c.change != "awarded"
                                else None
                            ),
                            body_org_id=orgs.get((doc, c.unit)) if c.unit else None,
                            rank=c.rank,
                            event_id=event_id,
                            effective_date=event_days.get(event_id) if event_id else None,
                            listing=f"{doc}@{c.listing}" if c.list_order is not None else None,
                            list_order=c.list_order,
                            method=c.method,
                        ),
                    )
                )
        # one span can state several changes ("relieved of his posts as X and Y" has one span
        # per post, but "A was recalled and elected ..." one for both): number them in order
        counts: dict[str, int] = defaultdict(int)
        for label, row in rows:
            counts[label] += 1
            number = counts[label]
            change_id = slug(label) if number == 1 else f"{slug(label)}-{number}"
            self.tables["personnel_changes"].append(replace(row, change_id=change_id))

    def run(self) -> dict[str, list[Any]]:
        persons = self.persons()
        orgs = self.organizations()
        events = self.events()
        self.facts_rows(persons, orgs, events)
        return dict(self.tables)


def resolve(documents: Sequence[Document], facts: Sequence[DocumentFacts]) -> dict[str, list[Any]]:
    """Rows of every fact table for a set of documents and their extracted facts."""
    return _Resolver(documents, facts).run()
