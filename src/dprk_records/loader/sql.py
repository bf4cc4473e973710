"""Loading a package into DuckDB or SQLite, every table typed and keyed by its Table Schema.

Tables are created with :mod:`.ddl` and loaded in :func:`~.relations.table_order` (referenced
tables first), with values already typed by the loader, so neither engine guesses a type.

- DuckDB gets pyarrow tables built with the schema's types (:mod:`.arrow`). DuckDB checks a
  foreign key against the rows already in the table, including a table's reference to itself
  (``events.parent_event_id``, ``organizations.parent_org_id``), so such a table is loaded in
  :func:`~.relations.self_reference_waves` (parents before children); its row order may then
  differ from the CSV's, which SQL does not promise anyway: use ORDER BY. A row that refers to
  itself cannot be loaded into DuckDB at all and is reported as an ExportError.
- SQLite gets parameterized ``executemany`` rows (booleans 0/1, dates ISO text), in CSV order.
  Its foreign keys are declared but enforced only on connections that turn them on, so the
  load ends with ``PRAGMA foreign_key_check`` and refuses a package that breaks one.

Each database also gets :data:`~.ddl.MARKER_TABLE`, whose ``dprk_records_version`` row marks it
as the exporter's own (:mod:`.export` overwrites nothing else).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprk_records.loader.ddl import MARKER_TABLE, create_marker_table, create_table, quote
from dprk_records.loader.errors import ExportError, MissingExtraError
from dprk_records.loader.relations import foreign_keys, self_reference_waves, table_order

if TYPE_CHECKING:
    import duckdb

    from dprk_records.loader.package import Package

SQLITE_STRICT = sqlite3.sqlite_version_info >= (3, 37, 0)
"""Whether this SQLite library has STRICT tables (which refuse a value of another type)."""


def import_duckdb() -> Any:
    """Import duckdb (and check pyarrow, which the load goes through), or say which extra to
    install."""
    try:
        import duckdb
    except ImportError as exc:
        raise MissingExtraError(
            "exporting to DuckDB needs duckdb, which is not installed. "
            'Install it with: pip install "dprk-records[sql]" '
            "(or export to SQLite, which needs nothing else)."
        ) from exc
    from dprk_records.loader.arrow import import_pyarrow

    import_pyarrow()
    return duckdb


def marker_rows(package: Package, fmt: str) -> list[tuple[str, str]]:
    """The (key, value) rows of the marker table: who wrote the file, from which data."""
    from dprk_records.__about__ import __version__

    return [
        ("dprk_records_version", __version__),
        ("format", fmt),
        ("data_version", package.version or ""),
        ("package", str(package.descriptor.get("name") or "")),
        ("tables", ",".join(package.tables)),
    ]


def _schemas(package: Package) -> dict[str, Mapping[str, Any]]:
    return {name: package.schema(name) for name in package.tables}


# -- DuckDB ---------------------------------------------------------------------------------------


def load_duckdb(package: Package, con: duckdb.DuckDBPyConnection) -> None:
    """Create and fill every table of *package* (and the marker table) in an open DuckDB."""
    from dprk_records.loader.arrow import arrow_table

    duckdb = import_duckdb()
    schemas = _schemas(package)
    con.execute(create_marker_table("duckdb"))
    con.executemany(
        f"INSERT INTO {quote(MARKER_TABLE)} VALUES (?, ?)", marker_rows(package, "duckdb")
    )
    for name in table_order(schemas):
        schema = schemas[name]
        try:
            con.execute(create_table(name, schema, "duckdb"))
        except duckdb.Error as exc:
            raise ExportError(f"DuckDB cannot create table {name}: {exc}") from exc
        table = arrow_table(package, name)
        keys = foreign_keys(schema, name)
        waves = [list(range(table.num_rows))] if table.num_rows else []
        if any(key.table == name for key in keys):
            columns = {f: table.column(f).to_pylist() for f in table.column_names}
            waves = self_reference_waves(columns, keys, name)
        names = ", ".join(quote(f) for f in table.column_names)
        for wave in waves:
            part = table if len(waves) == 1 else table.take(wave)
            con.register("dprk_records_rows", part)
            try:
                con.execute(
                    f"INSERT INTO {quote(name)} ({names}) SELECT {names} FROM dprk_records_rows"
                )
            except duckdb.Error as exc:
                raise ExportError(f"DuckDB refused a row of table {name}: {exc}") from exc
            finally:
                con.unregister("dprk_records_rows")


def memory_duckdb(package: Package) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding every table of *package*, for a notebook or a script."""
    duckdb = import_duckdb()
    con = duckdb.connect(":memory:")
    load_duckdb(package, con)
    return con


def write_duckdb(package: Package, file: Path) -> None:
    """Write *package* to a new DuckDB file *file* (which must not exist), checkpointed and
    closed, so the file alone is the whole database (no ``.wal`` beside it)."""
    duckdb = import_duckdb()
    con = duckdb.connect(str(file))
    try:
        load_duckdb(package, con)
        con.execute("CHECKPOINT")
    finally:
        con.close()


# -- SQLite ---------------------------------------------------------------------------------------


def sqlite_value(value: Any) -> Any:
    """A loader value as SQLite stores it: bool -> 0/1, date/time -> ISO text, else as is."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _sqlite_column(values: list[Any], field: Mapping[str, Any]) -> list[Any]:
    if field.get("type", "string") in ("string", "integer", "number", "year"):
        return values  # already str / int / float / None
    if field.get("type") in ("boolean", "date"):
        return [sqlite_value(v) for v in values]
    from dprk_records.loader.arrow import as_text

    return [as_text(v) for v in values]


def write_sqlite(package: Package, file: Path) -> None:
    """Write *package* to a new SQLite file *file* (which must not exist), in one transaction,
    then check every foreign key (``PRAGMA foreign_key_check``)."""
    schemas = _schemas(package)
    con = sqlite3.connect(file)
    try:
        with con:
            con.execute(create_marker_table("sqlite"))
            con.executemany(
                f"INSERT INTO {quote(MARKER_TABLE)} VALUES (?, ?)", marker_rows(package, "sqlite")
            )
            for name in table_order(schemas):
                _sqlite_table(con, package, name, schemas[name])
        broken = con.execute("PRAGMA foreign_key_check").fetchmany(5)
        if broken:
            shown = "; ".join(
                f"{table} row {rowid} -> {parent} (foreign key #{fk})"
                for table, rowid, parent, fk in broken
            )
            raise ExportError(f"the package breaks its own foreign keys in SQLite: {shown}")
    finally:
        con.close()


def _sqlite_table(
    con: sqlite3.Connection, package: Package, name: str, schema: Mapping[str, Any]
) -> None:
    try:
        con.execute(create_table(name, schema, "sqlite", strict=SQLITE_STRICT))
    except sqlite3.Error as exc:
        raise ExportError(f"SQLite cannot create table {name}: {exc}") from exc
    columns = package.columns(name)
    fields = schema["fields"]
    cells = [_sqlite_column(columns[f["name"]], f) for f in fields]
    names = ", ".join(quote(f["name"]) for f in fields)
    marks = ", ".join("?" for _ in fields)
    try:
        con.executemany(
            f"INSERT INTO {quote(name)} ({names}) VALUES ({marks})", zip(*cells, strict=True)
        )
    except (sqlite3.Error, OverflowError) as exc:
        raise ExportError(f"SQLite refused a row of table {name}: {exc}") from exc
