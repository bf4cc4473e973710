"""A read and normalized document with its metadata settled: the unit every later stage takes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dprk_records.pipeline.dating import Dateline, parse_dateline, publication_date
from dprk_records.pipeline.normalize import NormalizedText, Paragraph, normalize
from dprk_records.pipeline.read import SourceDocument

_HEADLINE_MAX = 250
_SENTENCE_END = re.compile(r"""[.!?]["'”’]?$""")
_SPEECH_TITLE = re.compile(r"\b(?:speech|address|remarks)\b", re.IGNORECASE)
_LETTER_TITLE = re.compile(r"\bletter\b", re.IGNORECASE)
_STATEMENT_TITLE = re.compile(r"\b(?:statement|press release|press statement)\b", re.IGNORECASE)
# (the lookahead for the first letter spares a full try at every character of the text)
_FIRST_PERSON = re.compile(r"(?=[DR])^(?:Dear|Respected) (?:comrades?|friends)\b", re.MULTILINE)


@dataclass(frozen=True)
class Document:
    """One source document ready for extraction."""

    source: SourceDocument
    normalized: NormalizedText
    title: str
    publisher: str | None
    kind: str
    dateline: Dateline | None
    dateline_paragraph: int | None  # paragraph_no of the paragraph that opens with the dateline
    published: dt.date | None
    date_basis: str

    @property
    def document_id(self) -> str:
        return self.source.document_id

    @property
    def text(self) -> str:
        """The verbatim text (every offset of every fact points into it)."""
        return self.source.text

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Every paragraph, boilerplate included (the paragraphs table keeps them all, marked);
        extraction reads ``normalized.content`` instead."""
        return self.normalized.paragraphs


def _find_dateline(paragraphs: tuple[Paragraph, ...]) -> tuple[Dateline, int] | None:
    for paragraph in paragraphs[:6]:
        if paragraph.is_boilerplate:
            continue
        dateline = parse_dateline(paragraph.text)
        if dateline is not None:
            return dateline, paragraph.paragraph_no
    return None


def _is_headline(text: str) -> bool:
    return len(text) <= _HEADLINE_MAX and not _SENTENCE_END.search(text)


def headline(paragraphs: tuple[Paragraph, ...], dateline_paragraph: int | None) -> str | None:
    """The main headline: the last short, unpunctuated line before the body (kickers come first)."""
    candidates = []
    for paragraph in paragraphs:
        if paragraph.is_boilerplate:
            continue
        if dateline_paragraph is not None and paragraph.paragraph_no >= dateline_paragraph:
            break
        if not _is_headline(paragraph.text):
            break
        candidates.append(paragraph.text)
        if dateline_paragraph is None:
            break  # without a dateline only the very first line can be the headline
    return candidates[-1] if candidates else None


def guess_kind(title: str | None, text: str, has_dateline: bool) -> str:
    """Genre from the headline and the text's voice, for documents the manifest does not cover."""
    if (title and _SPEECH_TITLE.search(title)) or _FIRST_PERSON.search(text):
        return "speech"
    if has_dateline:
        return "report"  # an agency item, even when it reports a letter or a statement
    if title and _LETTER_TITLE.search(title):
        return "letter"
    if title and _STATEMENT_TITLE.search(title):
        return "statement"
    return "report"


def prepare(source: SourceDocument) -> Document:
    """Normalize a source document and settle its title, kind, publisher and publication date."""
    normalized = normalize(source.text)
    found = _find_dateline(normalized.paragraphs)
    dateline, dateline_paragraph = found if found else (None, None)
    title_from_text = headline(normalized.paragraphs, dateline_paragraph)
    manifest = source.manifest
    title = (manifest.title if manifest else None) or title_from_text or source.document_id
    kind = (manifest.kind if manifest else None) or guess_kind(
        title_from_text, source.text, dateline is not None
    )
    publisher = (manifest.publisher if manifest else None) or (
        dateline.agency if dateline else None
    )
    date = publication_date(dateline, source.text, manifest, source.file_name)
    return Document(
        source=source,
        normalized=normalized,
        title=title,
        publisher=publisher,
        kind=kind,
        dateline=dateline,
        dateline_paragraph=dateline_paragraph,
        published=date.published,
        date_basis=date.basis,
    )
