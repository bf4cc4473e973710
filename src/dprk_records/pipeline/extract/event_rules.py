"""Rules about events: which event a document reports (the lead sentence, a speech's headline,
a framed inspection, visit or letter), and every named event it mentions.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dprk_records.pipeline.extract.base import FactCollector
from dprk_records.pipeline.extract.event_names import (
    EventMatch,
    canonical_event_name,
    complete_event_names,
    event_key,
    event_kind,
    find_events,
)
from dprk_records.pipeline.extract.facts import EventFact, SpeechFact
from dprk_records.pipeline.extract.hints import hinted, initials, opening
from dprk_records.pipeline.extract.person_names import NameMatch, find_names
from dprk_records.pipeline.extract.text import Sentence, split_segments
from dprk_records.pipeline.extract.titles import is_title
from dprk_records.pipeline.lexicon import (
    HEADLINE_VERBS,
    MONTHS,
    OCCASION,
    SITTING,
    SITTING_DAYS,
    WEEKDAYS,
)

_MONTH_DAY = rf"(?:{'|'.join(MONTHS)}) \d{{1,2}}"
_EVENT_DATE = re.compile(
    rf"\b(?:on ({_MONTH_DAY}|{'|'.join(WEEKDAYS)})|from ({_MONTH_DAY} to (?:(?:{'|'.join(MONTHS)}) )?"
    rf"\d{{1,2}}))\b"
)
_EVENT_PLACE = re.compile(
    r"\bin (?:the capital city of )?((?:[A-Z][\w'’-]*)(?: [A-Z][\w'’-]*)*"
    r"(?:, (?:[A-Z][\w'’-]*)(?: [A-Z][\w'’-]*)* Province)?)"
)
_EVENT_VENUE = re.compile(
    r"\bat (?:the )?((?:[A-Z][\w'’-]*|\d+)(?: (?:[A-Z][\w'’-]*|\d+|of))*|"
    r"office building of the (?:C\.C\., WPK|[\w' ]+?))"
    r"(?= on\b| in\b|[,.;]|$)"
)
_REPORTING_VERB = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:was|is being|were)?\s*(?:opened|held|convened|closed|concluded|"
    r"took place|opens|closes|concludes|continues|continued|resumed|goes on|went on|began|ended)\b"
    r"|^\s+(?:Opens|Closes|"
    r"Concludes|Held|Continues|Ends)\b",
)
# "guided / presided over / attended the 19th Meeting of ...": the lead says it took place.
_LED_BY_VERB = re.compile(
    r"\b(?:guided|presided over|attended|opened|addressed|convened|chaired) (?:the |an? )?"
    r"(?:enlarged meeting of the )?$"
)
_DATE_BEFORE_VERB = re.compile(
    rf"^(?:\s+(?:on (?:{'|'.join(WEEKDAYS)}|(?:{'|'.join(MONTHS)}) \d{{1,2}})|in [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*"
    r"|at the [^,.]+?))+(?=\s+(?:was|were|opened|took|continued|closed|concluded))"
)


def _after_date(text: str) -> str:
    """The words after an event's name with a date, place or venue before its verb skipped
    ("... of the WPK on Friday was held")."""
    skip = _DATE_BEFORE_VERB.match(text)
    return text[skip.end() :] if skip else text


_UNNAMED_EVENT = re.compile(
    r"^(?:(?:[Aa]n?|[Tt]he)\s+)?(?P<np>[A-Za-z][^,]*?)(?:,[^,]*,)?\s+(?:was held|were held|took place|"
    r"was opened|opened|was convened|was staged|was launched|was given|was hosted|was arranged|"
    r"was formed|began|started)\b"
)
_UNNAMED_HEADS = re.compile(
    r"\b(meeting|ceremony|rally|session|conference|workshop|seminar|festival|exhibition|"
    r"celebration|reception|banquet|performance|parade|contest|symposium|talks|games|"
    r"photo session|dinner|luncheon|concert|memorial service|funeral|wreath-laying)\b",
    re.IGNORECASE,
)
_OCCASION = re.compile(
    OCCASION
    + r"(?P<occasion>[^,.;]+?)(?=,|\.|;| in Pyongyang\b| in [A-Z][\w-]+ (?:Province|County|"
    r"City|Square)\b| on (?:" + "|".join((*WEEKDAYS, *MONTHS)) + r")\b| at the |$)"
)
_OCCASION_VERBS = {
    "to mark": "marking",
    "to celebrate": "celebrating",
    "to commemorate": "commemorating",
}
_NEW_EVENT_START = re.compile(
    r"^(?:An? (?![^.]*?\b(?:committee|commission)\b[^.]*?\bwas formed)|(?:Talks|Banquet|"
    r"Reception|Dinner|Luncheon)s?\b)"
)
_ISSUED_PASSIVE = re.compile(
    r"^(?:An?|The) (?P<what>(?:joint |relevant )?(?:decree|order|decision|directive|resolution))"
    r"(?: of [^;]+?)?(?P<on> on .+?) (?:was|were) (?:issued|adopted|promulgated|announced|"
    r"made public|released|published)\b"
)
_DIED = hinted(
    r"(?:\b(?:[Dd]eath|[Oo]bituary) (?:on |of )+(?:the )?(?:[Dd]eath of )?(?:the late )?"
    r"(?:[A-Z][\w-]* )*?(?=(?P<who>[A-Z][a-z]+ [A-Z][a-z]+(?: [A-Z][a-z]+)?)\b))",
    "eath ",
    "bituary ",
)
_ISSUED = re.compile(
    r"\b(?:issued|promulgated|adopted|gave) (?:an? |the )?(?P<what>(?i:order|decree|decision|"
    r"directive|resolution|ordinance))(?: No\. ?\d+)?(?P<on> on [^,.;]+?)?(?= to [A-Z]| for (?:the|their|his|her)\b| on the "
    r"occasion\b| on (?:" + "|".join((*WEEKDAYS, *MONTHS)) + r")\b|,|\.|;|$)"
)
# Words that open a sentence telling of another event of the same report (C-forms).
_ANOTHER = re.compile(
    r"^(?:Earlier|Before that|Prior to (?:this|that|it|the \w+)|Later|After that|Afterwards|"
    r"On the same day|The same day)(?: [a-z][^,]{0,30})?,\s+"
)
# (opens with a lookahead for the first character of a day's ordinal: see hints.opening)
_SITTING = re.compile(
    opening(r"\d" + initials(SITTING_DAYS)) + SITTING + r"(?: of\s+(?:the\s+)?)?", re.IGNORECASE
)
_ENLARGED_OF = re.compile(r"(?:(?:an? |the )?enlarged meeting of (?:the )?)?", re.IGNORECASE)
# Receptions and banquets given by a person or a body, named by whom they honour.
_HOSTED = hinted(
    r"\b(?:gave|hosted|arranged|threw|held) an? (?P<what>(?:grand |state |welcome )?"
    r"(?:reception|banquet|dinner|luncheon))\b(?P<where>[^.]*?)\s(?P<prep>in honou?r of|in welcome of|for)\s+"
    r"(?P<object>[^,.]+?)(?=,| on a\b| who\b| at the\b| in [A-Z]| on [A-Z]|\.|$)"
    r"|\b[Aa]n? (?P<what2>(?:grand |state |welcome )?(?:reception|banquet|dinner|luncheon)) "
    r"(?:hosted|given|arranged) by [^.]*?(?P<prep2>in honou?r of|in welcome of) "
    r"(?P<object2>[^,.]+?)(?= was\b| took\b|,|\.|$)",
    "reception",
    "banquet",
    "dinner",
    "luncheon",
)
_ARRIVED = re.compile(
    r"^arrived in (?P<place>[A-Z][\w'’ -]*?)\b[^.]*? (?:for|on) (?:his|her|an?|the) (?:[a-z]+ )*?visit to "
    r"(?P<object>(?:the )?[A-Z][^,.]*?)(?=,|\.| on [A-Z]| at the |$)"
)
_AND_PARTY = re.compile(r"(?:and )?(?:his|her|their) (?:party|suite|entourage|delegation) ")
_FRAMED = re.compile(
    r"^(?P<verb>inspected|visited|gave field guidance to|sent a letter|sent a message|"
    r"received(?! an? (?:message|letter|greetings?|congratulat|gift|reply|report))|"
    r"had a photo session with|laid a wreath at|met|oversaw|watched|observed|issued (?:the following |a )?(?:press )?statement)\b"
    r"(?: (?:on|of) [^,]*?)?(?: to)?\s*(?P<object>.*?)"
    r"(?=\s+in\s+[A-Z]|\s+(?:headed|led) by\b|\s+at\s+the\b|,|\.|:|\s+on\s+(?:[A-Z])|$)"
)
# Principal's part and the event's name for each framing verb ({} is the object as written).
_FRAMES: dict[str, tuple[str, str, str]] = {
    "inspected": ("inspection of {}", "inspection", "guided"),
    "visited": ("visit to {}", "visit", "guided"),
    "gave field guidance to": ("field guidance to {}", "inspection", "guided"),
    "received": ("reception of {}", "meeting", "guided"),
    "had a photo session with": ("photo session with {}", "other", "guided"),
    "oversaw": ("{}", "other", "guided"),
    "met": ("meeting with {}", "meeting", "guided"),
    "laid a wreath at": ("wreath-laying at {}", "ceremony", "guided"),
    "watched": ("{}", "other", "guided"),
    "observed": ("{}", "other", "guided"),
}
_GUIDED_WATCH = re.compile(
    r"\b(?:drill|exercise|test|firing|launch|training|manoeuvres?|maneuvers?|contest|demonstration)",
    re.IGNORECASE,
)
_HANDED_TO = hinted(r"\bhanded over\b[^.]*?\bto\b", "handed over")
_SENT_TO = re.compile(
    r"sent an? (?:(?P<adjective>congratulatory|condolatory|greeting|reply|sympathetic) )?"
    r"(?P<what>letter|message)(?P<mod> of [\w' ]+?)?(?: on [^,]*?)? to "
    r"(?P<object>[^,.]+)"
)
_HEADLINE_LETTER = re.compile(r"\b(Letter|Message) to (?P<to>.+)$")
_SPEECH_HEADLINE = re.compile(
    r"^(?P<kind>(?:Opening|Closing|Concluding|Congratulatory)?\s*(?:Speech|Address|Report))\s+"
    r"(?:Made|Delivered)\s+by\s+(?P<who>.+?)\s+at\s+(?P<event>.+)$"
)


class EventRules(FactCollector):
    """The reported event and every event mentioned."""

    def events_in(
        self, sentence: Sentence, lead: bool, names: list[NameMatch] | None = None
    ) -> list[EventMatch]:
        """Record every named event of the sentence, as reported when the lead or a headline says
        it took place ("... was opened"), with the lead's date and place; the sentence's sittings,
        other occasions, handed-over messages and an obituary's deceased are recorded on the way.
        Returns the named events."""
        found = find_events(sentence.text)
        names = find_names(sentence.text) if names is None else names
        if self.facts.deceased is None:  # "Obituary on Death of X", "the death of X"
            died = _DIED.search(sentence.text)
            if died is not None:
                person = find_names(died.group("who"))
                self.facts.deceased = person[0].name if person else None
        if not sentence.is_headline:
            self.sitting(sentence, found, lead)
            if not lead:
                self.hosted_event(sentence)
                self.another_event(sentence)
                self.another_message(sentence, names)
            # (a handover's recipient is a name: most sentences have none and are not scanned)
            handed = _HANDED_TO.search(sentence.text) if names else None
            if (
                handed is not None
            ):  # "X handed over the message to Y": Y receives it for its addressee
                self.addressees(sentence, names, handed.end(), "handover-recipient")
        for event in found:
            reported = (lead or sentence.is_headline) and bool(
                _REPORTING_VERB.match(_after_date(sentence.text[event.end :]))
                or (lead and _LED_BY_VERB.search(sentence.text[: event.start]))
            )
            date_text = place = None
            if reported and lead:
                date_text, place = date_and_place(sentence.text[event.end :])
            self.facts.events.append(
                EventFact(
                    sentence.span(event.start, event.end),
                    event.name,
                    event.ordinal,
                    event.series,
                    event.event_kind,
                    reported,
                    date_text,
                    place,
                    "headline-named-event" if sentence.is_headline else "named-event",
                )
            )
        return found

    def lead_events(self, sentence: Sentence, names: list[NameMatch]) -> None:
        """An unnamed or framed event in the lead sentence ("A meeting of ... was held")."""
        if any(e.is_reported for e in self.facts.events):
            return
        self.hosted_event(sentence)
        self.issued_event(sentence, names)
        if any(e.is_reported for e in self.facts.events):
            return
        if self.unnamed_event(sentence, 0, "lead-unnamed-event"):
            return
        for name in names[:1]:
            after = self.appositive_end(sentence, name)
            after += len(sentence.text[after:]) - len(sentence.text[after:].lstrip())
            arrived = _ARRIVED.match(sentence.text[after:])
            if arrived is not None:  # "arrived in X ... for his visit to Y" (L17 items)
                start, end = after + arrived.start(), after + arrived.end("object")
                mention = self.person(sentence, name, "name-pattern")
                self.part(mention, "guided", None, None, "lead-arrived")
                date_text, _ = date_and_place(sentence.text[after:])
                self.reported_event(
                    sentence.span(start, end),
                    f"visit to {arrived.group('object')}",
                    "visit",
                    date_text,
                    arrived.group("place"),
                    "lead-framed-arrival",
                )
                return
            party = _AND_PARTY.match(sentence.text, after)  # "X, TITLE, and his party laid ..."
            after = party.end() if party else after
            framed = _FRAMED.match(sentence.text[after:])
            if framed is None:
                continue
            verb = framed.group("verb")
            obj = framed.group("object").strip()
            if not obj and not verb.startswith("issued"):
                continue
            start = after + framed.start("verb")  # the span says the verb and its object
            end = after + framed.end("object")
            span = sentence.span(start, end)
            if verb.startswith("sent"):
                label = "letter" if "letter" in verb else "message"
                sent = _SENT_TO.match(sentence.text, after)
                if sent is not None:  # "sent a message of greeting on Sunday to X, TITLE"
                    label = f"{sent.group('what')}{sent.group('mod') or ''}"
                    if sent.group("adjective"):
                        label = f"{sent.group('adjective')} {label}"
                    obj = sent.group("object")
                    end = sent.end("object")
                    span = sentence.span(start, end)
                event_name = f"{label} to {obj}"
                headline = self.headline_letter()
                if headline is not None:  # the headline names the addressees as a group
                    headline_sentence, h_start, h_end, addressees = headline
                    event_name = f"{label} to {addressees}"
                    span = headline_sentence.span(h_start, h_end)
                kind = "letter"
            elif verb.startswith("issued"):
                event_name = "press statement" if "press" in verb else "statement"
                kind, obj = "other", ""
                self.part(
                    self.person(sentence, name, "name-pattern"),
                    "other",
                    None,
                    None,
                    "statement-issuer",
                )
            else:
                template, kind, role = _FRAMES[verb]
                event_name = template.format(
                    re.sub(r"^(?:a|an|the) (?=[a-z])", "", obj) if template == "{}" else obj
                )
                if verb in {"watched", "observed"} and not _GUIDED_WATCH.search(obj):
                    role = "attended"  # a performance or a game; a drill or a test is guided
                if role and verb not in {"inspected", "visited", "gave field guidance to"}:
                    self.part(
                        self.person(sentence, name, "name-pattern"),
                        role,
                        None,
                        None,
                        f"lead-{verb.replace(' ', '-')}",
                    )
            date_text, place = date_and_place(sentence.text[after:])
            if verb.startswith("sent"):
                place = None
                self.addressees(sentence, names[1:], after + framed.start("object"))
            elif verb == "met":  # the one he met is the counterpart
                self.addressees(
                    sentence, names[1:], after + framed.start("object"), "lead-met-counterpart"
                )
            self.reported_event(span, event_name, kind, date_text, place, f"lead-framed-{kind}")

    def hosted_event(self, sentence: Sentence) -> None:
        """A reception or banquet given in someone's honour, in any sentence of the body: an
        event of its own ("reception in honor of the delegation of X")."""
        hosted = _HOSTED.search(sentence.text)
        if hosted is None:
            return
        active = hosted.group("what") is not None  # "X hosted a banquet in honour of Y"
        what, prep, obj = ("what", "prep", "object") if active else ("what2", "prep2", "object2")
        name = f"{hosted.group(what)} {hosted.group(prep)} {hosted.group(obj)}"
        if any(event_key(e.name) == event_key(name) for e in self.facts.events):
            return
        date_text, place = date_and_place(sentence.text[hosted.start(what) :])
        self.reported_event(
            sentence.span(hosted.start(what), hosted.end(obj)),
            name,
            "other",
            date_text,
            place,
            "hosted-event",
        )

    def issued_event(self, sentence: Sentence, names: list[NameMatch]) -> None:
        """ "X issued an order on promoting the military ranks of ...", "The Presidium issued a
        decree on awarding ...": the order or decree is the event; a person who issued it takes
        part as "other", like the issuer of a statement."""
        issued = _ISSUED.search(sentence.text) or _ISSUED_PASSIVE.match(sentence.text)
        if issued is None:
            return
        name = f"{issued.group('what').lower()}{issued.group('on') or ''}"
        date_text, _ = date_and_place(sentence.text[issued.end() :])
        self.reported_event(
            sentence.span(issued.start("what"), issued.end()),
            name,
            "other",
            date_text,
            None,
            "lead-issued",
        )
        for name_match in names[:1]:
            if name_match.end <= issued.start() and not find_names(
                sentence.text[name_match.end : issued.start()]
            ):
                mention = self.person(sentence, name_match, "name-pattern")
                self.part(mention, "other", None, None, "lead-issuer")

    def another_message(self, sentence: Sentence, names: list[NameMatch]) -> None:
        """ "Y, TITLE, also sent a congratulatory message to Z, TITLE": a second message the
        document reports; Y sends it, Z receives it (both "other", as in the lead's message)."""
        if not names:
            return  # (no sender: most sentences, not scanned)
        sent = _SENT_TO.search(sentence.text)
        if sent is None or names[0].start > sent.start():
            return
        name = f"{sent.group('what')}{sent.group('mod') or ''} to {sent.group('object')}"
        if sent.group("adjective"):
            name = f"{sent.group('adjective')} {name}"
        if any(event_key(e.name) == event_key(name) for e in self.facts.events):
            return
        date_text, _ = date_and_place(sentence.text[sent.start() :])
        self.reported_event(
            sentence.span(sent.start(), sent.end("object")),
            name,
            "letter",
            date_text,
            None,
            "another-message",
        )
        sender = self.person(sentence, names[0], "name-pattern")
        self.part(sender, "other", None, None, "message-sender")
        self.addressees(sentence, names[1:], sent.start("object"))

    def another_event(self, sentence: Sentence) -> None:
        """ "Earlier, an honour guard ceremony ... took place at X on May 19": a second event the
        document reports, told after the first."""
        opening = _ANOTHER.match(sentence.text)
        if opening is not None:
            self.unnamed_event(sentence, opening.end(), "another-unnamed-event")
        elif _NEW_EVENT_START.match(sentence.text) and len(sentence.text.split()) > 6:
            # "Talks between ... took place", "A banquet ... was given": a new event, not a
            # definite "The meeting" that refers back
            self.unnamed_event(sentence, 0, "another-unnamed-event")

    def unnamed_event(self, sentence: Sentence, at: int, method: str) -> bool:
        """ "A national meeting was held ... to mark X" read from ``at``: an event named by its
        noun phrase, and by its occasion when the sentence gives one; True when recorded."""
        unnamed = _UNNAMED_EVENT.match(sentence.text[at:])
        if (
            unnamed is None
            or not _UNNAMED_HEADS.search(unnamed.group("np"))
            or any(n.start == 0 for n in find_names(unnamed.group("np")))
        ):
            return False
        if method != "lead-unnamed-event" and len(unnamed.group("np").split()) < 2:
            return False  # a bare "Talks were held between A and B" names the lead's event
        start, end = at + unnamed.start("np"), at + unnamed.end("np")
        np = canonical_event_name(unnamed.group("np"))
        for said, noun in _OCCASION_VERBS.items():
            np = np.replace(f" {said} ", f" {noun} ")
        if np[:1].isupper() and not np.split()[0].isupper():
            np = np[0].lower() + np[1:]
        occasion = _OCCASION.search(sentence.text, at + unnamed.end())
        span_end = end
        if occasion is not None and not _OCCASION.search(np):
            said = occasion.group().split(occasion.group("occasion"))[0].strip()
            np = f"{np} {_OCCASION_VERBS.get(said, said)} {occasion.group('occasion').strip()}"
            span_end = occasion.end()  # the span says the occasion too
        if any(event_key(e.name) == event_key(np) for e in self.facts.events):
            return False
        head = _UNNAMED_HEADS.search(np).group(1).lower()
        date_text, place = date_and_place(sentence.text[end:])
        self.reported_event(
            sentence.span(start, span_end),
            np,
            event_kind(head) or ("ceremony" if head == "ceremony" else "other"),
            date_text,
            place,
            method,
        )
        return True

    def sitting(self, sentence: Sentence, found: list[EventMatch], lead: bool) -> None:
        """ "The second-day sitting of the Ninth Plenary Meeting ... took place": a sitting, part
        of the named event (or of the event the document reports, when it is not named)."""
        # the pattern reads "[- ]day " in any case; no letter of "day" has another case form
        folded = sentence.text.lower()
        match = _SITTING.search(sentence.text) if "-day " in folded or " day " in folded else None
        if match is None:
            return
        named = next(
            (
                e
                for e in found
                if e.start >= match.end()
                and _ENLARGED_OF.fullmatch(sentence.text[match.end() : e.start])
            ),
            None,
        )
        if named is None and not (lead or match.start() <= 4):
            return
        parent = named.name if named is not None else None
        end = named.end if named is not None else match.end()
        words = sentence.text[match.start() : match.end()].strip()
        name = f"{words} {parent}" if parent else words.removesuffix(" of the").removesuffix(" of")
        date_text, place = date_and_place(sentence.text[end:])
        self.reported_event(
            sentence.span(match.start(), end),
            name,
            "sitting",
            date_text,
            place,
            "sitting",
            event_key(parent) if parent else "",
        )

    def addressees(
        self,
        sentence: Sentence,
        names: list[NameMatch],
        start: int,
        method: str = "letter-addressee",
    ) -> None:
        """People a letter or message is addressed to, or the principal met, take part in it as
        "other" (the counterpart)."""
        for name in names:
            if name.start >= start:
                mention = self.person(sentence, name, "name-pattern")
                self.part(mention, "other", None, None, method)

    def decision_event(self) -> None:
        """A document whose lead names no event, but later sentences the decrees or orders that
        made its changes ("A decree of the SAC on relieving and appointing the premier was made
        public on Monday", changes A0, A9): those are the events it reports, each dated there,
        the first its principal one."""
        if any(e.is_reported for e in self.facts.events) or not self.facts.changes:
            return
        for sentence in self.sentences:
            if sentence.is_headline:
                continue
            issued = _ISSUED_PASSIVE.match(sentence.text) or _ISSUED.search(sentence.text)
            if issued is None or not issued.group("on"):
                continue
            date_text, _ = date_and_place(sentence.text[issued.end() :])
            self.reported_event(
                sentence.span(issued.start("what"), issued.end()),
                f"{issued.group('what').lower()}{issued.group('on')}",
                "other",
                date_text,
                None,
                "decision-sentence",
            )

    def headline_event(self) -> None:
        """A document that lists people at an event none of the rules named: the event is the one
        its headline announces ("Kim Jong Un Receives Delegation ..."), named by the headline."""
        if any(e.is_reported for e in self.facts.events) or not self.facts.parts:
            return
        headline = next((s for s in self.sentences if s.is_headline), None)
        if headline is None:
            return
        named = [e for e in self.facts.events if e.method == "headline-named-event"]
        if named:  # the headline names it: that event is the reported one
            first = named[0]
            self.facts.events = [
                replace(e, is_reported=True) if event_key(e.name) == event_key(first.name) else e
                for e in self.facts.events
            ]
            return
        start, end, name = headline_event_name(headline.text)
        self.reported_event(headline.span(start, end), name, "other", None, None, "headline-event")

    def appositive_end(self, sentence: Sentence, name: NameMatch) -> int:
        """Where the titles after a name end ("X, director of Y, sent ...": at "sent"), so the
        lead's verb is read after them; the end of the name when no comma follows it."""
        pos = name.end
        if not re.match(r"\s?,", sentence.text[pos:]):
            return pos
        for segment in split_segments(sentence.text, sentence.text.index(",", pos) + 1):
            if not is_title(segment.text):
                return segment.start
        return len(sentence.text)

    def headline_letter(self) -> tuple[Sentence, int, int, str] | None:
        """The "Letter to X" of a headline: sentence, span of the words, and X."""
        for sentence in self.sentences:
            if sentence.is_headline:
                match = _HEADLINE_LETTER.search(sentence.text)
                if match:
                    return sentence, match.start(), match.end(), match.group("to")
        return None

    def speech_document(self) -> None:
        """A document that is a speech: its headline names speaker, kind and event."""
        for sentence in self.sentences:
            if not sentence.is_headline:
                continue
            match = _SPEECH_HEADLINE.match(sentence.text)
            if match is None:
                continue
            names = find_names(match.group("who"))
            events = find_events(match.group("event"))
            if events:
                event = events[0]
                offset = match.start("event")
                self.facts.events.append(
                    EventFact(
                        sentence.span(offset + event.start, offset + event.end),
                        event.name,
                        event.ordinal,
                        event.series,
                        event.event_kind,
                        True,
                        None,
                        None,
                        "speech-headline-event",
                    )
                )
            if names:
                who = NameMatch(
                    match.start("who") + names[0].start,
                    match.start("who") + names[0].end,
                    names[0].name,
                )
                mention = self.person(sentence, who, "speech-headline")
                kind_text = match.group("kind").lower()
                role, speech_kind = "speech", "speech"
                if "opening" in kind_text:
                    role, speech_kind = "opening_address", "opening_address"
                elif "concluding" in kind_text:
                    role, speech_kind = "closing_address", "concluding_speech"
                elif "closing" in kind_text:
                    role, speech_kind = "closing_address", "closing_address"
                elif "report" in kind_text:
                    role, speech_kind = "report", "report"
                self.part(mention, role, None, None, "speech-headline")
                self.facts.speeches.append(
                    SpeechFact(
                        sentence.span(0, len(sentence.text)),
                        mention.name,
                        speech_kind,
                        None,
                        True,
                        "speech-headline",
                    )
                )
            return

    # -- the document ----------------------------------------------------------------------

    def complete_names(self) -> None:
        """Bare event names take the body and term the document gives elsewhere (C3.7), and a
        bare "second-day sitting" the name of the event it is a sitting of."""
        completed = complete_event_names([e.name for e in self.facts.events])
        events = []
        for event, name in zip(self.facts.events, completed, strict=True):
            if name != event.name and event.event_kind != "sitting":
                ordinal = event.ordinal
                event = replace(event, name=name, series=name.split(" ", 1)[1], ordinal=ordinal)
            events.append(event)
        self.facts.events = events

    def mark_reported(self) -> None:
        """Every mention of a reported event is a reported mention; pick the principal event."""
        self.complete_names()
        reported = [e for e in self.facts.events if e.is_reported]
        keys = {event_key(e.name) for e in reported}
        self.facts.events = [
            e if e.is_reported or event_key(e.name) not in keys else replace(e, is_reported=True)
            for e in self.facts.events
        ]
        whole = [e for e in reported if e.event_kind != "sitting"] or reported
        body = [e for e in whole if e.method != "speech-headline-event"] or whole
        if body:
            first = min(body, key=lambda e: (e.date_text is None and e.place is None, e.span.start))
            self.facts.principal_event = event_key(first.name)
            self.facts.events = [
                replace(e, parent=event_key(first.name), name=f"{e.name} of the {first.name}")
                if e.event_kind == "sitting" and not e.parent and e is not first
                else e
                for e in self.facts.events
            ]


_HEADLINE_SUBJECT = re.compile(
    r"^(?:(?:Respected |Supreme Leader |General Secretary |Comrade |Marshal )*"
    r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,3} )?(?P<verb>Has|Holds|Gives|Receives|Meets|Watches|Attends|"
    r"Hosts|Visits|Inspects|Sends|Greets|Enjoys|Appreciates)\s+"
)


