"""Write a synthetic KCNA-style corpus for timing: `python scripts/make_bench_corpus.py N OUT`.

N documents and a valid manifest.csv go into the folder OUT (a seeds folder for
`dprk-records build --seeds OUT`). The same N and --seed always give the same bytes. The corpus is
for benchmarks only: never commit it, never use it as seeds of the package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# maintainers' tooling lives in tools/, outside the wheel
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from dprk_records_tools.bench.corpus import DEFAULT_SEED, write_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of documents")
    parser.add_argument(
        "out", type=Path, help="folder to write (created; must hold no other texts)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("N must be at least 1")
    paths = write_corpus(args.count, args.out, args.seed)
    print(f"wrote {len(paths)} documents and manifest.csv to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
