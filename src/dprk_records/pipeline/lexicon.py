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
        "Paek",
        "Pak",
        "Pang",
        "Park",
        "Phi",
        "Phyo",
        "Pyo",
        "Pyon",
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
    ]
)

# Event head words: a capitalized run containing one of these names an event.
EVENT_HEADS: tuple[str, ...] = (
    "Plenary Meeting",
    "Enlarged Meeting",
    "Congress",
    "Conference",
    "Session",
    "Workshop",
    "Meeting",
    "Plenum",
    "Rally",
    "Festival",
    "Seminar",
    "Symposium",
    "Consultative Meeting",
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
