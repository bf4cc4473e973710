"""The forms of the field guides, one writer per form, for the benchmark corpus.

Why: the extractor's cost depends on which sentence shapes it meets (long tiered lists, semicolon
blocks, 60-name committees, gapped elections, award lists with parentheses, foreign names), so a
corpus that times it must hold every shape the archive holds. Each function writes one form of
/work/shared/forms/listings.md (``L01`` ... ``L36``) or of changes-titles-events.md (personnel
changes ``A1`` ... ``A21``, title shapes ``B``, event names ``C``) in new words, with names drawn
from the corpus pools; nothing is copied from a real text.

Every writer takes the document's writer (its RNG, pools, date and leader) and returns one
paragraph (several sentences at most). The document picks its forms by its index, so a corpus of
36 or more documents holds every form (see ``corpus.forms_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dprk_records_tools.bench.corpus import Writer

Form = Callable[["Writer"], str]

_COUNTRIES = ("Laos", "Mongolia", "Cambodia", "Nepal", "Mali", "Vietnam", "Russia", "China")
_NATIONS = ("Lao", "Mongolian", "Cambodian", "Nepalese", "Malian", "Vietnamese", "Russian")
_HONOURS = (
    "the Order of Labour",
    "the Order of National Flag First Class",
    "the Order of National Flag Second Class",
    "the title of Labour Hero and Gold Medal (Hammer and Sickle)",
    "the Order of Freedom and Independence",
    "the title of Merited Scientist",
)
_RANKS = (
    ("colonel general", "colonel generals"),
    ("lieutenant general", "lieutenant generals"),
    ("major general", "major generals"),
    ("rear admiral of the Navy", "rear admirals of the Navy"),
    ("major general of the Air Force", "major generals of the Air Force"),
)
_CEREMONIES = ("talks", "ceremony", "photo session", "wreath-laying ceremony")


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _titled(w: Writer, count: int, sep: str = ", ") -> str:
    """``count`` people, each with his own (career) title, joined by ``sep`` and a final and."""
    blocks = [f"{name}, {w.career_title(name)}" for name in w.people(count)]
    if len(blocks) == 1:
        return blocks[0]
    return sep.join(blocks[:-1]) + f"{sep.rstrip()} and " + blocks[-1]


# --- listings (listings.md) -------------------------------------------------------------------


def l01(w: Writer) -> str:
    return f"Present there were {w.listing(2)}, and other officials concerned."


def l02(w: Writer) -> str:
    verb = w.rng.choice(
        ("was present at the meeting", "appeared on the platform", "took the tribune of honor")
    )
    return f"{w.leader()}, {verb}. Present there were {w.listing(1)}."


def l03(w: Writer) -> str:
    a, b = w.people(2)
    c = w.people(1)[0]
    opener = w.rng.choice(("Also present there were", "Also accompanying him were"))
    return (
        f"{opener} Vice-Premier {a}, Colonel General {b} and {c}, chairman of the "
        f"{w.place()} County Party Committee."
    )


def l04(w: Writer) -> str:
    return f"Present at the {w.rng.choice(_CEREMONIES)} were {_join(w.people(4))}."


def l05(w: Writer) -> str:
    if w.rng.random() < 0.5:
        (name,) = w.people(1)
        return (
            f"It was attended by {name}, vice-chairman of the Central Military Commission of the "
            "WPK, and members of the Commission."
        )
    a, b = w.people(2)
    return (
        f"The session was attended by members of the Cabinet, including Vice-premiers {a} and {b}."
    )


def l06(w: Writer) -> str:
    run = w.people(w.rng.randint(8, 14))
    a, b = w.people(2)
    return (
        f"Among the spectators were {', '.join(run)}, {a}, minister of Physical Culture and "
        f"Sports, and {b}, chairman of the {w.place()} Provincial Sports Committee, and "
        "sportspersons."
    )


def l07(w: Writer) -> str:
    if w.rng.random() < 0.5:
        return (
            f"The concert was appreciated by {_titled(w, 3, '; ')}, artistes and teachers in the "
            "field of arts."
        )
    return f"{_titled(w, 2)}, and officials concerned were on hand."


def l08(w: Writer) -> str:
    return w.rng.choice(
        (
            "Present there were members of the Central Military Commission of the WPK and "
            "commanding officers of the services and corps of the KPA.",
            "Members of the Presidium and members and alternate members of the Political Bureau "
            "guided the meetings of the provincial committees respectively.",
        )
    )


def l09(w: Writer) -> str:
    names = w.people(4)
    return (
        f"The platform was taken by {_join(names)}, members of the Presidium of the Political "
        f"Bureau of the {w.cc()}, and other senior officials of the Party and government."
    )


def l10(w: Writer) -> str:
    a, b = w.people(2)
    c, d, e = w.people(3)
    return (
        f"Seen on the platform were {a}, {w.career_title(a)}; Premier {b}, member of the "
        f"Presidium of the Political Bureau of the {w.cc()}. Also seen on the platform were {c}, "
        f"{d} and {e}, and members of the State Affairs Commission and vice-chairpersons of the "
        "SPA Standing Committee."
    )


def l11(w: Writer) -> str:
    a, b = w.people(2)
    (c,) = w.people(1)
    return (
        f"The tribune of honor and reviewing stands were taken by {a} and {b}, members of the "
        f"Presidium of the Political Bureau, {c}, vice-chairman of the Central Military "
        "Commission of the WPK, members and alternate members of the Political Bureau and "
        "veteran revolutionary fighters."
    )


def l12(w: Writer) -> str:
    (name,) = w.people(1)
    if w.rng.random() < 0.5:
        return (
            f"Upon authorization of the Political Bureau, {name}, member of the Presidium of the "
            f"Political Bureau and secretary of the {w.cc()}, presided over the meeting."
        )
    return f"The meeting was presided over by {name}, chairman of the SPA Standing Committee."


def l13(w: Writer) -> str:
    (name,) = w.people(1)
    if w.rng.random() < 0.5:  # Voice of Korea capitals (B7)
        return (
            f"It was guided by {name}, Member of the Presidium of the Political Bureau of the "
            "Central Committee of the WPK and Premier of the Cabinet."
        )
    return f"{name}, vice-premier of the Cabinet, guided the consultative meeting."


def l14(w: Writer) -> str:
    if w.rng.random() < 0.5:
        return f"He was accompanied by {_join(w.people(2))}."
    return (
        f"He was accompanied by {', '.join(w.people(5))} and other officials of the departments "
        f"of the {w.cc()}."
    )


def l15(w: Writer) -> str:
    return f"He was accompanied by {_titled(w, 3, '; ')}."


def l16(w: Writer) -> str:
    (head,) = w.people(1)
    return (
        f"Accompanying him were KPA Vice Marshal {head}, member of the Presidium of the Political "
        f"Bureau of the {w.cc()}; senior party and army officials {_join(w.people(4))}; and "
        "officials of the armed forces organs."
    )


def l17(w: Writer) -> str:
    a, b = w.foreign(2)
    return (
        f"He was greeted by {a}, deputy minister of Transport of {w.rng.choice(_COUNTRIES)}, {b}, "
        "governor of the region, and other officials who came to the border station to receive "
        "him."
    )


def l18(w: Writer) -> str:
    a, b = w.foreign(2)
    (envoy,) = w.people(1)
    return (
        f"Seen at the border station to greet the leader were {a}, secretary of the party "
        f"central committee, {b}, deputy foreign minister, and other officials. {envoy}, DPRK "
        f"ambassador to {w.rng.choice(_COUNTRIES)}, and members of his embassy were at the "
        "airport to greet him."
    )


def l19(w: Writer) -> str:
    a, b = w.people(2)
    (envoy,) = w.foreign(1)
    return (
        f"{a}, member of the Political Bureau of the {w.cc()}, saw the delegation off at the "
        f"airport. Among those who came out to see it off were {b}, vice-minister of Foreign "
        f"Affairs, and {envoy}, {w.rng.choice(_NATIONS)} ambassador to the DPRK, and his embassy "
        "staff."
    )


def l20(w: Writer) -> str:
    a, b = w.people(2)
    (f,) = w.foreign(1)
    return (
        f"Present at the talks from the DPRK side were {a}, member of the Political Bureau of "
        f"the {w.cc()} and minister of Foreign Affairs, and {b}, vice-minister of External "
        f"Economic Relations, and from the {w.rng.choice(_NATIONS)} side {f}, vice-minister of "
        "Foreign Affairs, and his suite."
    )


def l21(w: Writer) -> str:
    (f,) = w.foreign(1)
    nation = w.rng.choice(_NATIONS)
    return (
        f"Present there on invitation were members of the delegation of the {nation} youth union "
        f"led by {f}, its first secretary, and the {nation} ambassador and his staff. Present "
        f"there were {_titled(w, 2)}, and officials concerned."
    )


def l22(w: Writer) -> str:
    nation = w.rng.choice(_NATIONS)
    return (
        f"Invited to the banquet were the members of the {nation} delegation including "
        f"{_join(w.foreign(3))}, and staff of the {nation} embassy."
    )


def l23(w: Writer) -> str:
    a, b = w.foreign(2)
    nation = w.rng.choice(_NATIONS)
    return (
        f"Present there from the {nation} side were {a}, deputy prime minister, {b}, minister of "
        f"Economic Development, and the {nation} ambassador to the DPRK."
    )


def l24(w: Writer) -> str:
    a, b, c, d = w.people(4)
    (e,) = w.people(1)
    return (
        f"Present at the dinner were {a} and {b}, vice-chairmen of the {w.cc()}; {c} and {d}, "
        f"officials of the {w.cc()}; {e}, chairman of the Pyongyang Municipal People's "
        "Committee, and the visitors' suite."
    )


def l25(w: Writer) -> str:
    (late,) = w.people(1)
    members = w.people(w.rng.randint(30, 90))
    return (
        f"The notice said that the late {late} would be given a state funeral. The funeral "
        f"committee is formed with Kim Jong Un as its chairman and {_join(members)} as its "
        "members."
    )


def l26(w: Writer) -> str:
    (name,) = w.people(1)
    return (
        f"Present there were members of the funeral committee, {name}, vice-chairman of the "
        "General Association of Korean Residents in Japan, officials of Party and state organs "
        "and the bereaved family."
    )


def l27(w: Writer) -> str:
    a = w.people(1)[0]
    b = w.people(3)
    c = w.people(2)
    return (
        f"{a} was elected member of the Presidium of the Political Bureau, {_join(b)} members of "
        f"the Political Bureau, and {_join(c)} alternate members of the Political Bureau of the "
        "Party Central Committee to fill vacancies."
    )


def l28(w: Writer) -> str:
    a, b, c = w.people(3)
    return (
        f"Upon authorization, Deputy {a}, chairman of the Central Committee of the trade unions, "
        f"was by-elected chairman of the SPA. Deputies {b} and {c} were elected vice-chairpersons "
        "of the Credentials Committee."
    )


def l29(w: Writer) -> str:
    a, b, c, d = w.people(4)
    return (
        f"{a} was awarded the Order of Labour; {b} and {c} the title of Labour Hero and Gold "
        f"Medal (Hammer and Sickle); {d} a watch bearing the august name of the President."
    )


def l30(w: Writer) -> str:
    return (
        f"Present there were {_join(w.people(4))} who are members of the Presidium of the "
        f"Political Bureau of the {w.cc()}, and other leading officials."
    )


def l31(w: Writer) -> str:
    a, b, c = w.people(3)
    (hero,) = w.people(1)
    return (
        f"Also present there were a delegation of Korean residents in China headed by "
        f"Chairperson {a}, a congratulatory group from Japan headed by {b}, vice-chairman of its "
        f"central committee, and {c}, widow of the war hero {hero}."
    )


def l32(w: Writer) -> str:
    return (
        f"Present at the meeting were Vice-Premiers {_join(w.people(4))} and other members of "
        "the Cabinet."
    )


def l33(w: Writer) -> str:
    a, b = w.people(2)
    c, d = w.people(2)
    return (
        f"Present there were {a} and {b}, secretaries of the {w.cc()}, {c}, chief secretary of "
        f"the Pyongyang Municipal Committee of the WPK, {d}, vice-premier of the Cabinet, "
        "officials of working people's organizations and youth and students."
    )


def l34(w: Writer) -> str:
    return (
        f"Present at the meeting were {_join(w.people(2))} and other senior officials of the "
        "Party, state and army, the chairman of a friendly party, officials of ministries and "
        "bereaved families of martyrs."
    )


def l35(w: Writer) -> str:
    a, b = w.foreign(2)
    (fighter,) = w.people(1)
    return (
        f"Flower baskets were sent by the Friendship Society of {w.rng.choice(_COUNTRIES)}, {a} "
        f"and {b}, members of the foundation, and the family of {fighter}, an anti-Japanese "
        "fighter."
    )


def l36(w: Writer) -> str:
    return w.rng.choice(
        (
            "A report was made at the meeting. The speaker said that the year's plan had been "
            "carried out in every field.",
            "A speech was made at the ceremony. The speaker said that the new houses were a gift "
            "of the Party.",
        )
    )


LISTINGS: tuple[tuple[str, Form], ...] = tuple(
    (f"L{n:02d}", fn)
    for n, fn in enumerate(
        (l01, l02, l03, l04, l05, l06, l07, l08, l09, l10, l11, l12, l13, l14, l15, l16, l17, l18,
         l19, l20, l21, l22, l23, l24, l25, l26, l27, l28, l29, l30, l31, l32, l33, l34, l35, l36),
        start=1,
    )
)  # fmt: skip


# --- personnel changes and awards (changes-titles-events.md, part A) ---------------------------


def a01(w: Writer) -> str:
    return (
        "The session took up the following agenda items: the work of the Cabinet for last year, "
        "the state budget, a law on seed management and an organizational matter."
    )


def a02(w: Writer) -> str:
    return w.rng.choice(
        (
            "The plenary meeting recalled and elected to fill vacancies several judges of the "
            "Central Court.",
            "The enlarged meeting dealt with the organizational matter of dismissing, "
            "transferring and appointing commanders of some corps-level units.",
        )
    )


def a03(w: Writer) -> str:
    (name,) = w.people(1)
    return (
        f"With the approval of the WPK Central Committee, Deputy {name}, chairman of the Central "
        "Committee of the Union of Agricultural Workers of Korea, was by-elected vice-chairman of "
        "the SPA."
    )


def a04(w: Writer) -> str:
    return (
        f"{_join(w.people(2))} were elected secretaries of the Party Central Committee, and "
        f"{w.people(1)[0]} a member of the Political Bureau."
    )


def a05(w: Writer) -> str:
    a, b, c = w.people(3)
    return (
        f"The session elected Deputy {a} as chairman of the SPA Budget Committee and Deputies "
        f"{b} and {c} as its vice-chairpersons."
    )


def a06(w: Writer) -> str:
    return (
        "The session proclaimed that the respected Comrade Kim Jong Un, who has led the country "
        "through trying years, was elected president of the State Affairs of the DPRK."
    )


def a07(w: Writer) -> str:
    return (
        "The provincial party conferences elected Kim Jong Un as a delegate to the coming "
        "congress. They also elected model workers and veteran officials as delegates and "
        "observers to the congress."
    )


def a08(w: Writer) -> str:
    (name,) = w.people(1)
    return (
        f"The Political Bureau decided to relieve {name} of all his posts including alternate "
        "member of the Political Bureau and director of a department of the Party Central "
        "Committee, for his illness."
    )


def a09(w: Writer) -> str:
    old, new = w.people(2)
    ministry = w.ministry()
    return (
        f"Kim Jong Un relieved the minister of {ministry} of his post and appointed a new "
        f"minister. A decree of the State Affairs Commission on it was made public on "
        f"{w.weekday()}. {old} was relieved from the post of minister of {ministry} and {new} "
        "appointed as new minister, according to the decree."
    )


def a10(w: Writer) -> str:
    (name,) = w.people(1)
    return (
        f"{name} was appointed DPRK ambassador to {w.rng.choice(_COUNTRIES)}, according to a "
        "decree of the Standing Committee of the Supreme People's Assembly."
    )


def a11(w: Writer) -> str:
    (high, highs), (low, lows) = w.rng.sample(_RANKS, 2)
    a, b = w.people(2)
    (c,) = w.people(1)
    return (
        f"Kim Jong Un issued Order No. {w.rng.randint(1, 99):03d} on promoting the military "
        "ranks of commanding officers of the KPA on the occasion of the anniversary of the "
        f"founding of the army. According to the order, the military ranks of {a} and {b} have "
        f"been promoted to {highs} and those of {c} and {w.rng.randint(5, 40)} others to {lows}. "
        f"The rank of {high} was conferred on {w.people(1)[0]}, and that of {low} on "
        f"{w.people(1)[0]}."
    )


def a12(w: Writer) -> str:
    (name,) = w.people(1)
    return (
        f"The title of Vice Marshal of the KPA was awarded to {name}, a veteran commander. A "
        "relevant decree of the WPK Central Committee, the Central Military Commission of the "
        f"WPK and the State Affairs Commission was issued on {w.weekday()}."
    )


def a13(w: Writer) -> str:
    (name,) = w.people(1)
    return (
        f"The title of DPRK Labour Hero was awarded to {name}, former shift leader of the No. "
        f"{w.rng.randint(1, 9)} pit of the {w.unit()}. He was also honored with Gold Medal "
        "(Hammer and Sickle) and the Order of National Flag First Class. A decree of the "
        f"Standing Committee of the SPA on the conferment was issued on {w.weekday()}."
    )


def a14(w: Writer) -> str:
    first, second = w.rng.sample(_HONOURS, 2)
    return (
        f"{first[0].upper()}{first[1:]} was conferred on {_join(w.people(2))}, and {second} on "
        f"{_join(w.people(3))}."
    )


def a15(w: Writer) -> str:
    a, b, c, d = w.people(4)
    return (
        f"The title of Merited Teacher went to {a} and that of Merited Doctor to {b}. "
        f"{w.rng.randint(12, 90)} people including {c} and {d} were awarded the Order of Labour."
    )


def a16(w: Writer) -> str:
    return (
        "He personally conferred on the contributors orders of the first class and citations "
        "bearing his title as chairman of the State Affairs Commission."
    )


def a17(w: Writer) -> str:
    (f,) = w.foreign(1)
    return (
        f"Order of DPRK Friendship First Class was awarded to {f}, chairman of a national society "
        f"for the study of the Juche idea in {w.rng.choice(_COUNTRIES)}, and friendship medal on "
        f"{w.rng.choice(('six', 'seven', 'eleven'))} others."
    )


def a18(w: Writer) -> str:
    thing = w.rng.choice(("the patrol boat", "the launch vehicle"))
    return (
        f"The title of DPRK Hero and Gold Star Medal was conferred on {thing} No. "
        f"{w.rng.randint(100, 999)} for its feats in defending the country."
    )


def a19(w: Writer) -> str:
    (name,) = w.people(1)
    return (
        f"The title of DPRK Hero was conferred posthumously on {name}, a squad leader who died "
        "shielding his comrades during an exercise. His mother received the Gold Star Medal in "
        "his place."
    )


def a20(w: Writer) -> str:
    # the same person carries another title in another year: career_title depends on the year
    (name,) = w.people(1)
    return f"{name}, {w.career_title(name)}, made a report to be followed by speeches."


def a21(w: Writer) -> str:
    return (
        "A presidium of the session was formed with members of the Political Bureau and took "
        "the platform. The meeting approved the proposed make-up of the congress secretariat."
    )


CHANGES: tuple[tuple[str, Form], ...] = tuple(
    (f"A{n:02d}", fn)
    for n, fn in enumerate(
        (a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, a13, a14, a15, a16, a17, a18,
         a19, a20, a21),
        start=1,
    )
)  # fmt: skip


# --- title shapes (part B) and event names (part C) -------------------------------------------


def b_before(w: Writer) -> str:
    a, b = w.people(2)
    return (
        f"Premier {a.split()[0]} stressed that the Cabinet would answer for the plan. Colonel "
        f"General of the KPA {b}, member of the Central Military Commission and chief of the "
        "General Staff, spoke first."
    )


def b_who_is(w: Writer) -> str:
    a, b = w.people(2)
    return (
        f"Premier {a}, who is also member of the Presidium of the Political Bureau, informed the "
        f"participants of the tasks. {b}, vice-chairman of the Central Military Commission of "
        "the WPK, and its members were present."
    )


def b_foreign(w: Writer) -> str:
    a, b = w.foreign(2)
    return (
        f"Foreign Minister of the Russian Federation {a} and {b}, president of a friendly "
        "republic, were received."
    )


def b_semicolons(w: Writer) -> str:
    a, b, c = w.people(3)
    return (
        f"Present there were Deputy {a}, vice-chairman of the SPA; {b}, its secretary general; "
        f"{c}, Presidium member of the Political Bureau and secretary for Organizational Affairs "
        "of the WPK Central Committee; and members of its Standing Committee."
    )


def b_epithets(w: Writer) -> str:
    return (
        "The participants paid tribute to President Kim Il Sung and Chairman Kim Jong Il, the "
        "eternal leaders of the Party and revolution, and renewed their pledge to the respected "
        "Comrade Kim Jong Un."
    )


def c_decision(w: Writer) -> str:
    return (
        f"The Political Bureau of the {w.cc()} decided to convene the {w.event()[0]} in the last "
        f"ten days of {w.month()}. The relevant decision was made public on {w.weekday()}."
    )


def c_reference(w: Writer) -> str:
    return (
        f"The meeting reviewed how the decisions of the {w.event()[0]} had been carried out "
        f"since the {w.rng.choice(('8th Congress of the WPK', 'Eighth Party Congress'))}."
    )


def c_sitting(w: Writer) -> str:
    day = w.rng.choice(("second", "third", "fourth"))
    return (
        f"The {day}-day sitting of the {w.event()[0]}, held on {w.weekday()}, heard speeches on "
        "agriculture. The sectional consultative meetings will continue tomorrow, too."
    )


def c_enlarged(w: Writer) -> str:
    ordinal = w.rng.choice(("Fifth", "Sixth", "Ninth", "10th", "11th"))
    return (
        f"An enlarged meeting of the {ordinal} Plenary Meeting of the 8th Central Committee of "
        "the WPK was held, and the enlarged plenary meeting of the Cabinet followed it."
    )


TITLES_EVENTS: tuple[tuple[str, Form], ...] = (
    ("B1 before name", b_before),
    ("B1 who is", b_who_is),
    ("B1 foreign", b_foreign),
    ("B3 semicolons", b_semicolons),
    ("B6 epithets", b_epithets),
    ("C5 decision", c_decision),
    ("C6 reference", c_reference),
    ("C4 sitting", c_sitting),
    ("C3 enlarged", c_enlarged),
)
