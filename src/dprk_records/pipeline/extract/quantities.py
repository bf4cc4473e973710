"""Figures ("more than 200 percent", "10 000 persons") and quotations (slogans, report titles)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from dprk_records.pipeline.extract.hints import Hinted, hinted, initials, opening

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
    "weeks": "week",
    "times": "time",
    "units": "unit",
    "inventions": "invention",
    "greenhouses": "greenhouse",
    "houses": "house",
    "flats": "flat",
    "families": "family",
}
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
# (opens with a lookahead for the first character of a qualifier or a number: hints.opening)
_FIGURE_PATTERN = (
    opening(r"\d" + initials([*_QUALIFIERS.split("|"), *_WORD_NUMBERS]))
    + rf"(?:(?P<qual>{_QUALIFIERS})\s+)?"
    r"(?P<num>\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(_WORD_NUMBERS)
    + rf")\s*(?P<unit>{_UNIT_ALTERNATION})\b"
)
_FIGURE = re.compile(_FIGURE_PATTERN, re.IGNORECASE)
# Every word of these patterns is lower case, so on a lower-cased ASCII sentence they match
# without IGNORECASE, which makes Python's re try its alternatives several times faster.
_FIGURE_FOLDED = re.compile(_FIGURE_PATTERN)
# Every figure ends in a unit and every compound period in "-year", "-month"...: a sentence
# with neither has no figure, and one scan for them is far cheaper than _FIGURE's, which tries
# its qualifiers and number words at every position. A superset of both patterns' matches (no
# word boundary before the unit: _FIGURE allows "50persons"). It opens with a lookahead for a
# unit's first character (see hints.opening).
_ANY_UNIT_PATTERN = (
    opening(initials(_UNITS) + "-")
    + "(?:%|(?:"
    + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True) if u != "%")
    + r")\b|-(?:year|month|week|day)\b)"
)
_ANY_UNIT = re.compile(_ANY_UNIT_PATTERN, re.IGNORECASE)  # (a lower-cased text: number_before_unit)
_QUOTE = hinted(
    r"\"([^\"]{1,400})\"|“([^”]{1,400})”|(?:(?<=\s)|^)‘([^’]{2,300})’(?![a-z])", '"', "“", "‘"
)


@dataclass(frozen=True)
class FigureMatch:
    """A figure in a sentence: [start, end) there, taking in the words its rule reads as part
    of it ("every five years"), and what that rule (``rule``) says it measures."""

    start: int
    end: int
    value: float
    unit: str
    measure: str
    qualifier: str | None
    rule: str  # name of the MeasureRule that classed it


@dataclass(frozen=True)
class QuoteMatch:
    """Quoted words in a sentence and what they are (slogan, report title, cheer, quote)."""

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


@dataclass(frozen=True)
class MeasureRule:
    """What a figure counts, told by its unit and the words next to it.

    ``before`` must match the words that end right before the figure, ``after`` those that begin
    right after it (an empty pattern asks nothing of that side). When ``spans_context`` is set
    the matched words are part of what the figure says ("every five years", "three times a
    year"), so its span takes them in. ``unit`` replaces the unit read from the figure ("time"
    becomes "time per year")."""

    name: str
    measure: str
    units: frozenset[str]
    before: str = ""
    after: str = ""
    spans_context: bool = False
    unit: str = ""


_PERIODS = frozenset({"year", "month", "week", "day"})
_PERIOD_WORDS = r"(?P<period>year|month|week|day|quarter)"
_GROWTH_WORDS = r"\b(?:grew|grow|grown|increased?|rose|risen|up)\b"
# The rules in order: the first whose unit, words before and words after all fit gives the measure.
MEASURE_RULES: tuple[MeasureRule, ...] = (
    # "every five years", "each three months": how often, the period being the figure
    MeasureRule(
        "frequency-every",
        "frequency",
        _PERIODS,
        before=r"\b(?:every|each|once in)\s+$",
        spans_context=True,
    ),
    # "three times a year", "four times per month": how often in a period
    MeasureRule(
        "frequency-times-per",
        "frequency",
        frozenset({"time"}),
        after=rf"^\s+(?:a|an|per|every|each)\s+{_PERIOD_WORDS}\b",
        spans_context=True,
        unit="time per {period}",
    ),
    # "120 percent of the plan", "105 percent of their yearly plan": a share of a plan
    MeasureRule(
        "plan-percent-of",
        "plan_fulfilment",
        frozenset({"percent"}),
        after=r"^\s+of\s+(?:[\w'’-]+\s+){0,4}?(?:plans?|quotas?|targets?)\b",
    ),
    # "fulfilled the plan by 120 percent", "their tunneling plan more than 200 percent"
    MeasureRule(
        "plan-fulfilled-by",
        "plan_fulfilment",
        frozenset({"percent"}),
        before=r"\b(?:plans?|quotas?)\b[^;]{0,110}$",
    ),
    MeasureRule(
        "growth-verb-before",
        "growth",
        frozenset({"percent"}),
        before=_GROWTH_WORDS + r"[^;]{0,110}$",
    ),
    MeasureRule(
        "growth-verb-after", "growth", frozenset({"percent"}), after=r"^.{0,30}?" + _GROWTH_WORDS
    ),
    MeasureRule("percent-count", "count", frozenset({"percent"})),
    MeasureRule("participants", "participants", frozenset({"person"})),
    MeasureRule("output", "output", frozenset({"ton", "hectare", "unit", "meter", "kilometer"})),
    # "for five years", "in three months", "a five-year plan": how long
    MeasureRule("duration", "duration", _PERIODS),
)
_MEASURE_RULES = [
    (
        rule,
        re.compile(rule.before) if rule.before else None,
        re.compile(rule.after) if rule.after else None,
    )
    for rule in MEASURE_RULES
]
_CONTEXT = 120


def classify(unit: str, sentence: str, start: int, end: int) -> tuple[MeasureRule, int, int, str]:
    """The rule that classes the figure at [start, end), with its span and unit as the rule
    reads them; "count" when no rule fits."""
    before_text = sentence[max(0, start - _CONTEXT) : start]
    after_text = sentence[end : end + _CONTEXT]
    for rule, before, after in _MEASURE_RULES:
        if unit not in rule.units:
            continue
        found_before = before.search(before_text) if before else None
        found_after = after.match(after_text) if after else None
        if (before and found_before is None) or (after and found_after is None):
            continue
        span_start, span_end, new_unit = start, end, unit
        if rule.spans_context:
            if found_before is not None:
                span_start = start - (len(before_text) - found_before.start())
            if found_after is not None:
                span_end = end + len(found_after.group().rstrip())
        if rule.unit:
            period = found_after.group("period") if found_after is not None else ""
            new_unit = rule.unit.format(period=period)
        return rule, span_start, span_end, new_unit
    return _COUNT, start, end, unit


_COUNT = MeasureRule("count", "count", frozenset())
# "a five-year plan", "a 100-day campaign": a period written as a compound (not "20-year-old")
_COMPOUND_PERIOD_PATTERN = (
    opening(r"\d" + initials(_WORD_NUMBERS))
    + r"\b(?P<num>\d+|"
    + "|".join(_WORD_NUMBERS)
    + r")-(?P<unit>year|month|week|day)\b(?!-old)"
)
_COMPOUND_PERIOD = re.compile(_COMPOUND_PERIOD_PATTERN, re.IGNORECASE)
# (on folded text a compound period holds "-year", "-month", "-week" or "-day" as written)
_COMPOUND_PERIOD_FOLDED = hinted(_COMPOUND_PERIOD_PATTERN, "-year", "-month", "-week", "-day")


_DIGIT_BEFORE_UNIT = re.compile(rf"\d\s*(?:{_UNIT_ALTERNATION})")  # (opens with a digit: quick)
_UNIT_NEXT = re.compile(rf"\s*(?:{_UNIT_ALTERNATION})")


def number_before_unit(text: str) -> bool:
    """Whether a lower-cased ``text`` has a number right before a unit (spaces between
    allowed), as every match of the figure pattern does: most sentences that name a unit
    ("years", "people", "times") have none and are not scanned with it. Digits are found by a
    scan that skips to them, number words by substring searches, and only what follows each is
    read; the unit's word boundary is not asked (a superset is enough)."""
    if _DIGIT_BEFORE_UNIT.search(text) is not None:
        return True
    for word in _WORD_NUMBERS:
        at = text.find(word)
        while at >= 0:
            if _UNIT_NEXT.match(text, at + len(word)) is not None:
                return True
            at = text.find(word, at + 1)
    return False


