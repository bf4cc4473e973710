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


ROW_TYPES: dict[str, type] = {
    "documents": DocumentRow,
    "paragraphs": ParagraphRow,
    "corrections": CorrectionRow,
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
