"""Named events: "the 6th Conference of Cell Secretaries of the Workers' Party of Korea",
"the Second Plenary Meeting of its Eighth Central Committee", "the Eighth Party Congress".

Names are made canonical so that every spelling of one event gives one name: ordinals in digits,
the party as "WPK", "Party Central Committee" as "Central Committee of the WPK".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dprk_records.pipeline.claims import apply_event_aliases
from dprk_records.pipeline.extract.hints import hinted, initials, opening, word_start
from dprk_records.pipeline.lexicon import (
    EVENT_KEY_DROPS,
    HEADLINE_VERBS,
    MONTHS,
    ORDINAL_WORDS,
    WEEKDAYS,
    ordinal_text,
)

_BY_LENGTH = sorted(ORDINAL_WORDS, key=len, reverse=True)  # "Twenty-first" before "first"
_ORDINAL_WORD = "|".join(word.capitalize() for word in _BY_LENGTH)
_ORDINAL_LOWER_WORD = "|".join(_BY_LENGTH)
# (each scan opens with a lookahead for the characters an ordinal begins with: see hints.opening)
_ORDINAL = re.compile(
    opening(r"\d" + initials(_ORDINAL_WORD.split("|")))
    + rf"\b(?:(\d{{1,3}})(?:st|nd|rd|th)|({_ORDINAL_WORD}))\b"
)
# The same matches in a text whose digits are all 0-9, without the groups, written so that the
# engine skips to the digits and capitals an ordinal opens with (see hints.word_start)
_ORDINAL_SCAN = re.compile(
    word_start(
        [
            *(rf"{digit}\d{{0,2}}(?:st|nd|rd|th)" for digit in "0123456789"),
            *_ORDINAL_WORD.split("|"),
        ]
    )
    + r"\b"
)
# a decimal digit other than 0-9 ("\u0663", a full-width "1"): \d reads it, the scan spells out 0-9
_OTHER_DIGIT = re.compile(r"[^\D0-9]")


def _ordinal_scan(text: str) -> re.Pattern[str]:
    """The pattern to find ordinals in ``text`` with: the quick scan, or the plain pattern for a
    text with a digit other than 0-9 (rare; a test holds the two to the same matches)."""
    # (an ASCII text has no other digit: one C test instead of a scan of every character)
    if not text.isascii() and _OTHER_DIGIT.search(text) is not None:
        return _ORDINAL
    return _ORDINAL_SCAN


_LOWER_EVENT_HEADS = (
    "workshop",
    "conference",
    "congress",
    "meeting",
    "session",
    "rally",
    "seminar",
)
_ORDINAL_LOWER = hinted(  # (the event's head word is the hint: most sentences have none)
    f"({word_start(_BY_LENGTH)})"
    + r"\s+(?=(?:workshop|conference|congress|meeting|plenary meeting|session|rally|seminar)\s+(?:for|of)\b)",
    *_LOWER_EVENT_HEADS,
)
_NAME_TOKEN = re.compile(
    rf"(?:(?<=Politburo )meeting|(?<=Political Bureau )meeting|and(?= (?!the\b)[A-Z])|C\.C\.,\s*WPK|[A-Z][\w'’`-]*|C\.C\.|\([A-Z]{{2,6}}\)|of|the|its|for|on|\d{{1,3}}(?:st|nd|rd|th)|{_ORDINAL_WORD})"
)
_IN_THE_NAME = re.compile(r"in the [A-Z]")
_SPACE = re.compile(r"\s+")
_HEADLINE_VERBS = HEADLINE_VERBS
_DATE_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS)
_HEADS: tuple[tuple[str, str], ...] = (
    ("plenary meeting", "plenary_meeting"),
    ("enlarged meeting", "meeting"),
    ("congress", "congress"),
    ("conference", "conference"),
    ("session", "session"),
    ("workshop", "workshop"),
    ("plenum", "plenary_meeting"),
    ("meeting", "meeting"),
    ("rally", "rally"),
    ("seminar", "meeting"),
    ("symposium", "meeting"),
    ("festival", "other"),
    ("exhibition", "other"),
    ("contest", "other"),
    ("games", "other"),
    ("ceremony", "other"),
    ("celebration", "other"),
)
_LOWER_STOP = re.compile(
    r"^(?:\w+ly|was|were|is|are|has|have|had|will|would|set|took|held|opened|closed|said|and|to|in|on|at|by|with|which|that|who|as)$"
)
_STOPWORDS = {"the", "a", "an", "of", "its", "and", "for", "on"}


@dataclass(frozen=True)
class EventMatch:
    """A named event in a text: [start, end) there and its canonical description."""

    start: int
    end: int
    name: str
    ordinal: int | None
    series: str
    event_kind: str


def ordinal_value(token: str) -> int | None:
    """6 for "6th", "Sixth" or "sixth", None for any other word: an event numbered in digits or
    in words gets one ordinal."""
    match = _ORDINAL.fullmatch(token) or None
    if match is None:
        return ORDINAL_WORDS.get(token.lower())
    return int(match.group(1)) if match.group(1) else ORDINAL_WORDS[match.group(2).lower()]


def event_kind(name: str) -> str | None:
    """The kind of event a name's head noun says (a "plenary meeting" before a bare "meeting",
    a "seminar" is a meeting); None when it names no kind, and then the name is no event."""
    lower = name.lower()
    for head, kind in _HEADS:
        if re.search(rf"\b{head}\b", lower):
            return kind
    return None


_ABBREVIATED = re.compile(
    r"((?:[A-Z][\w'’`-]*\s+)(?:(?:of|the|and)\s+|[A-Z][\w'’`-]*\s+)*?[A-Z][\w'’`-]*)\s*\(([A-Z]{2,6})\)"
)


def _abbreviate(match: re.Match[str]) -> str:
    """ "Supreme People's Assembly (SPA)" -> "SPA": a name the text itself abbreviates, written as
    the abbreviation, as the party's name is written "WPK"."""
    words = [w for w in match.group(1).split() if w[:1].isupper()]
    for start in range(len(words)):
        if "".join(w[0] for w in words[start:]) == match.group(2):
            prefix = match.group(1)
            cut = prefix.rfind(words[start]) if start else 0
            return prefix[:cut] + match.group(2)
    return match.group(0)


