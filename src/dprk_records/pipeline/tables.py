"""Tables stage: documents (and later, facts) -> typed rows per table, sorted by primary key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from operator import attrgetter
from typing import Any

from dprk_records.pipeline.csvformat import row_cells
from dprk_records.pipeline.extract.facts import DocumentFacts
from dprk_records.pipeline.prepare import Document
from dprk_records.pipeline.resolve import resolve
from dprk_records.pipeline.rows import ROW_TYPES, CorrectionRow, DocumentRow, ParagraphRow
from dprk_records.schemas import field_names, package_meta, table_schema


def document_row(document: Document) -> DocumentRow:
    """The document's one row: its settled metadata and sizes. Words are counted in content
    paragraphs only, so web chrome and footers do not swell them; paragraph_count counts every
    row the document has in the paragraphs table."""
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
    """One row per paragraph, boilerplate included and marked rather than dropped: the table
    shows all of the text, and which of it extraction read."""
    return [
        ParagraphRow(
            document_id=document.document_id,
            paragraph_no=p.paragraph_no,
            start=p.start,
            end=p.end,
            text=p.text,
            is_boilerplate=p.is_boilerplate,
        )
        for p in document.paragraphs
    ]


def correction_rows(document: Document) -> list[CorrectionRow]:
    """One row per normalizer edit, so the normalized paragraphs can be undone to the verbatim
    text (the gate's ``corrections`` check does exactly that)."""
    return [
        CorrectionRow(
            document_id=document.document_id,
            start=e.start,
            end=e.end,
            original=e.original,
            corrected=e.corrected,
            correction_kind=e.kind,
            rule=e.rule,
        )
        for e in document.normalized.edits
    ]


def sort_key(table: str) -> Callable[[Any], tuple[Any, ...]]:
    """The sort key of ``table``'s rows: its primary key's values, empty values first."""
    columns = table_schema(table)["primaryKey"]
    values = attrgetter(*columns)
    if len(columns) == 1:  # (most tables, and the ones with the most rows: one getter call)

        def one(row: Any) -> tuple[Any, ...]:
            value = values(row)
            return ((value is not None, value),)

        return one

    def key(row: Any) -> tuple[Any, ...]:
        return tuple([(value is not None, value) for value in values(row)])

    return key


@cache
def row_functions(
    table: str,
) -> tuple[Callable[[Any], tuple[Any, ...]], Callable[[Any], list[str]]]:
    """The sort key and the CSV cells of ``table``'s rows (made once per table)."""
    return sort_key(table), row_cells(field_names(table))


@cache
def document_ordered(table: str) -> bool:
    """Whether ``table``'s primary key starts with ``document_id``: its rows then sort as their
    documents do, so a build taking documents in id order can write them as they come."""
    return table_schema(table)["primaryKey"][0] == "document_id"


def document_ordered_tables() -> list[str]:
    """The package's tables whose rows sort as their documents do (:func:`document_ordered`),
    in the package's order."""
    return [name for name in package_meta().tables if document_ordered(name)]


def sort_rows(table: str, rows: Sequence[Any]) -> list[Any]:
    """Rows in primary-key order (empty values first), so output never depends on input order."""
    return sorted(rows, key=sort_key(table))


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
