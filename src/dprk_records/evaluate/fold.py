"""String folding for matching gold annotations to predictions: pure functions, no I/O.

Two strings "match" when their folded forms are equal. Every fold is idempotent
(``f(f(s)) == f(s)``), so folding a gold value, a predicted value, or an already folded value
always lands on the same key.

``fold_text`` -- the base fold, used for person names, dates and places:

1. Unicode NFKC, then case folding (``casefold``), then NFKC again;
2. apostrophe variants (``’ ‘ ` ´ ʼ ʻ ′ ‛``) are folded to ``'``, and then, like every other
   character that is not a letter, digit or whitespace, dropped -- so ``Workers’ Party``,
   ``Workers` Party`` and ``Workers' Party`` all give ``workers party``, and ``work-team``
   and ``workteam`` both give ``workteam``;
3. dashes other than the hyphen (``– — ―``) and slashes become spaces (they separate words);
4. whitespace runs become one space, with none at either end.

``fold_event`` (event names) and ``fold_org`` (organization names) add, on top of the base fold,
the KCNA spelling variants of the same name, applied identically to both sides:

- ordinals in words become digits: ``Sixth`` -> ``6th``, ``Twenty-first`` -> ``21st``
  (1st to 99th);
- the party: ``Workers' Party of Korea (WPK)``, ``Workers' Party of Korea`` and
  ``Workers' Party`` -> ``wpk``; ``the Party`` -> ``the wpk``;
- the Central Committee: ``C.C., WPK``, ``C.C. of the WPK``, ``Party Central Committee`` and
  ``WPK Central Committee`` -> ``central committee of the wpk``; ``Party Congress`` and
  ``WPK Congress`` -> ``congress of the wpk``;
- every ``the`` is dropped (names have no leading article, and one event keeps one name in
  every document, so "5th Conference of the Cell Chairpersons of the WPK" in a speech is the
  "5th Conference of Cell Chairpersons of the WPK" of a report).

``fold_title`` (titles) applies the same party / Central Committee / ordinal folds (but keeps the
articles, which are part of a title as written) and makes the head of the title singular:
the last word before the first preposition (``of``, ``for``, ``under``, ``in``, ``at``, ``to``,
``on``), or the last word when there is none -- ``department directors of the Party Central
Committee`` and ``department director of the C.C., WPK`` fold alike, as do ``Vice-premiers``
and ``Vice-premier``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from dprk_records.pipeline.lexicon import (
    EVENT_ALIASES,
    EVENT_KEY_DROPS,
    ORDINAL_WORDS,
    ordinal_text,
)

_EVENT_ALIASES = [
    (re.compile(pattern, re.IGNORECASE), replacement) for pattern, replacement, _ in EVENT_ALIASES
]
_EVENT_DROPS = [re.compile(pattern, re.IGNORECASE) for pattern in EVENT_KEY_DROPS]

__all__ = ["fold_event", "fold_name", "fold_org", "fold_text", "fold_title", "ordinal_suffix"]

_APOSTROPHES = str.maketrans(dict.fromkeys("’‘`´ʼʻ′‛＇", "'"))
_SEPARATORS = frozenset("–—―‒/\\")
_MAX_PASSES = 8


def ordinal_suffix(number: int) -> str:
    """The digit form of an ordinal: 1 -> "1st", 12 -> "12th", 22 -> "22nd"."""
    return ordinal_text(number)


def _ordinal_words() -> dict[str, int]:
    """Every spelling the fold reads: "twenty-first" after punctuation folding becomes
    "twentyfirst" or "twenty first", so both are listed."""
    words: dict[str, int] = {}
    for word, value in ORDINAL_WORDS.items():
        if "-" in word:
            tens, ones = word.split("-")
            words[f"{tens}{ones}"] = value
            words[f"{tens} {ones}"] = value
        else:
            words[word] = value
    return words


_ORDINAL_WORDS = _ordinal_words()
_ORDINAL_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _ORDINAL_WORDS), key=len, reverse=True)) + r")\b"
)

# Applied in order, each as a whole-word replacement on base-folded text.
_PARTY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b{pattern}\b"), replacement)
    for pattern, replacement in (
        (r"workers party of korea wpk", "wpk"),
        (r"workers party of korea", "wpk"),
        (r"workers party", "wpk"),
        (r"(?:party|wpk) central committee", "central committee of the wpk"),
        (r"cc (?:of the )?wpk", "central committee of the wpk"),
        (r"(?:party|wpk) congress", "congress of the wpk"),
        (r"the party", "the wpk"),
    )
)

_PREPOSITIONS = frozenset({"of", "for", "under", "in", "at", "to", "on"})
_NOT_PLURAL_ENDINGS = ("ss", "us", "is")


def _fixpoint(step: Callable[[str], str], text: str) -> str:
    """Apply ``step`` until the text stops changing (a few passes at most)."""
    for _ in range(_MAX_PASSES):
        folded = step(text)
        if folded == text:
            return folded
        text = folded
    return text


def _base_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKC", text.casefold())
    text = text.translate(_APOSTROPHES)
    kept = []
    for char in text:
        if char.isalnum():
            kept.append(char)
        elif char.isspace() or char in _SEPARATORS:
            kept.append(" ")
    return " ".join("".join(kept).split())


def fold_text(text: str) -> str:
    """Case, punctuation, apostrophe and whitespace folding: the base key of every string."""
    return _fixpoint(_base_once, text)


def fold_name(name: str) -> str:
    """The key of a person's name (the base fold: "Ri Il Hwan" == "RI IL HWAN")."""
    return fold_text(name)


def _ordinals(text: str) -> str:
    return _ORDINAL_RE.sub(lambda m: ordinal_suffix(_ORDINAL_WORDS[m.group(1)]), text)


def _party(text: str) -> str:
    for pattern, replacement in _PARTY_RULES:
        text = pattern.sub(replacement, text)
    return text


def _drop_articles(text: str) -> str:
    return " ".join(word for word in text.split(" ") if word != "the")


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(_NOT_PLURAL_ENDINGS):
        return word
    if word.endswith("men"):
        return word[:-3] + "man"
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _singular_head(text: str) -> str:
    words = text.split(" ")
    head = len(words) - 1
    for index, word in enumerate(words):
        if word in _PREPOSITIONS and index > 0:
            head = index - 1
            break
    words[head] = _singular(words[head])
    return " ".join(words)


def _domain_once(text: str) -> str:
    return _party(_ordinals(fold_text(text)))


def _event_aliases(name: str) -> str:
    """The extractor's own spellings of one event (lexicon.EVENT_ALIASES: "CMC", "Plenum",
    "Politburo") and the words that do not change which event it is ("enlarged", "of the
    DPRK"), so that gold and predictions are compared by the identity the extractor uses."""
    name = fold_text(name)  # the patterns read folded text too: case and punctuation never count
    for pattern, replacement in _EVENT_ALIASES:
        name = pattern.sub(replacement, name)
    for pattern in _EVENT_DROPS:
        name = pattern.sub("", name)
    return name.casefold()


def fold_event(name: str) -> str:
    """The key of an event name: aliases, base fold + ordinals + party names, without "the"."""
    return _fixpoint(lambda s: _drop_articles(_domain_once(_event_aliases(s))), name)


def fold_org(name: str) -> str:
    """The key of an organization name: the same folds as an event name, no event aliases."""
    return _fixpoint(lambda s: _drop_articles(_domain_once(s)), name)


def fold_title(title: str) -> str:
    """The key of a title: base fold + ordinals + party names + a singular head word."""
    return _fixpoint(lambda s: _singular_head(_domain_once(s)), title)
