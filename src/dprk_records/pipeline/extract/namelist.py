"""The name-list parser: any run of names with their titles, wherever a list stands.

KCNA lists people as runs of names and titles separated by commas, "and" and semicolons; a new
person starts where a name starts, never at a comma (titles hold commas: "C.C., WPK"). This module
reads such a run into entries -- a name and the titles that belong to it -- and knows nothing of
why the list is there: the frames that open a list (platform, attended, accompanied ...) live in
the lexicon and are applied by the extractor. Grammar (listings.md 0.2, changes-titles-events B1):

- a singular title after a name belongs to that name; a plural one to every name since the
  previous title, semicolon or list start (made singular per person);
- a title before a name ("Premier A", "Colonel General A") goes to that name; a plural one
  ("Vice-Premiers A, B and C") to every name of its run; around a name ("Marshal A of the Korean
  People's Army") it is joined;
- a relative clause ("A, B and C who are members of ...", "A who is also chairman of ...") is a
  title of the run or of the one name;
- "and other ...", "and officials concerned", "and his embassy staff" close the list; group
  phrases ("members of the Cabinet", "leading officials") take no number and are never titles;
- "including", "headed by", "led by" open names inside a group phrase; "from the X side" starts a
  new list (the other side of talks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from dprk_records.pipeline.extract.person_names import (
    FOREIGN_NAME,
    NameMatch,
    find_names,
    is_foreign_name,
    is_korean_name,
    match_name_at,
)
from dprk_records.pipeline.extract.text import Segment, split_segments
from dprk_records.pipeline.extract.titles import (
    head_index,
    is_plural,
    is_title,
    make_singular,
    split_titles,
)
from dprk_records.pipeline.lexicon import (
    AROUND_NAME,
    EPITHET,
    HONORIFIC_WORDS,
    RELATIVE_CLAUSE,
    STATUS_PREFIX,
)

_CLOSING_INSIDE = re.compile(
    r"\s+and\s+(?:other|all|many|some|(?:the\s+)?officials concerned|(?:his|her|their|its) "
    r"(?:embassy|suite|entourage|staff|family|wife))\b.*$"
)
_INDEFINITE = re.compile(r"^an? (?=[a-zA-Z])")  # "a teacher at X", "a KPA general officer"
_HARD_CLOSING = re.compile(
    r"^(?:and\s+)?(?:other|all|many|some)\b|^\s+and\s+(?:other|all|many|some)\b"
)
_SIDE_AFTER = re.compile(
    r"(?<=[a-z])\s+(?:from|on) the (?P<side>[\w'’ -]{2,40}?) side\b(?:,?\s+and\b)?"
)
_SIDE = re.compile(
    r"^(?:and\s+)?(?:from|on|of|for) the (?P<side>[\w'’ -]{2,40}?) side\b(?:\s+(?:were|was|are))?[\s,]*"
)
_SUB_LIST = re.compile(r"\b(?:including|headed by|led by|such as)\s+")
_RELATIVE = re.compile(rf"^,?\s*{RELATIVE_CLAUSE}")
_RELATIVE_INSIDE = re.compile(rf",?\s+{RELATIVE_CLAUSE}")
_AROUND = re.compile(rf"^{AROUND_NAME}")
_STATUS = re.compile(STATUS_PREFIX, re.I)
_EPITHET = re.compile(EPITHET, re.I)
# A plural "title" whose body is itself plural and indefinite names a class of people, not a
# post: "chairmen of provincial people's committees", "officials of ministries".
_COLLECTIVE = re.compile(r"\b(\w[\w-]*) and (?:alternate|candidate) \1\b")
_CLASS_OF = re.compile(
    r"^[\w -]+? of (?![Tt]he\b|[A-Z])(?:[\w'’-]+ )*?[\w'’-]+s(?: and (?:[\w'’-]+ )*?[\w'’-]+s)?$"
)
_CLAUSE_START = re.compile(
    r"^(?:to|as|on|in|at|for|with|by|which|that|where|when|while|whose|who|said|says|and (?:said|made|was|were))\b"
)
_WORD_START = re.compile(r"(?:(?<=^)|(?<=[\s(]))[A-Z]")
_NAME_JOINT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


# A title before a name never ends in a word that needs an object: "president of Kim Chaek
# University" names a unit, not a person.
_DANGLING = frozenset("of the for to in at on and by with a an from under".split())


@dataclass(frozen=True)
class TitlePiece:
    """A title of one entry: [start, end) in the parsed text, and the title as stored."""

    start: int
    end: int
    title: str
    shape: str  # after | before | around | relative


@dataclass
class ListEntry:
    """One person of a list: the name as found and every title the list gives them."""

    name: NameMatch
    titles: list[TitlePiece] = field(default_factory=list)


@dataclass
class NameList:
    """The entries of one list, in order, and where the list's words begin and end."""

    start: int
    end: int
    entries: list[ListEntry] = field(default_factory=list)
    side: str | None = None


