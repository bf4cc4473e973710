"""Organizations: the unit chains inside titles and the named enterprises and bodies in the text.

"Party cell secretary of the repair work-team No. 2 of the steel shop No. 2 under the Kim Chaek
Iron and Steel Complex" names three units, each the parent of the one before. Central organs of
party, state and army (the WPK, its Central Committee and bureaus, the Cabinet and ministries,
the People's Army) are posts' context, not units, and are left out; so are unnamed bodies
("the Party committee of the factory"). A bare "the factory" refers back to the last named one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dprk_records.pipeline.extract.hints import word_start
from dprk_records.pipeline.lexicon import ORG_HEADS

_CHAIN_SPLIT = re.compile(r"\s+(?:of|under)\s+(?:the\s+)?")
_PLACE = re.compile(
    r"\s+in\s+((?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
    r"(?:\s+(?:County|District|City|Province|Area))?)$"
)
_NUMBER_SUFFIX = re.compile(r"\s+No\.\s*\d+[A-Za-z]?$")
_VESSEL = re.compile(r"^(?:[\w-]+\s+)?(?:vessel|ship|trawler|boat)\s+[\"“][^\"”]+[\"”]$", re.I)
_CENTRAL = re.compile(
    r"\b(?:WPK|C\.C\.|Central Committee|Political Bureau|Presidium|Secretariat|Cabinet|State "
    r"Affairs|Commission|Ministry|People's Army|Workers' Party|Workers’ Party|DPRK|Democratic "
    r"People's Republic|armed forces|Supreme People's Assembly|General Staff|Party Central)\b"
)
_LOCAL_PARTY = re.compile(
    r"^(?P<local>.+?(?:Provincial|City|County|District|Municipal)\s+Committee)\s+of\s+the\s+"
    r"(?P<party>WPK|Workers['’`] Party of Korea)$"
)
_ANAPHOR = re.compile(
    r"^(?:the\s+)?(factory|complex|mine|farm|university|plant|mill|enterprise|station|institute)$",
    re.I,
)
_ORG_HEADS = (
    "Complex|Factory|Plant|Mill|Works|Mine|Pit|Farm|Station|University|College|School|"
    "Institute|Enterprise|Committee|Corps|Brigade|Company|Hospital|Store"
)
_ORG_HEAD_WORD = re.compile(word_start(_ORG_HEADS.split("|")) + r"\b")  # (see hints.word_start)
_OF_NAME_HEAD = re.compile(r"\b(?:University|Institute|College|Academy)$")
_OF_PARTY = re.compile(r" of the (?:WPK|Workers['’`] Party of Korea)\b")
_OF_NAME = re.compile(r" of (?:[A-Z][\w'’-]*)(?: [A-Z][\w'’-]*)*")
_LOCALITY = re.compile(
    r"Provincial|City|County|District|People's|People’s|Management|Economy|Municipal"
)
_RUN_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|\d+[\w-]*|and|of)$")
_NON_SPACE = re.compile(r"\S+")
_OF_UNDER = re.compile(r"\s+(?:of|under)\s+")
_CAPITALIZED_RUN = re.compile(r"(?: [A-Z][\w'’-]*)* ")
_UNIT_OF_PARENT = re.compile(r"^(?P<unit>.+?) of (?P<parent>(?:[A-Z][\w'’-]*)(?: [A-Z][\w'’-]*)*)$")


@dataclass(frozen=True)
class Unit:
    """One unit of a chain: its words as written, its kind, and where it sits in the source text."""

    name: str
    org_kind: str
    start: int  # offsets in the text the chain was parsed from
    end: int
    place: str | None = None


def org_kind(name: str) -> str | None:
    """Kind of a unit from its head noun, or None when the words do not name a unit."""
    if _VESSEL.match(name):
        return "vessel"
    base = _NUMBER_SUFFIX.sub("", name)
    last = base.split()[-1].lower() if base.split() else ""
    last = last.rsplit("-", 1)[-1] if last not in ORG_HEADS else last
    if last == "team" and base.lower().endswith("work-team"):
        return "work_team"
    return ORG_HEADS.get(last)


def is_central(name: str) -> bool:
    """A central organ of party, state or army (the WPK, the Cabinet, a ministry): a post's
    context, not a unit. A provincial, city or county committee of the WPK is local."""
    return bool(_CENTRAL.search(name)) and not _LOCAL_PARTY.match(name)


def _is_named(name: str) -> bool:
    """A committee with a locality in its name, not "the Party committee" of something."""
    return bool(_LOCALITY.search(name))


def unit_chain(phrase: str, offset: int = 0) -> list[Unit]:
    """Units in an "X of Y under the Z" phrase, innermost first; stops at the first non-unit."""
    text = phrase.rstrip(" .,")
    if text.startswith("the "):
        text, offset = text[4:], offset + 4
    place = None
    place_match = _PLACE.search(text)
    if place_match:
        place = place_match.group(1).removeprefix("the ")
        text = text[: place_match.start()]
    local = _LOCAL_PARTY.match(text)
    if local:
        return [Unit(text, "local_committee", offset, offset + len(text), place)]
    units: list[Unit] = []
    pos = 0
    pieces = []
    for match in _CHAIN_SPLIT.finditer(text):
        if (
            _OF_NAME_HEAD.search(text[: match.start()])
            and text[match.end() : match.end() + 1].isupper()
        ):
            continue  # "Kim Chaek University of Technology" is one name
        pieces.append((pos, match.start()))
        pos = match.end()
    pieces.append((pos, len(text)))
    for index, (start, end) in enumerate(pieces):
        name = text[start:end].strip()
        if name.startswith("the "):
            name, start = name[4:], start + 4
        # "...Committee of the WPK" keeps the party in the committee's own name.
        if index + 1 < len(pieces) and name.endswith("Committee") and _is_named(name):
            rest = text[pieces[index + 1][0] :]
            if re.fullmatch(r"WPK|Workers['’`] Party of Korea", rest.strip()):
                units.append(
                    Unit(
                        f"{name} of the {rest.strip()}",
                        "local_committee",
                        offset + start,
                        offset + len(text),
                        place,
                    )
                )
                break
        anaphor = _ANAPHOR.match(name)
        if anaphor:
            units.append(Unit(name, "anaphor", offset + start, offset + end))
            break
        kind = org_kind(name)
        if kind is None or is_central(name) or (kind == "local_committee" and not _is_named(name)):
            break
        units.append(
            Unit(
                name,
                kind,
                offset + start,
                offset + end,
                place if index == len(pieces) - 1 else None,
            )
        )
    if units and place and units[-1].place is None:
        last = units[-1]
        units[-1] = Unit(last.name, last.org_kind, last.start, last.end, place)
    return units


def units_of_title(title: str) -> list[Unit]:
    """The unit chain a title names after its post: "leader of work-team No. 3 of the X" -> units
    (offsets in the title's coordinates)."""
    match = _OF_UNDER.search(title)
    if match is None:
        return []
    return unit_chain(title[match.end() :], match.end())


_NAME_LOOK_BACK = 256
"""Characters before a head word read at first for its name's words (more when they all are)."""


def _name_start(text: str, head_start: int, floor: int) -> int | None:
    """Walk back from a head word over the capitalized words of a name, not past ``floor``.

    Only the words near the head are read: a stretch is tokenized from at most
    ``_NAME_LOOK_BACK`` characters back, and again from four times as far while the walk
    reaches its first word (which that stretch may have cut), so a long sentence with many
    head words ("Committee" after "Committee" in a list of titles) costs linear time."""
    reach = _NAME_LOOK_BACK
    while True:
        low = max(floor, head_start - reach)
        words = list(_NON_SPACE.finditer(text, low, head_start))
        start = head_start
        whole = True  # the walk stopped at a word after the first one: that word was read whole
        for index in range(len(words) - 1, -1, -1):
            token = words[index].group()
            if not _RUN_WORD.match(token) or token in {"Province", "The", "A", "An"}:
                whole = index > 0
                break
            start = words[index].start()
        else:
            whole = False
        if whole or low == floor:
            break
        reach *= 4
    while True:  # a name neither starts nor ends with a connector
        first = text[start:head_start].split(" ", 1)[0]
        if first not in {"and", "of", "No."} and not first.isdigit():
            break
        start += len(first) + 1
    return start if start < head_start else None


def named_orgs(text: str) -> list[list[Unit]]:
    """Named enterprises and bodies in free text ("the Kujang Precision Machine Factory"), each
    as a chain (innermost first): "Faculty of Physics of X University" is a unit of X."""
    found: list[Unit] = []
    chains: dict[int, list[Unit]] = {}
    for head in _ORG_HEAD_WORD.finditer(text):
        previous = found[-1] if found else None
        extends = previous is not None and _CAPITALIZED_RUN.fullmatch(
            text, previous.end, head.start()
        )
        floor = previous.start if (previous and extends) else (previous.end if previous else 0)
        start = _name_start(text, head.start(), floor)
        if start is None:
            continue
        end = head.end()
        if head.group() in {"University", "College", "Institute"}:
            extra = _OF_NAME.match(text, end)
            if extra:
                end = extra.end()
        if head.group() == "Committee":
            party = _OF_PARTY.match(text, end)
            if party:
                end = party.end()
        name = text[start:end]
        kind = ORG_HEADS[head.group().lower()]
        if is_central(name) or text.startswith("-", end):
            continue
        if kind == "local_committee" and not _LOCALITY.search(name):
            continue
        if previous is not None and extends and start <= previous.start:
            found.pop()
        # "Faculty of Physics of Kim Il Sung University": a unit of the named body after "of".
        inner = _UNIT_OF_PARENT.match(name)
        if (
            inner
            and org_kind(inner.group("parent"))
            and org_kind(inner.group("unit").split(" of ")[0])
        ):
            unit_name, parent_name = inner.group("unit"), inner.group("parent")
            unit = Unit(
                unit_name,
                org_kind(unit_name.split(" of ")[0]) or "other",
                start,
                start + len(unit_name),
            )
            parent = Unit(
                parent_name, org_kind(parent_name) or kind, start + inner.start("parent"), end
            )
            found.append(parent)
            chains[id(parent)] = [unit, parent]
            continue
        found.append(Unit(name, kind, start, end))
    return [chains.get(id(unit), [unit]) for unit in found]
