"""A reproducible synthetic corpus of KCNA-style documents, for timing the pipeline at scale.

Why it looks like the archive: the pipeline's cost depends on document length (sentences, offset
maps, paragraphs) and on the sentence shapes it meets, so a corpus of uniform 1 KB texts times a
pipeline nobody runs. Real KCNA items run 1-60 KB: most 1-4 KB, a tail of 20-60 KB speeches and
long reports.

Length distribution (characters of text; ASCII except a few quotes and dashes, so about bytes).
Each document draws a target length from its own stream ``len-{seed}-{index}``:

- with probability ``LONG_SHARE`` = 0.12 a long item: target uniform on [20 000, 60 000], written
  as a speech (``_long_speech``) or a long report of a meeting (``_long_report``), built from
  many distinct paragraphs of the genre (``prose.py``);
- otherwise a short item: target log-normal with median ``SHORT_MEDIAN`` = 2 200 and sigma
  ``SHORT_SIGMA`` = 0.45, clipped to [1 000, 12 000], written by one of the short kinds below and
  padded with report paragraphs up to the target.

A document is never shorter than what its kind and forms need (a 60-name funeral committee does
not fit in 1 KB), so short items sit a little above their targets. Resulting shape (500
documents of the default seed): 78 % of 1-4 KB, 83 % under 5 KB, median 2.7 KB, 14 % of 20-60 KB,
none under 1 KB or over 60 KB; a mean of about 8 KB a document. tests/test_bench_tools.py holds
the quantiles to bounds around these.

The forms: datelines, headlines with their verbs (Opens, Closes, Held ...), listing sentences with
plural titles over several tiers, speeches by people "of UNIT under the COMPLEX", inspections with
"accompanied by", reports with quoted titles, figures, reposts with web chrome and OCR slips; and
every form of the field guides in /work/shared/forms/ (``forms.py``): the 36 listing forms, the 21
forms of personnel changes and awards, title shapes and event names. Document ``i`` carries the
listing forms ``i % 36`` and ``(i + 18) % 36``, the change form ``i % 21`` and a title or event form
(speeches carry none: a speech is not a listing), so a corpus of a few dozen documents holds every
form. Names, units, places, dates and ordinals are drawn from pools generated from the seed, so
persons, units and events recur across documents and resolution does real work; a person's
title depends on the period (``career_title``), so titles change across years as in the archive.
Foreign names come from their own pool. Every name is invented.

Document ``i`` depends only on the seed and ``i`` (never on N), so a 100-document corpus is the
first 100 documents of the 1 000-document one, and the same N and seed always give the same
bytes. These texts are for timing only: they are never seeds of the package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from dprk_records_tools.bench import forms, prose

if TYPE_CHECKING:
    from dprk_records.pipeline.manifest import ManifestEntry

DEFAULT_SEED = 20240407
LONG_SHARE = 0.12  # share of long items (speeches, long reports)
LONG_RANGE = (20_000, 60_000)  # their target length, uniform
SHORT_MEDIAN = 2_200  # short items: log-normal target length with this median ...
SHORT_SIGMA = 0.45  # ... and this sigma of its logarithm
SHORT_RANGE = (1_000, 12_000)  # ... clipped to this range
_FOREIGN_GIVEN = (
    "Ivan Oleg Anna Pavel Igor Marta Sergei Mamadou Aminata Hari Sita Bounmy Khamla Batbayar Oyun "
    "Sokha Dara Ramiro Teodor Ngozi Liang Zhou"
).split()
_FOREIGN_FAMILY = (
    "Sorokina Lebedko Kovalchuk Petrenko Keitara Traorel Adhikara Gurungi Phommavong Sisavanh "
    "Ganbaatar Tserenbat Chanthaly Ortegano Kulbakov Amadi-Lawal Wenjiang Mingde Horvatek"
).split()
# Career titles of senior people: which one a person holds depends on the period (form A20).
_CAREER = (
    "member of the Presidium of the Political Bureau of the C.C., WPK",
    "member of the Political Bureau of the WPK Central Committee",
    "alternate member of the Political Bureau of the C.C., WPK",
    "secretary of the Party Central Committee",
    "vice-chairman of the WPK Central Committee",
    "department director of the C.C., WPK",
    "first vice department director of the C.C., WPK",
    "vice-premier of the Cabinet",
    "chairman of the State Planning Commission",
    "minister of Foreign Affairs",
    "minister of Culture",
    "chief secretary of the Pyongyang Municipal Committee of the WPK",
    "chairman of the SPA Standing Committee",
    "first vice-president of the State Affairs Commission",
    "director of the General Political Bureau of the KPA",
)
_CC = (
    "C.C., WPK",
    "WPK Central Committee",
    "Party Central Committee",
    "C.C., the WPK",
    "Central Committee of the WPK",
)
_FAMILIES = (
    "Kim Ri Pak Choe Jo Jong Kang Han O Yun Ho Hwang Ryu Paek Mun So Sin Kye Jon Ma Cha Jin Chu "
    "Ryang Sok Tak Hong Kwon Song Ju Yang Ko Chae Rim Pang Sim Yu An Jang Kil"
).split()
_SYLLABLES = (
    "Il Hwan Chol Min Yong Sam Su Gwang Sik Nam Ho Myong Song Gun Hui Ok Sun Ryong Jin Hak Son Un "
    "Bok Hyon Sop Tae Gyong Jae Man Won Kum Ung Hun Ryon Sang Chang Sok Ju Kwang Jong Hye Yon Ryol "
    "Pyong Thae Hyok Chun Dok Gil Mu Sol Gap Bong Ryun Hwa Suk Chan Gyu"
).split()
_PLACE_PARTS = (
    "kang song chon won san dong ju hung nam pung ryong hwa sin pho dok gok jin rak bong myo "
    "thae yang ryon chil sam"
).split()
_PROVINCES = (
    "South Hamgyong",
    "North Hamgyong",
    "South Phyongan",
    "North Phyongan",
    "South Hwanghae",
    "North Hwanghae",
    "Kangwon",
    "Jagang",
    "Ryanggang",
)
_CITIES = ("Hamhung", "Chongjin", "Wonsan", "Sinuiju", "Kaesong", "Nampho", "Haeju", "Sariwon")
_MINISTRIES = ("Agriculture", "Fisheries", "Light Industry", "Metal Industry", "Chemical Industry")
_ENTERPRISE_KINDS = (
    "Machine Complex",
    "Iron and Steel Complex",
    "Coal Mine",
    "Silk Mill",
    "Fishery Station",
    "Foodstuff Factory",
    "Chemical Complex",
    "Precision Machine Factory",
    "Power Station",
)
_SHOPS = ("assembly shop", "sintering shop", "processing shop", "casting shop", "repair shop")
_TEAMS = ("work-team", "repair work-team", "tunneling team", "excavation team", "crop-raising team")
_ORDINALS = (
    "First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth"
).split()
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_SERIES = (
    "National Conference of Work-team Leaders",
    "Conference of Cell Secretaries of the WPK",
    "National Conference of Agricultural Workers",
    "Congress of the Union of Agricultural Workers of Korea",
    "National Conference of Light Industry Workers",
)
# (singular, plural) titles of the central tiers of a listing sentence.
_TIERS = (
    (
        "member of the Presidium of the Political Bureau of the C.C., WPK",
        "members of the Presidium of the Political Bureau of the C.C., WPK",
    ),
    (
        "member of the Political Bureau of the C.C., WPK",
        "members of the Political Bureau of the C.C., WPK",
    ),
    (
        "alternate member of the Political Bureau of the C.C., WPK",
        "alternate members of the Political Bureau of the C.C., WPK",
    ),
    ("secretary of the C.C., WPK", "secretaries of the C.C., WPK"),
    ("department director of the C.C., WPK", "department directors of the C.C., WPK"),
    (
        "first vice department director of the C.C., WPK",
        "first vice department directors of the C.C., WPK",
    ),
    ("vice-premier of the Cabinet", "vice-premiers of the Cabinet"),
)
_SLOGAN_VERBS = ("Let Us Turn", "Let Us Make", "Let Us Strengthen", "Let Us Build Up")
_SLOGAN_OBJECTS = (
    "Every Work-team into a Vanguard Unit",
    "Our Farms into Models of Socialist Agriculture",
    "Party Cells into Loyal Cells",
    "the Whole Industry into a Modern Base",
)
_SLOGAN_ENDS = (
    "Carrying Out the Party's Economic Policy",
    "of the New Five-Year Plan",
    "for the Prosperity of the Country",
)
_FILLER = (
    "The speakers said that their units would draw up detailed plans and answer for carrying "
    "them out.",
    "He stressed the need to take good care of the living conditions of the employees and their "
    "families.",
    "The participants looked round the production processes and the exhibition hall.",
    "It was noted that the successes were a fruit of the devoted work of the officials and "
    "workers.",
    "He set the tasks of raising the quality of the products and of saving materials and power.",
    "The meeting adopted a resolution on the tasks for the rest of the year.",
    "The report analyzed the shortcomings revealed in the work and their causes in detail.",
    "He called on the officials to go down to the production sites and organize the work there.",
    "The conference discussed ways of introducing advanced technologies in production.",
    "He said that a plan means nothing unless it is carried out without fail.",
)


@dataclass(frozen=True)
class Pools:
    """The people, units and places documents draw from (generated once per seed)."""

    people: tuple[str, ...]
    places: tuple[str, ...]
    enterprises: tuple[str, ...]
    farms: tuple[str, ...]
    foreign: tuple[str, ...]


@dataclass(frozen=True)
class BenchDocument:
    """One synthetic document and its manifest row."""

    document_id: str
    title: str
    kind: str
    published: dt.date
    date_basis: str
    text: str

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


@cache
def make_pools(seed: int = DEFAULT_SEED, people: int = 3000, enterprises: int = 600) -> Pools:
    """Distinct names, places, enterprises and farms from the seed."""
    rng = random.Random(f"pools-{seed}")
    names: set[str] = set()
    while len(names) < people:
        names.add(f"{rng.choice(_FAMILIES)} {rng.choice(_SYLLABLES)} {rng.choice(_SYLLABLES)}")
    places: set[str] = set()
    while len(places) < 200:
        first, second = rng.sample(_PLACE_PARTS, 2)
        places.add(first.capitalize() + second)
    place_list = sorted(places)
    units: set[str] = set()
    while len(units) < enterprises:
        units.add(f"{rng.choice(place_list)} {rng.choice(_ENTERPRISE_KINDS)}")
    farms = sorted({f"{place} Co-op Farm" for place in rng.sample(place_list, 120)})
    foreign = sorted({f"{g} {f}" for g in _FOREIGN_GIVEN for f in _FOREIGN_FAMILY})
    return Pools(
        tuple(sorted(names)),
        tuple(place_list),
        tuple(sorted(units)),
        tuple(farms),
        tuple(rng.sample(foreign, 150)),
    )


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _numeric_ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _figure(value: int) -> str:
    """KCNA writes thousands with a space: 3 000, 10 000."""
    return f"{value:,}".replace(",", " ")


class Writer:
    """One document's choices: its RNG, the pools and its dates."""

    def __init__(self, rng: random.Random, pools: Pools) -> None:
        self.rng = rng
        self.pools = pools
        start = dt.date(2012, 5, 2)
        self.published = start + dt.timedelta(days=rng.randrange(13 * 365))
        self.held = self.published - dt.timedelta(days=1)

    def people(self, count: int) -> list[str]:
        return self.rng.sample(self.pools.people, count)

    def day(self) -> str:
        if self.rng.random() < 0.2:
            return _WEEKDAYS[self.held.weekday()]
        return f"{_MONTHS[self.held.month - 1]} {self.held.day}"

    def dateline(self, place: str = "Pyongyang", dash: str = "--") -> str:
        date = f"{_MONTHS[self.published.month - 1]} {self.published.day}"
        return f"{place}, {date} (KCNA) {dash} "

    def foreign(self, count: int) -> list[str]:
        return self.rng.sample(self.pools.foreign, count)

    def place(self) -> str:
        return self.rng.choice(self.pools.places)

    def province(self) -> str:
        return self.rng.choice(_PROVINCES)

    def unit(self) -> str:
        return self.rng.choice(self.pools.enterprises)

    def ministry(self) -> str:
        return self.rng.choice(_MINISTRIES)

    def weekday(self) -> str:
        return _WEEKDAYS[self.held.weekday()]

    def month(self) -> str:
        return _MONTHS[self.published.month - 1]

    def cc(self) -> str:
        """The WPK Central Committee as outlets write it (B4: ``C.C., WPK`` and variants)."""
        return self.rng.choice(_CC)

    def career_title(self, name: str) -> str:
        """The person's title in the document's period: the same in one period, another later."""
        period = (self.published.year - 2012) // 4
        digest = hashlib.sha256(f"{name}|{period}".encode()).digest()
        return _CAREER[digest[0] % len(_CAREER)]

    def leader(self) -> str:
        """The leader and his formal titles of the period (B8: they drift with the years)."""
        if self.published < dt.date(2016, 6, 1):
            return (
                "Kim Jong Un, first secretary of the Workers' Party of Korea, first chairman of "
                "the National Defence Commission of the DPRK and supreme commander of the Korean "
                "People's Army"
            )
        if self.published.year < 2019:
            return (
                "Kim Jong Un, chairman of the Workers' Party of Korea, chairman of the State "
                "Affairs Commission of the DPRK and supreme commander of the Korean People's Army"
            )
        if self.published.year < 2021:
            return (
                "Kim Jong Un, chairman of the Workers' Party of Korea, chairman of the State "
                "Affairs Commission of the DPRK and supreme commander of the armed forces of the "
                "DPRK"
            )
        return (
            "Kim Jong Un, general secretary of the Workers' Party of Korea and president of the "
            "State Affairs of the Democratic People's Republic of Korea"
        )

    def listing(self, tiers: int) -> str:
        chosen = sorted(self.rng.sample(range(len(_TIERS)), tiers))
        parts = []
        for index in chosen:
            singular, plural = _TIERS[index]
            names = self.people(self.rng.randint(1, 4))
            parts.append(f"{_join(names)}, {singular if len(names) == 1 else plural}")
        return ", ".join(parts)

    def unit_person(self) -> str:
        """A speaker from a unit: "A, leader of work-team No. 3 of the assembly shop under ..."."""
        (name,) = self.people(1)
        rng = self.rng
        if rng.random() < 0.3:
            farm = rng.choice(self.pools.farms)
            county = rng.choice(self.pools.places)
            return f"{name}, leader of the crop-raising team No. {rng.randint(1, 9)} of the {farm} in {county} County"
        team = rng.choice(_TEAMS[:-1])
        shop = rng.choice(_SHOPS)
        unit = rng.choice(self.pools.enterprises)
        if rng.random() < 0.3:
            return f"{name}, manager of the {unit}"
        return f"{name}, leader of {team} No. {rng.randint(1, 9)} of the {shop} under the {unit}"

    def official(self) -> str:
        (name,) = self.people(1)
        rng = self.rng
        title = rng.choice(
            (
                f"chief secretary of the {rng.choice(_PROVINCES)} Provincial Committee of the WPK",
                f"chairman of the {rng.choice(_PROVINCES)} Provincial People's Committee",
                f"minister of {rng.choice(_MINISTRIES)}",
            )
        )
        return f"{name}, {title}"

    def report_title(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(_SLOGAN_VERBS)} {rng.choice(_SLOGAN_OBJECTS)} {rng.choice(_SLOGAN_ENDS)}"
        )

    def filler(self, low: int = 1, high: int = 4) -> list[str]:
        return self.rng.sample(_FILLER, self.rng.randint(low, high))

    def event(self) -> tuple[str, str]:
        """(name, short noun) of a numbered event: "Seventh National Conference of ..."."""
        rng = self.rng
        if rng.random() < 0.3:
            ordinal = rng.choice(_ORDINALS[:9])
            return (
                f"{ordinal} Plenary Meeting of the {8 if self.published.year >= 2021 else 7}th "
                "Central Committee of the Workers' Party "
                "of Korea (WPK)",
                "plenary meeting",
            )
        ordinal = rng.choice(_ORDINALS)
        if rng.random() < 0.3:
            ordinal = _numeric_ordinal(_ORDINALS.index(ordinal) + 1)
        return f"{ordinal} {rng.choice(_SERIES)}", "conference"


