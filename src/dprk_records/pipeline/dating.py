"""Dates of a document: the dateline, an agency footer, an in-text year, and the manifest.

KCNA datelines give month and day but almost never the year. The year must come from somewhere
named -- the manifest, a "Juche113.5.25." footer, an in-text "Juche 110 (2021)" -- and the
documents table says which in date_basis. With no source for the year the date stays empty.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dprk_records.errors import SeedError
from dprk_records.pipeline.lexicon import MONTHS
from dprk_records.pipeline.manifest import ManifestEntry

JUCHE_OFFSET = 1911
"""Juche year + 1911 = Common Era year (Juche 1 = 1912)."""

_MONTH = "|".join(MONTHS)
DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Za-z'.-]*(?: [A-Z][A-Za-z'.-]*){{0,3}}),\s+"
    rf"(?P<date>(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}))\s*"
    r"\((?P<agency>[A-Z]{2,10})\)\s*(?:--|—|–|-)?\s*"
)
# The whole-text patterns open with a lookahead for their first character, which lets the engine
# pass over most of a text at one test a character (same matches; see extract/hints.opening).
_FOOTER_DATE = re.compile(r"(?=J)\bJuche\s*(\d{2,3})\.(\d{1,2})\.(\d{1,2})\b")
_CE_YEAR = re.compile(r"(?=[12])(?<![\d.,-])((?:19[5-9]|20[0-9])\d)(?![\d-])")
_FULL_DATE = re.compile(
    "(?=["
    + "".join(sorted({m[0] for m in MONTHS}))
    + "])"
    + rf"\b(?:{_MONTH})\s+\d{{1,2}},\s+\d{{4}}\b"
)
_TEXT_YEAR = re.compile(r"(?=J)\bJuche\s+(\d{2,3})\s*\((\d{4})\)")


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline: where and on which month/day the item was filed."""

    place: str
    date_text: str
    month: int
    day: int
    agency: str
    end: int  # offset, in the paragraph's normalized text, where the body text begins


@dataclass(frozen=True)
class PublicationDate:
    """The publication date and the name of its basis (a documents.date_basis value)."""

    published: dt.date | None
    basis: str


def parse_dateline(paragraph_text: str) -> Dateline | None:
    """The dateline at the start of a paragraph, if it has one."""
    match = DATELINE.match(paragraph_text)
    if match is None:
        return None
    month = MONTHS.index(match.group("month")) + 1
    day = int(match.group("day"))
    if not 1 <= day <= 31:
        return None
    return Dateline(
        place=match.group("place"),
        date_text=match.group("date"),
        month=month,
        day=day,
        agency=match.group("agency"),
        end=match.end(),
    )


def footer_date(text: str) -> dt.date | None:
    """The date of an agency footer such as "www.kcna.kp (Juche113.5.25.)"."""
    for match in _FOOTER_DATE.finditer(text):
        year = int(match.group(1)) + JUCHE_OFFSET
        try:
            return dt.date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def text_year(text: str) -> int | None:
    """The year the text dates its own events in: "Juche 110 (2021)" when the two agree, else
    the one Common Era year it names ("in the first half of 2021"), not counting years inside
    full dates ("founded on October 1, 1946"); None when it names none or several."""
    for match in _TEXT_YEAR.finditer(text):
        juche, year = int(match.group(1)), int(match.group(2))
        if juche + JUCHE_OFFSET == year:
            return year
    undated = _FULL_DATE.sub(" ", text)
    years = {int(y) for y in _CE_YEAR.findall(undated)}
    return years.pop() if len(years) == 1 else None


def _with_year(dateline: Dateline, year: int) -> dt.date | None:
    try:
        return dt.date(year, dateline.month, dateline.day)
    except ValueError:
        return None


def publication_date(
    dateline: Dateline | None,
    text: str,
    manifest: ManifestEntry | None,
    path: str,
) -> PublicationDate:
    """Decide the publication date and its basis; a manifest that contradicts the text is an error."""
    if manifest is not None and manifest.published is not None:
        published = manifest.published
        if manifest.date_basis == "dateline+manifest":
            if dateline is None:
                raise SeedError(
                    path,
                    "the manifest says the day comes from the dateline, but the text has no "
                    "dateline; set date_basis to 'manifest'",
                )
            if (dateline.month, dateline.day) != (published.month, published.day):
                raise SeedError(
                    path,
                    f"the dateline says {dateline.date_text!r} but the manifest's published date "
                    f"is {published.isoformat()}; correct the manifest",
                )
        return PublicationDate(published, manifest.date_basis or "manifest")
    footer = footer_date(text)
    if dateline is not None:
        if footer is not None and (footer.month, footer.day) == (dateline.month, dateline.day):
            return PublicationDate(footer, "dateline+footer")
        if footer is not None:
            dated = _with_year(dateline, footer.year)
            if dated is not None:
                return PublicationDate(dated, "dateline+footer")
        year = text_year(text)
        if year is not None:
            dated = _with_year(dateline, year)
            if dated is not None:
                return PublicationDate(dated, "dateline+text")
        return PublicationDate(None, "none")
    if footer is not None:
        return PublicationDate(footer, "footer")
    return PublicationDate(None, "none")
