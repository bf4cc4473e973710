"""Small editors for a package folder: CSV tables as lists of dicts, the descriptor as a dict.

Every table rewrite also refreshes that table's ``bytes`` and ``hash`` in the descriptor, so a
corruption looks like what a buggy pipeline would write -- consistent on the surface -- and only
the check aimed at it can notice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Row = dict[str, str]


def read_descriptor(package: Path) -> dict[str, Any]:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))


def write_descriptor(package: Path, descriptor: dict[str, Any]) -> None:
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (package / "datapackage.json").write_text(text, encoding="utf-8")


def edit_descriptor(package: Path, change: Callable[[dict[str, Any]], object]) -> None:
    descriptor = read_descriptor(package)
    change(descriptor)
    write_descriptor(package, descriptor)


def table_resource(descriptor: dict[str, Any], table: str) -> dict[str, Any]:
    return next(r for r in descriptor["resources"] if r.get("name") == table)


def read_table(package: Path, table: str) -> tuple[list[str], list[Row]]:
    """Column names and rows (cells as text) of a table."""
    text = (package / "data" / f"{table}.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), list(reader)


def rehash(package: Path, table: str) -> None:
    """Refresh the descriptor's bytes and sha256 of a table's CSV file."""
    data = (package / "data" / f"{table}.csv").read_bytes()

    def update(descriptor: dict[str, Any]) -> None:
        resource = table_resource(descriptor, table)
        resource["bytes"] = len(data)
        resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"

    edit_descriptor(package, update)


def write_table(package: Path, table: str, columns: list[str], rows: list[Row]) -> None:
    """Rewrite a table in the package's CSV format and re-hash it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    writer.writerows([row.get(column, "") for column in columns] for row in rows)
    (package / "data" / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8")
    rehash(package, table)


def edit_rows(package: Path, table: str, change: Callable[[list[Row]], object]) -> None:
    """Read a table, let ``change`` edit its rows in place, write it back re-hashed."""
    columns, rows = read_table(package, table)
    change(rows)
    write_table(package, table, columns, rows)