@dataclass
class _Chunk:
    """Names of one comma segment with the title before them, if any."""

    names: list[NameMatch]
    before: TitlePiece | None = None
    before_plural: bool = False
    relative: list[TitlePiece] = field(default_factory=list)
    relative_plural: bool = False


def _name_at(text: str, pos: int, foreign_ok: bool) -> NameMatch | None:
    found = match_name_at(text, pos, lenient=True)
    if found is not None:
        return found
    if not foreign_ok:
        return None
    match = FOREIGN_NAME.match(text, pos)
    if match is None:
        return None
    words = match.group().split()
    # a foreign name is the longest run of words that reads as one, cut before a title word
    for size in range(len(words), 1, -1):
        candidate = " ".join(words[:size])
        if is_foreign_name(candidate) and not any(is_title(w) for w in words[:size]):
            return NameMatch(pos, pos + len(candidate), candidate)
    return None


def _names_from(text: str, pos: int, foreign_ok: bool) -> tuple[list[NameMatch], int] | None:
    """Names joined by ", " / " and " starting exactly at ``pos``; returns them and the end."""
    names: list[NameMatch] = []
    while True:
        name = _name_at(text, pos, foreign_ok)
        if name is None:
            return (names, names[-1].end) if names else None
        names.append(name)
        joint = _NAME_JOINT.match(text, name.end)
        if joint is None or _name_at(text, joint.end(), foreign_ok) is None:
            return names, name.end
        pos = joint.end()


def _title_piece(text: str, start: int, end: int, shape: str) -> TitlePiece:
    raw = text[start:end]
    return TitlePiece(start, end, make_singular(raw) if shape != "around" else raw, shape)


@lru_cache(maxsize=1 << 14)
def _bare_prefix(prefix: str) -> str:
    """The words before a name without a joining "and" or a determiner: "and Major General" ->
    "Major General", "its Secretary General" -> "Secretary General", "the manager" -> "manager"
    ("the General Secretary X" keeps its article: capitalized after "the", it is an epithet)."""
    prefix = re.sub(r"^and\s+", "", prefix.strip())
    prefix = re.sub(r"^(?:its|his|her|their)\s+", "", prefix)
    return re.sub(r"^the (?=[a-z])", "", prefix)


# The tests of the words before a name below are pure functions of a short phrase, asked of
# the same phrases again and again as a list is parsed (and once more for foreign names): cached.
@lru_cache(maxsize=1 << 14)
def _before_title(prefix: str) -> bool:
    prefix = _bare_prefix(prefix)
    words = prefix.split()
    return (
        bool(words)
        and words[-1].lower() not in _DANGLING
        and is_title(prefix)
        and not any(w in HONORIFIC_WORDS for w in words)
        and prefix.lower() not in {"leader", "the leader"}
        and not _STATUS.match(prefix)
        and not _EPITHET.search(prefix)
    )


@lru_cache(maxsize=1 << 14)
def _acceptable_prefix(prefix: str) -> bool:
    """Words that may stand before the first name of a list item: a post, a status phrase, an
    honorific, or a group phrase joined by "and" ("suite members and Shen Yuheng")."""
    return (
        not prefix
        or _before_title(prefix)
        or bool(_STATUS.match(prefix))
        or _honorific(prefix)
        or (prefix.endswith(" and") and not _singular_post(prefix[: -len(" and")]))
    )


@lru_cache(maxsize=1 << 14)
def _singular_post(words: str) -> bool:
    """A singular post ("deputy minister of Agriculture and Rural Development" goes on past its
    "and"), not a group ("members of the delegation and X")."""
    return is_title(words) and not is_plural(words)


