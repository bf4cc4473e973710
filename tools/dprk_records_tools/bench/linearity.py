"""How extraction's time grows with a sentence's length: long lists of names, timed at two sizes.

Why: the archive holds sentences the corpus documents do not, such as a platform of two hundred
titled officials or the list of every member a plenary meeting elected, and a rule that re-reads
the sentence once for each name in it costs time that grows with the square of the list. The
corpus's documents, whose lists are short, do not show it; these probes do. Each probe is one
document holding one long sentence (or a run of short ones) of a catalogue form, with names and
titles from the corpus pools, made at ``small`` and at ``large`` names; the CPU time of
normalizing and extracting it (best of a few runs, in this process) per character at each size,
and their ratio, say whether the rules read it in linear time (a ratio near 1) or not (a ratio
that grows with the sizes, 8 for a quadratic rule at 8 times the names).

Run: ``python -m dprk_records_tools.bench.linearity [SMALL LARGE]`` prints JSON; ``nox -s bench``
runs it in a child process and writes the table into BENCHMARKS.md.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from dprk_records_tools.bench.corpus import _CAREER, DEFAULT_SEED, make_pools

SMALL_NAMES = 50
LARGE_NAMES = 400
RUNS = 7

# the long titles of central posts ("... of the Central Committee of the Workers' Party of
# Korea") that most of a platform's names carry, each with head words ("Committee") a unit
# rule has to look at and let go
_CENTRAL_TITLES = (
    "member of the Presidium of the Political Bureau of the Central Committee of the Workers' "
    "Party of Korea",
    "alternate member of the Political Bureau of the Central Committee of the Workers' Party of "
    "Korea",
    "department director of the Central Committee of the Workers' Party of Korea",
    "vice-premier of the Cabinet",
)
_HEAD = "Meeting Held\n\nPyongyang, April 7 (KCNA) -- A meeting was held on April 6.\n\n"


def _names(count: int, seed: int) -> list[str]:
    people = make_pools(seed).people
    return random.Random(f"linearity-{seed}").sample(people, count)


def _with_titles(names: list[str], titles: tuple[str, ...], separator: str) -> str:
    """Each name with a title after it, the titles drawn by the list's length."""
    rng = random.Random(len(names))
    return separator.join(f"{name}, {rng.choice(titles)}" for name in names)


def _titled(names: list[str]) -> str:
    listed = _with_titles(names, _CENTRAL_TITLES, ", ")
    return f"Taking the platform were {listed}, and other officials."


def _elected(names: list[str]) -> str:
    return (
        "Elected as members of the Central Committee of the Workers' Party of Korea were "
        + ", ".join(names[:-1])
        + f" and {names[-1]}."
    )


def _present(names: list[str]) -> str:
    return "Present there were " + ", ".join(names) + " and officials concerned."


def _awarded(names: list[str]) -> str:
    return f"The title of Labour Hero was awarded to {_with_titles(names, _CAREER, '; ')}."


def _sentences(names: list[str]) -> str:
    rng = random.Random(len(names))
    return " ".join(f"{name}, {rng.choice(_CAREER)}, made a speech." for name in names)


PROBES: dict[str, Callable[[list[str]], str]] = {
    "platform of titled names": _titled,
    "elected members": _elected,
    "present there were": _present,
    "award list, semicolons": _awarded,
    "one speaker a sentence": _sentences,
}
"""Each probe's paragraph from its names (the catalogue's forms L12, A-fronted, L01, A-award)."""


@dataclass(frozen=True)
class ProbeResult:
    """One probe at the two sizes: characters, milliseconds and microseconds a character."""

    probe: str
    small_names: int
    large_names: int
    small_chars: int
    large_chars: int
    small_ms: float
    large_ms: float

    @property
    def small_us_per_char(self) -> float:
        return 1000 * self.small_ms / self.small_chars

    @property
    def large_us_per_char(self) -> float:
        return 1000 * self.large_ms / self.large_chars

    @property
    def growth(self) -> float:
        """How much more a character costs at the large size than at the small one."""
        return self.large_us_per_char / self.small_us_per_char


def _time_text(text: str) -> float:
    """Best CPU milliseconds of normalizing and extracting ``text`` as one document."""
    from dprk_records.pipeline.extract.extractor import extract
    from dprk_records.pipeline.prepare import prepare
    from dprk_records.pipeline.read import SourceDocument

    source = SourceDocument("probe_0000000000000000", "probe.txt", text, "0" * 64, None)
    best = float("inf")
    for _ in range(RUNS):
        started = time.process_time()
        extract(prepare(source))
        best = min(best, time.process_time() - started)
    return 1000 * best


def run_probes(
    small: int = SMALL_NAMES, large: int = LARGE_NAMES, seed: int = DEFAULT_SEED
) -> list[ProbeResult]:
    """Every probe at ``small`` and ``large`` names, with the collector as a build runs it."""
    from dprk_records.pipeline.pool import fewer_collections

    results = []
    with fewer_collections():
        for probe, paragraph in PROBES.items():
            texts = [_HEAD + paragraph(_names(count, seed)) + "\n" for count in (small, large)]
            small_ms, large_ms = (_time_text(text) for text in texts)
            results.append(
                ProbeResult(probe, small, large, len(texts[0]), len(texts[1]), small_ms, large_ms)
            )
    return results


def main(argv: list[str]) -> int:
    small, large = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (SMALL_NAMES, LARGE_NAMES)
    print(json.dumps([asdict(result) for result in run_probes(small, large)]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
