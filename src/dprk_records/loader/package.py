"""A data package folder on disk, read with the standard library only.

:class:`Package` is the typed reading of :mod:`dprk_records.reader`, the reader every part of
dprk-records shares: it reads ``datapackage.json`` and its CSV tables. Values come back typed by the
Table Schema of their field (int, float, bool, datetime.date, str; None when missing), and every
table file is checked against the ``bytes`` and ``hash`` its resource records before it is
parsed, so a damaged or edited file is never read silently (a file is hashed once per Package
while its inode, size, mtime and ctime stay the same). Only regular files inside the folder are
opened (:mod:`dprk_records.reader.members`): a symbolic link leading out of it, a FIFO or a device is refused by name
before a byte is read, so an error never quotes a file from elsewhere and a read never blocks.
pandas is only imported by
:meth:`Package.to_pandas`, which lets pandas' C parser read hash-verified plain tables, or
pyarrow read a table's hash-verified Parquet copy when the package has one.
:meth:`Package.timeline` assembles a person's career from several tables (:mod:`.timeline`).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from dprk_records.base.fileguard import inside, open_regular, read_regular
from dprk_records.errors import DprkRecordsError, PackageError
from dprk_records.loader.errors import NoSuchTableError
from dprk_records.loader.timeline import (
    TIMELINE_TABLES,
    TimelineEntry,
    find_person,
    person_timeline,
    unknown_person,
)
from dprk_records.reader.cells import convert_column
from dprk_records.reader.descriptor import DESCRIPTOR_NAME, read_descriptor
from dprk_records.reader.members import check_member, member_path
from dprk_records.reader.tables import csv_records

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


def _identity(stat: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file is written: device, inode, size, mtime and ctime."""
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


