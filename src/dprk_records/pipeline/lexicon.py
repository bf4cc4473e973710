"""Closed word lists of the genre: Korean family names in KCNA romanization and the like.

These are facts about the language and the agency's spelling, not about any document: they let
rules recognise a personal name ("Ri Il Hwan") without ever listing a person.
"""

from __future__ import annotations

# Family names as KCNA romanizes them (McCune-Reischauer without diacritics), plus the common
# South Korean press spellings that reposts use.
FAMILY_NAMES: frozenset[str] = frozenset(
    [
        "An",
        "Ban",
        "Bang",
        "Byon",
        "Cha",
        "Chae",
        "Chang",
        "Chi",
        "Cho",
        "Choe",
        "Choi",
        "Chon",
        "Chong",
        "Chu",
        "Chung",
        "Ha",
        "Ham",
        "Han",
        "Ho",
        "Hong",
        "Hwang",
        "Hyon",
        "Im",
        "Jang",
        "Jeon",
        "Jeong",
        "Ji",
        "Jin",
        "Jo",
        "Jon",
        "Jong",
        "Ju",
        "Jun",
        "Kal",
        "Kang",
        "Ki",
        "Kil",
        "Kim",
        "Ko",
        "Kong",
        "Ku",
        "Kuk",
        "Kwak",
        "Kwon",
        "Kye",
        "Kyong",
        "Lee",
        "Ma",
        "Maeng",
        "Min",
        "Mo",
        "Mun",
        "Myong",
        "Na",
        "Nam",
        "No",
        "O",
        "Ok",
        "Pae",
        "Om",
        "Paek",
        "Pak",
        "Pang",
        "Park",
        "Phi",
        "Phyo",
        "Pyo",
        "Pyon",
        "Ra",
        "Rho",
        "Ri",
        "Rim",
        "Ro",
        "Ryang",
        "Ryo",
        "Ryom",
        "Ryu",
        "Sa",
        "Sin",
        "Shin",
        "Sim",
        "So",
        "Sok",
        "Sol",
        "Son",
        "Song",
        "Sung",
        "Tae",
        "Tak",
        "Thak",
        "Thae",
        "Tong",
        "U",
        "Um",
        "Wang",
        "Won",
        "Wi",
        "Yang",
        "Yo",
        "Yom",
        "Yon",
        "Yu",
        "Yuk",
        "Yun",
        "Hwangbo",
        "Namgung",
        "Sonu",
        "Tokko",
    ]
)

# South Korean press spellings, as KCNA writes South Korean names ("Yoon Suk Yeol").
FAMILY_NAMES = FAMILY_NAMES | frozenset(
    """
    Ahn Bae Baek Cheon Choo Eom Geum Heo Hyun Jeon Joo Jung Koo Kook Moon Myung Noh Oh Seo Seok
    Seol Shim Woo Yeo Yeom Yoo Yook Yoon
    """.split()
)

# Head nouns of posts and ranks (singular, lower case). A phrase is a title when one of these is
# its head ("first vice department director of ...", "vice-premier", "Party cell secretary").
TITLE_HEADS: frozenset[str] = frozenset(
    [
        "member",
        "secretary",
        "director",
        "chairman",
        "chairwoman",
        "chairperson",
        "president",
        "premier",
        "minister",
        "commander",
        "marshal",
        "generalissimo",
        "general",
        "manager",
        "leader",
        "captain",
        "chief",
        "head",
        "deputy",
        "officer",
        "ambassador",
        "editor",
        "governor",
        "mayor",
        "representative",
        "delegate",
        "colonel",
        "lieutenant",
        "major",
        "admiral",
        "engineer",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "adviser",
        "advisor",
        "vice-chairman",
        "vice-premier",
        "vice-president",
        "vice-minister",
        "vice-director",
        "instructor",
        "counsellor",
        "counselor",
        "envoy",
        "prosecutor",
        "judge",
        "speaker",
        "attache",
        "charge",
        "dean",
        "coordinator",
        "official",
        "consul",
        "rector",
        "teacher",
        "miner",
        "worker",
        "farmer",
        "student",
        "aide",
        "operator",
        "welder",
        "technician",
        "commissar",
        "professor",
        "researcher",
        "scientist",
        "writer",
        "journalist",
        "artist",
    ]
)


