"""Personnel changes: who was elected, appointed, recalled, relieved, promoted or awarded what.

A change is one more frame over the parts the listings use: a run of names (the name-list
parser), a post (a title, a rank or an honour, made singular for one person) and the verb that
says the kind of change (``lexicon.CHANGE_VERBS``). The forms (changes-titles-events.md, Part A):

- the names before the verb: "A and B were elected members of X" (A4), with gapped groups after
  the first post: "..., C and D alternate members of Y, and E member of Z, to fill vacancies";
  "the military ranks of A and B have been promoted to colonel generals and those of C to
  lieutenant generals" (A11); an elliptical clause: "A was relieved from X and B appointed as
  new Y" (A9); "A was awarded X; B and C Y" (A14); "B and C received X" (A14);
- a body (or the leader) before the verb and the names after it: "The session elected Deputy A
  as chairman of X and Deputies B and C as its vice-chairpersons" (A5), "decided to relieve A of
  all his posts including X and Y" (A8);
- an honour before the verb and the recipients after it: "The title of Hero was conferred on A,
  TITLE, and B", "X went to A, and that of Y to B" (A15), "decided to award X to A" (A17); a rank
  conferred so is a promotion (A12).

A name inside an honour ("Order of Kim Il Sung") is never a recipient; a change told in a
relative clause ("who was elected ... in 2012") is history, not news. Nothing here names a
person, a body or an honour: verbs, the heads of honours and ranks, and where a post ends are
the lexicon's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from dprk_records.pipeline.extract.base import FactCollector
from dprk_records.pipeline.extract.event_names import event_key
from dprk_records.pipeline.extract.facts import ChangeFact, OpenChangeList, TitleFact
from dprk_records.pipeline.extract.hints import hinted, opening, word_start
from dprk_records.pipeline.extract.namelist import ListEntry, parse_name_lists
from dprk_records.pipeline.extract.organizations import units_of_title
from dprk_records.pipeline.extract.person_names import NameMatch
from dprk_records.pipeline.extract.text import Sentence, Span
from dprk_records.pipeline.extract.titles import is_title, make_singular, split_titles
from dprk_records.pipeline.lexicon import (
    AROUND_NAME,
    AWARD_HEADS,
    CHANGE_LIST_LINE,
    CHANGE_NOUNS,
    CHANGE_POST_END,
    CHANGE_VERBS,
    EVENT_ROLE_TITLE,
    HONOUR_OF,
    RANK,
)


@dataclass(frozen=True)
class ChangeClause:
    """One person's change as one sentence states it, in the sentence's coordinates."""

    name: NameMatch
    change: str
    post: str  # singular, no leading article, no "the title of"
    post_start: int
    post_end: int
    rank: str | None
    method: str

    @property
    def start(self) -> int:
        """Where the clause begins, at the name or the post, whichever comes first ("A was
        elected X", "X went to A"): the change's span says both."""
        return min(self.name.start, self.post_start)

    @property
    def end(self) -> int:
        """Where the clause ends, past the name or the post, whichever comes last."""
        return max(self.name.end, self.post_end)


# "and 27 others": people counted, not named
_AND_OTHERS = r"\s+and\s+(?:\d+|[a-z-]+)\s+others?\b"
_VERB_KIND = [(re.compile(rf"(?:{pattern})$"), kind) for pattern, kind in CHANGE_VERBS]
_VERB_WORDS = [word for pattern, _ in CHANGE_VERBS for word in pattern.split("|")]
_VERB = re.compile(word_start(_VERB_WORDS) + r"\b")
_AUX_BEFORE = re.compile(
    r"\b(?:was|were|has been|have been|had been|be|been|being)\s+"
    r"(?:(?:also|newly|posthumously|formally|duly|officially)\s+)?$"
)
_RELATIVE_BEFORE = re.compile(r"(?:\bwho|\bwhich|\bthat|\bwhom)\s+(?:\w+\s+)?$")
_POST_END = re.compile(CHANGE_POST_END)
_RANK = re.compile(rf"(?:the )?(?:(?:military )?ranks? of )?(?P<rank>{RANK})", re.IGNORECASE)
_AWARD_HEAD = re.compile(rf"\b{AWARD_HEADS}\b")
_AWARD_STRIP = re.compile(
    r"^(?:(?:the|a|an|his|her)\s+)?(?:(?:honorary|honourary)\s+)?(?:titles?\s+of\s+)?"
    r"(?:(?:the|a|an)\s+)?",
    re.IGNORECASE,
)
_POST_STRIP = re.compile(
    r"^(?:(?:the|a|an|its|their|his|her|new|the new|a new|concurrently|also)\s+)*"
    r"(?:(?:post|posts|rank|title|position|office)\s+of\s+)?(?:(?:the|a|an)\s+)?"
)
_LEAVING = re.compile(
    r"\s*(?:as\s+|(?:of|from)\s+(?:(?:his|her|their|the)\s+)?(?:(?:all|both)\s+(?:of\s+)?(?:his|her|their)\s+)?"
    r"(?:(?:posts?|offices?|duties|positions?)\b\s*(?:(?:as|of)\s+|,?\s*(?:including|among them|"
    r"namely)\s+|(?=[,.;]|$))?)?)"
)
_TAKING = re.compile(
    r"\s*(?:(?:posthumously|concurrently|also)\s+)?(?:(?:to|as)\s+)?(?:(?:the\s+)?(?:rank|post|position)\s+of\s+)?"
)
_AWARD_INTRO = re.compile(r"\s*(?:posthumously\s+)?(?:with\s+)?")
_RECIPIENTS = re.compile(r"\s*(?:posthumously\s+)?(?:to|on|upon)\s+(?:posthumously\s+)?")
_RUN_GAP = re.compile(rf"(?:{AROUND_NAME})?(?:,\s*and\s+|,\s*|\s+and\s+)")
# at most a title of a few words between "and" and the next name ("and Deputy", "and deputies")
_WORDS_BEFORE_NAME = re.compile(r"(?:[\w'’-]+\s+){0,3}")
_AND_VERB = re.compile(r"\s+and\s+(?:" + "|".join(p for p, _ in CHANGE_VERBS) + r")\b")
_TITLE_BEFORE = re.compile(r"(?:(?:[A-Z][\w'’-]*|of the)\s+){0,5}")
_GROUP_START = re.compile(
    r"(?:,\s*(?:and\s+)?|\s+and\s+|;\s*(?:and\s+)?)(?:(?:those|that)\s+of\s+)?"
)
# no comma between a gapped group's names and its post: "B and C members of Y" (", B, TITLE,"
# is an appositive of a new clause's subject)
_GROUP_POST = re.compile(rf"(?:{_AND_OTHERS})?\s+(?:(?:as\s+(?:its\s+|their\s+)?)|(?:to\s+))?")
_AWARD_APPOSITIVE = re.compile(
    rf",[^;]*?,\s+(?=(?:the |an? )?(?:(?!and\b)[\w'’()-]+ ){{0,3}}?{AWARD_HEADS}\b)"
)
_NEW_CLAUSE = re.compile(
    r"(?:was|were|is|are|has|have|had|be|been)\b|(?:"
    + "|".join(p for p, _ in CHANGE_VERBS)
    + r")\b"
)
# a name after a preposition is no subject ("At the recommendation of Premier A, B was ..."),
# except inside "the military ranks of A and B have been promoted"
_GOVERNED = re.compile(
    r"(?<!ranks )(?<!rank )\b(?:of|by|to|at|from|with|for|on|upon)\s+(?:[A-Z][\w-]*\s+){0,3}$"
)
# an appositive between an object and its post: "raised A, a veteran commander, to Marshal"
_APPOSITIVE = re.compile(r",[^;]*?,\s+(?=(?:as|to|of|from)\b)")
_OTHERS = re.compile(_AND_OTHERS)
_AWARD_GROUP = re.compile(
    r"(?:,\s*(?:and\s+)?|\s+and\s+|;\s*(?:and\s+)?)"
    rf"(?P<award>(?:that|those) of [^,;]+?|(?:the |an? )?[^,;]*?{AWARD_HEADS}[^,;]*?)"
    r"\s+(?:to|on|upon)\s+"
)
_COMPANIONS = re.compile(
    r",?\s+who\s+(?:was|were)\s+also\s+(?:given|awarded|presented\s+with|honou?red\s+with)\s+"
)
_INTRO = re.compile(
    r"^(?:According|By|Under|Upon|With|On|In|At|Through|Following|After)\b[^,]*,\s*", re.IGNORECASE
)
_WITH = re.compile(r"\s+(?:together\s+|along\s+)?with\b")
_AWARD_DELIMITER = re.compile(r",\s*|\bthat\s+")
_NEXT_AWARD = re.compile(rf"(?:the |an? )?(?:(?!and\b)[\w'’()-]+ ){{0,3}}?{AWARD_HEADS}\b")
_AWARD_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s+(?:together\s+)?with\s+|\s+along with\s+")
_EVENT_ROLE = re.compile(EVENT_ROLE_TITLE)
_HONOUR_OF = re.compile(HONOUR_OF)
_COUNTED = re.compile(r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|some)\b")
_ANOTHER_POST = re.compile(r"(?:an)?other (?:post|job|duty|position|work)s?")
_SAME_POST = re.compile(
    r"\s*(?:to it|to the post|to that post|in (?:his|her) place|to fill (?:the )?vacanc(?:y|ies))\b"
)
_AND_BEFORE = re.compile(r"\band\s+(?:[A-Z][\w'’-]*\s+){0,3}$")
_INCLUDING = re.compile(r"[^;,.]{1,60}?,?\s+(?:including|among them|such as)\s+")
_OPENING_PRONOUN = re.compile(r"\s*(He|She)\s+$")
_QUALIFIER = re.compile(
    r"\s+(?:from among|in accordance with|at (?:the|its)|upon|under|according to|in line with|"
    r"by (?:a|the))\b[^,;.]*"
)
_BEHALF = re.compile(r"\b(?:on|in)\s+(his|her)\s+(?:behalf|place|stead)\b")
_HISTORY_BEFORE = re.compile(
    r"\b(?:since|anniversary of|ago|when|before|recalled that|remembered that)\b[^,;:]*$"
)
_HISTORY = re.compile(r"\s+(?:in (?:19|20)\d\d|(?:\w+ )?years ago|at that time|back then)\b")
# a participle that opens the sentence: "Elected as members of X were A and B", "Also
# appointed by the decree were ..."
_PARTICIPLES = [
    word for pattern, _ in CHANGE_VERBS for word in pattern.split("|") if word.endswith("ed")
]
_FRONTED = re.compile(
    r"(?:(?P<verb>"
    + "|".join(word.capitalize() for word in _PARTICIPLES if "?" not in word)
    + r")|Also (?P<also>"
    + "|".join(_PARTICIPLES)
    + r"))\b"
)
_FRONTED_LINK = re.compile(r"\s*(?:,\s*)?(?:were|was)\s+|\s*:\s*")
_FRONTED_QUALIFIED = re.compile(
    r"\s+(?:by|under|at|in|according to)\b[^,;.]{1,80}?\s+(?:were|was)\s+"
)
_NOMINAL = hinted(  # (a sentence without one of the nouns is not scanned)
    r"\b(?:approved|endorsed|accepted|announced|decided on)\s+the\s+"
    rf"(?P<noun>{'|'.join(CHANGE_NOUNS)})\s+of\s+",
    *CHANGE_NOUNS,
)
# a line of a change list: "To Lieutenant General of the Air Force: A, B"
_COLON_GROUP = re.compile(opening("A-Z") + CHANGE_LIST_LINE)  # "To X:" or "X:", capitalized
_ASIDE = re.compile(r",\s*(?!and\b)[a-z][^,;]*?(?=,\s*(?:and\s+)?[A-Z])")
# a gapped group's appositive, when its post ends the clause: "..., and B, TITLE, POST."
_LAST_POST_APPOSITIVE = re.compile(
    r",[^;]*?,\s+(?=[^,;]+(?:;|\.?\s*$|,\s*(?!and\b)[a-z][^,;]*(?:;|\.?\s*$)))"
)
# words before a post that are not the title's: "a member of", "its vice-chairpersons"
_TITLE_LEAD = re.compile(
    r"(?:(?:the|a|an|its|their|his|her|new|concurrently|also)\s+)*(?:(?:post|rank|title)\s+of\s+)?",
    re.IGNORECASE,
)
_OTHERS_BEFORE = re.compile(rf"{_AND_OTHERS}\s*$")
_LOOK_BACK = 200  # characters: how far back the words before a verb or a name are read
_BARE_POST = re.compile(
    r"\s*(?:of|from)\s+(?P<what>(?:his|her|their)\s+(?:posts?|offices?|duties|positions?))\b"
    r"(?!\s*(?:as(?!\s+(?:he|she|they)\b)|of|including|among)\b)"
)
# "..., and dismissed from his post": a second verb of the same subject
_SAME_SUBJECT = re.compile(r",?\s+and\s+$")
_THE_FOLLOWING = hinted(r"\b(?:the following|as follows)\b", "the following", "as follows")
# "A was awarded X together with B": B a recipient as well, not a companion honour
_ALONG_WITH = re.compile(r"\s+(?:together|along)\s+with\s+(?:[A-Z][\w'’-]*\s+){0,3}$")
_CO_RECIPIENTS = re.compile(r"\s+(?:together|along)\s+with\s+")
_LEAVING_KINDS = frozenset({"released", "recalled", "dismissed", "retired"})
_PRONOUN = re.compile(r"\b(?:as|because|since|after|when|and)\s+(?:he|she)\s+$")
_VACANCIES = hinted(r"\bto fill (?:the )?vacanc(?:y|ies)\b", "to fill ")
# active, but the recipients (or the one who leaves) stand before the verb
_SUBJECT_VERBS = frozenset({"received", "retired"})
_INVERTED_VERBS = frozenset({"went"})  # the honour before the verb, the recipients after it


def kind_of(verb: str) -> str:
    """The change a verb states ("by-elected" -> by_elected, "honored" -> awarded)."""
    for pattern, kind in _VERB_KIND:
        if pattern.match(verb):
            return kind
    raise ValueError(f"not a change verb: {verb!r}")


def rank_of(post: str) -> str | None:
    """The rank a post is ("colonel general", "Vice Marshal of the KPA"), or None."""
    match = _RANK.fullmatch(post.strip())
    return match.group("rank") if match else None


def is_award(phrase: str) -> bool:
    """An honour's name: a head word of honours, or a capitalized name ("Labour Hero")."""
    text = phrase.strip()
    if not text or text[0] in ",;":
        return False
    return bool(_AWARD_HEAD.search(text)) or bool(re.match(r"(?:[A-Z][\w'’-]*\s?){1,6}$", text))


def _clean_award(phrase: str) -> str:
    return _AWARD_STRIP.sub("", phrase.strip()).strip()


def _clean_post(phrase: str) -> str:
    post = _POST_STRIP.sub("", phrase.strip()).strip()
    return make_singular(post)


def _post_end(text: str, pos: int, names: list[NameMatch], award: bool = False) -> int:
    """Where the post that starts at ``pos`` ends: a stop of the lexicon, or " and " before a
    name (the next group's or the next clause's). An honour runs on over "with the" (its
    companions: "the title of Labour Hero with the Gold Medal")."""
    stop = _POST_END.search(text, pos)
    while award and stop is not None and _WITH.match(stop.group(0)):
        stop = _POST_END.search(text, stop.end())
    end = stop.start() if stop else len(text)
    verb = _AND_VERB.search(text, pos, end)  # "... of his duties as X and appointed B"
    end = verb.start() if verb else end
    for name in names:
        if pos < name.start < end:
            along = _ALONG_WITH.search(text, pos, name.start)  # "X together with B, TITLE"
            if along is not None:
                return min(end, along.start())
            gap_start = text.rfind(" and ", pos, name.start)
            if gap_start != -1 and _WORDS_BEFORE_NAME.fullmatch(text, gap_start + 5, name.start):
                end = min(end, gap_start)  # "... chairman and deputies A and B ..."
            else:
                end = min(end, name.start)
            break
    return end


def _phrases(
    text: str, pos: int, names: list[NameMatch], award: bool
) -> tuple[list[tuple[int, int]], int]:
    """The post phrases at ``pos`` ([start, end) each) and where they end: one phrase, and more
    after a comma while the next piece is itself a post with no name in it ("including X, Y and
    Z")."""
    phrases: list[tuple[int, int]] = []
    end = _post_end(text, pos, names, award)
    if end <= pos:
        return [], pos
    phrases.append((pos, end))
    while end < len(text) and text[end] == ",":
        nxt = re.match(r",\s*(?:and\s+)?", text[end:])
        start = end + (nxt.end() if nxt else 1)
        piece_end = _post_end(text, start, names, award)
        piece = text[start:piece_end]
        if piece_end <= start or any(start <= n.start <= piece_end + 1 for n in names):
            break  # the next piece holds a name or is the title before one
        if not (is_award(piece) if award else is_title(_clean_post(piece))):
            break
        phrases.append((start, piece_end))
        end = piece_end
    return phrases, end


def _split_awards(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """An honour and its companions ("the title of Labour Hero, the Gold Medal (Hammer and
    Sickle) and the Order of National Flag First Class"), each [start, end); an "and" inside an
    honour's name ("Order of Freedom and Independence") or its brackets splits nothing."""
    pieces, begin = [], start
    for match in _AWARD_SPLIT.finditer(text, start, end):
        if text.count("(", begin, match.start()) > text.count(")", begin, match.start()):
            continue
        if _NEXT_AWARD.match(text, match.end(), end):
            pieces.append((begin, match.start()))
            begin = match.end()
    pieces.append((begin, end))
    return [(s, e) for s, e in pieces if e > s]


def _posts(
    text: str, pos: int, kind: str, names: list[NameMatch]
) -> tuple[list[tuple[int, int, str, str]], int]:
    """The posts (start, end, post as stored, kind) a change verb gives at ``pos``, and where they
    end. The kind can change: a rank conferred is a promotion."""
    award = kind == "awarded"
    intro = (
        _LEAVING
        if kind in ("released", "recalled", "dismissed", "retired")
        else _AWARD_INTRO
        if award
        else _TAKING
    ).match(text, pos)
    start = intro.end() if intro else pos
    phrases, end = _phrases(text, start, names, award)
    posts: list[tuple[int, int, str, str]] = []
    for phrase_start, phrase_end in phrases:
        if award:
            pieces = _split_awards(text, phrase_start, phrase_end)
        else:
            pieces = [
                (phrase_start + s, phrase_start + e)
                for s, e in split_titles(text[phrase_start:phrase_end])
            ]
        for piece_start, piece_end in pieces:
            raw = text[piece_start:piece_end]
            lead = len(raw) - len(raw.lstrip())
            piece_start += lead
            raw = raw.strip()
            rank = rank_of(_clean_award(raw) if award else _clean_post(raw))
            if rank is not None and kind in ("awarded", "promoted", "demoted"):
                posts.append(
                    (piece_start, piece_end, make_singular(rank), "promoted" if award else kind)
                )
            elif award and is_award(_clean_award(raw)):
                posts.append((piece_start, piece_end, _clean_award(raw), kind))
            elif not award and _is_post(_clean_post(raw), kind):
                posts.append((piece_start, piece_end, _clean_post(raw), kind))
    return posts, end


def _is_post(post: str, kind: str) -> bool:
    """A post a change can be to or from: a title, the noun of its office ("premiership of the
    Cabinet", A9) or, for a transfer, "another post"; never a part in the event itself (its
    credentials committee, its presidium: A21) nor a counted group ("five deputies")."""
    if _EVENT_ROLE.search(post) or _COUNTED.match(post):
        return False
    if kind == "transferred" and _ANOTHER_POST.fullmatch(post):
        return True
    head = post.split(" ", 1)[0]
    return is_title(post) or (head.endswith("ship") and is_title(head.removesuffix("ship")))


def _name_after(text: str, pos: int, names: list[NameMatch]) -> NameMatch | None:
    """The name at ``pos``, or after a title before it ("Deputy", "Colonel General", "Junior
    Sergeant": capitalized words only)."""
    index = bisect.bisect_left(names, pos, key=lambda n: n.start)  # names are in text order
    if index == len(names):
        return None
    name = names[index]
    return name if _TITLE_BEFORE.fullmatch(text, pos, name.start) else None


def _run_at(text: str, pos: int, names: list[NameMatch]) -> list[NameMatch]:
    """Names that start at ``pos`` (a title before each allowed) and follow each other with
    only commas and "and" between."""
    first = _name_after(text, pos, names)
    if first is None:
        return []
    run = [first]
    while True:
        gap = _RUN_GAP.match(text, run[-1].end)
        nxt = _name_after(text, gap.end(), names) if gap else None
        if nxt is None:
            return run
        run.append(nxt)


def _subject(text: str, names: list[NameMatch], end: int, floor: int = 0) -> list[NameMatch]:
    """The run of names that ends just before ``end`` (the verb): the name-list parser reads
    their appositives ("Deputy A, chairman of X, was by-elected"); a single name may carry any
    appositive that names no one else ("A, who has led ..., was elected")."""
    others = _OTHERS_BEFORE.search(text, max(0, end - _LOOK_BACK), end)
    end = others.start() if others else end
    before = [n for n in names if floor <= n.start and n.end <= end]
    if not before:
        return []
    clause_start = max(text.rfind(";", 0, end) + 1, text.rfind(":", 0, end) + 1, floor)
    last = before[-1]
    if last.start < clause_start:
        return []
    known = frozenset(n.name for n in names)
    for first in before:
        if first.start < clause_start or _GOVERNED.search(
            text, max(0, first.start - _LOOK_BACK), first.start
        ):
            continue  # "At the recommendation of Premier A, B was appointed": B is the subject
        lists = parse_name_lists(text, first.start, end, known=known)
        if not lists or not lists[-1].entries:
            continue
        entries = lists[-1].entries
        if entries[-1].name.start != last.start or text[lists[-1].end : end].strip(" ,") != "":
            continue
        return [e.name for e in entries]
    gap = text[last.end : end]
    if re.fullmatch(r"\s*|,[^;]*,\s*", gap) and not re.search(
        r"\b(?:and|was|were)\s*$", gap.rstrip(", ")
    ):
        return [last]
    return []


def _post_by_reference(text: str, pos: int, kind: str) -> list[tuple[int, int, str, str]]:
    """ "relieved of his post", "dismissed from his duties": a leaving change whose post the
    sentence does not name; the post is "" here, and the person's own title is read for it
    by the document pass (ChangeRules.personnel_changes)."""
    if kind not in _LEAVING_KINDS:
        return []
    bare = _BARE_POST.match(text, pos)
    return [(bare.start("what"), bare.end("what"), "", kind)] if bare else []


def _clauses(
    people: list[NameMatch], posts: list[tuple[int, int, str, str]], method: str
) -> list[ChangeClause]:
    return [
        ChangeClause(
            name,
            kind,
            post,
            start,
            end,
            rank_of(post) if kind in ("promoted", "demoted") else None,
            method,
        )
        for name in people
        for start, end, post, kind in posts
    ]


def _groups(
    text: str, pos: int, kind: str, names: list[NameMatch], method: str
) -> tuple[list[ChangeClause], int]:
    """Gapped groups after a change's first post: ", B and C members of Y, and D member of Z";
    "; B and C, TITLE, the Order of X" (an honour may follow an appositive)."""
    found: list[ChangeClause] = []
    while True:
        qualifier = _QUALIFIER.match(text, pos)  # "... members of X from among its alternates,"
        at = qualifier.end() if qualifier else pos
        aside = _ASIDE.match(text, at)  # "..., concurrently accredited to Y, and B ..."
        if aside is not None and not any(at <= n.start < aside.end() for n in names):
            at = aside.end()
        start = _GROUP_START.match(text, at)
        if start is None:
            return found, pos
        run = _run_at(text, start.end(), names)
        if not run:
            return found, pos
        link = _GROUP_POST.match(text, run[-1].end)
        if kind == "awarded":
            link = _AWARD_APPOSITIVE.match(text, run[-1].end) or link
        elif link is None and text.startswith(",", run[-1].end):
            link = _LAST_POST_APPOSITIVE.match(text, run[-1].end)  # "and B, TITLE, POST."
        if link is None or _NEW_CLAUSE.match(text, link.end()):
            return found, pos  # ", and B was appointed ...": a clause of its own
        posts, end = _posts(text, link.end(), kind, names)
        if not posts:
            return found, pos
        found.extend(_clauses(run, posts, f"{method}-gapped"))
        pos = end


def _award_group(text: str, pos: int, names: list[NameMatch]) -> re.Match[str] | None:
    """The next ", and the Order of X on" group at or after ``pos`` whose honour holds no name
    (in "on A, B and C and the Prize on D" the group starts after C)."""
    at = pos
    while True:
        group = _AWARD_GROUP.search(text, at)
        if group is None:
            return None
        if not any(group.start("award") <= n.start < group.end("award") for n in names):
            return group
        at = group.start() + 1


def _recipients(text: str, pos: int, names: list[NameMatch]) -> tuple[list[NameMatch], int]:
    """The names a conferring verb gives its honour to ("to A, TITLE, and B, TITLE"), and where
    the list ends (before the next honour's group)."""
    bound = len(text)
    marker = _award_group(text, pos, names)
    if marker is not None:
        bound = marker.start()
    semicolon = text.find(";", pos)
    if semicolon != -1:
        bound = min(bound, semicolon)
    run = _run_at(text, pos, names)
    if not run:  # "on fifty-three builders, including A and B"
        including = _INCLUDING.match(text, pos)
        if including is None:
            return [], pos
        pos = including.end()
        run = _run_at(text, pos, names)
        if not run:
            return [], pos
    lists = parse_name_lists(text, pos, bound, known=frozenset(n.name for n in names))
    if not lists or not lists[0].entries or lists[0].entries[0].name.start != run[0].start:
        return run, run[-1].end
    listed = {n.start for n in names}
    return [e.name for e in lists[0].entries if e.name.start in listed], lists[0].end


def _award_before(text: str, end: int) -> tuple[int, int] | None:
    """The honour named before a conferring verb ("The title of Hero was conferred on"): from
    the last comma, "that" or clause start before its first head word (or, with no head word,
    after an opening phrase such as "According to the decree,") to ``end``."""
    clause_start = max(text.rfind(";", 0, end), text.rfind(":", 0, end)) + 1
    words = text[clause_start:end]
    intro = _INTRO.match(words.lstrip())  # "According to the order, ...": no honour in it
    if intro is not None:
        clause_start += len(words) - len(words.lstrip()) + intro.end()
    head = _AWARD_HEAD.search(text, clause_start, end)
    if head is not None:
        cut = max(
            (m.end() for m in _AWARD_DELIMITER.finditer(text, clause_start, head.start())),
            default=clause_start,
        )
        start = cut + (len(text[cut:end]) - len(text[cut:end].lstrip()))
    else:
        words = text[clause_start:end]
        intro = _INTRO.match(words.lstrip())
        start = clause_start + (len(words) - len(words.lstrip())) + (intro.end() if intro else 0)
    phrase = text[start:end].strip()
    if not phrase or not (is_award(phrase) or rank_of(_clean_award(phrase))):
        return None
    return start, start + len(text[start:end].rstrip())


def _award_clauses(
    text: str,
    award: tuple[int, int],
    people: list[NameMatch],
    kind: str,
    method: str,
) -> list[ChangeClause]:
    posts = []
    for start, end in _split_awards(text, *award):
        comma = text.find(",", start, end)
        end = comma if comma != -1 else end  # "the Order of X, one of the highest orders"
        raw = text[start:end].strip()
        start += len(text[start:end]) - len(text[start:end].lstrip())
        cleaned = _clean_award(raw)
        rank = rank_of(cleaned)
        if rank is not None:
            posts.append((start, start + len(raw), make_singular(rank), "promoted"))
        elif is_award(cleaned):
            posts.append((start, start + len(raw), cleaned, kind))
    return _clauses(people, posts, method)


def _inverted(
    text: str, award: tuple[int, int], pos: int, kind: str, names: list[NameMatch], method: str
) -> tuple[list[ChangeClause], int]:
    """An honour, the verb, then its recipients; then ", and that of Y to B" groups."""
    people, end = _recipients(text, pos, names)
    found = _award_clauses(text, award, people, kind, method) if people else []
    found.extend(_companions(text, pos, end, people, names, method))
    if not people:  # "The order was conferred on three managers and the title of X on A"
        group = _AWARD_GROUP.search(text, pos)
        if group is None or text.find(";", pos, group.start()) != -1:
            return [], pos
        end = group.start()
    while True:
        group = _award_group(text, end, names)
        if group is None or any(end <= n.start < group.start() for n in names):
            # "; B and C the title of X; D a watch ...": the verb gapped over name groups
            more, end = _groups(text, end, kind, names, method)
            return found + more, end
        people, group_end = _recipients(text, group.end(), names)
        if not people:
            return found, end
        award_start, award_end = group.start("award"), group.end("award")
        words = text[award_start:award_end]
        if words.startswith(("that of ", "those of ")):
            award_start += len(words.split(" of ", 1)[0]) + 4
        found.extend(
            _award_clauses(text, (award_start, award_end), people, kind, f"{method}-gapped")
        )
        found.extend(_companions(text, group.end(), group_end, people, names, method))
        end = group_end


def _companions(
    text: str, start: int, end: int, people: list[NameMatch], names: list[NameMatch], method: str
) -> list[ChangeClause]:
    """ "..., who was also given a gold medal and the Order of X": more honours for the names
    of a recipients' list that runs from ``start`` to ``end``."""
    limit = len(text)
    for stop in (_award_group(text, start, names), re.compile(";").search(text, start)):
        if stop is not None:
            limit = min(limit, stop.start())
    match = _COMPANIONS.search(text, start, max(end, limit))
    if match is None or not people:
        return []
    posts, _ = _posts(text, match.end(), "awarded", names)
    holders = people if match.group(0).find("were") != -1 else people[-1:]
    return _clauses(holders, posts, f"{method}-companion")


def may_state_change(text: str) -> bool:
    """Whether a sentence can state a personnel change at all (False: :func:`find_changes`
    finds none in it, and it opens no change list). Every clause that function reads starts at
    a change verb, a fronted participle ("Elected as ...") or a change noun a body approved,
    and a list opened by "as follows:" names its verb: a sentence with none of them, most of a
    long report, is passed over after one scan instead of the dozen of the rules."""
    return (
        _VERB.search(text) is not None
        or _FRONTED.match(text) is not None
        or _NOMINAL.possible(text)
    )


def find_changes(text: str, names: list[NameMatch]) -> list[ChangeClause]:
    """Every personnel change one sentence states, in text order.

    ``names`` are the sentence's person names (none inside an honour's own name)."""
    names = sorted(names, key=lambda n: n.start)
    found: list[ChangeClause] = _nominal(text, names) + _fronted(text, names)
    done = 0
    # "to fill vacancies" governs every group of the verbs before it
    last_vacancies = max((m.start() for m in _VACANCIES.finditer(text)), default=-1)
    for verb in _VERB.finditer(text):
        if verb.start() < done:
            continue
        word = verb.group(0)
        kind = kind_of(word)
        # the words before a verb that matter are near it: look back a bounded window, so a
        # sentence of any length costs linear time
        if _HISTORY_BEFORE.search(text, max(0, verb.start() - _LOOK_BACK), verb.start()):
            continue  # "the years since the Congress elected him ...": an old change recalled
        aux = _AUX_BEFORE.search(text, max(0, verb.start() - _LOOK_BACK), verb.start())
        clauses: list[ChangeClause] = []
        end = verb.end()
        recipients = _RECIPIENTS.match(text, verb.end())
        conferring = (
            recipients is not None
            and kind in ("awarded", "promoted")
            and bool(
                _run_at(text, recipients.end(), names)
                or (kind == "awarded" and _award_group(text, verb.end(), names))
                or _INCLUDING.match(text, recipients.end())
            )
        )
        if aux is not None or word in _SUBJECT_VERBS or _name_right_before(text, verb, names):
            subject_end = aux.start() if aux is not None else verb.start()
            if _RELATIVE_BEFORE.search(text, max(0, subject_end - _LOOK_BACK), subject_end):
                continue  # "who was elected ...": history told about the person
            behalf = (
                _BEHALF.search(text, verb.end(), verb.end() + _LOOK_BACK)
                if kind == "awarded" and recipients is not None and not conferring
                else None
            )
            if conferring and recipients is not None:  # "The title of X was conferred on A"
                award = _award_before(text, subject_end)
                if award is not None:
                    clauses, end = _inverted(
                        text, award, recipients.end(), kind, names, "change-conferred"
                    )
            elif kind == "awarded" and recipients is not None and behalf is not None:
                # "X was handed to his father ... on his behalf": the person of the sentence
                # before is the recipient (A19)
                award = _award_before(text, subject_end)
                if award is not None:
                    pronoun = NameMatch(behalf.start(1), behalf.end(1), "")
                    clauses = _award_clauses(text, award, [pronoun], kind, "change-on-behalf")
                    end = behalf.end()
            else:
                people = _subject(text, names, subject_end, done)
                if (
                    not people
                    and found
                    and _PRONOUN.search(text, max(done, subject_end - _LOOK_BACK), subject_end)
                ):
                    people = [found[-1].name]  # "A was relieved ... as he was transferred"
                opening = _OPENING_PRONOUN.match(text, 0, subject_end)
                if not people and not found and opening is not None:
                    # "He was also honoured with X": the person of the sentence before
                    people = [NameMatch(opening.start(1), opening.end(1), "")]
                posts, post_end = _posts(text, verb.end(), kind, names) if people else ([], end)
                if people and not posts:
                    posts = _post_by_reference(text, verb.end(), kind)
                    post_end = posts[0][1] if posts else post_end
                same = _SAME_POST.match(text, verb.end())
                if people and not posts and same is not None and found:
                    # "B was appointed to it": the post the clause before named
                    posts = _posts_before(found, kind)
                    post_end = same.end()
                if posts and kind == "awarded":
                    together = _CO_RECIPIENTS.match(text, post_end)
                    others, after = (
                        _recipients(text, together.end(), names) if together else ([], post_end)
                    )
                    if others:
                        people, post_end = [*people, *others], after
                if posts:
                    clauses = _clauses(people, posts, "change-passive")
                    more, end = _groups(text, post_end, kind, names, "change-passive")
                    clauses.extend(more)
                    end = max(end, post_end)
        elif found and _SAME_SUBJECT.search(text, max(0, verb.start() - 10), verb.start()):
            # "A was demoted to X ..., and dismissed from his post": the subject before
            people = [c.name for c in found if c.name.start == found[-1].name.start][:1]
            posts, post_end = _posts(text, verb.end(), kind, names)
            posts = posts or _post_by_reference(text, verb.end(), kind)
            if posts and not _run_at(text, verb.end() + 1, names):
                clauses = _clauses(people, posts, "change-same-subject")
                end = max(end, posts[-1][1])
            else:
                clauses, end = _active(text, verb, kind, names, found)
        else:
            clauses, end = _active(text, verb, kind, names, found)
        if clauses and _HISTORY.match(text, end):
            clauses = []  # "was awarded the title of Hero in 1998": told as history
        if last_vacancies > verb.end():
            clauses = [_by_election(c) for c in clauses]
        found.extend(clauses)
        done = max(done, end)
    return found


def _posts_before(found: list[ChangeClause], kind: str) -> list[tuple[int, int, str, str]]:
    """The post "to it" / "to the post" stands for: the posts the last person of the clauses
    before left (or, if none left one, took)."""
    last = [c for c in found if c.name == found[-1].name]
    left = [c for c in last if c.change in _LEAVING_KINDS]
    if not left and all(c.change == "transferred" for c in last):
        # "A was transferred to another post, and B appointed to it": A's own post, which
        # the document pass reads from A's titles (keyed by the transfer's post span)
        return [(c.post_start, c.post_end, "", kind) for c in last[:1]]
    return [(c.post_start, c.post_end, c.post, kind) for c in left or last]


def _fronted(text: str, names: list[NameMatch]) -> list[ChangeClause]:
    """ "Elected as members of the Political Bureau were A, TITLE, B and C": the post first,
    the names (with their appositives) after "were"; "Also appointed by the decree were A as X
    and B as Y": each name with its own post."""
    fronted = _FRONTED.match(text)  # "The following were ...:" is the title-only list's
    if fronted is None:
        return []
    kind = kind_of((fronted.group("verb") or fronted.group("also")).lower())
    posts, end = _posts(text, fronted.end(), kind, names)
    if posts:
        link = _FRONTED_LINK.match(text, end)
        if link is None:
            return []
        people, _ = _recipients(text, link.end(), names)
        return _clauses(people, posts, "change-fronted")
    link = _FRONTED_QUALIFIED.match(text, fronted.end())  # "... by the decree were A as X"
    if link is None:
        return []
    run = _run_at(text, link.end(), names)
    as_post = _GROUP_POST.match(text, run[-1].end) if run else None
    if as_post is None:
        return []
    posts, end = _posts(text, as_post.end(), kind, names)
    more, _ = _groups(text, end, kind, names, "change-fronted")
    return _clauses(run, posts, "change-fronted") + more


def _nominal(text: str, names: list[NameMatch]) -> list[ChangeClause]:
    """ "The meeting approved the retirement of A from his post as X": a change said as a noun
    that a body approved (a noun alone, "the anniversary of his election", is no news)."""
    found = []
    for match in _NOMINAL.finditer(text):
        run = _run_at(text, match.end(), names)
        if not run:
            continue
        kind = CHANGE_NOUNS[match.group("noun")]
        posts, _ = _posts(text, run[-1].end, kind, names)
        found.extend(_clauses(run, posts, "change-approved"))
    return found


def _by_election(clause: ChangeClause) -> ChangeClause:
    if clause.change != "elected":
        return clause
    return ChangeClause(
        clause.name,
        "by_elected",
        clause.post,
        clause.post_start,
        clause.post_end,
        clause.rank,
        clause.method,
    )


def _name_right_before(text: str, verb: re.Match[str], names: list[NameMatch]) -> bool:
    """ "... and B appointed as new premier", "and B, TITLE, appointed to it": a bare participle
    after a name (or its appositive), with no name after it (that would be the active voice)."""
    at = verb.start()
    if at == 0 or text[at - 1] != " " or _run_at(text, verb.end() + 1, names):
        return False
    stripped = at
    while stripped > 0 and text[stripped - 1] in " ,":
        stripped -= 1
    for name in names:
        if not name.end <= stripped or name.end < at - _LOOK_BACK:
            continue
        if not _AND_BEFORE.search(text, max(0, name.start - _LOOK_BACK), name.start):
            continue  # only a second clause drops its "was"
        if name.end == stripped:
            return True
        if name.end < stripped and re.fullmatch(r",[^,;]*,\s", text[name.end : at]):
            return not any(name.end < n.start < at for n in names)
    return False


def _active(
    text: str,
    verb: re.Match[str],
    kind: str,
    names: list[NameMatch],
    earlier: list[ChangeClause] | None = None,
) -> tuple[list[ChangeClause], int]:
    """A body, the leader or an honour before the verb: "The session elected Deputy A as X and
    Deputies B and C as its Y"; "decided to relieve A of ..."; "X went to A"; "conferred X on A"."""
    word = verb.group(0)
    recipients = _RECIPIENTS.match(text, verb.end())
    if word in _INVERTED_VERBS or (recipients is not None and kind == "awarded"):
        if recipients is None:
            return [], verb.end()
        award = _award_before(text, verb.start())
        if award is None:
            return [], verb.end()
        return _inverted(text, award, recipients.end(), kind, names, "change-conferred")
    people = (
        _run_at(text, verb.end() + 1, names) if text[verb.end() : verb.end() + 1] == " " else []
    )
    if people:
        others = _OTHERS.match(text, people[-1].end)
        pos = others.end() if others else people[-1].end
        appositive = _APPOSITIVE.match(text, pos) or _LAST_POST_APPOSITIVE.match(text, pos)
        if appositive and not any(pos <= n.start < appositive.end() for n in names):
            pos = appositive.end()  # "named A, TITLE, (as) POST": the post after the appositive
        if kind in ("released", "recalled", "dismissed", "retired"):
            posts, end = _posts(text, pos, kind, names)
        else:
            link = re.match(r",?\s+(?:as\s+)?", text[pos:])
            posts, end = _posts(text, pos + (link.end() if link else 0), kind, names)
        if not posts:
            posts = _post_by_reference(text, pos, kind)
            end = posts[0][1] if posts else end
        same = _SAME_POST.match(text, pos)
        if not posts and same is not None and earlier:
            # "dismissed A from his post as X, and appointed B to the post"
            posts = _posts_before(earlier, kind)
            end = same.end()
        if not posts:
            return [], verb.end()
        clauses = _clauses(people, posts, "change-active")
        more, end = _groups(text, end, kind, names, "change-active")
        return clauses + more, end
    if kind in ("awarded", "promoted"):  # "decided to award the Order of X to A"
        phrase = re.match(r"\s+(?P<award>[^;.]+?)\s+(?:to|on|upon)\s+(?=[A-Z])", text[verb.end() :])
        if phrase is not None:
            award = (verb.end() + phrase.start("award"), verb.end() + phrase.end("award"))
            return _inverted(
                text, award, verb.end() + phrase.end(), kind, names, "change-conferred"
            )
    return [], verb.end()


class ChangeRules(FactCollector):
    """The personnel changes of each sentence, with the order of each person in it."""

    def listed_change(self, sentence: Sentence, entry: ListEntry) -> None:
        """One line of "The following were appointed: Minister of X A, ...": the post said
        before the name is the change's post (or, for a bare name, the post the opening named);
        the order runs on from the opening sentence."""
        opened = self.facts.open_change
        if opened is None:
            return
        if entry.titles:
            piece = entry.titles[0]
            post, post_start = (
                make_singular(piece.title),
                sentence.span(piece.start, piece.end).start,
            )
        elif opened.post is not None and opened.post_start is not None:
            post, post_start = opened.post, opened.post_start
        else:
            return
        name_span = sentence.span(entry.name.start, entry.name.end)
        self.facts.open_change = replace(opened, count=opened.count + 1)
        self.facts.changes.append(
            ChangeFact(
                entry.name.name,
                Span(min(post_start, name_span.start), name_span.end),
                opened.change,
                post,
                None,
                rank_of(post) if opened.change == "promoted" else None,
                opened.listing,
                opened.count + 1,
                "change-title-list",
            )
        )

    def open_change_list(self, sentence: Sentence, opening: str, at: int) -> None:
        """ "The following were appointed:" opens a list of changes of the verb's kind; "The
        following were elected members of X:" names the post of every line."""
        verb = _VERB.search(opening)
        if verb is None:
            self.facts.open_change = None
            return
        kind = kind_of(verb.group(0))
        posts, _ = _posts(sentence.text, at + verb.end(), kind, [])
        post = posts[0] if len(posts) == 1 else None
        self.facts.open_change = OpenChangeList(
            kind,
            sentence.span(at, at + 1).start,
            0,
            "titles",
            post[2] if post else None,
            sentence.span(post[0], post[1]).start if post else None,
        )

    def colon_groups(self, sentence: Sentence, names: list[NameMatch]) -> bool:
        """ "The order promoted ... as follows:" then lines "To Rear Admiral: A, B": each line's
        post before the colon, its names after; the order runs on through the lines. Returns
        whether the sentence was such lines."""
        text, opened = sentence.text, self.facts.open_change
        groups = list(_COLON_GROUP.finditer(text)) if opened is not None else []
        if opened is not None and (opened.form == "colon" or (groups and groups[0].start() == 0)):
            # "To Lieutenant General: A, B" lines, after "as follows:" or "the following were
            # promoted:" (whose own list form gives way to the lines' posts)
            if not groups or groups[0].start() != 0:
                self.facts.open_change = None
                return False
            count = opened.count
            for index, group in enumerate(groups):
                bound = groups[index + 1].start() if index + 1 < len(groups) else len(text)
                post = make_singular(group.group("post"))
                for name in _run_at(text, group.end(), [n for n in names if n.end <= bound]):
                    count += 1
                    self.record_change(
                        sentence,
                        name,
                        ChangeFact(
                            name.name,
                            sentence.span(group.start("post"), name.end),
                            opened.change,
                            post,
                            None,
                            rank_of(post) if opened.change in ("promoted", "demoted") else None,
                            opened.listing,
                            count,
                            "change-colon-list",
                        ),
                        (group.start("post"), group.end("post")),
                    )
            self.facts.open_change = replace(opened, count=count)
            return True
        # only a sentence with no open list and no names can open one: test the rest after that
        if opened is not None or names:
            return False
        opens = text.rstrip().endswith(":") or _THE_FOLLOWING.search(text) is not None
        verb = _VERB.search(text) if opens else None
        if verb:
            listing = sentence.span(verb.start(), verb.end()).start
            self.facts.open_change = OpenChangeList(kind_of(verb.group(0)), listing, 0, "colon")
        return False

    def rank_in_sentence(self, sentence: Sentence, person: str, clause: ChangeClause) -> str | None:
        """The rank the sentence gives the person of a change that confers none ("Colonel
        General A was appointed chief of the General Staff"): the rank they held then."""
        if not person or clause.change in ("promoted", "demoted"):
            return None
        start = sentence.span(0, 1).start
        end = sentence.span(clause.start, clause.end).end
        ranks = [
            rank_of(t.title)
            for t in self.facts.titles
            if t.person == person
            and start <= t.span.start < end
            and not t.method.startswith("change-")
        ]
        return next((r for r in ranks if r), None)

    def own_titles(self, sentence: Sentence, person: str, clause: ChangeClause) -> list[TitleFact]:
        """The posts "his post" / "his posts" stands for: the person's titles this sentence gives
        before it (all of them for "posts", the one for "post"), or else the last title the
        document gave the person before it. Ranks are not posts; nor is a post this sentence
        just changed."""
        at = sentence.span(clause.post_start, clause.post_end).start
        start = sentence.span(0, 1).start
        held = [
            t
            for t in self.facts.titles
            if t.person == person
            and t.span.end <= at
            and not t.method.startswith("change-")
            and rank_of(t.title) is None
        ]
        here = [t for t in held if t.span.start >= start]
        plural = sentence.text[clause.post_start : clause.post_end].endswith(("posts", "duties"))
        if here:
            return here if plural or len(here) == 1 else []
        return held[-1:]

    def record_change(
        self,
        sentence: Sentence,
        name: NameMatch | None,
        fact: ChangeFact,
        post: tuple[int, int] | None = None,
    ) -> None:
        """Keep a change; the person named for it takes part "other" in the event that made it
        (the meeting, order or decree the document reports), and the post (not an honour) at
        ``post`` in the sentence is one of the titles the text gives them."""
        self.facts.changes.append(fact)
        if name is None:
            return
        mention = self.person(sentence, name, "name-pattern")
        self.part(mention, "other", None, None, f"change-{fact.change}")
        if post is None or fact.change == "awarded" or post[0] < name.end:
            return  # an honour; or a post said before the name ("The rank of general was
            # conferred on A", "B was appointed to it"), which the gate's titles check reads
            # as another person's
        raw = sentence.text[post[0] : post[1]]
        lead = _TITLE_LEAD.match(raw)
        start = post[0] + (lead.end() if lead else 0)
        words = sentence.text[start : post[1]]
        if is_title(words) or rank_of(words):
            self.title(sentence, mention.name, start, post[1], True, f"change-{fact.change}-post")

    def changes_to_their_events(self) -> None:
        """Each change belongs to the reported event named last before it (a report of two
        decrees: the premier's, then the ambassadors'); before any, to the principal one."""
        mentions = sorted(
            (e.span.start, event_key(e.name))
            for e in self.facts.events
            if e.is_reported and not e.parent
        )
        if len({key for _, key in mentions}) < 2:
            return  # one event: the principal one, which resolve gives every change
        self.facts.changes = [
            replace(c, event=next((k for s, k in reversed(mentions) if s < c.span.start), ""))
            for c in self.facts.changes
        ]

    def lone_changes_unordered(self) -> None:
        """A change list that named one person has no order (a list of one is no list)."""
        people: dict[tuple[int, str], set[str]] = {}
        for change in self.facts.changes:
            people.setdefault((change.listing, change.change), set()).add(change.person)
        self.facts.changes = [
            replace(c, list_order=None) if len(people[(c.listing, c.change)]) == 1 else c
            for c in self.facts.changes
        ]

    def personnel_changes(self, sentence: Sentence, names: list[NameMatch]) -> None:
        """Every change the sentence states, one per person and post, each person numbered
        among those the sentence names for the same kind of change; "his post" stands for the
        titles the text gave the person. A headline is skipped: it repeats the body's change."""
        if sentence.is_headline:
            return  # a headline repeats the body's change in fewer words
        text = sentence.text
        if self.facts.open_change is None and not may_state_change(text):
            return  # (no list of changes runs on into it, and it states none of its own)
        names = [
            n
            for n in names
            # (every honour's phrase says " of ": a stretch without one is not scanned)
            if text.find(" of ", max(0, n.start - _LOOK_BACK), n.start) < 0
            or not _HONOUR_OF.search(text, max(0, n.start - _LOOK_BACK), n.start)
        ]
        if self.colon_groups(sentence, names):
            return
        clauses = find_changes(text, names)
        # order among the mentions the sentence names for each kind of change (two people of
        # one name are two mentions; one person with two posts is one)
        orders: dict[str, list[int]] = {}
        for clause in clauses:
            mentions = orders.setdefault(clause.change, [])
            if clause.name.start not in mentions:
                mentions.append(clause.name.start)
        # one listing per kind of change in the sentence, at its first clause
        listings = {}
        for clause in clauses:
            listings.setdefault(clause.change, sentence.span(clause.start, clause.end).start)
        earlier = self.facts.changes[-1] if self.facts.changes else None
        # "A was relieved of his post, and B appointed to it": the post is A's title, for B too
        by_reference: dict[tuple[int, int], list[TitleFact]] = {}
        for clause in clauses:  # "A was transferred to another post": A's post is A's title
            if clause.change == "transferred" and _ANOTHER_POST.fullmatch(clause.post):
                by_reference[(clause.post_start, clause.post_end)] = self.own_titles(
                    sentence, clause.name.name, clause
                )
        for clause in clauses:
            mentions = orders[clause.change]
            order = mentions.index(clause.name.start) + 1 if len(mentions) > 1 else None
            person, span = clause.name.name, sentence.span(clause.start, clause.end)
            if not person:  # "He was also honoured with X": the last change's person
                if earlier is None or earlier.span.end > span.start:
                    continue
                person, order = earlier.person, None
                span = Span(
                    earlier.span.start, sentence.span(clause.post_start, clause.post_end).end
                )
            posts = [(clause.post, span)]
            if not clause.post:  # "relieved of his post": the person's own title is the post
                key = (clause.post_start, clause.post_end)
                if key not in by_reference:
                    by_reference[key] = self.own_titles(sentence, person, clause)
                posts = [
                    (title.title, Span(min(title.span.start, span.start), span.end))
                    for title in by_reference[key]
                ]
            rank = clause.rank or self.rank_in_sentence(sentence, person, clause)
            unit = None
            if clause.change != "awarded" and clause.rank is None and clause.post:
                raw = text[clause.post_start : clause.post_end]
                unit = self.units(
                    sentence, units_of_title(raw), clause.post_start, "change-post-unit"
                )
            for post, post_span in posts:
                self.record_change(
                    sentence,
                    clause.name if clause.name.name else None,
                    ChangeFact(
                        person,
                        post_span,
                        clause.change,
                        post,
                        unit,
                        rank,
                        listings[clause.change],
                        order,
                        clause.method if clause.post else f"{clause.method}-own-title",
                    ),
                    (clause.post_start, clause.post_end) if clause.post else None,
                )
