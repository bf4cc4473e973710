"""The loader reads what the pipeline writes: every table of a fresh build, typed, hash-checked."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import dprk_records
from dprk_records.loader.package import Package

PYTHON_TYPES = {
    "integer": int,
    "year": int,
    "number": float,
    "boolean": bool,
    "string": str,
    "date": dt.date,
    "datetime": dt.datetime,
}


def test_every_table_of_a_fresh_build_loads_with_its_schema_types(built_package: Path) -> None:
    pkg = Package(built_package)
    assert pkg.tables, "the build has no table resources"
    for name in pkg.tables:
        rows = pkg.read(name)
        with open(built_package / "data" / f"{name}.csv", encoding="utf-8", newline="") as handle:
            assert len(rows) == sum(1 for _ in csv.reader(handle)) - 1, name
        for field in pkg.schema(name)["fields"]:
            expected = PYTHON_TYPES.get(field["type"])
            values = [row[field["name"]] for row in rows if row[field["name"]] is not None]
            if expected is not None:
                assert all(type(v) is expected for v in values), (name, field["name"])
    summary = dprk_records.info(path=built_package)
    assert set(summary["tables"]) == set(pkg.tables)
    assert "rows" in dprk_records.format_info(summary)
