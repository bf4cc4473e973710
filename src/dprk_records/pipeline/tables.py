"""Tables stage: documents (and later, facts) -> typed rows per table, sorted by primary key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dprk_records.pipeline.extract.facts import DocumentFacts
from dprk_records.pipeline.prepare import Document
from dprk_records.pipeline.resolve import resolve
from dprk_records.pipeline.rows import ROW_TYPES, CorrectionRow, DocumentRow, ParagraphRow
from dprk_records.schemas import table_schema


def document_row(document: Document) -> DocumentRow:
    manifest = document.source.manifest
    content_words = sum(len(p.text.split()) for p in document.normalized.content)
    return DocumentRow(
        document_id=document.document_id,
        title=document.title,
        publisher=document.publisher,
        document_kind=document.kind,
        dateline_place=document.dateline.place if document.dateline else None,
        dateline_date=document.dateline.date_text if document.dateline else None,
        published=document.published,
        date_basis=document.date_basis,
        sha256=document.source.sha256,
        char_count=len(document.text),
        word_count=content_words,
        paragraph_count=len(document.paragraphs),
        path=f"sources/{document.source.file_name}",
        url=manifest.url if manifest else None,
    )


def paragraph_rows(document: Document) -> list[ParagraphRow]:
    return [
        ParagraphRow(document.document_id, p.paragraph_no, p.start, p.end, p.text, p.is_boilerplate)
        for p in document.paragraphs
    ]


def correction_rows(document: Document) -> list[CorrectionRow]:
    return [
        CorrectionRow(document.document_id, e.start, e.end, e.original, e.corrected, e.kind, e.rule)
        for e in document.normalized.edits
    ]


def sort_rows(table: str, rows: Sequence[Any]) -> list[Any]:
    """Rows in primary-key order (empty values first), so output never depends on input order."""
    key_fields = table_schema(table)["primaryKey"]

    def key(row: Any) -> tuple[Any, ...]:
        return tuple((getattr(row, name) is not None, getattr(row, name)) for name in key_fields)

    return sorted(rows, key=key)


def text_rows(document: Document) -> dict[str, list[Any]]:
    """The rows one document gives the text tables (documents, paragraphs, corrections)."""
    return {
        "documents": [document_row(document)],
        "paragraphs": paragraph_rows(document),
        "corrections": correction_rows(document),
    }


def combine_tables(
    per_document: Iterable[Mapping[str, list[Any]]],
    documents: Sequence[Any],
    facts: Sequence[DocumentFacts],
) -> dict[str, list[Any]]:
    """All tables from each document's text rows and the facts resolved across documents.

    ``documents`` are what resolve reads of each document (its id and publication date): the
    documents themselves or their summaries.
    """
    tables: dict[str, list[Any]] = {name: [] for name in ROW_TYPES}
    for rows in per_document:
        for name, table_rows in rows.items():
            tables[name].extend(table_rows)
    for name, rows in resolve(documents, facts).items():
        tables[name].extend(rows)
    return {name: sort_rows(name, rows) for name, rows in tables.items()}