def _conference_opens(w: Writer) -> tuple[str, str, list[str]]:
    event, noun = w.event()
    short = event.split(" (")[0]
    (reporter,) = w.people(1)
    body = [
        f"{w.dateline()}The {event} opened in Pyongyang on {w.day()} to review the work of the "
        "first half of the year and to map out the tasks for the rest of the year.",
        f"{w.leader()}, attended the {noun} to guide it.",
        f"Taking the platform were {w.listing(w.rng.randint(2, 4))}, and other officials.",
        f"Present as observers were {w.official()}, {w.official()}, and leading officials of "
        "ministries and national institutions.",
        f"More than {_figure(w.rng.randrange(1000, 6000, 100))} people attended the {noun}.",
        f'{reporter} made a report "{w.report_title()}".',
        *w.filler(),
        f"The {noun} continues.",
    ]
    return "report", f"{short} Opens", body


def _conference_closes(w: Writer) -> tuple[str, str, list[str]]:
    event, noun = w.event()
    short = event.split(" (")[0]
    speakers = [w.unit_person() for _ in range(w.rng.randint(2, 5))]
    first = speakers[0].split(",")[0]
    body = [
        f"{w.dateline()}The {event} closed on {w.day()} after a "
        f"{w.rng.choice(('two', 'three', 'four'))}-day sitting.",
        f"Speeches were made by {_join(speakers)}.",
        f"{first} said that his unit had fulfilled its yearly plan "
        f"{w.rng.randint(101, 160)} percent by cutting the repair time by half.",
        *w.filler(),
        f"{w.leader()}, made a closing speech at the {noun}.",
    ]
    return "report", f"{short} Closes", body