def _chunks_at(
    text: str, candidate: int, end: int, foreign: bool, pos: int
) -> tuple[list[_Chunk], int] | None:
    """The chunks of names starting at ``candidate``, each with the post before it, and where
    the last one ends; the words from ``pos`` to ``candidate`` are the first chunk's prefix."""
    found = _names_from(text[:end], candidate, foreign)
    if found is None:
        return None
    names, names_end = found
    prefix = text[pos:candidate].strip()
    chunk = _Chunk(names)
    if prefix and _before_title(prefix):
        bare = _bare_prefix(prefix)
        prefix_start = pos + text[pos:candidate].index(bare)
        chunk.before = _title_piece(text, prefix_start, prefix_start + len(bare), "before")
        chunk.before_plural = is_plural(bare)
    chunks = [chunk]
    rest = names_end
    while rest < end:
        around = _AROUND.match(text[rest:end])
        if around and len(chunk.names) == 1:
            if chunk.before is not None:
                chunk.before = TitlePiece(
                    chunk.before.start,
                    rest + around.end(),
                    f"{chunk.before.title}{around.group()}",
                    "around",
                )
            rest += around.end()
            continue
        relative = _RELATIVE.match(text[rest:end])
        if relative:
            title_start = rest + relative.end()
            title_text = text[title_start:end].rstrip(" .;:,")
            if is_title(title_text) and not _EPITHET.search(title_text):
                chunk.relative_plural = is_plural(title_text)
                for s, e in split_titles(title_text):
                    chunk.relative.append(
                        _title_piece(text, title_start + s, title_start + e, "relative")
                    )
            rest = end
            break
        # another "Title Name" after these names with no comma ("and Minister X"; one per line
        # in decrees)
        nxt = None
        for at in [m.start() + rest for m in _WORD_START.finditer(text[rest:end])]:
            between = text[rest:at].strip()
            if not between or not _before_title(between):
                continue
            following = _names_from(text[:end], at, False) or (
                _names_from(text[:end], at, True) if _ends_in_post(_bare_prefix(between)) else None
            )
            if following is not None:
                nxt = (at, between, *following)
                break
        if nxt is None:
            break
        at, between, more, more_end = nxt
        bare = _bare_prefix(between)
        between_start = rest + text[rest:at].index(bare)
        chunk = _Chunk(more)
        chunk.before = _title_piece(text, between_start, between_start + len(bare), "before")
        chunk.before_plural = is_plural(bare)
        chunks.append(chunk)
        rest = more_end
    return chunks, rest


def parse_chunks(
    text: str,
    start: int,
    end: int,
    foreign_ok: bool,
    next_is_title: bool = False,
    after_foreign: bool = False,
    known: frozenset[str] = frozenset(),
) -> tuple[list[_Chunk], str]:
    """The names in text[start:end] (one comma segment), grouped by the title before them.

    Returns the chunks and what the segment is when it holds no entry: "title", "group",
    "clause" (not part of a list) -- or "names".
    """
    segment = text[start:end]
    sub = None  # names after "including" / "headed by" inside a group phrase
    for match in _SUB_LIST.finditer(segment):
        sub = match
    pos = start + (sub.end() if sub else 0)
    candidates = [m.start() + pos for m in _WORD_START.finditer(text[pos:end])]
    for foreign in (False, True) if foreign_ok else (False,):
        for candidate in candidates:
            prefix = text[pos:candidate].strip()
            if not _acceptable_prefix(prefix):
                continue
            parsed = _chunks_at(text, candidate, end, foreign, pos)
            if parsed is None:
                continue
            chunks, consumed = parsed
            if foreign and not _foreign_framed(
                chunks,
                prefix,
                bool(sub),
                not text[consumed:end].strip(),
                next_is_title or after_foreign,
                known,
            ):
                continue
            return chunks, "names"
    if is_title(_INDEFINITE.sub("", segment)) or _RELATIVE.match(segment):
        return [], "title"
    if _CLAUSE_START.match(segment) or re.search(
        r"\b(?:said|says|was|were|is|are|has|have)\b", segment
    ):
        return [], "clause"
    return [], "group"


