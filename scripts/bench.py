"""Benchmark build, validation and loading at 100, 1 000 and 10 000 documents into BENCHMARKS.md.

    python scripts/bench.py [--sizes 100 1000 10000] [--reps 5 5 3] [--work DIR] [--out FILE]

Run it through `nox -s bench` (an environment with the [build] and [pandas] extras). Corpora are
synthetic (scripts/make_bench_corpus.py), written under --work, and never committed. The text of
BENCHMARKS.md between its bench markers is replaced; the rest (analysis) is kept.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--reps", type=int, nargs="+", default=[5, 5, 3], help="one per size")
    parser.add_argument("--work", type=Path, default=Path(".bench"), help="corpora go here")
    parser.add_argument("--out", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if len(args.reps) != len(args.sizes):
        parser.error("give one --reps value per size")
    report = run_bench(
        args.sizes, dict(zip(args.sizes, args.reps, strict=True)), args.work, args.seed
    )
    document = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmarks\n"
    args.out.write_text(replace_results(document, render_results(report)), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