def _inspection(w: Writer) -> tuple[str, str, list[str]]:
    unit = w.rng.choice(w.pools.enterprises)
    province = w.rng.choice(_PROVINCES)
    body = [
        f"{w.dateline()}{w.leader()}, inspected the {unit} in {province} Province, accompanied "
        f"by {w.listing(w.rng.randint(1, 2))}.",
        f"He was greeted on the spot by {w.people(1)[0]}, manager of the {unit}.",
        f"He was told that the {unit.split()[-1].lower()} fulfilled its quarterly plan "
        f"{w.rng.randint(101, 150)} percent in the first quarter of {w.published.year}.",
        *w.filler(1, 3),
    ]
    return "report", f"Kim Jong Un Inspects {unit}", body


def _meeting(w: Writer) -> tuple[str, str, list[str]]:
    province, city = w.rng.choice(_PROVINCES), w.rng.choice(_CITIES)
    chair, reporter = w.people(2)
    farm = w.rng.choice(w.pools.farms)
    body = [
        f"{w.dateline(city)}A meeting of agricultural workers of {province} Province was held in "
        f"{city} on {w.day()} to review the farming this year.",
        f"{chair}, chairman of the {province} Provincial Rural Economy Committee, presided over "
        "the meeting.",
        f"{w.official()}, was present.",
        f"{reporter} made a report.",
        f"The reporter said that the {farm} had fulfilled its production plan "
        f"{w.rng.randint(101, 140)} percent.",
        *w.filler(),
    ]
    return "report", f"Meeting Reviews Farming in {province} Province", body