@lru_cache(maxsize=1 << 14)
def canonical_event_name(raw: str) -> str:
    """One spelling per event: digits for ordinals, WPK for the party, no leading article
    (cached: a document's rules ask it of the same names again and again)."""
    text = " ".join(raw.split())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    text = re.sub(
        rf"\b(?:(\d{{1,3}})(?:st|nd|rd|th)|({_ORDINAL_WORD}|{_ORDINAL_LOWER_WORD}))\b",
        lambda m: ordinal_text(
            int(m.group(1)) if m.group(1) else ORDINAL_WORDS[m.group(2).lower()]
        ),
        text,
    )
    text = _ABBREVIATED.sub(_abbreviate, text)
    text = apply_event_aliases(text)
    for pattern, replacement in _MOVED_ORDINALS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"C\.C\.,?\s*WPK", "Central Committee of the WPK", text)
    text = re.sub(r"\bits\b", "the", text)
    text = re.sub(r"\bParty Central Committee\b", "Central Committee of the WPK", text)
    text = re.sub(r"\bParty (Congress|Conference)\b", r"\1 of the WPK", text)
    if "Central Committee" in text and not re.search(r"Central Committee of\b", text):
        text = re.sub(r"Central Committee\b", "Central Committee of the WPK", text, count=1)
    text = re.sub(r"\bof (?:the )?WPK\b", "of the WPK", text)
    text = re.sub(r"\bof (\d+(?:st|nd|rd|th))\b", r"of the \1", text)
    return text


_ORD = r"\d{1,3}(?:st|nd|rd|th)"
# Headline compressions that put the meeting's number on the body (C3.5): "Enlarged Meeting of
# 21st Political Bureau of 7th CC" and "15th Political Bureau Meeting" are the 21st and the 15th
# meeting of the Political Bureau; "an enlarged meeting of the 6th Plenary Meeting" is that
# plenary meeting.
_MOVED_ORDINALS = [
    (
        re.compile(
            rf"^(?:[Ee]nlarged )?[Mm]eeting of (?:the )?({_ORD}) (Political Bureau|Secretariat)\b"
        ),
        r"\1 Meeting of the \2",
    ),
    (
        re.compile(rf"^({_ORD}) (?:[Ee]nlarged )?(Political Bureau|Secretariat) [Mm]eeting\b"),
        r"\1 Meeting of the \2",
    ),
    (re.compile(rf"^({_ORD}) (Political Bureau|Secretariat)(?= of\b)"), r"\1 Meeting of the \2"),
    (
        re.compile(rf"^(?:an? )?[Ee]nlarged [Mm]eeting of (?:the )?({_ORD} Plenary Meeting)\b"),
        r"\1",
    ),
    (
        re.compile(
            rf"^({_ORD}) (Central Committee of the WPK|Central Military Commission of the WPK)$"
        ),
        r"\1 \2",
    ),
]
_KEY_DROPS = [re.compile(pattern) for pattern in EVENT_KEY_DROPS]


@lru_cache(maxsize=1 << 14)
def event_key(name: str) -> str:
    """Identity of an event name: canonical, case and punctuation folded, articles dropped, and
    the words that do not change which event it is ("enlarged", "of the DPRK") left out."""
    canonical = canonical_event_name(name)
    for pattern in _KEY_DROPS:
        canonical = pattern.sub("", canonical)
    canonical = canonical.lower()
    words = re.findall(r"[a-z0-9]+", canonical.replace("'", "").replace("’", ""))
    return " ".join(w for w in words if w not in _STOPWORDS)


def _describe(raw: str, start: int, end: int) -> EventMatch | None:
    name = canonical_event_name(raw)
    kind = event_kind(name)
    if kind is None:
        return None
    first = name.split()[0]
    ordinal = ordinal_value(first)
    series = name.split(" ", 1)[1] if ordinal is not None and " " in name else name
    return EventMatch(start, end, name, ordinal, series, kind)