# Words that end an organization's name and say what kind of body it is.
ORG_HEADS: dict[str, str] = {
    "complex": "complex",
    "factory": "factory",
    "plant": "plant",
    "mill": "factory",
    "works": "factory",
    "mine": "mine",
    "pit": "pit",
    "shop": "shop",
    "work-team": "work_team",
    "workteam": "work_team",
    "team": "team",
    "brigade": "brigade",
    "farm": "farm",
    "vessel": "vessel",
    "station": "station",
    "university": "university",
    "college": "school",
    "school": "school",
    "institute": "institute",
    "corps": "corps",
    "enterprise": "enterprise",
    "committee": "local_committee",
    "office": "other",
    "department": "other",
    "faculty": "school",
    "company": "enterprise",
    "association": "other",
    "hospital": "other",
    "store": "enterprise",
}

_UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
_TEENS = (
    "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
    "nineteenth"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TENTHS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()

# Ordinal words up to 99, as KCNA spells them in names ("Sixth", "Twenty-ninth").
ORDINAL_WORDS: dict[str, int] = {
    **{word: n for n, word in enumerate(_UNITS, start=1)},
    **{word: n for n, word in enumerate(_TEENS, start=10)},
    **{word: 10 * (n + 2) for n, word in enumerate(_TENTHS)},
    **{
        f"{tens}-{unit}": 10 * (n + 2) + u
        for n, tens in enumerate(_TENS)
        for u, unit in enumerate(_UNITS, start=1)
    },
}

WEEKDAYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def ordinal_text(number: int) -> str:
    """The digit form of an ordinal: 1 -> "1st", 12 -> "12th", 22 -> "22nd"."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


# ---- Listing frames --------------------------------------------------------------------------
# Words that open a list of people and the part the list gives them. Each frame is (name, pattern,
# role): the list starts right after the pattern. Order matters only where two frames could
# match at one place; the first wins. "Also ..." continuations are frames of their own, so a
# follow-on sentence is a new listing with the same role (listings.md 0.3).
LIST_FRAMES: tuple[tuple[str, str, str], ...] = (
    (
        "platform-taken-by",
        r"\b(?:meeting )?(?:platform|tribune(?: of honou?r)?(?: and (?:the )?reviewing stands?)?|rostrum|presidium) (?:was|were) taken by\b",
        "platform",
    ),
    (
        "platform-inverted",
        r"\b(?:(?:Also )?(?:Taking (?:(?:their )?seats|places) on|Taking|Seated on|Seen on|Sitting on|On|Also on)) the (?:meeting )?(?:platform|tribune(?: of honou?r)?(?: and (?:the )?reviewing stands?)?|rostrum)(?: were| was)?\b",
        "platform",
    ),
    ("platform-also-seen", r"\bAlso seen on the (?:platform|tribune|rostrum) were\b", "platform"),
    (
        "observers",
        r"\b(?:Also )?[Pp]resent (?:there |at [^,.]{1,60}? )?as observers (?:were|are)\b",
        "observer",
    ),
    (
        "invited",
        r"\b(?:Also )?[Ii]nvited to (?:the|it|this)\b[^,.]{0,50}? (?:were|are)\b",
        "attended",
    ),
    (
        "present",
        r"\b(?:Also )?[Pp]resent\b(?: there| here)?(?: at (?:the|it|this)\b[^,.]{0,60}?)?(?: on invitation)?(?: (?:from|on) the [\w'’ -]{2,40}? side)?(?: (?:were|was|are|is))\b",
        "attended",
    ),
    (
        "attending",
        r"\b(?:Also )?[Aa]ttending (?:it|them|the [^,.]{1,50}?) (?:were|are)\b",
        "attended",
    ),
    ("attended-by", r"\b(?:was|were|is|are) attended by\b", "attended"),
    ("guided-by", r"\b(?:was|were) guided by\b", "guided"),
    ("presided-by", r"\b(?:was|were) presided over by\b", "presided"),
    (
        "among",
        r"\bAmong (?:the )?(?:spectators|audience|those (?:present|watching)|participants|attendees|guests)\b[^,.]{0,40}? (?:were|was)\b",
        "attended",
    ),
    (
        "among-see-off",
        r"\bAmong those who came (?:out )?to (?:see|greet)\b[^,.]{0,40}? (?:were|was)\b",
        "attended",
    ),
    ("appreciated-by", r"\b(?:was|were) (?:appreciated|watched|enjoyed) by\b", "attended"),
    (
        "greeted-by",
        r"\b(?:was|were) (?:warmly |cordially )?(?:greeted|welcomed|received)\b(?: [^,.]{0,60}?)? by\b",
        "attended",
    ),
    ("seen-off-by", r"\b(?:was|were) (?:warmly )?seen off\b(?: [^,.]{0,60}?)? by\b", "attended"),
    (
        "seen-to-greet",
        r"\b(?:Also )?(?:[Ss]een )?(?:at|on) [^,.]{1,60}? to (?:greet|welcome|see off)(?: [^,.]{1,60}?)? were\b",
        "attended",
    ),
    (
        "accompanied-by",
        r"\b(?:[Aa]ccompanied(?: (?:on|in|at|during) [^,.]{1,40}?)? by|(?:Also )?[Aa]ccompanying (?:him|her|them) (?:were|was|are))\b",
        "accompanied",
    ),
    (
        "senders",
        r"\b(?:[Ff]loral baskets?|[Ff]lower baskets?|[Ww]reaths?) (?:was|were) (?:sent|laid|presented)\b[^,.]{0,80}? by\b",
        "attended",
    ),
    (
        "report-by",
        r"\b(?:[Aa]|[Tt]he) (?:[\w-]+ )?report was (?:made|delivered)(?: [^,.]{1,40}?)? by\b",
        "report",
    ),
    (
        "opening-by",
        r"\b[Aa]n opening (?:address|speech) was (?:made|delivered) by\b",
        "opening_address",
    ),
    (
        "speech-by",
        r"\b(?:[Aa]|[Tt]he) (?:[\w-]+ )?speech was (?:made|delivered)(?: [^,.]{1,40}?)? by\b",
        "speech",
    ),
    ("they-are", r"^They (?:are|were|included?)\b", "attended"),
    (
        "closing-by",
        r"\b[Aa] (?:closing|concluding) (?:address|speech) was (?:made|delivered) by\b",
        "closing_address",
    ),
    ("signed-by", r"\b(?:was|were) signed by\b", "other"),
    (
        "held-between",
        r"\b(?:[Tt]alks|[Aa] (?:meeting|conversation)) (?:were|was) held between\b",
        "guided",
    ),
    ("read-out-by", r"\b(?:was|were) read out by\b", "speech"),
    (
        "speakers",
        r"\b(?:[Ss]peeches (?:were (?:also )?(?:made|delivered) )?by|[Ss]peaking\b[^,.]{0,50}? (?:were|was)|[Ss]peakers were|[Ss]peeches were (?:made|delivered)(?: there| at [^,.]{1,40}?)? by)\b",
        "speech",
    ),
)

# Frames where the list comes first and the verb last ("A, B and officials concerned were on hand").
VERB_FINAL_FRAMES: tuple[tuple[str, str, str], ...] = (
    ("on-hand", r"\s+(?:were|was|are) on hand\b(?! as observers)", "attended"),
    (
        "present-final",
        r"\s+(?:were|are) (?:also )?present(?: there| here)?(?: on invitation)?(?= *[.,]| at\b)",
        "attended",
    ),
    ("attended-final", r"\s+(?:also )?attended (?:the|it)\b", "attended"),
    ("on-hand-observers", r"\s+(?:were|was|are) (?:on hand|present) as observers\b", "observer"),
    ("watched", r"\s+(?:also )?watched (?:the|it)\b", "attended"),
    (
        "to-greet",
        r"\s+(?:were|was) (?:also )?(?:at|on) [^,.]{1,60}? to (?:greet|welcome|see)\b",
        "attended",
    ),
    ("saw-off", r"\s+(?:warmly )?saw (?:\w+ )?off\b", "attended"),
    ("saw-off-object", r"\s+(?:warmly )?saw off\b", "attended"),
)
# Words one of which every match of a verb-final frame contains (as FRAME_HINTS for the frames
# above): the list before the verb is read only in a sentence that has the verb.
VERB_FINAL_HINTS: dict[str, tuple[str, ...]] = {
    "on-hand": (" on hand",),
    "present-final": (" present",),
    "attended-final": ("attended ",),
    "on-hand-observers": (" as observers",),
    "watched": ("watched ",),
    "to-greet": (" to greet", " to welcome", " to see"),
    "saw-off": ("saw ",),
    "saw-off-object": ("saw off",),
}

# Frames whose list is one officiating person: a number only when several are named.
# Verb-final frames whose one named subject is still a list ("X, TITLE, was also at the airport
# to greet him together with embassy officials").
SINGLE_LISTING_FRAMES: frozenset[str] = frozenset({"to-greet", "on-hand"})
UNORDERED_WHEN_SINGLE: frozenset[str] = frozenset(
    {
        "guided-by",
        "presided-by",
        "report-by",
        "opening-by",
        "closing-by",
        "saw-off",
        "saw-off-object",
        "speech-by",
        "read-out-by",
        "signed-by",
    }
)
# Frames whose persons are the two principals of talks: the first hosts, the others are guests;
# neither is a listing (listings.md L20).
PRINCIPALS_FRAMES: frozenset[str] = frozenset({"held-between"})


# Committees formed in a text: "formed with X as its chairman and A, B ... as its members".
COMMITTEE_FORMED = (
    r"\b(?P<committee>(?:[Ss]tate |[Nn]ational |[Pp]reparatory |[Ff]uneral |[Oo]rganizing |"
    r"[Ss]teering )*(?:[\w'’-]+ )?(?:[Ff]uneral |[Pp]reparatory |[Oo]rganizing )?"
    r"(?:[Cc]ommittee|[Cc]ommission))\b[^.]{0,80}? (?:is|was|has been|were) (?:formed|organized|set up|composed)"
)
COMMITTEE_CHAIR = (
    r"\bwith (?P<chair>[^.]{2,160}?) as (?:its )?(?:chairman|chairperson|chair|head)\b"
)
COMMITTEE_MEMBERS_INLINE = r"\band (?P<members>.+?),? as (?:its )?members\b"
COMMITTEE_MEMBERS_SENTENCE = (
    r"(?:^|;\s+)(?:(?:Its|[Tt]he(?: committee| commission)?) members (?:are|were|include)"
    r"(?: as follows)?:?|Members:)\s+"
)
# "The state funeral committee is formed as follows:" then "Chairman: X" on a line of its own.
COMMITTEE_CHAIR_LINE = r"^(?:Chairman|Chairperson|Chair):\s+"

# Status prefixes and epithets that stand before names but are not posts (B6, L16).
STATUS_PREFIX = r"^(?:senior|leading|other)\b.*\bofficials?$|^(?:the )?(?:war )?(?:hero|veteran)s?$"
HONORIFIC_WORDS: frozenset[str] = frozenset(
    """Comrade Comrades Respected respected Dear dear Supreme Great great Beloved beloved
    Eternal eternal""".split()
)

# ---- Event names -----------------------------------------------------------------------------
# Words a headline puts after an event's name: they describe the item, not the event (C3.1).
HEADLINE_VERBS: frozenset[str] = frozenset(
    """Opens Opened Closes Closed Concludes Concluded Held Continues Continued Begins Began Ends
    Ended Guides Inspects Visits Sends Takes Convened Convenes Meets Met Marks Highlights Observed
    Starts Goes Wraps Underway Discusses Reviews Adopts Elects Hears Attends Presides Sits""".split()
)
# Title-case words that may follow a person's name in a headline ("X Guides Conference", "X
# Sends Greetings to Y", "Speech by X at Z"): there a capitalized word after a name does not
# glue it to an organization's name, as it does in running text ("X University").
HEADLINE_NAME_FOLLOWERS: frozenset[str] = HEADLINE_VERBS | frozenset(
    """At In To On For With And From By Receives Gives Makes Speaks Calls Appreciates Watches
    Congratulates Greets Leads Sees Enjoys Praises Answers Replies Thanks""".split()
)
# Aliases of bodies and event heads, applied to an event name before its identity key is made
# (C3.3): every spelling on the left is the one on the right. The third item holds words every
# match of the pattern contains (one of them at least), so that a text without any of them need
# not be scanned with it (claims.apply_event_aliases; tests/test_claims.py holds each to every
# match).
EVENT_ALIASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"\bWorkers['’`]? Party of Korea(?:\s*\(?WPK\)?)?", "WPK", ("Party of Korea",)),
    (r"\s*\(WPK\)", "", ("(WPK)",)),
    (r"\bDemocratic People['’`]?s Republic of Korea\b", "DPRK", ("s Republic of Korea",)),
    (r"\bPolitburo\b", "Political Bureau", ("Politburo",)),
    (r"\bPlenum\b", "Plenary Meeting", ("Plenum",)),
    (r"\bPlenary Session\b", "Plenary Meeting", ("Plenary Session",)),
    (r"\bCC,?\s*(?:the\s+)?WPK\b", "Central Committee of the WPK", ("CC",)),
    (
        r"\bC\.C\.,?\s*(?:of\s+)?(?:the\s+)?WPK\b",
        "Central Committee of the WPK",
        ("C.C.",),
    ),
    (r"\bWPK Central Committee\b", "Central Committee of the WPK", ("WPK Central Committee",)),
    (r"\bC\.?C\b\.?(?!\w)", "Central Committee", ("CC", "C.C")),
    (
        r"\bWPK Central Military Commission\b",
        "Central Military Commission of the WPK",
        ("WPK Central Military Commission",),
    ),
    (r"\bCMC\b", "Central Military Commission", ("CMC",)),
    (r"\bSupreme People['’`]?s Assembly\b", "SPA", ("Supreme People",)),
    (r"\bSPA Standing Committee\b", "Standing Committee of the SPA", ("SPA Standing Committee",)),
    (
        r"\bStanding Committee of the (\d{1,3}(?:st|nd|rd|th)) SPA\b",
        r"\1 Standing Committee of the SPA",
        ("Standing Committee of the ",),
    ),
    (r"\bWPK (Congress|Conference)\b", r"\1 of the WPK", ("WPK Con",)),
    (r"\bof the Party\b", "of the WPK", ("of the Party",)),
)
# Words of an event name that do not change which event it is (C3.6: "enlarged"), and the
# state's name after an organ ("the 14th SPA of the DPRK").
EVENT_KEY_DROPS = (
    r"\b[Ee]nlarged\b",
    r"\b[Ee]xtended\b",
    r"\bof (?:the )?DPRK\b",
    r"\bhistoric\b",
)
# Day sittings of a longer event (C4).
SITTING_DAYS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
SITTING = (
    rf"\b(?P<day>{'|'.join(SITTING_DAYS)}|\d(?:st|nd|rd|th))[- ]day "
    r"(?:sitting|meeting|session)\b"
)
# Generic events named by their occasion (an unnumbered national meeting).
OCCASION = r"\b(?:to mark|marking|to celebrate|celebrating|in celebration of|on the occasion of|in commemoration of|commemorating)\s+"

# Frames whose list gives titles but no part in the event ("The following were appointed:" and
# one "Title Name" per line); the change itself is a personnel change, not a participation.
TITLE_ONLY_FRAMES: tuple[tuple[str, str], ...] = (
    (
        "appointed-list",
        r"\b[Tt]he following (?:were|was|have been|has been) (?:appointed|elected|named|promoted)"
        r"(?:(?: [^:.]{1,80})?:|\s*$)",
    ),
)
# Personnel changes (changes-titles-events.md Part A): each verb, as a participle ("was
# by-elected", "B appointed as", "the ranks of A have been raised to") or in the active voice
# ("The session elected X", "decided to relieve X of"), and the kind of change it states.
CHANGE_VERBS: tuple[tuple[str, str], ...] = (
    (r"by-elected|by elected|by-elect|by elect", "by_elected"),
    (r"re-elected|elected|electing|re-elect|elect|chosen|chose|choose", "elected"),
    (r"appointed|appointing|appoint|named|naming|name", "appointed"),
    (r"recalled|recall", "recalled"),
    (r"dismissed|dismiss|removed|remove", "dismissed"),
    (r"relieved|relieve|released|release", "released"),
    (r"transferred|transfer", "transferred"),
    (r"promoted|promoting|promote|raised|raise", "promoted"),
    (r"demoted|demote|reduced|reduce", "demoted"),
    (r"retired|retire", "retired"),
    (
        r"awarded|awarding|award|conferred|conferring|confer|given|granted|presented|honou?red|"
        r"decorated|went|handed|"
        r"received",
        "awarded",
    ),
)
# A change said as a noun that a body approved ("approved the retirement of A"), and its kind.
CHANGE_NOUNS: dict[str, str] = {
    "retirement": "retired",
    "release": "released",
    "resignation": "released",
    "dismissal": "dismissed",
    "recall": "recalled",
}
# Head words of an honour ("the title of Labour Hero", "the Order of National Flag First Class",
# "a gold medal", "the Kim Jong Il Prize", "a watch bearing the august name of ...").
AWARD_HEADS = (
    r"(?:[Tt]itles?|[Oo]rders?|[Mm]edals?|[Pp]rizes?|[Ww]atch(?:es)?|[Cc]itations?|[Bb]adges?|"
    r"[Dd]iplomas?|[Cc]ups?|[Mm]arshalship|[Rr]ank|[Hh]ero|[Aa]rtiste?|[Cc]ertificates?)"
)
# Ranks and rank-like titles: conferring one is a promotion, not an award (A11, A12, B5).
RANK = (
    r"(?:(?:senior |junior )?(?:colonel|lieutenant|captain|major)(?: general)?|"
    r"(?:first |second )?lieutenant|general|(?:rear |vice )?admiral|vice[- ]marshal|marshal|"
    r"generalissimo|major|colonel)s?(?: of the (?:[A-Z][\w'’]*\s?)+)?"
)
# A line of a list of changes: its post, a colon, its names ("To Lieutenant General of the Air
# Force: A, B"); more such groups may follow on one line, each after "To".
CHANGE_LIST_LINE = (
    r"(?:^(?:To\s+)?|(?<=\s)To\s+)(?P<post>[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|the))*?):\s+"
)
# What ends the post of a change: the reason, the authority, the date, the next name's clause.
CHANGE_POST_END = (
    r",(?!\s*(?:WPK|the WPK)\b)|;|:|(?<!\b[A-Z])(?<!\bNo)\.(?=\s|$)|$|\s+(?:to fill\b|at (?:the|its|a)\b|upon\b|under\b|"
    r"according to\b|by (?:a|the|an)\b|in place of\b|on the occasion\b|who\b|which\b|from among\b|"
    r"in accordance\b|in line with\b|reflecting\b|"
    r"for (?:his|her|their|the|[a-z]+ing)\b|owing to\b|due to\b|because\b|in recognition\b|as (?:he|she|they)\b|"
    r"on account of\b|in (?:19|20)\d\d\b|together with (?!the\b)|"
    r"on (?:\d|the \d|[A-Z][a-z]+day\b|(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b)|and (?:those|that) of\b|"
    r"(?:and )?(?:was|were|is|are|has|have)\b)|(?<!together)(?<!along)\s+with the\b"
)
# A leader's name inside the name of an honour or a work ("the Order of Kim Il Sung", "the Song
# of General Kim Il Sung") is no person's mention.
HONOUR_NAME_OF = (
    r"\b(?:Order|Prize|Medal|Badge|Award|Cup|Trophy|Song|Hymn|March|Ode)s? of (?:the )?"
    r"(?:[A-Z][\w-]* )*$"
)
# In a sentence that confers honours, a name after these is no recipient either ("a citation of
# Supreme Commander X", "watches bearing the august name of X").
HONOUR_OF = (
    r"\b(?:Order|Prize|Medal|Badge|Award|Cup|Trophy|Song|Hymn|March|Ode|[Tt]itle|[Cc]itation|"
    r"[Ww]atch(?:es)?|name)s? of (?:the )?(?:[A-Z][\w-]* )*$"
)
# A post of the armed forces said around a name: "Marshal X of the Korean People's Army".
AROUND_NAME = r" of the (?:Korean People['’]s (?:Army|Internal Security Forces)|KPA|DPRK)\b"
# A relative clause that gives a post: "A, B and C who are members of X", "who is also Y".
RELATIVE_CLAUSE = r"who (?:is|are|was|were)\s+(?:also\s+)?(?:the\s+)?"
# Words around a name that make the phrase an epithet, not a post (B6).
EPITHET = (
    r"\b(?:supreme leader|great leaders?|eternal|ever-victorious|father of|sun of|top leader)\b"
)

# Titles that name a part in the event itself, not a standing post (L26: "chairman of the state
# funeral committee" is the leader's role at the funeral).
EVENT_ROLE_TITLE = (
    r"\b(?:funeral|preparatory|organizing|reception|welcoming) (?:committee|commission)\b"
    r"|\b[Cc]redentials [Cc]ommittee\b"
    r"|\b(?:presidium|secretariat|executive body) of the (?:meeting|session|congress|conference)\b"
)
# Capitalized words that end the name of a body or a place, never a person's: a run of
# capitalized words ending in one of these is not a foreign name.
NOT_NAME_HEADS: frozenset[str] = frozenset(
    """Unit Troupe Society Forum Group Union League Company Hall Theatre Theater Square Palace
    House Restaurant Hotel Guesthouse Airport Station Embassy Bureau Department Ministry Army
    Forces Front Party Assembly Council Committee Commission Association Federation Institute
    University College School Academy Factory Complex Mill Works Mine Farm Plant Enterprise Corps
    Division Brigade Regiment Battalion Centre Center Museum Hospital Stadium Gymnasium Park Street
    Bridge Port Province County City District Region Territory Republic Kingdom Federation
    Relations Affairs Industry Health Culture Sports Defence Defense Trade Cooperation
    Development Agriculture Planning Investment Finance Education""".split()
)

# Words one of which every match of a list frame contains: a sentence with none of them is not
# tried against the frame's pattern (most sentences of a long report open no list).
FRAME_HINTS: dict[str, tuple[str, ...]] = {
    "platform-taken-by": ("taken by",),
    "platform-inverted": ("platform", "tribune", "rostrum"),
    "platform-also-seen": ("seen on the",),
    "observers": ("observers",),
    "invited": ("nvited",),
    "present": ("resent",),
    "attending": ("ttending",),
    "attended-by": ("attended by",),
    "guided-by": ("guided by",),
    "presided-by": ("presided over by",),
    "among": ("Among",),
    "among-see-off": ("Among",),
    "appreciated-by": ("appreciated by", "watched by", "enjoyed by"),
    "greeted-by": ("greeted", "welcomed", "received"),
    "seen-off-by": ("seen off",),
    "seen-to-greet": (" to greet", " to welcome", " to see off"),
    "accompanied-by": ("ccompan",),
    "senders": ("asket", "reath"),
    "report-by": ("report was",),
    "opening-by": ("opening address was", "opening speech was"),
    "speech-by": ("speech was",),
    "they-are": ("They ",),
    "closing-by": (" speech was", " address was"),
    "held-between": ("held between",),
    "signed-by": ("signed by",),
    "read-out-by": ("read out by",),
    "speakers": ("peeches ", "peaking", "peakers were"),
}

# A framing verb names its event with a noun ("X inspected the Y" is the "inspection of the
# Y"): the extractor names framed events so, and the gate's span claims read the verb as the noun.
VERB_NOUNS: dict[str, str] = {
    "inspected": "inspection",
    "visited": "visit",
    "toured": "tour",
    "received": "reception",
    "receives": "reception",
    "visits": "visit",
    "inspects": "inspection",
    "met": "meeting",
    "meets": "meeting",
    "formed": "formation",
    "laid": "laying",
    # an occasion said with a verb ("held ... to mark X") names "national meeting marking X"
    "mark": "marking",
    "celebrate": "celebrating",
    "commemorate": "commemorating",
}

# -- whether a title is a post held on the document's date (positions.status) ---------------------
# Words inside a title that make it a dead leader's posthumous or remembered title (B6, B8):
# "eternal President", "eternal general secretary", "Generalissimo" (conferred on the dead, or
# used of them only), "the late", "posthumous".
POSTHUMOUS_TITLE_WORDS = r"\b(?:[Ee]ternal|[Ll]ate|Generalissimo|[Pp]osthumous(?:ly)?)\b"
# Words that end right before a title-and-name phrase and remember a dead person: a tribute, a
# behest or teaching left, a birth anniversary, statues, a lifetime (A0, B8). The phrase may be the
# second of a pair ("tribute to TITLE NAME and TITLE NAME"): one run of three to seven
# capitalized words (a title and a name) and "and" between the frame and the phrase is read
# through.
REMEMBRANCE_FRAME = (
    r"\b(?:tributes? to|behests? of|teachings of|wills? of|bequeathed by|(?:in )?memory of"
    r"|(?:birth|death) anniversary of|anniversary of the (?:birth|death) of|birth of|statues? of"
    r"|mausoleum of|lifetime of|the late|posthumously|immortal)"
    r"(?:\s+(?:the|great|eternal|beloved|revered|immortal|leaders?|Comrades?))*\s+"
    r"(?:(?:[A-Z][\w'’-]*\s+){3,7}and\s+(?:the\s+)?)?$"
)
# Words right before a title (or opening it) that make it a past post: "former", "the then".
PAST_TITLE_WORDS = r"(?:^|\s)(?:[Ff]ormer|[Tt]he then|[Ee]x-|[Oo]netime|[Ee]rstwhile)\s*$"
PAST_TITLE_OPENING = r"^(?:[Ff]ormer|(?:[Tt]he )?then|ex-|onetime|erstwhile)\b"
# A relative clause in the past between a name and its title: "X, who was premier, ...".
PAST_CLAUSE = r"\bwho (?:was|were|had been|served as)\b"
