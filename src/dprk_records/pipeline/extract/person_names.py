"""Korean personal names in KCNA romanization: "Ri Il Hwan", "O Il Jong", "Kim Jong Un".

A name is a family name followed by one or two given-name syllables, each capitalized and separate.
Every syllable must be a possible Korean syllable in McCune-Reischauer spelling (without
diacritics), which is what keeps "Kim Chaek Iron" or "Kim Jin Youth" from reading as a person.
A name glued to more capitalized words or a hyphen ("Kim Il Sung University", "Pak Thae Son-led
Hero Work-team", "Kim Il Sung-Kim Jong Il Foundation") belongs to an organization's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dprk_records.pipeline.extract.hints import Gated, opening, word_start
from dprk_records.pipeline.extract.titles import head_index, is_title
from dprk_records.pipeline.lexicon import (
    FAMILY_NAMES,
    HEADLINE_NAME_FOLLOWERS,
    MONTHS,
    NOT_NAME_HEADS,
    TITLE_HEADS,
    WEEKDAYS,
)

_SYLLABLE = re.compile(
    r"^(?:kk|tt|pp|ss|jj|ch|kh|th|ph|sh|[gkndtrlmbpsjhcwy])?"
    r"(?:wae|yae|yeo|ae|oe|wa|wo|we|wi|ya|yo|yu|ye|ui|eo|eu|oo|ee|a|e|i|o|u)"
    r"(?:ng|n|m|l|k|p|t|r)?$"
)
_WORD = re.compile(r"[A-Z][a-z]*(?:-[A-Za-z][a-z]*)?")
_CAPITAL_AFTER = re.compile(r" (?:[A-Z][a-z]|No\.|\d)")
# A word that may open a name: a family name as a whole word (the words \b[A-Z][a-z]{0,7}\b that
# are in FAMILY_NAMES). Scanning for these alone, not for every capitalized word, spares a call
# per word; longer names first, so that the alternation never stops at a shorter one.
_FAMILY_WORDS = sorted(
    (name for name in FAMILY_NAMES if re.fullmatch(r"[A-Z][a-z]{0,7}", name)),
    key=lambda name: (-len(name), name),
)
_NAME_START = re.compile(word_start(_FAMILY_WORDS) + r"\b")  # (see hints.word_start)
_LIST_JOINT = re.compile(r"\s*(?:,\s*|\s+and\s+|,\s+and\s+)")
_PLACE_BEFORE = re.compile(r"\b(?:of|in|from|at)\s+$")


@dataclass(frozen=True)
class NameMatch:
    """A name found in a text: [start, end) in that text and the normalized name."""

    start: int
    end: int
    name: str


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """True for one capitalized Korean syllable ("Hwan", "Il", "Thae"); "II" is the OCR slip.
    Cached: a document asks of the same few hundred words again and again."""
    return word == "II" or (word[:1].isupper() and bool(_SYLLABLE.match(word.lower())))


def _given_parts(word: str) -> list[str] | None:
    """Given-name syllables in one token: "Jong" -> [Jong]; foreign "Jong-un" -> [Jong, Un]."""
    if "-" in word:
        parts = word.split("-")
        if (
            len(parts) == 2
            and all(_SYLLABLE.match(p.lower()) for p in parts)
            and parts[1].islower()
        ):
            return [parts[0], parts[1].capitalize()]
        return None
    return [word] if is_syllable(word) else None


def _normalize(words: list[str]) -> str:
    return " ".join("Il" if w == "II" else w for w in words)


def match_name_at(
    text: str, start: int, lenient: bool = False, headline: bool = False
) -> NameMatch | None:
    """The name that starts exactly at ``start``, if one does.

    ``lenient`` accepts a family name outside the known list when three syllables follow the
    listing's rhythm ("Kye Sun Ok" in a list of officials). ``headline`` reads a title-case
    headline, where a name may be followed by a capitalized verb or preposition ("X Guides
    Conference").
    """
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-'’"):
        return None
    family = _WORD.match(text, start)
    if family is None or "-" in family.group():
        return None
    known = family.group() in FAMILY_NAMES
    if not known and not (lenient and is_syllable(family.group())):
        return None
    words = [family.group()]
    end = family.end()
    given: list[str] = []
    while len(given) < 2 and text.startswith(" ", end):
        if text.startswith("II", end + 1) and not text[end + 3 : end + 4].isalnum():
            given.append("II")  # the OCR slip for "Il", read as the syllable it stands for
            end += 3
            continue
        nxt = _WORD.match(text, end + 1)
        if nxt is None:
            break
        parts = _given_parts(nxt.group())
        if parts is None:
            break
        given.extend(parts)
        end = nxt.end()
        if "-" in nxt.group():
            break
    if not given or (not known and len(given) != 2):
        return None
    words.extend(given)
    # Glued to an organization's name: a hyphen ("Son-led", "Sung-Kim") or more capitalized
    # words -- unless those words are a post: decrees list "Title Name" pairs one per line, and
    # a paragraph joins them ("Kim Chol Su Minister of Public Health Ri Yong Ae")
    if text.startswith("-", end) or (
        _CAPITAL_AFTER.match(text, end)
        and not _post_follows(text, end)
        and not (headline and _headline_word_follows(text, end))
    ):
        return None
    return NameMatch(start, end, _normalize(words))


def _headline_word_follows(text: str, end: int) -> bool:
    """Whether the word after ``end`` is one a headline puts after a name ("Guides", "at")."""
    following = _WORD.match(text, end + 1)
    return following is not None and following.group() in HEADLINE_NAME_FOLLOWERS


def _post_follows(text: str, end: int) -> bool:
    """Whether the words after ``end`` begin a post whose head comes within three words."""
    following = " ".join(text[end:].split(maxsplit=5)[:5])  # (not split to the text's end)
    head = head_index(following)
    return is_title(following) and head is not None and head <= 2


def may_name_someone(text: str) -> bool:
    """Whether a text can hold a personal name at all (False: no rule finds one in it, Korean
    or foreign, framed or listed). Half the sentences of a long report have no capitalized word
    with another one (or a particle) right after it: the name rules pass over them after this
    one scan."""
    return _NAME_PIECE.search(text) is not None


def find_names(text: str, headline: bool = False) -> list[NameMatch]:
    """Every person name in a text, left to right, not overlapping (``headline``: the text is
    a title-case headline, see :func:`match_name_at`)."""
    found: list[NameMatch] = []
    pos = 0
    for match in _NAME_START.finditer(text):
        if match.start() < pos:
            continue
        name = match_name_at(text, match.start(), headline=headline)
        if name is not None:
            found.append(name)
            pos = name.end
    return found


def parse_name_list(text: str) -> list[NameMatch] | None:
    """Names making up a whole segment: "A", "A and B", "A, B" -- else None."""
    names: list[NameMatch] = []
    pos = 0
    while True:
        name = match_name_at(text, pos, lenient=True)
        if name is None:
            return None
        names.append(name)
        rest = text[name.end :]
        if not rest.strip():
            return names
        joint = _LIST_JOINT.match(rest)
        if joint is None:
            return None
        pos = name.end + joint.end()


# Foreign names appear in KCNA texts with delegations and talks ("Foreign Minister Ivan
# Petrov"). They are recognised only where the genre frames a person: right after a post
# ("President X Y") or as a listing item followed by a title.
_FOREIGN_WORD = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
_FOREIGN_PARTICLES = "de|van|von|bin|al|da|dos|le|la"  # lower-case words inside a foreign name
_FOREIGN_LATER_WORD = rf"(?:{_FOREIGN_WORD}|{_FOREIGN_PARTICLES})"
FOREIGN_NAME = re.compile(rf"{_FOREIGN_WORD}(?: {_FOREIGN_LATER_WORD}){{1,3}}")
# A piece of every personal name the rules read: a Korean one (a family name, one space and a
# capitalized syllable or the OCR's "II"), a foreign one (FOREIGN_NAME, also the run a list reads)
# and so a foreign name the document framed before. It opens with a capital, so the engine skips
# along to the capitals (see hints.opening); the particle needs no word boundary after it, as
# FOREIGN_NAME asks none.
_NAME_PIECE = re.compile(rf"[A-Z][a-z]*(?:-[A-Za-z]?[a-z]+)? (?:[A-Z]|{_FOREIGN_PARTICLES})")
_NOT_NAME_WORDS = (
    frozenset(
        """
    The A An Party Committee Central Korea Korean DPRK Republic People's Army Cabinet State
    Assembly Commission Ministry Minister President Premier Chairman General Secretary Bureau
    Presidium Political Supreme Democratic Union Federation Council Government Embassy
    Delegation University Complex Factory Farm Mine Station Province County City District
    Institute Juche Comrade Respected Marshal Russia Russian China Chinese Vietnam Vietnamese
    Laos Lao Cuba Cuban Syria Syrian Iran Iranian Belarus Mongolia Mongolian Indonesia
    Indonesian Foreign Defence Defense International Title Titles Conferred Promoted Awarded
    Appointed Elected
    """.split()
    )
    | HEADLINE_NAME_FOLLOWERS
    | frozenset(MONTHS)
    | frozenset(WEEKDAYS)
    | NOT_NAME_HEADS
)
# Posts a foreign name follows ("President X Y"); the scan skips along to the posts' first
# letters (see hints.word_start).
_FOREIGN_POSTS = (
    "President|Prime Minister|Premier|Minister|Ambassador|Chairman|Chairwoman|"
    "Secretary-General|Secretary|Director|Governor|Speaker|Envoy|Mayor|Commander|General|"
    "Admiral|Chief|Colonel|Major|Lieutenant|Captain|Marshal|Comrade|Chairperson|Dean|Consul"
)
_FOREIGN_AFTER_TITLE = re.compile(
    word_start(_FOREIGN_POSTS.split("|"))
    + rf"(?: (?:of|to|for) (?:the )?[A-Z][\w'’-]*(?: (?:of )?[A-Z][\w'’-]*)*?)?\s+"
    rf"({FOREIGN_NAME.pattern})(?=[,.;:)]|\s+[a-z]|\s*$)"
)


@lru_cache(maxsize=1 << 14)
def is_foreign_name(text: str) -> bool:
    """A whole phrase that reads as a non-Korean personal name ("Ivan Petrov"): no word of it
    names a body, a place or a post ("Colonel Ivan Petrov" is a rank and a name)."""
    return bool(FOREIGN_NAME.fullmatch(text)) and not any(
        w in _NOT_NAME_WORDS or w.lower() in TITLE_HEADS for w in text.split()
    )


def find_foreign_names(text: str) -> list[NameMatch]:
    """Foreign names right after a post ("Foreign Minister Ivan Petrov")."""
    found = []
    for match in _FOREIGN_AFTER_TITLE.finditer(text):
        start, name = match.start(1), match.group(1)
        # "Lieutenant General Ivan Petrov": the rank's second word is not the name's first
        while " " in name and name.split()[0].lower() in TITLE_HEADS:
            first = name.split()[0]
            start, name = start + len(first) + 1, name[len(first) + 1 :]
        if is_foreign_name(name) and match_name_at(text, start) is None:
            found.append(NameMatch(start, start + len(name), name))
    return found


@lru_cache(maxsize=1 << 14)
def is_korean_name(name: str) -> bool:
    """Family name first (Korean order) or given name first (foreign). Cached: a document asks
    it of each of its mentions once per sentence."""
    words = name.split()
    return words[0] in FAMILY_NAMES or all(is_syllable(w) for w in words)


# (every such name ends in a word, capitalized or a particle, after a space and before " ?, ":
# few sentences have one, and the gate's scan, opening with a literal space, is many times
# cheaper than trying a name at every capital letter)
_FOREIGN_BEFORE_COMMA = Gated(
    re.compile(opening("A-Z") + rf"(?<![\w-])({FOREIGN_NAME.pattern}) ?, "),
    re.compile(rf" {_FOREIGN_LATER_WORD} ?, "),
)


def foreign_name_candidates(text: str) -> list[NameMatch]:
    """Foreign-looking names followed by a comma, for the caller to keep when a title follows
    ("Robert Harlan, commander of the U.S. Forces Korea, said")."""
    found = []
    for match in _FOREIGN_BEFORE_COMMA.finditer(text):
        name = match.group(1)
        before = text[: match.start(1)]
        # the place word ends where the trailing spaces begin: search only from there
        if not is_foreign_name(name):  # (the cheapest test first: it is cached)
            continue
        if _PLACE_BEFORE.search(before, max(0, len(before.rstrip()) - len("from"))):
            continue  # "ambassador to Viet Nam, and ...": a place, not a person
        if match_name_at(text, match.start(1)) is None:
            found.append(NameMatch(match.start(1), match.end(1), name))
    return found
