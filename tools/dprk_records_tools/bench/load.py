"""Warm load times of one table, printed as JSON: run in a child process by the benchmark.

    python -m dprk_records_tools.bench.load PACKAGE TABLE REPS

Each way of loading runs once unmeasured (imports, OS file cache), then ``REPS`` times; the
medians in milliseconds are printed: ``to_pandas`` and ``read`` (the loader) and ``read_csv``
(``pandas.read_csv`` of the same CSV file, default options).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def load_times(package: Path, table: str, reps: int) -> dict[str, float]:
    """Warm medians (ms) of the loader's DataFrame and rows and of pandas.read_csv."""
    import pandas

    import dprk_records

    pkg = dprk_records.open(path=package)
    resource = next(r for r in pkg.descriptor["resources"] if r.get("name") == table)
    csv_path = pkg.path / resource["path"]
    # interleaved, so that drifting machine load falls on all three alike
    times: dict[str, list[float]] = {"to_pandas": [], "read_csv": [], "read": []}
    loads: dict[str, Callable[[], Any]] = {
        "to_pandas": lambda: pkg.to_pandas(table),
        "read_csv": lambda: pandas.read_csv(csv_path),
        "read": lambda: pkg.read(table),
    }
    for load in loads.values():
        load()
    for _ in range(reps):
        for name, load in loads.items():
            started = time.perf_counter()
            load()
            times[name].append(1000 * (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    package, table, reps = argv or sys.argv[1:]
    print(json.dumps(load_times(Path(package), table, int(reps))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
