"""Typed row shapes, one dataclass per table.

Field names and order must equal the table's Table Schema in schemas/tables/ (checked by
``check_rows_match_schemas`` and a test), so the schemas stay the single definition of a column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from dprk_records.errors import SchemaError
from dprk_records.schemas import field_names


@dataclass(frozen=True, order=True)
class DocumentRow:
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


@dataclass(frozen=True, order=True)
class ParagraphRow:
    document_id: str
    paragraph_no: int
    start: int
    end: int
    text: str
    is_boilerplate: bool


@dataclass(frozen=True, order=True)
class CorrectionRow:
    document_id: str
    start: int
    end: int
    original: str
    corrected: str
    correction_kind: str
    rule: str


@dataclass(frozen=True, order=True)
class PersonRow:
    person_id: str
    name: str
    family_name: str
    given_name: str


@dataclass(frozen=True, order=True)
class PersonNameRow:
    document_id: str
    start: int
    end: int
    person_id: str
    surface: str
    method: str


@dataclass(frozen=True, order=True)
class OrganizationRow:
    org_id: str
    name: str
    org_kind: str
    parent_org_id: str | None
    place: str | None
    document_id: str
    start: int
    end: int
    method: str


@dataclass(frozen=True, order=True)
class PositionRow:
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


@dataclass(frozen=True, order=True)
class EventRow:
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


@dataclass(frozen=True, order=True)
class EventReferenceRow:
    document_id: str
    start: int
    end: int
    event_id: str
    is_reported: bool
    date_text: str | None
    place: str | None
    method: str


@dataclass(frozen=True, order=True)
class ParticipationRow:
    document_id: str
    start: int
    end: int
    event_id: str
    person_id: str
    role: str
    listing: str | None
    list_order: int | None
    method: str


@dataclass(frozen=True, order=True)
class SpeechRow:
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


@dataclass(frozen=True, order=True)
class QuotationRow:
    quote_id: str
    document_id: str
    start: int
    end: int
    text: str
    quote_kind: str
    speaker_id: str | None
    method: str


@dataclass(frozen=True, order=True)
class FigureRow:
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


@dataclass(frozen=True, order=True)
class PersonnelChangeRow:
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
    """Raise SchemaError when a row dataclass and its Table Schema disagree on the columns."""
    for table, row_type in ROW_TYPES.items():
        ours = [f.name for f in fields(row_type)]
        theirs = field_names(table)
        if ours != theirs:
            raise SchemaError(
                f"{row_type.__name__} has fields {ours}, but schemas/tables/{table}.json "
                f"declares {theirs}; change the schema first, then the dataclass"
            )
