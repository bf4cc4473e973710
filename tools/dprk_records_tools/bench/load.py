"""Warm load times of one table, printed as JSON: run in a child process by the benchmark.

    python -m dprk_records_tools.bench.load PACKAGE TABLE REPS [PARQUET_PACKAGE]

Each way of loading runs once unmeasured (imports, OS file cache), then ``REPS`` times; the
medians in milliseconds are printed: ``to_pandas`` and ``read`` (the loader) and ``read_csv``
(``pandas.read_csv`` of the same CSV file, default options). With ``PARQUET_PACKAGE`` (the same
corpus built with ``--format csv,parquet``) also ``to_pandas_parquet``: the loader's
``to_pandas`` of that package, which reads the table's Parquet copy -- left out when the loader
would read the CSV instead (no pyarrow, or a copy it does not take), so the figure never passes
off a CSV read as a Parquet one.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def reads_parquet(pkg: Any, table: str) -> bool:
    """Whether the loader's ``to_pandas`` of ``table`` takes its Parquet copy (it falls back
    to the CSV silently, giving the same frame, so only the loader itself can tell)."""
    return pkg._frame_from_parquet(table) is not None


def load_times(
    package: Path, table: str, reps: int, parquet_package: Path | None = None
) -> dict[str, float]:
    """Warm medians (ms) of the loader's DataFrame and rows and of pandas.read_csv, and of the
    loader's DataFrame from the Parquet copy in ``parquet_package`` when it is read."""
    import pandas

    import dprk_records

    pkg = dprk_records.open(path=package)
    resource = next(r for r in pkg.descriptor["resources"] if r.get("name") == table)
    csv_path = pkg.path / resource["path"]
    # interleaved, so that drifting machine load falls on all alike
    loads: dict[str, Callable[[], Any]] = {
        "to_pandas": lambda: pkg.to_pandas(table),
        "read_csv": lambda: pandas.read_csv(csv_path),
        "read": lambda: pkg.read(table),
    }
    if parquet_package is not None:
        columnar = dprk_records.open(path=parquet_package)
        if reads_parquet(columnar, table):
            loads["to_pandas_parquet"] = lambda: columnar.to_pandas(table)
        else:
            print(f"{parquet_package}: to_pandas({table!r}) reads no Parquet copy", file=sys.stderr)
    times: dict[str, list[float]] = {name: [] for name in loads}
    for load in loads.values():
        load()
    for _ in range(reps):
        for name, load in loads.items():
            started = time.perf_counter()
            load()
            times[name].append(1000 * (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    package, table, reps, *parquet = argv or sys.argv[1:]
    parquet_package = Path(parquet[0]) if parquet else None
    print(json.dumps(load_times(Path(package), table, int(reps), parquet_package)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
