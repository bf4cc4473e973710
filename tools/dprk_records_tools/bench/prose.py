"""Paragraphs of the genre, for the long speeches and reports of the benchmark corpus.

Why: real items of 20-60 KB are speeches and reports of many distinct paragraphs, and the
pipeline's cost per byte depends on what those paragraphs hold (sentence count, names, figures,
quoted titles), not on their length alone. Each paragraph here is 3 to 6 sentences drawn from
templates with slots filled from the pools (units, places, figures, years, people), so a 60 KB
speech repeats no paragraph. The wording is new, in the manner of the genre; no sentence is taken
from a real text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dprk_records_tools.bench.corpus import Writer

_SECTORS = (
    "the metal industry",
    "the chemical industry",
    "the power industry",
    "the coal industry",
    "agriculture",
    "the fishing industry",
    "light industry",
    "the building-materials industry",
    "railway transport",
    "public health",
    "education",
    "the forestry sector",
)
_GOALS = (
    "modernizing the production processes",
    "raising the quality of consumer goods",
    "increasing grain production",
    "saving electricity and materials",
    "training technical personnel",
    "improving the supply of raw materials",
    "building modern houses in the rural areas",
    "protecting the land and environment",
)
_FAULTS = (
    "the practice of doing things in a perfunctory manner",
    "defeatism and passivity",
    "the habit of relying on others",
    "formalism in the Party work",
    "bureaucratism and irresponsibility",
    "the failure to keep accounts of materials strictly",
)

_REPORT = (
    "The reporter said that {unit} had increased its output {pct} percent over the previous year "
    "by {goal}.",
    "He noted that the officials of {sector} had failed to take measures against {fault}, which "
    "held back the fulfilment of the plan.",
    "The report stressed the need for all the sectors and units to concentrate efforts on {goal}.",
    "It said that {n} new production lines had been built in {place} County and that they were "
    "working at full capacity.",
    "The speakers from {unit} said that they had found hidden reserves and put them to use.",
    "It was pointed out that the {year} plan for {sector} had been fulfilled ahead of schedule.",
    "The report analyzed the causes of the shortcomings revealed in {sector} in the first half "
    "of the year.",
    "It called on the Party organizations to wage an uncompromising struggle against {fault}.",
    "He said that the workers of {unit} had produced more than {fig} tons of goods, {pct} "
    "percent of the plan.",
    "The meeting noted that {n} farms of {province} Province had topped their grain plans.",
    "The reporter referred to the experience of {person}, a team leader who had built a new "
    "machine with the help of the technicians.",
    "It was stressed that {sector} should be put on a scientific footing by {goal}.",
    "The report said that the country had a firm base for {goal} after the efforts of the last "
    "{n} years.",
    "He called for a campaign for {goal} to be waged across {sector} until the end of {year}.",
    "The speakers stressed that the decisions of the meeting should be carried out to the letter "
    "in {province} Province.",
    "It was noted that {unit} had cut the consumption of electricity by {n} percent.",
    "The reporter noted that the task of {goal} remained unfulfilled in some units of {sector}.",
    "He said that the officials should go down to {unit} and solve its problems on the spot.",
)
_SPEECH = (
    "Comrades, our work in {sector} this year was not free from shortcomings.",
    "We must never tolerate {fault}, which does great harm to our cause.",
    "The main task before us is {goal}, and it brooks no delay.",
    "I want to mention the workers of {unit}, who did a great deal with their own efforts.",
    "Last year we learned that a plan means nothing unless it is carried out in every unit.",
    "All the officials should go down to the production sites and share weal and woe with the "
    "workers.",
    "This year we should increase the production of {sector} by {pct} percent and more.",
    "Comrades, {goal} is a matter that decides the future of our country.",
    "The experience of {unit} shows what can be done when people are trusted and helped.",
    "We have built {n} new factories in {province} Province in the last {n2} years, and this is "
    "only the beginning.",
    "Some officials are still guilty of {fault}; we must root it out this year.",
    "I believe that the cell secretaries of {sector} will fulfil their duties with devotion.",
    "Let us make {year} a year of new advance in {sector}.",
    "We should not forget the feats of {person} and of all those who worked like him.",
    "Our people deserve better living conditions, and it is our duty to provide them.",
    "The Party Central Committee will watch closely how the tasks of {goal} are carried out.",
)


def _fill(w: Writer, template: str) -> str:
    rng = w.rng
    return template.format(
        unit=f"the {rng.choice(w.pools.enterprises)}",
        sector=rng.choice(_SECTORS),
        goal=rng.choice(_GOALS),
        fault=rng.choice(_FAULTS),
        pct=rng.randint(101, 180),
        n=rng.randint(3, 60),
        n2=rng.randint(2, 10),
        fig=f"{rng.randrange(1000, 90000, 100):,}".replace(",", " "),
        year=w.published.year,
        place=rng.choice(w.pools.places),
        province=w.province(),
        person=w.people(1)[0],
    )


def paragraph(w: Writer, genre: str) -> str:
    """One paragraph of 3 to 6 sentences of a report (``"report"``) or speech (``"speech"``)."""
    templates = _SPEECH if genre == "speech" else _REPORT
    picked = w.rng.sample(templates, w.rng.randint(3, 6))
    return " ".join(_fill(w, t) for t in picked)


def pad(w: Writer, genre: str, have: int, target: int) -> list[str]:
    """Distinct paragraphs adding up to about ``target - have`` characters (none if reached)."""
    out: list[str] = []
    seen: set[str] = set()
    while have < target:
        text = paragraph(w, genre)
        if text in seen:
            continue
        seen.add(text)
        out.append(text)
        have += len(text) + 2
    return out
