"""Benchmark build, validation and loading at 1 000 and 10 000 documents into BENCHMARKS.md.

    python scripts/bench.py [--sizes 1000,10000[,100000]] [--reps 5,3] [--work DIR] [--out FILE]

Run it through `nox -s bench` (an environment with the [build] and [pandas] extras; pass options
after `--`: `nox -s bench -- --sizes 1000,10000,100000`). 100 000 documents (about 0.8 GB of
text, hours of builds) is opt-in. Corpora are synthetic (scripts/make_bench_corpus.py), written
under --work, and never committed. The text of BENCHMARKS.md between its bench markers is
replaced; the rest (analysis) is kept.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# maintainers' tooling lives in tools/, outside the wheel
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from dprk_records_tools.bench.corpus import DEFAULT_SEED
from dprk_records_tools.bench.report import render_results, replace_results
from dprk_records_tools.bench.run import run_bench

DEFAULT_SIZES = [1000, 10000]


def default_reps(documents: int) -> int:
    """Repetitions of each timed command: fewer as a build gets longer."""
    if documents <= 1000:
        return 5
    if documents <= 10000:
        return 3
    return 1


def number_list(text: str) -> list[int]:
    """ "1000,10000" or "1000 10000" (one argument) -> [1000, 10000]."""
    try:
        numbers = [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of whole numbers: {text!r}") from None
    if not numbers or min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"give numbers of at least 1: {text!r}")
    return numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=number_list,
        nargs="+",
        default=[DEFAULT_SIZES],
        help="corpus sizes, e.g. 1000,10000,100000 (default 1000,10000)",
    )
    parser.add_argument(
        "--reps",
        type=number_list,
        nargs="+",
        help="repetitions, one per size (default 5 up to 1 000 documents, 3 up to 10 000, then 1)",
    )
    parser.add_argument("--work", type=Path, default=Path(".bench"), help="corpora go here")
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    sizes = [n for group in args.sizes for n in group]
    reps = [n for group in args.reps for n in group] if args.reps else None
    if reps is None:
        reps = [default_reps(n) for n in sizes]
    if len(reps) != len(sizes):
        parser.error("give one --reps value per size")
    report = run_bench(sizes, dict(zip(sizes, reps, strict=True)), args.work, args.seed)
    document = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmarks\n"
    args.out.write_text(replace_results(document, render_results(report)), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