def headline_event_name(headline: str) -> tuple[int, int, str]:
    """An event named by a headline with no event name in it: the headline without its
    subject, its verbs ("Held", "Given", "Formed") and its first capital ("Reception Given for
    X Delegation" -> "reception for X Delegation"); [start, end) of the words it keeps."""
    subject = _HEADLINE_SUBJECT.match(headline)
    start = subject.end() if subject else 0
    words = [
        w for w in headline[start:].split() if w not in HEADLINE_VERBS and w not in _HEADLINE_PAST
    ]
    name = " ".join(words) or headline
    if _UNNAMED_HEADS.match(name) or name.split()[0] in _COMMON_FIRST:
        name = name[0].lower() + name[1:]  # a common noun, not a proper name
    noun = _HEADLINE_VERB_NOUNS.get(subject.group("verb")) if subject else None
    if noun is not None:  # "Receives Delegation of X": the reception of it, as the body says
        assert subject is not None
        start, name = subject.start("verb"), f"{noun} {name}"
    return start, len(headline), name


_COMMON_FIRST = frozenset("Delegation Delegations State Joint National Central".split())
_HEADLINE_VERB_NOUNS = {
    "Meets": "meeting with",
    "Receives": "reception of",
    "Visits": "visit to",
    "Inspects": "inspection of",
}
_HEADLINE_PAST = frozenset("Given Formed Staged Unveiled Launched Arranged Done".split())


def date_and_place(text: str) -> tuple[str | None, str | None]:
    """The event's day and locality as a lead sentence writes them; a venue ("at the Mansudae
    Assembly Hall") stands for the place only when no locality ("in Pyongyang") is given."""
    date = _EVENT_DATE.search(text)
    place = _EVENT_PLACE.search(text) or _EVENT_VENUE.search(text)
    return (
        (date.group(1) or date.group(2)) if date else None,
        place.group(1) if place else None,
    )
