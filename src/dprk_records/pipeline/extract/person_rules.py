"""Rules about people: listing sentences, titles after / before / around a name, and the
predicates that give a person a part in the event ("presided over", "made a report").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from dprk_records.pipeline.extract.changes import ChangeRules
from dprk_records.pipeline.extract.facts import (
    CommitteeFact,
    PersonMention,
    SpeechFact,
    UnitFact,
)
from dprk_records.pipeline.extract.hints import hinted
from dprk_records.pipeline.extract.namelist import ListEntry, NameList, parse_name_lists
from dprk_records.pipeline.extract.person_names import (
    NameMatch,
    find_names,
    is_korean_name,
    match_name_at,
)
from dprk_records.pipeline.extract.quantities import find_quotes
from dprk_records.pipeline.extract.text import Segment, Sentence, iter_segments
from dprk_records.pipeline.extract.titles import (
    head_index,
    honorific_before,
    is_plural,
    is_title,
    make_singular,
    split_titles,
)
from dprk_records.pipeline.lexicon import (
    AROUND_NAME,
    CHANGE_LIST_LINE,
    COMMITTEE_CHAIR,
    COMMITTEE_CHAIR_LINE,
    COMMITTEE_FORMED,
    COMMITTEE_MEMBERS_INLINE,
    COMMITTEE_MEMBERS_SENTENCE,
    EPITHET,
    EVENT_ROLE_TITLE,
    FRAME_HINTS,
    LIST_FRAMES,
    MONTHS,
    PRINCIPALS_FRAMES,
    RELATIVE_CLAUSE,
    SINGLE_LISTING_FRAMES,
    TITLE_ONLY_FRAMES,
    UNORDERED_WHEN_SINGLE,
    VERB_FINAL_FRAMES,
    VERB_FINAL_HINTS,
    WEEKDAYS,
)

_NOT_TITLE_WORDS = frozenset(
    "the a an of by to and with for from in on at as said told met that which who whom his her "
    "their its our was were is are has had puppet so-called".split()
)
_FRAMES = [(name, re.compile(pattern), role) for name, pattern, role in LIST_FRAMES]
# the frames (by index) each hint may open: a sentence is tried only against the frames whose
# hints it has (lexicon.FRAME_HINTS), found with one substring test per hint
_FRAMES_BY_HINT: dict[str, tuple[int, ...]] = {
    hint: tuple(i for i, (name, _, _) in enumerate(LIST_FRAMES) if hint in FRAME_HINTS[name])
    for hint in sorted({hint for hints in FRAME_HINTS.values() for hint in hints})
}
_VERB_FINAL = [
    (name, re.compile(pattern), role, frozenset(VERB_FINAL_HINTS[name]))
    for name, pattern, role in VERB_FINAL_FRAMES
]
_VERB_FINAL_HINT_WORDS = tuple(sorted({h for hints in VERB_FINAL_HINTS.values() for h in hints}))
# a committee formed names a committee or commission and says it was formed; its members say
# "members"
_COMMITTEE = hinted(
    COMMITTEE_FORMED,
    "ommittee",
    "ommission",
    also=((" formed", " organized", " set up", " composed"),),
)
_COMMITTEE_CHAIR = re.compile(COMMITTEE_CHAIR)
_COMMITTEE_MEMBERS = re.compile(COMMITTEE_MEMBERS_INLINE)
_MEMBERS_SENTENCE = hinted(COMMITTEE_MEMBERS_SENTENCE, "embers")
_PLURAL_VERB = re.compile(r"\s+(?:were|are)\b")
_CHAIR_LINE = re.compile(COMMITTEE_CHAIR_LINE)
_FOR_PERSON = re.compile(
    r"\b(?:funeral of|for) (?:the late )?(?P<who>[A-Z][\w ]{3,40}?)(?=,| as\b| with\b|\.|$)"
)

# Predicates that follow a name (and its titles) and give the person's part in the event.
PREDICATES: tuple[tuple[str, str, str | None], ...] = (
    (r"(?:presided over|presides over|chaired)\b", "presided", None),
    (
        r"(?:made|delivered|gave) an? opening (?:address|speech)",
        "opening_address",
        "opening_address",
    ),
    (
        r"(?:made|delivered|gave) an? concluding (?:address|speech)",
        "closing_address",
        "concluding_speech",
    ),
    (
        r"(?:made|delivered|gave) an? closing (?:address|speech)",
        "closing_address",
        "closing_address",
    ),
    (r"(?:made|makes|delivered|delivers|gave|gives) a report\b", "report", "report"),
    (r"read out\b", "speech", None),
    (
        r"(?:made|makes|delivered|delivers|gave|gives) an? (?:[a-z-]+ )?speech\b",
        "speech",
        "speech",
    ),
    (r"(?:was|were) (?:also )?present\b", "attended", None),
    (r"reported to\b", "other", None),
    (r"handed over\b", "other", None),
    (
        r"(?:attended|appeared on the platform|was on the platform)\b[^.]{0,60}?\bto guide\b",
        "guided",
        None,
    ),
    (r"guided\b", "guided", None),
    (r"(?:inspected|visited|looked round|gave field guidance)\b", "guided", None),
    (r"(?:sent|sends)\b", "other", None),
    (
        r"(?:was|were) (?:also )?(?:elected|by-elected|appointed|promoted|relieved|recalled|dismissed)\b",
        "other",
        None,
    ),
    (r"attended\b", "attended", None),
    (r"(?:also )?(?:watched|enjoyed|appreciated)\b", "attended", None),
    (
        r"(?:from [^,.]{3,80}? )?(?:told [^.]{0,40}?in (?:his|her) speech|said in (?:his|her) speech|spoke (?:about|of)\b)",
        "speech",
        None,
    ),
)
_PREDICATE_RES = [(re.compile(p), role, kind) for p, role, kind in PREDICATES]
# Verbs that frame the event a document reports: they give a part only in the lead sentence.
# Later in a text, "visited" or "sent" tells of another occasion ("Chairman Kim Jong Il visited
# the plant", "his wife visited the palace").
_FRAMING = re.compile(r"(?:inspected|visited|looked round|gave field guidance|sent|sends)\b")
_BY_BEFORE = re.compile(r"\b(?:sent|headed|led) by\s+(?:[A-Z][\w-]*\s+){0,3}$")
_PRE_TITLE_WORD = re.compile(r"^(?:[A-Z][\w'’-]*|of|the|C\.C\.,?)$")
_HONORIFIC_WORDS = {"Comrade", "Respected", "Dear", "Supreme", "Leader", "Great", "Beloved"}
_RANK_AROUND = re.compile(AROUND_NAME)
# "... Deputies A and B": the name before this one, joined by "and" or a comma
_SHARED_BEFORE = re.compile(r"(?P<name>\b[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})(?:,| and) $")
# Capitalized words that open a sentence or clause, never a post ("When Deputy X ...").
_CLAUSE_OPENERS = frozenset(
    """When After Before As While Then Also And But At In On Upon Under With From Today Earlier
    Later Meanwhile Speaking Present Attending Seen Taking Invited If Since""".split()
)
_RELATIVE_INSIDE = re.compile(rf",?\s+{RELATIVE_CLAUSE}")
_RELATIVE_START = re.compile(rf"^{RELATIVE_CLAUSE}")
_INDEFINITE = re.compile(r"^an? (?=[a-zA-Z])")
_EPITHET_RE = re.compile(EPITHET, re.I)
# Words that end a title's run: a verb or the closing of a list.
# how far back the words before a name are read (a post before it, "sent by", "Deputies A and")
_LOOK_BACK = 200
_WORD_RUN = re.compile(r"\S+")
_TITLE_STOP = re.compile(
    r"\b(?:attended|was|were|is|are|made|said|visited|inspected|watched|presided|delivered)\b"
)
_EVENT_ROLE_RE = re.compile(EVENT_ROLE_TITLE, re.IGNORECASE)
# A part said later in the subject's own clause: "X conferred the awards ... and made a speech"
# (the first "and VERB" after the subject, before a full stop or semicolon: see _later_part)
_LATER_PART = re.compile(
    r"and (?P<verb>(?:made|delivered|gave) (?:an? (?:[a-z-]+ )?speech|a report))\b"
)
_CLAUSE_STOP = re.compile(r"[.;]")
_CHANGE_LIST_LINE = re.compile(CHANGE_LIST_LINE)
# every title-only frame opens with "the following" / "The following"
_TITLE_ONLY = [(name, hinted(pattern, "he following")) for name, pattern in TITLE_ONLY_FRAMES]


class LaterPart(NamedTuple):
    """A part said later in a subject's clause: where its verb phrase starts, and the phrase."""

    verb_start: int
    verb: str


