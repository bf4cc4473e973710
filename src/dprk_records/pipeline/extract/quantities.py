"""Figures ("more than 200 percent", "10 000 persons") and quotations (slogans, report titles)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "thousand": 1000,
}
_QUALIFIERS = r"more than|less than|at least|up to|over|about|nearly|some|around|almost"
_UNITS = {
    "percent": "percent",
    "per cent": "percent",
    "%": "percent",
    "persons": "person",
    "person": "person",
    "people": "person",
    "participants": "person",
    "delegates": "person",
    "tons": "ton",
    "tonnes": "ton",
    "hectares": "hectare",
    "kilometers": "kilometer",
    "kilometres": "kilometer",
    "meters": "meter",
    "metres": "meter",
    "years": "year",
    "months": "month",
    "days": "day",
    "times": "time",
    "units": "unit",
    "inventions": "invention",
    "greenhouses": "greenhouse",
    "houses": "house",
    "flats": "flat",
    "families": "family",
}
_FIGURE = re.compile(
    rf"(?:(?P<qual>{_QUALIFIERS})\s+)?"
    r"(?P<num>\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(_WORD_NUMBERS)
    + r")\s*(?P<unit>"
    + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"\"([^\"]{1,400})\"|“([^”]{1,400})”|(?:(?<=\s)|^)‘([^’]{2,300})’(?![a-z])")


@dataclass(frozen=True)
class FigureMatch:
    start: int
    end: int
    value: float
    unit: str
    measure: str
    qualifier: str | None


@dataclass(frozen=True)
class QuoteMatch:
    start: int  # of the words inside the quotation marks
    end: int
    text: str
    quote_kind: str


def parse_number(text: str) -> float | None:
    """ "10 000" -> 10000, "1,250" -> 1250, "five" -> 5."""
    word = text.lower()
    if word in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[word])
    digits = re.sub(r"[ ,](?=\d{3}\b)", "", text)
    try:
        return float(digits)
    except ValueError:
        return None


def _measure(unit: str, sentence: str, start: int) -> str:
    before = sentence[max(0, start - 120) : start].lower()
    after = sentence[start : start + 80].lower()
    if unit == "person":
        return "participants"
    if unit == "percent":
        if "plan" in before or "plan" in after[:40]:
            return "plan_fulfilment"
        if re.search(r"\b(?:grew|grow|increase|rose|up)\b", before + " " + after[:40]):
            return "growth"
        return "count"
    if unit in {"ton", "hectare", "unit", "meter", "kilometer"}:
        return "output"
    if unit in {"year", "month", "day"}:
        return "duration"
    return "count"


def find_figures(sentence: str) -> list[FigureMatch]:
    found = []
    for match in _FIGURE.finditer(sentence):
        value = parse_number(match.group("num"))
        if value is None:
            continue
        unit = _UNITS[match.group("unit").lower()]
        if unit == "year" and match.group("num").isdigit() and len(match.group("num")) == 4:
            continue
        qualifier = match.group("qual").lower() if match.group("qual") else None
        found.append(
            FigureMatch(
                match.start(),
                match.end(),
                value,
                unit,
                _measure(unit, sentence, match.start()),
                qualifier,
            )
        )
    return found


def find_quotes(sentence: str) -> list[QuoteMatch]:
    found = []
    for match in _QUOTE.finditer(sentence):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        text = match.group(group)
        start = match.start(group)
        before = sentence[max(0, start - 40) : start].lower()
        if re.search(r"\b(?:vessel|ship|trawler|boat)\s+[\"“‘]$", before):
            continue  # a vessel's name is part of an organization's name
        if re.search(r"\breport\s+[\"“‘]$", before):
            kind = "report_title"
        elif re.search(r"\bslogan\s+[\"“‘]$", before) or (
            text.rstrip().endswith("!") and len(text.split()) > 2
        ):
            kind = "slogan"
        elif re.fullmatch(r"(?:hurrah|hurray|long live)[!. ]*", text.strip().lower()):
            kind = "cheer"
        else:
            kind = "quote"
        found.append(QuoteMatch(start, start + len(text), text, kind))
    return found