class Package:
    """A Frictionless data package folder (``datapackage.json`` + ``data/*.csv``).

    >>> pkg = Package("datapackage")            # doctest: +SKIP
    >>> pkg.tables                              # doctest: +SKIP
    ['documents', 'paragraphs', 'corrections']
    >>> pkg.read("documents")[0]["published"]   # doctest: +SKIP
    datetime.date(2023, 4, 7)
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        verify_hashes: bool = True,
        source: str | None = None,
    ) -> None:
        folder = Path(path).expanduser()
        if folder.name == "datapackage.json" and not folder.is_dir():
            folder = folder.parent
        folder = folder.resolve()
        descriptor_file = folder / DESCRIPTOR_NAME
        if not os.path.lexists(descriptor_file):
            raise PackageError(f"{folder}: not a data package folder (no {DESCRIPTOR_NAME} in it)")
        descriptor = read_descriptor(inside(folder, descriptor_file))
        if not isinstance(descriptor.get("resources"), list):
            raise PackageError(f"{descriptor_file}: a data package needs a 'resources' list")
        self._path = folder
        self._descriptor = descriptor
        self._source = source or f"local package at {folder}"
        self.verify_hashes = verify_hashes
        # table -> file identity (inode, size, mtime, ctime) when its bytes last matched the hash
        self._verified: dict[str, tuple[int, ...]] = {}
        self._fast_tables: set[str] = set()  # tables pandas' parser has read from verified bytes
        self._resources = {
            r["name"]: r for r in descriptor["resources"] if isinstance(r, dict) and "name" in r
        }

    def __repr__(self) -> str:
        return f"Package(version={self.version!r}, path={str(self._path)!r})"

    @property
    def path(self) -> Path:
        """The package folder (holding ``datapackage.json``)."""
        return self._path

    @property
    def source(self) -> str:
        """Where this package came from, in words: ``local package at /x/datapackage (checkout)``
        or ``release 0.1.0 (cache /y)``; said by ``info()`` because a checkout's own folder is
        opened by default (see :func:`dprk_records.open`), and users must be able to tell."""
        return self._source

    @property
    def version(self) -> str | None:
        """The data version recorded in ``datapackage.json``."""
        return self._descriptor.get("version")

    @property
    def descriptor(self) -> dict[str, Any]:
        """A copy of the whole ``datapackage.json``."""
        return copy.deepcopy(self._descriptor)

    @property
    def tables(self) -> list[str]:
        """Names of the table resources, in package order (source texts are not tables)."""
        return [name for name, r in self._resources.items() if r.get("type") == "table"]

    def _table(self, name: str) -> dict[str, Any]:
        resource = self._resources.get(name)
        if resource is None or resource.get("type") != "table":
            kind = "is not a table" if resource is not None else "does not exist"
            raise NoSuchTableError(
                f"table {name!r} {kind} in the package at {self._path}; "
                f"tables: {', '.join(self.tables) or 'none'}"
            )
        return resource

    def schema(self, name: str) -> dict[str, Any]:
        """The Table Schema of table *name* (a copy: fields, primaryKey, foreignKeys...)."""
        return copy.deepcopy(self._schema(name))

    def _schema(self, name: str) -> dict[str, Any]:
        """The Table Schema of table *name* itself (not to be modified)."""
        resource = self._table(name)
        schema = resource.get("schema")
        if isinstance(schema, str):
            file = member_path(self._path, schema, f"schema of {name}")
            try:
                schema = json.loads(read_regular(file).decode("utf-8"))
            except (OSError, ValueError) as exc:
                raise PackageError(f"{file}: cannot read the schema of {name} ({exc})") from exc
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            raise PackageError(f"{self._path}: table {name!r} has no Table Schema with 'fields'")
        return schema

    def _records(self, name: str) -> tuple[list[str], list[list[str]]]:
        """Header and data rows of a table as strings, after checking size, hash and header."""
        resource = self._table(name)
        file = member_path(self._path, resource.get("path"), f"table {name}")
        data = self._verified_bytes(name, file, resource)
        return csv_records(data, resource, file, name)

    def _verified_bytes(self, name: str, file: Path, resource: dict[str, Any]) -> bytes:
        """The bytes of a table file, checked against its recorded ``bytes`` and ``hash``.

        A file checked before in this Package is not hashed again while its identity (device,
        inode, size, modification and status-change times, taken *after* reading) is unchanged:
        any write to it changes its ctime, which user code cannot set back.
        """
        try:
            with open_regular(file) as handle:
                data = handle.read()
                stat = os.fstat(handle.fileno())
        except OSError as exc:
            raise PackageError(f"{file}: cannot read table {name} ({exc})") from exc
        if self.verify_hashes:
            identity = _identity(stat)
            if self._verified.get(name) != identity:
                check_member(file, data, resource)
                self._verified[name] = identity
        return data

    def _fields(self, name: str, header: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        schema = self._schema(name) if self._table(name).get("schema") else {}
        fields = schema.get("fields") or [{"name": column, "type": "string"} for column in header]
        names = [field.get("name") for field in fields]
        if names != header:
            raise PackageError(
                f"{self._path}: table {name}: CSV header {header} does not match the schema's "
                f"fields {names}; the package is inconsistent"
            )
        return schema, fields

    def _typed(self, name: str) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
        header, body = self._records(name)
        schema, fields = self._fields(name, header)
        cells = list(zip(*body, strict=True)) if body else [() for _ in fields]
        where = str(self._path / self._table(name)["path"])
        typed = {
            field["name"]: convert_column(column, field, schema, where)
            for field, column in zip(fields, cells, strict=True)
        }
        return fields, typed

    def columns(self, name: str) -> dict[str, list[Any]]:
        """Table *name* as typed columns: field name -> list of values, in schema order."""
        return self._typed(name)[1]

    def read(self, name: str) -> list[dict[str, Any]]:
        """Table *name* as a list of rows (dicts), values typed by the Table Schema."""
        typed = self.columns(name)
        names = list(typed)
        return [
            dict(zip(names, values, strict=True)) for values in zip(*typed.values(), strict=True)
        ]

    def to_pandas(self, name: str) -> pd.DataFrame:
        """Table *name* as a pandas DataFrame with nullable dtypes taken from the schema.

        Needs the ``pandas`` extra: ``pip install "dprk-records[pandas]"``.
        """
        from dprk_records.loader.dataframe import frame_from_columns, import_pandas

        import_pandas()  # fail before reading when the extra is missing
        fast = self._frame_from_parquet(name)
        if fast is None:
            fast = self._frame_from_verified_csv(name)
        if fast is not None:
            return fast
        fields, typed = self._typed(name)
        return frame_from_columns(typed, fields)

    def _frame_from_parquet(self, name: str) -> pd.DataFrame | None:
        """The table read from its Parquet copy (``build --format csv,parquet``), several times
        faster than its CSV for long texts, when the package has one for it with the table's
        own schema, pyarrow is installed and the file's bytes match its recorded hash (see
        :func:`~dprk_records.loader.parquet.frame_from_parquet` for what else it requires).
        None otherwise, and the CSV is read: the frame is the same either way."""
        from dprk_records.columnar.resources import is_parquet_resource, parquet_name

        resource = self._resources.get(parquet_name(name))
        if resource is None or not is_parquet_resource(resource) or not self.verify_hashes:
            return None
        table = self._table(name)
        if not isinstance(resource.get("hash"), str) or resource.get("schema") != table.get(
            "schema"
        ):
            return None
        try:
            import pyarrow  # noqa: F401  (an optional extra: without it, read the CSV)
        except ImportError:
            return None
        from dprk_records.loader.parquet import frame_from_parquet

        try:
            file = member_path(self._path, resource.get("path"), f"Parquet copy of {name}")
            with open_regular(file) as handle:
                data = handle.read()
            check_member(file, data, resource)
        except (OSError, DprkRecordsError):
            return None  # a missing or damaged copy is never read; the CSV is
        return frame_from_parquet(data, self._schema(name))

    def _frame_from_verified_csv(self, name: str) -> pd.DataFrame | None:
        """The table parsed by pandas' C parser, when that gives exactly what the cell-by-cell
        path gives: the file's bytes match the hash the producer recorded (so its shape is the
        one the producer wrote and validated) and the schema and dialect are plain. None
        otherwise, or when a cell does not parse (the cell-by-cell path then names it)."""
        from dprk_records.loader.dataframe import frame_from_csv, plain_csv_table

        resource = self._table(name)
        if not self.verify_hashes or not isinstance(resource.get("hash"), str):
            return None
        schema = self._schema(name) if resource.get("schema") else {}
        fields = schema.get("fields") or []
        if not fields or not plain_csv_table(fields, schema, resource.get("dialect", {})):
            return None
        if str(resource.get("encoding", "utf-8")).lower() not in ("utf-8", "utf8"):
            return None
        file = member_path(self._path, resource.get("path"), f"table {name}")
        if name in self._fast_tables:
            frame = self._frame_if_unchanged(name, file, fields, schema)
            if frame is not None:
                return frame
        data = self._verified_bytes(name, file, resource)
        if data.startswith(b"\xef\xbb\xbf"):
            return None  # a byte-order mark: the cell-by-cell path strips it
        try:
            frame = frame_from_csv(data, fields, schema)
        except (ValueError, TypeError, OverflowError, PackageError):
            return None
        self._fast_tables.add(name)
        return frame

    def _frame_if_unchanged(
        self, name: str, file: Path, fields: list[dict[str, Any]], schema: dict[str, Any]
    ) -> pd.DataFrame | None:
        """A warm load: pandas reads the open file itself, and the frame is used only when the
        file's identity, taken before and after the read, is the one whose bytes were verified
        (any write in between changes its ctime). None otherwise: the caller verifies again."""
        from dprk_records.loader.dataframe import frame_from_csv

        try:
            with open_regular(file) as handle:
                before = _identity(os.fstat(handle.fileno()))
                if before != self._verified.get(name):
                    return None
                frame = frame_from_csv(handle, fields, schema)
                if _identity(os.fstat(handle.fileno())) != before:
                    return None
        except (OSError, ValueError, TypeError, OverflowError, PackageError):
            return None
        return frame

    @overload
    def to_duckdb(self, path: None = None) -> duckdb.DuckDBPyConnection: ...
    @overload
    def to_duckdb(self, path: str | os.PathLike[str]) -> Path: ...
    def to_duckdb(
        self, path: str | os.PathLike[str] | None = None
    ) -> duckdb.DuckDBPyConnection | Path:
        """Every table in DuckDB, typed and keyed by its Table Schema: an in-memory connection
        to query at once, or (with *path*) a database file, whose path is returned.

        Needs the ``sql`` extra: ``pip install "dprk-records[sql]"``. See :mod:`.export`.
        """
        if path is None:
            from dprk_records.loader.sql import memory_duckdb

            return memory_duckdb(self)
        from dprk_records.loader.export import export_package

        return export_package(self, "duckdb", path)

    def to_sqlite(self, path: str | os.PathLike[str]) -> Path:
        """Every table in a SQLite database file, typed and keyed by its Table Schema (standard
        library only); returns its path. See :mod:`.export`."""
        from dprk_records.loader.export import export_package

        return export_package(self, "sqlite", path)

    def to_parquet(self, folder: str | os.PathLike[str]) -> Path:
        """Every table as ``folder/<table>.parquet``, typed by its Table Schema; returns the
        folder. Needs the ``sql`` extra. See :mod:`.export`."""
        from dprk_records.loader.export import export_package

        return export_package(self, "parquet", folder)

    def find_person(self, query: str) -> dict[str, Any]:
        """The persons row a user means by *query*: a person id, a name or a spelling a source
        uses, ignoring case, apostrophes and hyphens ("kim jong-un" finds ``kim-jong-un``).

        Raises UnknownPersonError naming close matches, or AmbiguousPersonError listing the ids
        when a name fits several persons.
        """
        spellings = self.read("person_names") if "person_names" in self.tables else []
        found = find_person(query, self.read("persons"), spellings, f"the package at {self._path}")
        return dict(found)

    def timeline(self, person_id: str) -> list[TimelineEntry]:
        """A person's career as data, in date order: every title stated (``first_seen`` on its
        earliest entry), every personnel change and every part in an event, each with its span
        and date (see :mod:`dprk_records.loader.timeline`).

        Raises UnknownPersonError, naming close matches, when no person has that id. A package
        without the ``personnel_changes`` table (releases before it) gives no change entries.
        """
        persons = self.read("persons")
        if not any(row.get("person_id") == person_id for row in persons):
            raise unknown_person(person_id, persons, f"the package at {self._path}")
        tables = {name: self.read(name) for name in TIMELINE_TABLES if name in self.tables}
        return person_timeline(person_id, tables)

    def row_count(self, name: str) -> int:
        """Number of data rows in table *name* (parsed, not converted)."""
        return len(self._records(name)[1])

    def info(self) -> dict[str, Any]:
        """A summary: name, version, folder, source, tables with row counts, sources and licences."""
        descriptor = self._descriptor
        return {
            "name": descriptor.get("name"),
            "title": descriptor.get("title"),
            "version": self.version,
            "created": descriptor.get("created"),
            "path": str(self._path),
            "source": self._source,
            "tables": {name: self.row_count(name) for name in self.tables},
            "sources": copy.deepcopy(descriptor.get("sources", [])),
            "licenses": copy.deepcopy(descriptor.get("licenses", [])),
        }
