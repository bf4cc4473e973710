"""Print the fault-injection table: every corruption, the check meant to catch it, and what did.

Usage::

    python scripts/fault_report.py [--seeds seeds]

Builds the package from the seeds into a temporary folder, runs every corruption of
dprk_records_tools.faults.cases in its own throwaway checkout, prints a Markdown table and the catch
rate, and exits 1 unless every corruption that ran was caught by its intended check.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

# maintainers' tooling lives in tools/, outside the wheel
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from dprk_records.pipeline.build import build
from dprk_records_tools.faults.runner import render_table, run_all

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO / "seeds", help="seeds folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dprk-faults-") as tmp:
        package = build(args.seeds, Path(tmp) / "built", environ={}).out_dir
        outcomes = run_all(package, REPO, Path(tmp) / "cases")
    sys.stdout.write(render_table(outcomes))
    return 0 if all(o.caught for o in outcomes if not o.skipped) else 1


if __name__ == "__main__":
    sys.exit(main())