def _ceremony(w: Writer) -> tuple[str, str, list[str]]:
    unit = w.rng.choice(w.pools.enterprises)
    premier, vice_a, vice_b = w.people(3)
    speakers = [w.unit_person() for _ in range(w.rng.randint(1, 3))]
    body = [
        f"{w.dateline()}A ceremony for the completion of the {unit} took place on {w.day()}.",
        f"Premier {premier} was present.",
        f"Present there were Vice-premiers {vice_a} and {vice_b}, {w.official()}, and officials "
        "concerned.",
        f"Speeches were made by {_join(speakers)}.",
        f"The {unit.split()[-1].lower()} can produce more than "
        f"{_figure(w.rng.randrange(1000, 50000, 500))} tons a year.",
        *w.filler(1, 2),
    ]
    return "report", f"{unit} Completed", body


def _letter(w: Writer) -> tuple[str, str, list[str]]:
    (manager,) = w.people(1)
    unit = w.rng.choice(w.pools.enterprises)
    body = [
        f"{w.dateline(dash='—')}{w.leader()}, sent a letter on {w.day()} to {manager}, manager "
        f"of the {unit}, and all the officials and workers of the {unit.split()[-1].lower()}.",
        "In the letter he warmly congratulated them on their successes in production.",
        "“The workers have shown what can be done with their own efforts,” the letter said.",
        *w.filler(1, 2),
    ]
    return "report", f"Kim Jong Un Sends Letter to Workers of {unit}", body