def _foreign_framed(
    chunks: list[_Chunk],
    prefix: str,
    sub: bool,
    fills: bool,
    listed: bool,
    known: frozenset[str],
) -> bool:
    """A foreign name needs a frame (listings.md 0.1): "including"/"headed by", a post right
    before it, or -- standing alone in its segment -- a title after it, a foreign name before
    it in the list, or an earlier mention in the document."""
    if sub:
        return True
    if prefix and not prefix.endswith(" and"):
        return _before_title(prefix) and _ends_in_post(_bare_prefix(prefix))
    names = [n.name for chunk in chunks for n in chunk.names]
    return fills and (listed or all(n in known for n in names))


@lru_cache(maxsize=1 << 14)
def _ends_in_post(prefix: str) -> bool:
    """A post's head word or an abbreviated state ends the words before a foreign name
    ("Foreign Minister Ivan Petrov", "Russian Ambassador to the DPRK Ivan Petrov")."""
    last = prefix.split()[-1]
    return head_index(last) is not None or bool(re.search(r"\b(?:to|in) the DPRK$", prefix))


def _honorific(prefix: str) -> bool:
    return all(w in HONORIFIC_WORDS or w in {"the", "The"} for w in prefix.split()) and any(
        w in HONORIFIC_WORDS for w in prefix.split()
    )