def _any_unit(text: str) -> bool:
    return _ANY_UNIT.search(text) is not None


def find_figures(sentence: str) -> list[FigureMatch]:
    """Every number with a unit in a sentence, and every compound period ("a five-year plan"),
    classed by what it measures (MEASURE_RULES); four digits before "years" are a calendar year,
    not a figure.

    An ASCII sentence is lower cased and scanned with the case-sensitive patterns (same
    offsets, same matches, much faster); any other with the IGNORECASE ones (lower() may change
    its length), and only once a unit or a compound period's "-year" is found in it at all."""
    if sentence.isascii():
        folded = sentence.lower()
        return figures_in(
            sentence, folded, number_before_unit, _FIGURE_FOLDED, _COMPOUND_PERIOD_FOLDED
        )
    if not _any_unit(sentence):
        return []
    return figures_in(sentence, sentence, None, _FIGURE, _COMPOUND_PERIOD)


def figures_in(
    sentence: str,
    text: str,
    may_hold_figure: Callable[[str], bool] | None,
    figure: re.Pattern[str],
    compound_period: re.Pattern[str] | Hinted,
) -> list[FigureMatch]:
    """:func:`find_figures` with the text, the gate and the patterns to scan given: the fast,
    case-folded ones or the IGNORECASE ones must find the same figures (a property test holds
    them to it). ``may_hold_figure`` is False only for a text where ``figure`` finds nothing
    (None: the text is scanned)."""
    found = []
    if may_hold_figure is None or may_hold_figure(text):
        for match in figure.finditer(text):
            value = parse_number(match.group("num"))
            if value is None:
                continue
            unit = _UNITS[match.group("unit").lower()]
            if unit == "year" and match.group("num").isdigit() and len(match.group("num")) == 4:
                continue
            qualifier = match.group("qual").lower() if match.group("qual") else None
            rule, start, end, unit = classify(unit, sentence, match.start(), match.end())
            found.append(FigureMatch(start, end, value, unit, rule.measure, qualifier, rule.name))
    for match in compound_period.finditer(text):
        value = parse_number(match.group("num"))
        if value is None or any(f.start <= match.start() < f.end for f in found):
            continue
        unit = match.group("unit").lower()
        rule, start, end, unit = classify(unit, sentence, match.start(), match.end())
        found.append(FigureMatch(start, end, value, unit, rule.measure, None, rule.name))
    return sorted(found, key=lambda f: f.start)


def find_quotes(sentence: str) -> list[QuoteMatch]:
    """Every quotation in a sentence, classed: a report's title (after "report"), a slogan, a
    cheer or a plain quote. A vessel's quoted name is left out: it is part of an organization's."""
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
