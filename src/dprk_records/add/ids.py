"""Document ids of new seeds: ``NNN_<first 16 hex digits of the text's sha256>``.

``NNN`` is the next free three-digit number: one more than the highest number in use, so ids
sort in the order documents were added and a number is never reused (a gap such as 001-003 stays
a gap). The suffix is derived from the exact bytes, so the same text always gets the same suffix
and two different texts practically never share one. Ids already in seeds/ are kept as they are
(the first seeds predate this rule: their suffixes are not content hashes); an id is never
changed once a document is in the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SUFFIX_HEX_DIGITS = 16
NUMBER_DIGITS = 3
_NUMBERED_ID = re.compile(rf"^(\d{{{NUMBER_DIGITS}}})_[0-9a-f]+$")


def id_number(document_id: str) -> int | None:
    """The number of an ``NNN_hex`` id, or None for an id of another form."""
    match = _NUMBERED_ID.match(document_id)
    return int(match.group(1)) if match else None


def next_number(existing_ids: Iterable[str]) -> int:
    """One more than the highest ``NNN`` in use (0 when there is none)."""
    numbers = [n for n in (id_number(i) for i in existing_ids) if n is not None]
    return max(numbers, default=-1) + 1


def new_document_id(existing_ids: Iterable[str], sha256: str) -> str:
    """The id a new text with this sha256 gets: the next free number and the hash prefix."""
    number = next_number(existing_ids)
    if number >= 10**NUMBER_DIGITS:
        raise ValueError(f"no free {NUMBER_DIGITS}-digit document number is left")
    return f"{number:0{NUMBER_DIGITS}d}_{sha256[:SUFFIX_HEX_DIGITS]}"