def _split_post_and_name(text: str, segments: list[Segment]) -> list[Segment]:
    """ "A, leader of X and B, leader of Y" with the comma before "and" left out: the post is
    A's, and B starts a new entry -- when what follows "and" is a Korean name."""
    pieces = []
    for segment in segments:
        cut = None
        for joint in re.finditer(r" and (?=[A-Z])", segment.text):
            name = match_name_at(segment.text, joint.end())
            before = segment.text[: joint.start()]
            if name is not None and is_title(before) and not find_names(before):
                cut = joint
                break
        if cut is None:
            pieces.append(segment)
            continue
        end = segment.start + cut.start()
        rest = segment.start + cut.end()
        pieces.append(Segment(segment.start, end, text[segment.start : end], segment.had_and))
        pieces.append(Segment(rest, segment.end, text[rest : segment.end], True))
    return pieces


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Semicolon blocks of text[start:end] (a stray "=" of old reposts counts as one)."""
    blocks, pos = [], start
    for match in re.finditer(r"\s*[;=]\s+", text[start:end]):
        blocks.append((pos, start + match.start()))
        pos = start + match.end()
    blocks.append((pos, end))
    return blocks


def parse_name_lists(
    text: str,
    start: int,
    end: int | None = None,
    foreign_ok: bool = True,
    known: frozenset[str] = frozenset(),
) -> list[NameList]:
    """Every list in text[start:end] (one, or one per side of talks), in order.

    The parse stops at the first piece that is neither a name, a title nor a group phrase (a
    clause of the sentence), or after a closing "and other ..." unless another side follows.
    """
    end = len(text) if end is None else end
    # "A, B and C from the DPRK side and D, TITLE, from the Chinese side": a side named after
    # its names closes their list; the other side's names follow it
    for marker in _SIDE_AFTER.finditer(text, start, end):
        before = parse_name_lists(text, start, marker.start(), foreign_ok, known)
        if not before:
            continue
        for name_list in before:
            name_list.side = name_list.side or marker.group("side")
        after = parse_name_lists(text, marker.end(), end, foreign_ok, known)
        return before + after
    lists = [NameList(start, start)]
    current = lists[0]
    closed = False
    for block_start, block_end in _blocks(text, start, end):
        run: list[ListEntry] = []  # entries since the last title: a plural title goes to all
        last_targets: list[ListEntry] = []
        previous = "start"  # what the previous segment was: start | names | title | group
        carry: tuple[TitlePiece, bool] | None = None
        segments = _split_post_and_name(text, split_segments(text, block_start, block_end))
        for index, segment in enumerate(segments):
            seg_start, seg_text = segment.start, segment.text
            following = segments[index + 1].text if index + 1 < len(segments) else ""
            side = _SIDE.match(seg_text)
            if side and (segment.had_and or current.entries or closed):
                current = NameList(seg_start, seg_start, side=side.group("side"))
                lists.append(current)
                closed, run, last_targets, previous, carry = False, [], [], "start", None
                seg_start += side.end()
                seg_text = text[seg_start : segment.end]
                if not seg_text:
                    continue
            elif side and not current.entries:
                current.side = side.group("side")
                seg_start += side.end()
                seg_text = text[seg_start : segment.end]
                if not seg_text:
                    continue
            if closed:
                continue
            if _HARD_CLOSING.match(seg_text):
                # "and other ..." ends the list; "officials concerned", "his embassy staff" end
                # only the entry before them (a list may go on: "..., and members of X led by Y")
                closed = True
                continue
            closing = _CLOSING_INSIDE.search(seg_text)
            seg_end = seg_start + (closing.start() if closing else len(seg_text))
            chunks, kind = parse_chunks(
                text,
                seg_start,
                seg_end,
                foreign_ok,
                is_title(following) and not closing,
                previous == "names" and bool(run) and not is_korean_name(run[-1].name.name),
                known,
            )
            if kind == "names":
                for chunk in chunks:
                    if previous in ("title", "group") or (
                        previous == "names" and run and run[-1].titles
                    ):
                        run = []
                    entries = [ListEntry(name) for name in chunk.names]
                    before = chunk.before
                    if before is None and carry is not None:
                        before = carry[0]
                    elif before is not None and chunk.before_plural and len(chunk.names) == 1:
                        carry = (before, True)
                    elif before is not None:
                        carry = None
                    singular_before = chunk.before is not None and not chunk.before_plural
                    for position, entry in enumerate(entries):
                        # "Colonel General A and B, TITLE": a singular rank is A's alone (L03)
                        if before is not None and not (singular_before and position > 0):
                            entry.titles.append(before)
                    run.extend(entries)
                    current.entries.extend(entries)
                    if chunk.relative:
                        targets = run if chunk.relative_plural else entries[-1:]
                        for entry in targets:
                            entry.titles.extend(chunk.relative)
                        last_targets, run = targets, []
                        previous = "title"
                    else:
                        last_targets = entries
                        previous = "names"
                current.end = seg_end
                if closing:
                    closed = bool(_HARD_CLOSING.match(closing.group()))
                continue
            if kind == "title":
                title_text = seg_text[: seg_end - seg_start]
                relative = _RELATIVE.match(title_text)
                offset = seg_start + (relative.end() if relative else 0)
                title_text = text[offset:seg_end]
                plural = is_plural(title_text)
                if _COLLECTIVE.search(title_text):
                    previous, run = "group", []  # "members and alternate members of X" (B2.5)
                    continue
                if segment.had_and and plural and previous == "names":
                    previous, run = "group", []  # "A, B and C, and members of X" (L10)
                    continue
                if plural and _CLASS_OF.search(title_text):
                    previous, run = "group", []  # "chairmen of provincial people's committees"
                    continue
                if previous == "names" and run:
                    targets = run if plural else run[-1:]
                elif previous == "title" and last_targets and not segment.had_and:
                    if plural and len(last_targets) == 1:
                        previous = "group"  # "A, vice-chairman of X, members of Y": a group
                        run = []
                        continue
                    targets = last_targets
                else:
                    previous = "group"
                    run = []
                    continue
                if (
                    plural
                    and len(targets) >= 8
                    and not any(t.titles for t in targets)
                    and following
                    and not find_names(following)
                ):
                    previous = "group"  # a long untitled run, then a plural phrase: a group (L06)
                    run = []
                    continue
                inside = _RELATIVE_INSIDE.search(title_text)
                pieces = []
                parts = (
                    [(0, inside.start()), (inside.end(), len(title_text))]
                    if inside
                    else [(0, len(title_text))]
                )
                for part_start, part_end in parts:
                    part = title_text[part_start:part_end]
                    for s, e in split_titles(part):
                        if is_title(_INDEFINITE.sub("", part[s:e])):
                            pieces.append(
                                _title_piece(
                                    text, offset + part_start + s, offset + part_start + e, "after"
                                )
                            )
                for entry in targets:
                    entry.titles.extend(pieces)
                last_targets, run, previous = targets, [], "title"
                if carry is not None and plural:
                    carry = None
                current.end = seg_end
                if closing:
                    closed = bool(_HARD_CLOSING.match(closing.group()))
                continue
            if kind == "group":
                previous, run = "group", []
                if closing:
                    closed = bool(_HARD_CLOSING.match(closing.group()))
                continue
            break  # a clause: the list is over
        else:
            continue
        break
    return [lst for lst in lists if lst.entries]
