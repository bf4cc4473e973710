"""Titles of posts and ranks: recognising them, splitting compound ones, making plural ones singular.

"member of the Presidium ... of the WPK and secretary for organizational affairs of the Party
Central Committee" is two titles; "secretaries of the Party Central Committee" shared by two names
is "secretary of the Party Central Committee" for each.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dprk_records.pipeline.lexicon import TITLE_HEADS

_HEAD_REGION = re.compile(r"^(.*?)(?:\s+(?:of|for|under|in|at|to)\s+|$)")
_ARTICLE = re.compile(r"^(?:the|a|an|this|that|these|those|his|her|their|its|our)\b", re.I)
_VERB_START = re.compile(
    r"^(?:was|were|is|are|has|have|had|will|would|made|said|presided|delivered|gave|sent|"
    r"attended|inspected|visited|referred|noted|stressed|called|declared|expressed|spoke|told)\b"
)
_CLOSING = re.compile(
    r"^(?:other|and other|all|many|some|senior(?! (?:colonel|captain|lieutenant))|leading|suite|officials? concerned|as|to|for|in|on|"
    r"at|by|with|from)\b",
    re.I,
)
_AND_SPLIT = re.compile(r"\s+and\s+")
_NOT_IN_HEAD = re.compile(r"\b(?:the|a|an|about|his|her|their|its|our|he|she|they|it)\b", re.I)
_HONORIFIC_BEFORE = re.compile(
    r"\b(?:respected|beloved|dear|great|esteemed|eternal|supreme)\s*$", re.I
)


def singular(word: str) -> str:
    """Singular of a title head: secretaries -> secretary, chairmen -> chairman."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith("men") and lower[:-3] + "man" != lower:
        return word[:-3] + "man"
    if lower.endswith("s") and not lower.endswith(("ss", "us")) and len(word) > 3:
        return word[:-1]
    return word


def _head_key(word: str) -> str:
    lower = singular(word.strip(",.;:")).lower()
    return lower


def _is_head(word: str) -> bool:
    key = _head_key(word)
    return key in TITLE_HEADS or key.rsplit("-", 1)[-1] in TITLE_HEADS


@lru_cache(maxsize=1 << 14)
def head_index(title: str) -> int | None:
    """Index (in words) of the title's head noun within its head region, if it has one (cached:
    the rules ask it of the same phrases again and again)."""
    region = _HEAD_REGION.match(title)
    words = title.split()
    count = len(region.group(1).split()) if region else len(words)
    found = None
    for index, word in enumerate(words[:count]):
        if _is_head(word):
            found = index  # the last head word of the region: "vice department director"
    return found


@lru_cache(maxsize=1 << 14)
def is_title(phrase: str) -> bool:
    """A post or rank phrase ("department director of ...", "Premier"), not an epithet (cached,
    like :func:`head_index`)."""
    text = phrase.strip()
    if not text or _ARTICLE.match(text) or _CLOSING.match(text) or _VERB_START.match(text):
        return False
    region = _HEAD_REGION.match(text)
    if region and _NOT_IN_HEAD.search(region.group(1)):
        return False  # "worried about the farmers", "he congratulated the workers"
    return head_index(text) is not None


def is_plural(title: str) -> bool:
    """Whether the post's head noun is plural ("department directors of X", not "director of
    the ministries"): a plural post is shared by the run of names it goes with."""
    index = head_index(title)
    if index is None:
        return False
    word = title.split()[index]
    return singular(word) != word


def make_singular(title: str) -> str:
    """The title with its head noun singular: "department directors of X" -> "department director of X"."""
    index = head_index(title)
    if index is None:
        return title
    words = title.split(" ")
    words[index] = singular(words[index])
    return " ".join(words)


def split_titles(phrase: str) -> list[tuple[int, int]]:
    """[start, end) of each title in a compound phrase; splits at " and " before a new post."""
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _AND_SPLIT.finditer(phrase):
        after = phrase[match.end() :]
        if is_title(after) and head_index(after) is not None and head_index(after) <= 4:
            pieces.append((start, match.start()))
            start = match.end()
    pieces.append((start, len(phrase)))
    return [(s, e) for s, e in pieces if e > s]


def body_of(title: str) -> str | None:
    """The body a post names after its head word: "member of the Presidium of the Political
    Bureau" -> "Presidium of the Political Bureau"; None when it names none ("premier")."""
    index = head_index(title)
    if index is None:
        return None
    words = title.split(" ")
    rest = " ".join(words[index + 1 :])
    match = re.match(r"(?:of|for|under|at|in)\s+(?:the\s+)?(?P<body>.+)$", rest)
    return match.group("body") if match else None


def honorific_before(text: str) -> bool:
    """True when the words just before are an honorific ("the respected General Secretary")."""
    return bool(_HONORIFIC_BEFORE.search(text))


_ROLES: tuple[tuple[str, str], ...] = (
    (r"\bgeneral secretary\b", "general_secretary"),
    (r"\bfirst (?:party )?cell secretary\b", "first_cell_secretary"),
    (r"\bcell secretary\b", "cell_secretary"),
    (r"\bchief secretary\b", "chief_secretary"),
    (r"\balternate member\b", "alternate_member"),
    (r"\bmember\b", "member"),
    (r"\bvice-premier\b", "vice_premier"),
    (r"\bpremier\b", "premier"),
    (r"\bvice[- ]chair(?:man|woman|person)\b", "vice_chairman"),
    (r"\bchair(?:man|woman|person)\b", "chairman"),
    (r"\bvice (?:department )?director\b|\bvice-director\b", "vice_director"),
    (r"\bdepartment director\b", "department_director"),
    (r"\bdirector\b", "director"),
    (r"\bvice-minister\b", "vice_minister"),
    (r"\bminister\b", "minister"),
    (r"\bpresident\b", "president"),
    (r"\bcommander\b", "commander"),
    (r"\b(?:marshal|generalissimo)\b", "marshal"),
    (r"\bgeneral\b", "general"),
    (r"\bmanager\b", "manager"),
    (r"\b(?:leader|captain|head|chief)\b", "leader"),
    (r"\bsecretary\b", "secretary"),
    (r"\bofficer\b", "officer"),
)


@lru_cache(maxsize=1 << 14)
def position_role(title: str) -> str:
    """Class of post (a positions.position_role value) from a singular title (cached)."""
    lower = title.lower()
    for pattern, role in _ROLES:
        if re.search(pattern, lower):
            return role
    return "other"
