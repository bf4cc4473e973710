# generated from schemas/tables by `dprk-records schemas`; do not edit
"""Typed row shapes, one frozen keyword-only dataclass per table of the registry.

Field names, order, types and optionality are those of schemas/tables/TABLE.json (a field that is
not ``constraints.required`` may be None). Rows are ordered like tuples of their fields, in
schema order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dprk_records.schemas import check_row_types


@dataclass(frozen=True, kw_only=True, order=True)
class DocumentRow:
    """A row of ``documents``. One row per source text (seed), with its provenance and publication
    date."""

    document_id: str
    title: str
    publisher: str | None
    document_kind: str
    dateline_place: str | None
    dateline_date: str | None
    published: dt.date | None
    date_basis: str
    sha256: str
    char_count: int
    word_count: int
    paragraph_count: int
    path: str
    url: str | None


@dataclass(frozen=True, kw_only=True, order=True)
class ParagraphRow:
    """A row of ``paragraphs``. One row per paragraph of a document after normalization (page-break
    splits joined)."""

    document_id: str
    paragraph_no: int
    start: int
    end: int
    text: str
    is_boilerplate: bool


@dataclass(frozen=True, kw_only=True, order=True)
class CorrectionRow:
    """A row of ``corrections``. One row per repair the normalizer made; undoing them all gives back
    the verbatim text."""

    document_id: str
    start: int
    end: int
    original: str | None
    corrected: str | None
    correction_kind: str
    rule: str


@dataclass(frozen=True, kw_only=True, order=True)
class PersonRow:
    """A row of ``persons``. One row per person named in any document, identified by the normalized
    romanization of the name."""

    person_id: str
    name: str
    family_name: str
    given_name: str


@dataclass(frozen=True, kw_only=True, order=True)
class PersonNameRow:
    """A row of ``person_names``. Every mention of a person's name in a source, spelled as written
    there."""

    document_id: str
    start: int
    end: int
    person_id: str
    surface: str
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class OrganizationRow:
    """A row of ``organizations``. Bodies, enterprises and units named in the sources, each with its
    parent in the chain the text gives (work-team -> shop -> complex). Spans point at the first
    mention."""

    org_id: str
    name: str
    org_kind: str
    parent_org_id: str | None
    place: str | None
    document_id: str
    start: int
    end: int
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class PositionRow:
    """A row of ``positions``. A title of a person, as one source states it on its date; a plural
    title shared by a list gives one row per person. `status` says whether it is a post held on that
    date or a title only referred to."""

    document_id: str
    start: int
    end: int
    person_id: str
    title: str
    position_role: str
    org_id: str | None
    status: str
    as_of: dt.date | None
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class EventRow:
    """A row of ``events``. Meetings, congresses, plenary meetings, conferences, inspections, visits
    and letters, reported or referred to. Spans point at the first mention."""

    event_id: str
    name: str
    event_kind: str
    ordinal: int | None
    series: str | None
    organizer_org_id: str | None
    parent_event_id: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    place: str | None
    attendance: int | None
    described_in: str | None
    document_id: str
    start: int
    end: int
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class EventReferenceRow:
    """A row of ``event_references``. Every mention of an event in a document, marking whether the
    document reports the event or only refers to it."""

    document_id: str
    start: int
    end: int
    event_id: str
    is_reported: bool
    date_text: str | None
    place: str | None
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class ParticipationRow:
    """A row of ``participations``. A person's part in an event, with the listing sentence and
    1-based order when the part comes from a list (protocol order)."""

    document_id: str
    start: int
    end: int
    event_id: str
    person_id: str
    role: str
    listing: str | None
    list_order: int | None
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class PersonnelChangeRow:
    """A row of ``personnel_changes``. One person's election, appointment, recall, dismissal,
    release, transfer, promotion, demotion, award or retirement as one source states it; a paired
    change ("A was recalled and B appointed") is two rows. The span runs from the person's name to
    the post or award (or back), so it states both."""

    change_id: str
    document_id: str
    start: int
    end: int
    person_id: str
    change: str
    post: str
    body: str | None
    body_org_id: str | None
    rank: str | None
    event_id: str | None
    effective_date: dt.date | None
    listing: str | None
    list_order: int | None
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class SpeechRow:
    """A row of ``speeches``. Addresses, reports and speeches made at events."""

    speech_id: str
    document_id: str
    start: int
    end: int
    event_id: str | None
    speaker_id: str
    speech_kind: str
    speech_title: str | None
    full_text_document_id: str | None
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class QuotationRow:
    """A row of ``quotations``. Slogans, quoted titles and quoted phrases."""

    quote_id: str
    document_id: str
    start: int
    end: int
    text: str
    quote_kind: str
    speaker_id: str | None
    method: str


@dataclass(frozen=True, kw_only=True, order=True)
class FigureRow:
    """A row of ``figures``. Numbers the sources state: attendance, plan fulfilment, growth, output,
    how often (frequency) and how long (duration)."""

    figure_id: str
    document_id: str
    start: int
    end: int
    value: float
    unit: str
    measure: str
    qualifier: str | None
    subject_id: str | None
    method: str


ROW_TYPES: dict[str, type] = {
    "documents": DocumentRow,
    "paragraphs": ParagraphRow,
    "corrections": CorrectionRow,
    "persons": PersonRow,
    "person_names": PersonNameRow,
    "organizations": OrganizationRow,
    "positions": PositionRow,
    "events": EventRow,
    "event_references": EventReferenceRow,
    "participations": ParticipationRow,
    "personnel_changes": PersonnelChangeRow,
    "speeches": SpeechRow,
    "quotations": QuotationRow,
    "figures": FigureRow,
}


def check_rows_match_schemas() -> None:
    """Raise SchemaError when schemas/tables changed since this file was generated (a build
    must not write rows whose shape the schemas no longer describe)."""
    check_row_types(ROW_TYPES)