def _speech(w: Writer) -> tuple[str, str, list[str]]:
    event, _ = w.event()
    short = event.split(" (")[0]
    body = [
        "Dear comrades,",
        "For the past days we have listened to the experience of your units and examined "
        "frankly what has gone well and what has gone wrong in our work.",
        f"Comrade {w.people(1)[0]} from the {w.rng.choice(w.pools.enterprises)} told us in the "
        "speech how the team rebuilt an old machine that everyone else had given up on.",
        *w.filler(2, 5),
        f"I declare the {short} closed.",
    ]
    return "speech", f"Concluding Speech Made by Respected Comrade Kim Jong Un at {short}", body


def _repost(w: Writer) -> tuple[str, str, list[str]]:
    unit = w.rng.choice(w.pools.enterprises)
    (greeter,) = w.people(1)
    a, b = w.people(2)
    body = [
        "Kim Jong Un , chairman of the Workers` Party of Korea, visited Kim II Sung University "
        f"and the {unit} on {_WEEKDAYS[w.held.weekday()]}.",
        f"Accompanying him were {a} and {b}, first vice department directors of the C.C., WPK.",
        f"He was greeted by {greeter}, manager of the {unit}.",
        "He first paid tribute before the statues of President Kim II Sung and Chairman Kim "
        "Jong II.",
        *w.filler(1, 2),
        "Back to top button",
        "Leave a Reply",
    ]
    return "report", f"Kim Jong Un Visits {unit}", body