def find_events(text: str) -> list[EventMatch]:
    """Every named (numbered) event in a text, left to right."""
    found: list[EventMatch] = []
    for match in _ordinal_scan(text).finditer(text):
        if found and match.start() < found[-1].end:
            continue
        tokens_end = match.end()
        pos = match.end()
        while True:
            space = _SPACE.match(text, pos)  # read in place: a copy per token costs quadratic time
            if not space:
                break
            token = _NAME_TOKEN.match(text, space.end())
            if token is None and _IN_THE_NAME.match(text, space.end()):
                pos = space.end() + len("in")  # "Meeting of Innovators in the Metal Industry"
                continue
            if token is None or token.group() in _HEADLINE_VERBS or token.group() in _DATE_WORDS:
                break
            pos = token.end()
            if token.group() not in {"of", "the", "its", "for", "on"}:
                tokens_end = pos
            if token.group().endswith(","):
                break
        raw = text[match.start() : tokens_end].rstrip(",")
        if raw == match.group():
            continue
        described = _describe(raw, match.start(), match.start() + len(raw))
        if described is not None:
            found.append(described)
    for match in _ORDINAL_LOWER.finditer(text):
        pos = match.end()
        end = pos
        for word in re.finditer(r"[\w'’-]+|[,.;:]", text[pos:]):
            token = word.group()
            if token in ",.;:" or (_LOWER_STOP.match(token) and token != "and"):
                break
            if token == "and" and not re.match(
                r"and [a-z]+ (?:Party|[a-z]+) ", text[pos + word.start() :]
            ):
                break
            end = pos + word.end()
        raw = text[match.start() : end]
        described = _describe(raw, match.start(), end)
        if described is not None and not any(f.start <= match.start() < f.end for f in found):
            found.append(described)
    for match in _HELD_ITS.finditer(text):
        if any(f.start <= match.start() < f.end for f in found):
            continue
        ordinal = ordinal_value(match.group("ordinal"))
        if ordinal is None:
            continue
        body = re.sub(r"^(?:the|The) ", "", match.group("body"))
        raw = f"{ordinal_text(ordinal)} {match.group('kind')} of the {body}"
        described = _describe(raw, match.start("body"), match.end())
        if described is not None:
            found = [f for f in found if not match.start() <= f.start < match.end()]
            found.append(described)
    return sorted(found, key=lambda e: e.start)


# "The 14th SPA of the DPRK held its eighth session": the event is named around its verb (the
# verb with " its " after it is the hint: a sentence without one is not scanned; " its " alone is
# in many sentences that name no event).
_HELD_ITS = hinted(
    rf"(?P<body>(?:the |The )(?:(?:\d{{1,3}}(?:st|nd|rd|th)|{_ORDINAL_WORD}) )?[A-Z][\w'’]*"
    r"(?: (?:[A-Z][\w'’]*|of|the|\d{1,3}(?:st|nd|rd|th)|C\.C\.,\s*WPK))*?) "
    r"(?:held|convened|opened|met for) its "
    rf"(?P<ordinal>\d{{1,3}}(?:st|nd|rd|th)|{_ORDINAL_WORD}|{_ORDINAL_LOWER_WORD}) "
    r"(?P<kind>(?:[Ee]nlarged )?(?:[Pp]lenary [Mm]eeting|[Ss]ession|[Mm]eeting|[Pp]lenum|"
    r"[Cc]ongress|[Cc]onference))\b",
    " held its ",
    " convened its ",
    " opened its ",
    " met for its ",
)


_BARE = re.compile(
    rf"^(?P<ordinal>{_ORD}) (?P<head>Plenary Meeting|Session|Meeting of the Political Bureau|"
    r"Meeting|Enlarged Meeting)$"
)
_TERMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Plenary Meeting", re.compile(rf"\bof the ({_ORD} Central Committee of the WPK)$")),
    (
        "Meeting of the Political Bureau",
        re.compile(rf"\bof the ({_ORD} Central Committee of the WPK)$"),
    ),
    ("Session", re.compile(rf"\bof the ({_ORD} SPA)\b")),
)


def complete_event_names(names: list[str]) -> list[str]:
    """Names of one document with the body and term a bare name leaves out (C3.7): "the 8th
    Session" is the 8th Session of the SPA whose term the document names elsewhere; "the Sixth
    Plenary Meeting" in a text about the 8th Central Committee is the 6th Plenary Meeting of it;
    "the 21st Meeting" is the 21st meeting the document names in full."""
    canonical = [canonical_event_name(name) for name in names]
    completed = []
    for name in canonical:
        bare = _BARE.match(name)
        if bare is None:
            completed.append(name)
            continue
        ordinal, head = bare.group("ordinal"), bare.group("head")
        same = next(
            (
                other
                for other in canonical
                if other != name
                and other.startswith(f"{ordinal} ")
                and " of the " in other
                and head.split()[0] in other
            ),
            None,
        )
        if same is not None:
            completed.append(same)
            continue
        term = next(
            (
                found.group(1)
                for kind, pattern in _TERMS
                if kind == head
                for other in canonical
                if (found := pattern.search(other))
            ),
            None,
        )
        completed.append(f"{name} of the {term}" if term else name)
    return completed