@lru_cache(maxsize=64)
def _later_parts(text: str) -> tuple[tuple[int, ...], tuple[LaterPart, ...], tuple[int, ...]]:
    """Every "and VERB" of a sentence (where "and" starts, and the part), and where each full
    stop or semicolon is: found once per sentence, not once per name in it, so a sentence that
    lists hundreds of names costs linear time (see :func:`_later_part`)."""
    starts, parts = [], []
    found = _LATER_PART.search(text)
    while found is not None:
        starts.append(found.start())
        parts.append(LaterPart(found.start("verb"), found.group("verb")))
        found = _LATER_PART.search(text, found.start() + 1)
    stops = tuple(m.start() for m in _CLAUSE_STOP.finditer(text))
    return tuple(starts), tuple(parts), stops


def _later_part(text: str, rest_start: int) -> LaterPart | None:
    """The first "and VERB" in ``text`` from ``rest_start`` on, before the next full stop or
    semicolon, with "and" a word of its own (``rest_start`` itself counts as a word's start):
    what ``^[^.;]*?\\band VERB\\b`` matches in ``text[rest_start:]``."""
    starts, parts, stops = _later_parts(text)
    stop_at = bisect.bisect_left(stops, rest_start)
    stop = stops[stop_at] if stop_at < len(stops) else len(text)
    for index in range(bisect.bisect_left(starts, rest_start), len(starts)):
        start = starts[index]
        if start >= stop:
            return None
        before = text[start - 1] if start > rest_start else ""
        if not (before.isalnum() or before == "_"):  # (a word boundary, as \b reads one)
            return parts[index]
    return None


