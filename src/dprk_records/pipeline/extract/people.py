"""Rules about people: listing sentences, titles after / before / around a name, and the
predicates that give a person a part in the event ("presided over", "made a report").
"""

from __future__ import annotations

import re

from dprk_records.pipeline.extract.base import FactCollector
from dprk_records.pipeline.extract.facts import PersonMention, SpeechFact
from dprk_records.pipeline.extract.names import (
    NameMatch,
    is_foreign_name,
    match_name_at,
    parse_name_list,
)
from dprk_records.pipeline.extract.quantities import find_quotes
from dprk_records.pipeline.extract.text import Sentence, split_segments
from dprk_records.pipeline.extract.titles import (
    honorific_before,
    is_plural,
    is_title,
    make_singular,
    split_titles,
)

_NOT_TITLE_WORDS = frozenset(
    "the a an of by to and with for from in on at as said told met that which who whom his her "
    "their its our was were is are has had puppet so-called".split()
)
_SIDE = re.compile(r"(?:from|on|of|for) the [\w'’ -]+ side")
_CLOSING_TAIL = re.compile(
    r"\s+and\s+(?:other|all|many|some|senior|leading|relevant|responsible|the)\b.*$"
)

LISTING_TRIGGERS: tuple[tuple[str, str], ...] = (
    (r"\b(?:Taking|Seated on|On) the platform were\b", "platform"),
    (r"\bPresent as observers were\b", "observer"),
    (r"\b(?:Also present|Present|Attending)\b[^,.]{0,60}?\bwere\b", "attended"),
    (r"\b(?:[Aa]ccompanied by|Accompanying (?:him|her|them) were)\b", "accompanied"),
    (r"\bgreeted\b[^,.]{0,40}?\bby\b", "attended"),
    (r"\bAmong (?:those|the) (?:present|participants|attendees)\b[^,.]{0,20}?\bwere\b", "attended"),
    (
        r"\b(?:[Ss]peeches (?:were made )?by|Speaking\b[^,.]{0,50}?\bwere|[Ss]peakers were)\b",
        "speech",
    ),
)
_TRIGGERS = [(re.compile(pattern), role) for pattern, role in LISTING_TRIGGERS]