def _long_report(w: Writer) -> tuple[str, str, list[str]]:
    """A meeting report of many paragraphs: opening, platform, agenda, the report's content
    (padded by ``make_document`` to the target), speeches, organizational matters, closing."""
    event, noun = w.event()
    short = event.split(" (")[0]
    (reporter,) = w.people(1)
    speakers = [w.unit_person() for _ in range(w.rng.randint(3, 8))]
    body = [
        f"{w.dateline()}The {event} was held in Pyongyang from {w.day()} to review the work of "
        "the year and to set the tasks for the next.",
        f"{w.leader()}, guided the {noun}.",
        f"The platform was taken by {w.listing(w.rng.randint(3, 5))}, and other officials.",
        forms.a01(w),
        f'{reporter}, {w.career_title(reporter)}, made a report "{w.report_title()}".',
        f"Speeches were made by {_join(speakers)}.",
        forms.l27(w),
        f"The {noun} adopted a resolution and closed.",
    ]
    verb = w.rng.choice(("Held", "Concludes", "Takes Place", "Convened"))
    return "report", f"{short} {verb}", body


def _long_speech(w: Writer) -> tuple[str, str, list[str]]:
    """A speech of many paragraphs (padded by ``make_document`` to the target)."""
    event, _ = w.event()
    short = event.split(" (")[0]
    (worker,) = w.people(1)
    which = w.rng.choice(("Speech", "Concluding Speech", "Opening Speech"))
    body = [
        w.rng.choice(("Dear comrades,", "Dear comrade delegates,", "Comrades,")),
        f"We have met today at the {short} to review our work frankly and to decide what must "
        "be done next.",
        f"Comrade {worker} from the {w.unit()} told us how the team rebuilt an old machine that "
        "everyone else had given up on.",
        "Dear comrades,",
        "I am confident that you will carry out the tasks set at this meeting with credit.",
    ]
    return "speech", f"{which} Made by Respected Comrade Kim Jong Un at {short}", body