def _word_start(text: str, end: int) -> int:
    """Where to begin reading the words before ``end``: at most _LOOK_BACK characters back,
    at a word's start (so a sentence of any length costs linear time)."""
    if end <= _LOOK_BACK:
        return 0
    return text.find(" ", end - _LOOK_BACK, end) + 1


class PeopleRules(ChangeRules):
    """Listings, titles and predicates."""

    def listings(self, sentence: Sentence, may_name: bool = True) -> list[tuple[int, int]]:
        """Parse every listing in the sentence; returns the regions it consumed.

        ``may_name`` False (:func:`~dprk_records.pipeline.extract.person_names.
        may_name_someone`): the sentence names no one, so its frames list no one; their regions
        could only keep a title-only list's opening from being read, and are looked for only
        when the sentence may open one or a title-only list runs on into it."""
        regions: list[tuple[int, int]] = []
        text = sentence.text
        if not (may_name or self.facts.open_list or any(p.possible(text) for _, p in _TITLE_ONLY)):
            return self.committee(sentence)  # (the one rule here that needs no name)
        # the frames whose hints the sentence has, in LIST_FRAMES order (a frame without one
        # of its hints cannot match)
        present = list(filter(text.__contains__, _FRAMES_BY_HINT))  # (the tests run in C)
        possible = sorted({i for hint in present for i in _FRAMES_BY_HINT[hint]}) if present else []
        triggers = sorted(
            (
                (match.start(), -match.end(), frame, role, match)
                for frame, pattern, role in (_FRAMES[i] for i in possible)
                for match in pattern.finditer(text)
            ),
            key=lambda t: (t[0], t[1]),
        )
        for start, _, frame, role, trigger in triggers:
            # the longest frame at a place wins; a frame inside another's words or list is not one
            if any(s < trigger.end() and start < e for s, e in regions):
                continue
            lists = parse_name_lists(sentence.text, trigger.end(), known=self.known_foreign_names())
            end = self.record_lists(sentence, lists, role, frame, start)
            regions.append((start, max(end, trigger.end())))
        if not regions:
            regions.extend(self.verb_final_listing(sentence))
        regions.extend(self.committee(sentence))
        regions.extend(self.title_only_list(sentence, regions))
        return regions

    def title_only_list(
        self, sentence: Sentence, taken: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """ "The following were appointed: Vice-Premier A, Minister of X B ...": each person with
        the post on their own line, appointed (part "other", in no listing)."""
        if self.facts.open_list and not taken:  # the lines after "The following were appointed:"
            if _CHANGE_LIST_LINE.match(sentence.text):
                return []  # "To Major General: A, B": a line of posts, the change rules' to read
            lists = parse_name_lists(sentence.text, 0)
            if (
                lists
                and lists[0].entries[0].name.start < 80
                and lists[-1].end >= len(sentence.text.rstrip(" .;")) - 1
            ):
                for entry in lists[0].entries:
                    mention = self.person(sentence, entry.name, "listing-name")
                    self.list_titles(sentence, mention, entry)
                    self.part(mention, "other", None, None, "appointed-list")
                    self.listed_change(sentence, entry)
                return [(0, len(sentence.text))]
            self.facts.open_list = False
            self.facts.open_change = None
        for _frame, pattern in _TITLE_ONLY:
            opening = pattern.search(sentence.text)
            if opening is None or any(s <= opening.start() < e for s, e in taken):
                continue
            self.facts.open_list = not sentence.text[opening.end() :].strip(" :")
            self.open_change_list(sentence, opening.group(0), opening.start())
            lists = parse_name_lists(sentence.text, opening.end())
            end = opening.end()
            for name_list in lists:
                for entry in name_list.entries:
                    mention = self.person(sentence, entry.name, "listing-name")
                    self.list_titles(sentence, mention, entry)
                    self.part(mention, "other", None, None, "appointed-list")
                    self.listed_change(sentence, entry)
                end = max(end, name_list.end)
            return [(opening.start(), end)]
        return []

    def known_foreign_names(self) -> frozenset[str]:
        """Foreign names the document has already framed: later mentions need no frame. The
        persons are only ever appended to, so the set is brought up to date with the mentions
        recorded since the last call instead of being rebuilt from all of them."""
        persons = self.facts.persons
        if self.foreign_read < len(persons):
            new = {p.name for p in persons[self.foreign_read :] if not is_korean_name(p.name)}
            if not new <= self.foreign_known:
                self.foreign_known = self.foreign_known | new
            self.foreign_read = len(persons)
        return self.foreign_known

    def record_lists(
        self, sentence: Sentence, lists: list[NameList], role: str, frame: str, at: int
    ) -> int:
        """Persons, titles and ordered parts of parsed lists; returns where the last one ends."""
        end = at
        single = frame in UNORDERED_WHEN_SINGLE and sum(len(n.entries) for n in lists) == 1
        for index, name_list in enumerate(lists):
            listing_at = at if index == 0 else name_list.start
            listing_id = sentence.span(listing_at, listing_at + 1).start
            for order, entry in enumerate(name_list.entries, start=1):
                mention = self.person(sentence, entry.name, "listing-name")
                self.list_titles(sentence, mention, entry)
                if frame in PRINCIPALS_FRAMES:
                    principal = role if index == 0 and order == 1 else "other"
                    self.part(mention, principal, None, None, f"listing-{frame}")
                elif single:
                    self.part(mention, role, None, None, f"listing-{frame}")
                else:
                    self.part(mention, role, listing_id, order, f"listing-{frame}")
            end = max(end, name_list.end)
        return end

    def list_titles(
        self, sentence: Sentence, mention: PersonMention, entry: ListEntry, method: str = ""
    ) -> None:
        """The titles a list gives one of its entries (``method``: default by title shape)."""
        for piece in entry.titles:
            named = method or f"listing-title-{piece.shape}"
            if piece.shape in ("before", "around"):
                span = sentence.span(piece.start, piece.end)
                self.title_as_written(mention.name, span, piece.title, named)
            else:
                self.title(sentence, mention.name, piece.start, piece.end, True, named)

    def verb_final_listing(self, sentence: Sentence) -> list[tuple[int, int]]:
        """ "A, TITLE, B, TITLE, and officials concerned were on hand": the list is the subject."""
        present = set(filter(sentence.text.__contains__, _VERB_FINAL_HINT_WORDS))
        if not present:
            return []  # no frame's verb: the common case, decided with a few substring tests
        for frame, pattern, role, hints in _VERB_FINAL:
            verb = pattern.search(sentence.text) if not hints.isdisjoint(present) else None
            if verb is None:
                continue
            lists = parse_name_lists(sentence.text, 0, verb.start())
            entries = [e for n in lists for e in n.entries]
            plural_verb = bool(_PLURAL_VERB.match(verb.group()))
            single_ok = (
                plural_verb or frame in SINGLE_LISTING_FRAMES or frame in UNORDERED_WHEN_SINGLE
            )
            if not entries or entries[0].name.start > 120 or (len(entries) < 2 and not single_ok):
                continue
            end = self.record_lists(sentence, lists[:1], role, frame, 0)
            return [(0, max(end, verb.start()))]
        return []

    def committee(self, sentence: Sentence) -> list[tuple[int, int]]:
        """A committee formed in the text: its chairman, then its members, as one ordered list
        (listings.md L25); the members may come in the next sentence ("Its members are ...")."""
        formed = _COMMITTEE.search(sentence.text)
        if formed is not None:
            name = " ".join(formed.group("committee").split())
            span = sentence.span(formed.start("committee"), formed.end("committee"))
            chair = None
            chair_match = _COMMITTEE_CHAIR.search(sentence.text, formed.end())
            chair_lists: list[NameList] = []
            if chair_match is not None:
                chair_lists = parse_name_lists(
                    sentence.text, chair_match.start("chair"), chair_match.end("chair")
                )
                if chair_lists:
                    chair = chair_lists[0].entries[0].name
            self.facts.units.append(UnitFact(name, "other", span, None, None, "committee-formed"))
            self.facts.committees.append(CommitteeFact(name, span, chair is not None))
            members = _COMMITTEE_MEMBERS.search(
                sentence.text, chair_match.end() if chair_match else formed.end()
            )
            listing = sentence.span(formed.start(), formed.start() + 1).start
            order = 0
            if chair is not None:
                order = 1
                mention = self.person(sentence, chair, "committee-chair")
                self.part(mention, "member", listing, 1, "committee-chair")
                self.list_titles(
                    sentence, mention, chair_lists[0].entries[0], "committee-chair-title"
                )
            self.committee_formation(
                sentence, formed.start("committee"), formed.end("committee"), formed.end(), name
            )
            if members is None:
                return [(formed.start(), chair_match.end() if chair_match else formed.end())]
            lists = parse_name_lists(
                sentence.text, members.start("members"), members.end("members")
            )
            self.committee_members(sentence, lists, listing, order)
            return [(formed.start(), members.end())]
        chair_line = _CHAIR_LINE.match(sentence.text)
        if chair_line is not None and self.facts.committees:
            lists = parse_name_lists(sentence.text, chair_line.end())
            if lists:
                committee = self.facts.committees[-1]
                mention = self.person(sentence, lists[0].entries[0].name, "committee-chair")
                self.part(mention, "member", committee.span.start, 1, "committee-chair")
                self.facts.committees[-1] = replace(committee, has_chair=True)
                return [(0, len(sentence.text))]
        opening = _MEMBERS_SENTENCE.search(sentence.text)
        if opening is None:
            return []
        lists = parse_name_lists(sentence.text, opening.end())
        if self.facts.committees:
            committee = self.facts.committees[-1]
            listing, before = committee.span.start, int(committee.has_chair)
        else:  # "...; the committee members are A, B": a committee the text does not form
            listing, before = sentence.span(opening.start(), opening.start() + 1).start, 0
        self.committee_members(sentence, lists, listing, before)
        return [(opening.start(), len(sentence.text))]

    def committee_formation(
        self, sentence: Sentence, start: int, end: int, after: int, name: str
    ) -> None:
        """Forming the committee is an event of the text ("formation of the state funeral
        committee for X", X the person whose funeral it is); its span runs from the committee's
        words to the deceased's name, so that it says every word of the event's name."""
        deceased = _FOR_PERSON.search(sentence.text, after) or _FOR_PERSON.search(
            sentence.text[:start]
        )
        label = f"formation of the {name[0].lower() + name[1:]}"
        span_start, span_end = start, max(end, after)
        if deceased is None and self.facts.deceased:  # named in the obituary before it
            label += f" for {self.facts.deceased}"
        if deceased is not None:
            found = find_names(deceased.group("who"))
            if found:
                label += f" for {found[0].name}"
                who = deceased.start("who") + found[0].start, deceased.start("who") + found[0].end
                span_start, span_end = min(span_start, who[0]), max(span_end, who[1])
        date = re.search(
            rf"\bon ((?:{'|'.join(MONTHS)}) \d{{1,2}}|{'|'.join(WEEKDAYS)})\b", sentence.text
        )
        self.reported_event(
            sentence.span(span_start, span_end),
            label,
            "other",
            date.group(1) if date else None,
            None,
            "committee-formed",
        )

    def committee_members(
        self, sentence: Sentence, lists: list[NameList], listing: int, before: int
    ) -> None:
        """Each member listed takes part "member" in the committee's listing, numbered on through
        every list after ``before`` (1 when the chair was listed first)."""
        order = before
        for name_list in lists:
            for entry in name_list.entries:
                order += 1
                mention = self.person(sentence, entry.name, "committee-member")
                self.part(mention, "member", listing, order, "committee-member")

    # -- sentences --------------------------------------------------------------------------
    def appositive(self, sentence: Sentence, name: NameMatch) -> int:
        """Titles after ", " that follow a name; returns where the predicate starts."""
        pos = name.end
        around = _RANK_AROUND.match(sentence.text, pos)  # "Marshal X of the KPA made ..."
        if around:
            pos = around.end()
        if not sentence.text.startswith(",", pos) and not sentence.text.startswith(" ,", pos):
            return pos
        consumed = pos
        first = True
        for segment in self.relative_pieces(sentence.text, sentence.text.index(",", pos) + 1):
            relative = _RELATIVE_START.match(segment.text)
            offset = relative.end() if relative else 0
            text = segment.text[offset:]
            if (relative and _EPITHET_RE.search(text)) or (
                segment.text.startswith("who ") and not relative
            ):
                # "who is the great leader of ...", "who commanded the parade": no post
                consumed = segment.end
                first = False
                continue
            if _EVENT_ROLE_RE.search(text) and is_title(text):
                # "X, chairman of the state funeral committee, stood in silent tribute": a part
                # in this event, not a post (listings.md L26)
                self.part(
                    self.person(sentence, name, "name-pattern"),
                    "attended",
                    None,
                    None,
                    "event-role-apposition",
                )
                consumed = segment.end
                first = False
                continue
            bare = text[_INDEFINITE.match(text).end() :] if _INDEFINITE.match(text) else text
            if (
                not is_title(bare)
                or (segment.had_and and not first)
                or _EPITHET_RE.search(text)
                or _TITLE_STOP.search(text)
            ):
                break
            if find_names(text):
                break  # a title ends where another person's name begins (the gate checks it)
            # "A and B, secretaries of X, ...": a plural post is each of the run's
            holders = self.run_before(sentence, name) if first and is_plural(bare) else [name]
            for piece_start, piece_end in split_titles(text):
                piece = text[piece_start:piece_end]
                if not is_title(_INDEFINITE.sub("", piece)):
                    continue
                for holder in holders:
                    self.title(
                        sentence,
                        holder.name,
                        segment.start + offset + piece_start,
                        segment.start + offset + piece_end,
                        len(holders) > 1,
                        "appositive-title",
                    )
            consumed = segment.end
            first = False
        rest = re.match(r"\s*,\s*", sentence.text[consumed:])
        return consumed + (rest.end() if rest else 0)

    @staticmethod
    def run_before(sentence: Sentence, name: NameMatch) -> list[NameMatch]:
        """The names joined to this one by "and" or commas right before it, and it, in order."""
        run = [name]
        while True:
            shared = _SHARED_BEFORE.search(sentence.text, max(0, run[0].start - 80), run[0].start)
            earlier = (
                match_name_at(sentence.text, shared.start("name")) if shared is not None else None
            )
            if earlier is None or earlier.end != shared.end("name"):
                return run
            run.insert(0, earlier)

    @staticmethod
    def relative_pieces(text: str, start: int) -> Iterator[Segment]:
        """Comma segments with a relative clause inside one cut off as a segment of its own
        ("director of X who is the special envoy of Y" is two titles), one by one: an
        appositive reads only as far as its titles go."""
        for segment in iter_segments(text, start):
            inside = _RELATIVE_INSIDE.search(segment.text)
            if inside is None or inside.start() == 0:
                yield segment
                continue
            cut = segment.start + inside.start()
            yield Segment(segment.start, cut, text[segment.start : cut], segment.had_and)
            rest = (
                segment.start
                + inside.start()
                + len(inside.group())
                - len(inside.group().lstrip(" ,"))
            )
            yield Segment(rest, segment.end, text[rest : segment.end], False)

    def title_before(self, sentence: Sentence, name: NameMatch) -> None:
        """A post written right before a name ("Premier X", "Marshal X of the KPA"); a plural one
        before a run ("Deputies A and B") is each name's. With an article it is an epithet ("the
        General Secretary Kim Jong Un"), not a post."""
        shared = _SHARED_BEFORE.search(sentence.text, max(0, name.start - 80), name.start)
        if shared is not None:  # "Deputies A and B": a plural post before A is B's too
            earlier = match_name_at(sentence.text, shared.start("name"))
            if earlier is not None:
                self.shared_title_before(sentence, name, earlier)
                return
        # a post before a name is a few words: read back a bounded stretch, from a word start
        words = list(
            _WORD_RUN.finditer(sentence.text, _word_start(sentence.text, name.start), name.start)
        )
        start = None
        for word in reversed(words):
            if not _PRE_TITLE_WORD.match(word.group()) or word.group() in _HONORIFIC_WORDS:
                break
            start = word.start()
        if start is None:
            self.lowercase_title_before(sentence, name)
            return
        phrase = sentence.text[start : name.start].strip()
        # a post begins after another person's name ("Vice-Premier Kim X Minister of Y Ri Z")
        # and after a word that opens the clause ("When Deputy X spoke")
        for earlier in find_names(phrase):
            start = start + earlier.end + 1
            phrase = sentence.text[start : name.start].strip()
        while phrase.split(" ", 1)[0] in _CLAUSE_OPENERS:
            phrase = phrase.split(" ", 1)[1] if " " in phrase else ""
            start = name.start - len(phrase) - 1
        article = False
        while phrase.split(" ", 1)[0] in {"of", "the", "The"}:
            article = article or phrase.split(" ", 1)[0] in {"the", "The"}
            phrase = phrase.split(" ", 1)[1] if " " in phrase else ""
            start = name.start - len(phrase) - 1
        # "the General Secretary Kim Jong Un" is an epithet; a post before a name has no article.
        if (
            article
            or not phrase
            or not is_title(phrase)
            or honorific_before(sentence.text[max(0, start - _LOOK_BACK) : start])
            or _EPITHET_RE.search(sentence.text[max(0, start - 20) : name.start])
        ):
            return
        end = name.start - 1
        around = _RANK_AROUND.match(sentence.text, name.end)
        if around:
            phrase, end = phrase + around.group(), around.end()
        if is_plural(phrase):  # "Deputies A and B": each is a deputy
            phrase = make_singular(phrase)
        self.title_as_written(name.name, sentence.span(start, end), phrase, "title-before-name")

    def shared_title_before(self, sentence: Sentence, name: NameMatch, earlier: NameMatch) -> None:
        """The post written before the first name of "Deputies A and B", when it is plural."""
        words = list(
            _WORD_RUN.finditer(
                sentence.text, _word_start(sentence.text, earlier.start), earlier.start
            )
        )
        start = None
        for word in reversed(words):
            if not _PRE_TITLE_WORD.match(word.group()) or word.group() in _HONORIFIC_WORDS:
                break
            start = word.start()
        if start is None:  # a lower-case post: "deputies A and B were elected ..."
            for word in reversed(words[-2:]):
                if not re.fullmatch(r"[a-z][a-z-]*", word.group()) or word.group() in (
                    _NOT_TITLE_WORDS
                ):
                    break
                start = word.start()
            lower = sentence.text[start : earlier.start].split() if start is not None else []
            if (
                not lower
                or head_index(" ".join(lower)) != len(lower) - 1
                or (
                    lower[-1] in {"leaders", "leader"}
                    or _EPITHET_RE.search(" ".join(lower))
                    or any(w in _HONORIFIC_WORDS for w in lower)
                )
            ):
                return  # the post's head noun ends it: "deputies", "vice-premiers"
        if start is None:
            return
        phrase = sentence.text[start : earlier.start].strip()
        if phrase.split(" ", 1)[0] in {"of", "the", "The"} or not is_title(phrase):
            return
        if not is_plural(phrase):
            return
        self.title_as_written(
            name.name,
            sentence.span(start, earlier.start - 1),
            make_singular(phrase),
            "title-before-names",
        )

    def lowercase_title_before(self, sentence: Sentence, name: NameMatch) -> None:
        """A post written in lower case right before a name ("defence minister Han Tae Sop")."""
        words = list(
            _WORD_RUN.finditer(sentence.text, _word_start(sentence.text, name.start), name.start)
        )[-3:]
        picked = []
        for word in reversed(words):
            if not re.fullmatch(r"[a-z][a-z-]*", word.group()) or word.group() in _NOT_TITLE_WORDS:
                break
            picked.insert(0, word)
        if (
            not picked
            or not is_title(picked[-1].group())
            or picked[-1].group() in {"leader", "leaders"}
            or _EPITHET_RE.search(" ".join(w.group() for w in picked))
        ):
            return
        while picked and not is_title(" ".join(w.group() for w in picked)):
            picked.pop(0)
        if not picked:
            return
        start, end = picked[0].start(), picked[-1].end()
        phrase = sentence.text[start:end]
        if is_plural(phrase):  # "deputies A and B": each a deputy
            phrase = make_singular(phrase)
        self.title_as_written(
            name.name, sentence.span(start, end), phrase, "lowercase-title-before-name"
        )

    def predicate(
        self,
        sentence: Sentence,
        mention: PersonMention,
        name: NameMatch,
        after: int,
        is_lead: bool = True,
    ) -> None:
        """The person's part from the verb after their name and titles ("presided over", "made a
        report", with the speech and its quoted title); "sent by X" is a part "other". Outside the
        lead a framing verb ("visited") tells of another occasion and gives no part."""
        rest = sentence.text[after:].lstrip()
        rest_start = len(sentence.text) - len(rest)
        before = sentence.text[max(0, name.start - _LOOK_BACK) : name.start]
        if _BY_BEFORE.search(before):
            self.part(mention, "other", None, None, "predicate-by")
            return
        later = _later_part(sentence.text, rest_start)
        if later is not None and not find_names(sentence.text[rest_start : later.verb_start]):
            role = "report" if later.verb.endswith("report") else "speech"
            self.part(mention, role, None, None, f"predicate-later-{role}")
        for pattern, role, speech_kind in _PREDICATE_RES:
            if not pattern.match(rest):
                continue
            if not is_lead and _FRAMING.match(rest):
                return
            self.part(mention, role, None, None, f"predicate-{role}")
            if speech_kind is not None:
                quote = find_quotes(rest)
                title = (
                    quote[0].text
                    if quote and rest[: quote[0].start].strip().endswith(("report", '"', "“"))
                    else None
                )
                span_end = rest_start + (quote[0].end + 1 if title else pattern.match(rest).end())
                self.facts.speeches.append(
                    SpeechFact(
                        sentence.span(name.start, min(span_end, len(sentence.text))),
                        mention.name,
                        speech_kind,
                        title,
                        False,
                        f"predicate-{role}",
                    )
                )
            return