# Predicates that follow a name (and its titles) and give the person's part in the event.
PREDICATES: tuple[tuple[str, str, str | None], ...] = (
    (r"(?:presided over|chaired)\b", "presided", None),
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
    (r"(?:made|delivered|gave) a report\b", "report", "report"),
    (r"(?:made|delivered|gave) an? (?:congratulatory )?speech\b", "speech", "speech"),
    (r"(?:was|were) present\b", "attended", None),
    (
        r"(?:attended|appeared on the platform|was on the platform)\b[^.]{0,60}?\bto guide\b",
        "guided",
        None,
    ),
    (r"guided\b", "guided", None),
    (r"(?:inspected|visited|looked round|gave field guidance)\b", "guided", None),
    (r"(?:sent|sends)\b", "other", None),
    (r"was (?:elected|appointed)\b", "other", None),
    (r"attended\b", "attended", None),
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
_ELECTED = re.compile(
    r"was (?:elected|appointed) (?:as )?(?:an? )?(?P<title>(?:C\.C\.,\s*WPK|C\.C\.|[^,.;])+)"
)
_PRE_TITLE_WORD = re.compile(r"^(?:[A-Z][\w'’-]*|of|the|C\.C\.,?)$")
_HONORIFIC_WORDS = {"Comrade", "Respected", "Dear", "Supreme", "Leader", "Great", "Beloved"}
_RANK_AROUND = re.compile(r" of the Korean People['’]s Army\b")


class PeopleRules(FactCollector):
    """Listings, titles and predicates."""

    def listings(self, sentence: Sentence) -> list[tuple[int, int]]:
        """Parse every listing in the sentence; returns the regions it consumed."""
        regions = []
        taken: list[tuple[int, int]] = []
        for pattern, role in _TRIGGERS:
            for trigger in pattern.finditer(sentence.text):
                if any(s <= trigger.start() < e for s, e in taken):
                    continue
                taken.append((trigger.start(), trigger.end()))
                end = self.listing(
                    sentence,
                    trigger.end(),
                    role,
                    sentence.span(trigger.start(), trigger.end()).start,
                )
                regions.append((trigger.start(), end))
        return regions

    def listing(self, sentence: Sentence, start: int, role: str, listing_id: int) -> int:
        entries: list[PersonMention] = []
        group: list[PersonMention] = []
        group_titled = False
        end = start
        carried: tuple[int, int, str, bool] | None = None  # "deputies A, T, B, T": all are deputies
        segments = split_segments(sentence.text, start)
        for index, segment in enumerate(segments):
            if _SIDE.fullmatch(segment.text):  # "..., from the Russian side, and ..."
                continue
            text, closing = segment.text, _CLOSING_TAIL.search(segment.text)
            if closing:  # "Hyon Song Wol and other officials": the last names, then the end
                text = text[: closing.start()]
            names, pre_title = self.segment_names(sentence, segment.start, text)
            if closing and not names:
                break
            following = segments[index + 1].text if index + 1 < len(segments) else ""
            if not names and is_foreign_name(segment.text) and is_title(following):
                foreign = NameMatch(segment.start, segment.end, segment.text)
                names = [self.person(sentence, foreign, "listing-foreign-name")]
            if names:
                if group_titled:
                    group, group_titled = [], False
                if pre_title is not None and pre_title[3] and len(names) == 1:
                    carried = pre_title
                elif pre_title is None and carried is not None:
                    pre_title = carried
                for mention in names:
                    entries.append(mention)
                    group.append(mention)
                    if pre_title is not None:
                        title_start, title_end, title_text, _ = pre_title
                        self.title_as_written(
                            mention.name,
                            sentence.span(title_start, title_end),
                            title_text,
                            "listing-title-before-name",
                        )
                        group_titled = True
                end = segment.end
                if closing:
                    break
                continue
            if group and is_title(segment.text) and not (segment.had_and and group_titled):
                plural = is_plural(segment.text)
                targets = group if (plural or len(group) == 1) else group[-1:]
                for piece_start, piece_end in split_titles(segment.text):
                    for mention in targets:
                        self.title(
                            sentence,
                            mention.name,
                            segment.start + piece_start,
                            segment.start + piece_end,
                            True,
                            "listing-title",
                        )
                group_titled = True
                end = segment.end
                continue
            break
        for order, mention in enumerate(entries, start=1):
            self.part(mention, role, listing_id, order, f"listing-{role}")
        return end

    def segment_names(
        self, sentence: Sentence, offset: int, text: str
    ) -> tuple[list[PersonMention], tuple[int, int, str, bool] | None]:
        """Names of a listing segment: "A and B", or with a title before ("Vice-premiers A and B")
        or around ("Marshal A of the Korean People's Army")."""
        names = parse_name_list(text)
        if names is not None:
            return [
                self.person(
                    sentence, NameMatch(offset + n.start, offset + n.end, n.name), "listing-name"
                )
                for n in names
            ], None
        first = None
        for match in re.finditer(r"(?<= )[A-Z]", text):
            found = match_name_at(text, match.start(), lenient=False)
            if found is not None:
                first = found
                break
        if first is None:
            return [], None
        prefix = text[: first.start].strip()
        rest = text[first.start :]
        around = _RANK_AROUND.match(text, first.end)
        if around and is_title(prefix):
            rest = text[first.start : first.end]
        names = parse_name_list(rest)
        if (
            names is None
            or not is_title(prefix)
            or any(w in _HONORIFIC_WORDS for w in prefix.split())
        ):
            return [], None
        title = make_singular(prefix)
        title_end = first.start - 1
        if around:
            title = f"{title}{around.group()}"
        mentions = [
            self.person(
                sentence,
                NameMatch(first.start + n.start + offset, first.start + n.end + offset, n.name),
                "listing-name",
            )
            for n in names
        ]
        span_end = offset + (around.end() if around else title_end)
        return mentions, (offset, span_end, title, is_plural(prefix))

    # -- sentences --------------------------------------------------------------------------
    def appositive(self, sentence: Sentence, name: NameMatch) -> int:
        """Titles after ", " that follow a name; returns where the predicate starts."""
        pos = name.end
        if not sentence.text.startswith(",", pos) and not sentence.text.startswith(" ,", pos):
            return pos
        consumed = pos
        first = True
        for segment in split_segments(sentence.text, sentence.text.index(",", pos) + 1):
            if not is_title(segment.text) or (segment.had_and and not first):
                break
            if re.match(
                r"^(?:[A-Z][a-z]+ )?[A-Z][a-z]+ [A-Z][a-z]+$", segment.text
            ) and match_name_at(segment.text, 0):
                break
            for piece_start, piece_end in split_titles(segment.text):
                self.title(
                    sentence,
                    name.name,
                    segment.start + piece_start,
                    segment.start + piece_end,
                    False,
                    "appositive-title",
                )
            consumed = segment.end
            first = False
        rest = re.match(r"\s*,\s*", sentence.text[consumed:])
        return consumed + (rest.end() if rest else 0)

    def title_before(self, sentence: Sentence, name: NameMatch) -> None:
        words = list(re.finditer(r"\S+", sentence.text[: name.start]))
        start = None
        for word in reversed(words):
            if not _PRE_TITLE_WORD.match(word.group()) or word.group() in _HONORIFIC_WORDS:
                break
            start = word.start()
        if start is None:
            self.lowercase_title_before(sentence, name)
            return
        phrase = sentence.text[start : name.start].strip()
        article = False
        while phrase.split(" ", 1)[0] in {"of", "the", "The"}:
            article = article or phrase.split(" ", 1)[0] in {"the", "The"}
            phrase = phrase.split(" ", 1)[1] if " " in phrase else ""
            start = name.start - len(phrase) - 1
        # "the General Secretary Kim Jong Un" is an epithet; a post before a name has no article.
        if article or not phrase or not is_title(phrase) or honorific_before(sentence.text[:start]):
            return
        end = name.start - 1
        around = _RANK_AROUND.match(sentence.text, name.end)
        if around:
            phrase, end = phrase + around.group(), around.end()
        self.title_as_written(name.name, sentence.span(start, end), phrase, "title-before-name")

    def lowercase_title_before(self, sentence: Sentence, name: NameMatch) -> None:
        """A post written in lower case right before a name ("defence minister Han Tae Sop")."""
        words = list(re.finditer(r"\S+", sentence.text[: name.start]))[-3:]
        picked = []
        for word in reversed(words):
            if not re.fullmatch(r"[a-z][a-z-]*", word.group()) or word.group() in _NOT_TITLE_WORDS:
                break
            picked.insert(0, word)
        if not picked or not is_title(picked[-1].group()):
            return
        while picked and not is_title(" ".join(w.group() for w in picked)):
            picked.pop(0)
        if not picked:
            return
        start, end = picked[0].start(), picked[-1].end()
        phrase = sentence.text[start:end]
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
        rest = sentence.text[after:].lstrip()
        rest_start = len(sentence.text) - len(rest)
        before = sentence.text[: name.start]
        if _BY_BEFORE.search(before):
            self.part(mention, "other", None, None, "predicate-by")
            return
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
            elected = _ELECTED.match(rest)
            if elected and is_title(elected.group("title")):
                title = elected.group("title").strip()
                start = rest_start + elected.start("title")
                self.title(
                    sentence, mention.name, start, start + len(title), False, "elected-title"
                )
            return