_KINDS: tuple[tuple[Callable[[Writer], tuple[str, str, list[str]]], int], ...] = (
    (_conference_opens, 20),
    (_conference_closes, 20),
    (_inspection, 20),
    (_meeting, 15),
    (_ceremony, 10),
    (_letter, 5),
    (_speech, 5),
    (_repost, 5),
)
_LONG_KINDS: tuple[tuple[Callable[[Writer], tuple[str, str, list[str]]], int], ...] = (
    (_long_report, 55),
    (_long_speech, 45),
)


def target_length(index: int, seed: int = DEFAULT_SEED) -> int:
    """The length document ``index`` aims at, from the distribution of the module docstring."""
    rng = random.Random(f"len-{seed}-{index}")
    if rng.random() < LONG_SHARE:
        return rng.randint(*LONG_RANGE)
    drawn = round(rng.lognormvariate(math.log(SHORT_MEDIAN), SHORT_SIGMA))
    return min(max(drawn, SHORT_RANGE[0]), SHORT_RANGE[1])


def forms_for(index: int) -> list[forms.Form]:
    """The catalogue forms document ``index`` carries (by index, so every form recurs)."""
    listings = forms.LISTINGS
    return [
        listings[index % len(listings)][1],
        listings[(index + len(listings) // 2) % len(listings)][1],
        forms.CHANGES[index % len(forms.CHANGES)][1],
        forms.TITLES_EVENTS[index % len(forms.TITLES_EVENTS)][1],
    ]


def make_document(index: int, seed: int = DEFAULT_SEED, attempt: int = 0) -> BenchDocument:
    """Document number ``index`` of the corpus of ``seed`` (independent of the corpus size)."""
    rng = random.Random(f"doc-{seed}-{index}-{attempt}")
    writer = Writer(rng, make_pools(seed))
    target = target_length(index, seed)
    kinds = _LONG_KINDS if target >= LONG_RANGE[0] else _KINDS
    make = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
    kind, title, body = make(writer)
    if kind == "report":  # the catalogue forms go after the opening sentences
        body[2:2] = [form(writer) for form in forms_for(index)]
    tail = 2 if body[-1] == "Leave a Reply" else 1  # padding goes before the closing lines
    have = len(title) + sum(len(p) + 2 for p in body)
    body[len(body) - tail : len(body) - tail] = prose.pad(writer, kind, have, target)
    has_dateline = "(KCNA)" in body[0]
    end = ["-0-"] if kind == "report" and has_dateline else []
    text = "\n\n".join([title, *body, *end]) + "\n"
    return BenchDocument(
        document_id=f"bench_{index:06d}",
        title=title,
        kind=kind,
        published=writer.published,
        date_basis="dateline+manifest" if has_dateline else "manifest",
        text=text,
    )


def distinct_document(index: int, seed: int, seen: set[bytes]) -> BenchDocument:
    """Document ``index``, redrawn while its sha256 digest is in ``seen`` (those of the
    documents before it): the seeds refuse two texts with the same bytes."""
    attempt = 0
    document = make_document(index, seed)
    while hashlib.sha256(document.data).digest() in seen:
        attempt += 1
        document = make_document(index, seed, attempt)
    return document


def generate_corpus(count: int, seed: int = DEFAULT_SEED) -> list[BenchDocument]:
    """``count`` documents with distinct contents (a rare duplicate is redrawn)."""
    documents: list[BenchDocument] = []
    seen: set[bytes] = set()
    for index in range(count):
        document = distinct_document(index, seed, seen)
        seen.add(hashlib.sha256(document.data).digest())
        documents.append(document)
    return documents


def manifest_entry(document: BenchDocument) -> ManifestEntry:
    """The manifest row of a document, as the pipeline's manifest module models it."""
    from dprk_records.pipeline.manifest import ManifestEntry

    return ManifestEntry(
        document_id=document.document_id,
        title=document.title,
        publisher="KCNA",
        kind=document.kind,
        published=document.published,
        date_basis=document.date_basis,
        url=None,
        sha256=hashlib.sha256(document.data).hexdigest(),
    )


def manifest_text(documents: list[BenchDocument]) -> str:
    """seeds/manifest.csv for the documents, in the pipeline's own manifest format."""
    from dprk_records.pipeline.manifest import render_manifest

    return render_manifest({d.document_id: manifest_entry(d) for d in documents})


def write_corpus(count: int, out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``count`` documents and their manifest.csv into ``out_dir`` (a seeds folder).

    Refuses a folder that already holds other *.txt files, so a corpus is never mixed with seeds.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = generate_corpus(count, seed)
    names = {f"{d.document_id}.txt" for d in documents}
    strangers = sorted(p.name for p in out_dir.glob("*.txt") if p.name not in names)
    if strangers:
        raise FileExistsError(
            f"{out_dir} holds other texts ({strangers[0]}, ...): write the corpus to an empty "
            "folder"
        )
    paths = []
    for document in documents:
        path = out_dir / f"{document.document_id}.txt"
        path.write_bytes(document.data)
        paths.append(path)
    (out_dir / "manifest.csv").write_text(manifest_text(documents), encoding="utf-8", newline="")
    return paths


@dataclass(frozen=True)
class AddedDocument:
    """A document :func:`add_document` wrote into a corpus, and what :func:`remove_document`
    needs to put the corpus back as it was."""

    path: Path
    manifest: Path
    manifest_before: bytes


def add_document(seeds: Path, seed: int = DEFAULT_SEED) -> AddedDocument:
    """Write the next document of the corpus in ``seeds`` and its manifest row, as
    ``write_corpus(N + 1, ...)`` would have written them (N the documents already there), for
    timing an incremental build. Undo it with :func:`remove_document`."""
    from dprk_records.pipeline.manifest import parse_manifest, render_manifest

    manifest = seeds / "manifest.csv"
    before = manifest.read_bytes()
    entries = parse_manifest(before.decode("utf-8"), manifest)
    index = len(entries)
    seen = {bytes.fromhex(entry.sha256) for entry in entries.values()}
    document = distinct_document(index, seed, seen)
    path = seeds / f"{document.document_id}.txt"
    if document.document_id in entries or path.exists():
        raise FileExistsError(f"{path}: {seeds} is not a corpus of documents 0 to {index - 1}")
    entries[document.document_id] = manifest_entry(document)
    path.write_bytes(document.data)
    manifest.write_text(render_manifest(entries), encoding="utf-8", newline="")
    return AddedDocument(path, manifest, before)


def remove_document(added: AddedDocument) -> None:
    """Take out a document :func:`add_document` wrote: its file, and its row from the manifest
    (the manifest's bytes as they were before)."""
    added.path.unlink()
    added.manifest.write_bytes(added.manifest_before)
