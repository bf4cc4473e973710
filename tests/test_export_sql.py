"""The SQL-ready exports (issue 14): the committed package written as DuckDB, SQLite and Parquet,
then opened by each format's own engine and compared with the Table Schemas and the CSVs."""

from __future__ import annotations

import builtins
import csv
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import dprk_records
from dprk_records.errors import DprkRecordsError
from dprk_records.loader.ddl import COLUMN_TYPES, MARKER_TABLE, column_type, create_table
from dprk_records.loader.errors import ExportError, ExportTargetError, MissingExtraError
from dprk_records.loader.export import MARKER_FILE, export_package
from dprk_records.loader.package import Package
from dprk_records.loader.relations import ForeignKey, self_reference_waves, table_order

from .conftest import COMMITTED_PACKAGE

duckdb = pytest.importorskip("duckdb")
pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")

PARQUET_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "year": pa.int32(),
}


@pytest.fixture(scope="module")
def package() -> Package:
    return dprk_records.open(path=COMMITTED_PACKAGE)


@pytest.fixture(scope="module")
def exports(package: Package, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("exports")
    return {
        "duckdb": package.to_duckdb(root / "dprk.duckdb"),
        "sqlite": package.to_sqlite(root / "dprk.sqlite"),
        "parquet": package.to_parquet(root / "parquet"),
    }


def csv_rows(package: Package, name: str) -> list[dict[str, str]]:
    resource = next(r for r in package.descriptor["resources"] if r["name"] == name)
    with (package.path / resource["path"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def foreign_key_triples(schema: dict[str, Any], name: str) -> set[tuple[str, str, str]]:
    triples = set()
    for fk in schema.get("foreignKeys", []):
        table = fk["reference"]["resource"] or name
        for here, there in zip(fk["fields"], fk["reference"]["fields"], strict=True):
            triples.add((here, table, there))
    return triples


def test_the_committed_package_has_the_columns_the_issue_names(package: Package) -> None:
    """The facts the issue quotes hold in the data, so the checks below are not vacuous."""
    figures = {f["name"]: f["type"] for f in package.schema("figures")["fields"]}
    assert figures["value"] == "number"
    assert all(float(r["value"]).is_integer() for r in csv_rows(package, "figures"))
    assert all(r["end_date"] == "" for r in csv_rows(package, "events"))
    orders = [r["list_order"] for r in csv_rows(package, "participations")]
    assert "" in orders and "1" in orders


# -- DuckDB ---------------------------------------------------------------------------------------


def test_duckdb_has_every_table_with_schema_types_and_row_counts(
    package: Package, exports: dict[str, Path]
) -> None:
    con = duckdb.connect(str(exports["duckdb"]), read_only=True)
    for name in package.tables:
        fields = package.schema(name)["fields"]
        found = con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [name],
        ).fetchall()
        key = package.schema(name).get("primaryKey", [])
        assert found == [
            (
                f["name"],
                column_type(f, "duckdb"),
                "NO" if f.get("constraints", {}).get("required") or f["name"] in key else "YES",
            )
            for f in fields
        ], name
        count = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        assert count == len(csv_rows(package, name)) == package.row_count(name), name


def test_duckdb_declares_every_primary_and_foreign_key(
    package: Package, exports: dict[str, Path]
) -> None:
    con = duckdb.connect(str(exports["duckdb"]), read_only=True)
    for name in package.tables:
        schema = package.schema(name)
        rows = con.execute(
            "SELECT constraint_type, constraint_column_names, referenced_table, "
            "referenced_column_names FROM duckdb_constraints() WHERE table_name = ?",
            [name],
        ).fetchall()
        keys = [cols for kind, cols, _, _ in rows if kind == "PRIMARY KEY"]
        assert keys == [schema["primaryKey"]], name
        fks = {
            (here, table, there)
            for kind, cols, table, ref_cols in rows
            if kind == "FOREIGN KEY"
            for here, there in zip(cols, ref_cols, strict=True)
        }
        assert fks == foreign_key_triples(schema, name), name
    # the self-references too, and DuckDB enforces them
    assert con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'organizations' "
        "AND constraint_type = 'FOREIGN KEY' AND referenced_table = 'organizations'"
    ).fetchone() == (1,)


def test_duckdb_values_are_typed_not_guessed(exports: dict[str, Path]) -> None:
    con = duckdb.connect(str(exports["duckdb"]), read_only=True)
    assert con.execute("SELECT typeof(value) FROM figures LIMIT 1").fetchone() == ("DOUBLE",)
    assert con.execute("SELECT DISTINCT typeof(end_date) FROM events").fetchall() == [("DATE",)]
    assert con.execute("SELECT count(*) FROM events WHERE end_date IS NULL").fetchone() == (6,)
    nulls, total, top = con.execute(
        "SELECT count(*) FILTER (list_order IS NULL), count(*), max(list_order) FROM participations"
    ).fetchone()
    assert (nulls, total, top) == (4, 23, 12)  # guided, opening_address x2, report
    assert con.execute("SELECT typeof(list_order) FROM participations LIMIT 1").fetchone() == (
        "BIGINT",
    )
    assert (
        con.execute("SELECT published FROM documents WHERE document_id = '000_4f944ba05b264b4e'")
        .fetchone()[0]
        .isoformat()
        == "2021-04-07"
    )
    # a foreign key is enforced: an unknown person cannot take part in an event
    with pytest.raises(duckdb.Error, match=r"foreign key|read-only"):
        con.execute(
            "INSERT INTO participations VALUES ('000_4f944ba05b264b4e', 1, 2, "
            "'8th-congress-of-the-wpk', 'nobody', 'attended', NULL, NULL, 'x')"
        )


def test_to_duckdb_without_a_path_gives_an_in_memory_database(package: Package) -> None:
    con = package.to_duckdb()
    parents = con.execute(
        "SELECT org_id, parent_org_id FROM organizations WHERE parent_org_id IS NOT NULL"
    ).fetchall()
    expected = [
        (r["org_id"], r["parent_org_id"])
        for r in csv_rows(package, "organizations")
        if r["parent_org_id"]
    ]
    assert sorted(parents) == sorted(expected) and parents
    assert con.execute(
        f"SELECT value FROM {MARKER_TABLE} WHERE key = 'data_version'"
    ).fetchone() == (package.version,)


def test_self_references_load_parents_first_in_duckdb() -> None:
    """A child row listed before its parent is refused by DuckDB in one INSERT; the waves put
    the parent first and keep CSV order within each wave."""
    columns = {
        "org_id": ["shop", "team", "plant", "lone"],
        "parent_org_id": ["plant", "shop", None, None],
    }
    key = ForeignKey(("parent_org_id",), "organizations", ("org_id",))
    waves = self_reference_waves(columns, [key], "organizations")
    assert waves == [[2, 3], [0], [1]]
    schema = {
        "fields": [
            {"name": "org_id", "type": "string"},
            {"name": "parent_org_id", "type": "string"},
        ],
        "primaryKey": ["org_id"],
        "foreignKeys": [
            {"fields": ["parent_org_id"], "reference": {"resource": "", "fields": ["org_id"]}}
        ],
    }
    con = duckdb.connect()
    con.execute(create_table("organizations", schema, "duckdb"))
    for wave in waves:
        con.executemany(
            "INSERT INTO organizations VALUES (?, ?)",
            [(columns["org_id"][i], columns["parent_org_id"][i]) for i in wave],
        )
    assert con.execute("SELECT count(*) FROM organizations").fetchone() == (4,)


def test_table_order_puts_referenced_tables_first_and_refuses_cycles(package: Package) -> None:
    schemas = {name: package.schema(name) for name in package.tables}
    order = table_order(schemas)
    assert sorted(order) == sorted(package.tables)
    for name in order:
        for fk in schemas[name].get("foreignKeys", []):
            target = fk["reference"]["resource"] or name
            assert order.index(target) <= order.index(name), (name, target)
    cyclic = {
        "a": {
            "fields": [],
            "foreignKeys": [{"fields": "x", "reference": {"resource": "b", "fields": "y"}}],
        },
        "b": {
            "fields": [],
            "foreignKeys": [{"fields": "y", "reference": {"resource": "a", "fields": "x"}}],
        },
    }
    with pytest.raises(ExportError, match="cycle"):
        table_order(cyclic)


# -- SQLite ---------------------------------------------------------------------------------------


def test_sqlite_has_every_table_with_schema_types_keys_and_row_counts(
    package: Package, exports: dict[str, Path]
) -> None:
    with closing(sqlite3.connect(f"{exports['sqlite'].as_uri()}?mode=ro", uri=True)) as con:
        for name in package.tables:
            schema = package.schema(name)
            info = con.execute(f'PRAGMA table_info("{name}")').fetchall()
            assert [(row[1], row[2]) for row in info] == [
                (f["name"], COLUMN_TYPES["sqlite"][f["type"]]) for f in schema["fields"]
            ], name
            key = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
            assert key == schema["primaryKey"], name
            fks = {
                (row[3], row[2], row[4])
                for row in con.execute(f'PRAGMA foreign_key_list("{name}")')
            }
            assert fks == foreign_key_triples(schema, name), name
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(
                csv_rows(package, name)
            )
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT DISTINCT typeof(value) FROM figures").fetchall() == [("real",)]
        assert con.execute(
            "SELECT count(*), count(list_order), typeof(max(list_order)) FROM participations"
        ).fetchone() == (23, 19, "integer")
        paragraphs = con.execute("SELECT DISTINCT is_boilerplate FROM paragraphs").fetchall()
        assert set(paragraphs) <= {(0,), (1,)}
        assert con.execute("SELECT DISTINCT published FROM documents").fetchall() == [
            ("2021-04-07",)
        ]


def test_sqlite_keeps_csv_row_order_and_values(package: Package, exports: dict[str, Path]) -> None:
    with closing(sqlite3.connect(f"{exports['sqlite'].as_uri()}?mode=ro", uri=True)) as con:
        rows = con.execute(
            "SELECT person_id, role, list_order FROM participations ORDER BY rowid"
        ).fetchall()
        expected = [
            (r["person_id"], r["role"], int(r["list_order"]) if r["list_order"] else None)
            for r in csv_rows(package, "participations")
        ]
        assert rows == expected


# -- Parquet --------------------------------------------------------------------------------------


def test_parquet_files_are_typed_by_the_schema(package: Package, exports: dict[str, Path]) -> None:
    folder = exports["parquet"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{name}.parquet" for name in package.tables] + [MARKER_FILE]
    )
    for name in package.tables:
        schema = package.schema(name)
        table = pq.read_table(folder / f"{name}.parquet")
        assert table.num_rows == len(csv_rows(package, name)), name
        key = schema.get("primaryKey", [])
        assert [(f.name, f.type, f.nullable) for f in table.schema] == [
            (
                f["name"],
                PARQUET_TYPES[f["type"]],
                not (f.get("constraints", {}).get("required") or f["name"] in key),
            )
            for f in schema["fields"]
        ], name
        assert table.to_pylist() == package.read(name), name


def test_pandas_reads_parquet_with_nullable_dtypes(exports: dict[str, Path]) -> None:
    pandas = pytest.importorskip("pandas")
    parts = pandas.read_parquet(exports["parquet"] / "participations.parquet")
    assert str(parts["list_order"].dtype) == "Int64"
    assert parts["list_order"].isna().sum() == 4
    assert parts["list_order"].tolist()[:3] == [pandas.NA, 1, 2]
    figures = pandas.read_parquet(exports["parquet"] / "figures.parquet")
    assert str(figures["value"].dtype) == "Float64"
    events = pandas.read_parquet(exports["parquet"] / "events.parquet")
    assert events["end_date"].isna().all()


def test_parquet_is_written_deterministically(package: Package, tmp_path: Path) -> None:
    first = package.to_parquet(tmp_path / "one")
    second = package.to_parquet(tmp_path / "two")
    for file in sorted(first.iterdir()):
        assert file.read_bytes() == (second / file.name).read_bytes(), file.name


def test_duckdb_reads_the_parquet_types(package: Package, exports: dict[str, Path]) -> None:
    con = duckdb.connect()
    path = exports["parquet"] / "events.parquet"
    described = {
        row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
    }
    assert described["end_date"] == "DATE" and described["ordinal"] == "BIGINT"


# -- where the output goes ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["duckdb", "sqlite", "parquet"])
def test_an_earlier_export_is_replaced(package: Package, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"dprk.{fmt}"
    assert export_package(package, fmt, out) == out
    assert export_package(package, fmt, out) == out
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary left


@pytest.mark.parametrize("fmt", ["duckdb", "sqlite", "parquet"])
def test_a_foreign_file_is_never_overwritten(package: Package, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "mine"
    if fmt == "parquet":
        out.mkdir()
        (out / "notes.txt").write_text("my notes")
        (out / MARKER_FILE).write_text('{"dprk_records_version": "0.1.0"}')
    else:
        out.write_text("my notes")
    with pytest.raises(ExportTargetError, match=str(out)) as caught:
        export_package(package, fmt, out)
    assert isinstance(caught.value, DprkRecordsError)
    assert "left untouched" in str(caught.value)
    if fmt == "parquet":
        assert (out / "notes.txt").read_text() == "my notes"
    else:
        assert out.read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_a_database_of_someone_else_is_never_overwritten(package: Package, tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.sqlite"
    con = sqlite3.connect(theirs)
    con.execute("CREATE TABLE budget (x INTEGER)")
    con.commit()
    con.close()
    before = theirs.read_bytes()
    with pytest.raises(ExportTargetError, match="not an earlier"):
        package.to_sqlite(theirs)
    duck = tmp_path / "theirs.duckdb"
    duckdb.connect(str(duck)).close()
    with pytest.raises(ExportTargetError, match="dprk_records_export"):
        package.to_duckdb(duck)
    assert theirs.read_bytes() == before
    # an export in one format does not let another format overwrite it
    ours = package.to_sqlite(tmp_path / "ours.db")
    with pytest.raises(ExportTargetError, match="not a DuckDB database"):
        package.to_duckdb(ours)


def test_a_symbolic_link_is_refused(package: Package, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.sqlite"
    package.to_sqlite(target)
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)
    with pytest.raises(ExportTargetError, match="symbolic link"):
        package.to_sqlite(link)


def test_an_unknown_format_is_refused(package: Package, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="duckdb, sqlite, parquet"):
        export_package(package, "xlsx", tmp_path / "x")


@pytest.mark.parametrize(("fmt", "missing"), [("duckdb", "duckdb"), ("parquet", "pyarrow")])
def test_a_missing_extra_says_what_to_install(
    package: Package, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, missing: str
) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == missing or name.startswith(missing + "."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(MissingExtraError, match=r'pip install "dprk-records\[sql\]"'):
        export_package(package, fmt, tmp_path / "out")
    assert not list(tmp_path.iterdir())
    # SQLite needs no extra
    assert package.to_sqlite(tmp_path / "ok.sqlite").exists()


def test_the_export_command_writes_each_format_and_refuses_a_foreign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dprk_records.cli import main

    for fmt, name in (("duckdb", "d.duckdb"), ("sqlite", "s.sqlite"), ("parquet", "pq")):
        argv = ["export", "--format", fmt, "--out", str(tmp_path / name)]
        assert main([*argv, "--package", str(COMMITTED_PACKAGE)]) == 0
    with closing(sqlite3.connect(tmp_path / "s.sqlite")) as db:
        (count,) = db.execute("SELECT count(*) FROM persons").fetchone()
    with (COMMITTED_PACKAGE / "data" / "persons.csv").open(encoding="utf-8") as handle:
        assert count == sum(1 for _ in csv.DictReader(handle))
    assert sorted(p.name for p in (tmp_path / "pq").glob("*.parquet"))[:1] == [
        "corrections.parquet"
    ]
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    capsys.readouterr()
    argv = [
        "export",
        "--format",
        "sqlite",
        "--out",
        str(notes),
        "--package",
        str(COMMITTED_PACKAGE),
    ]
    assert main(argv) == 2
    assert "it was left untouched" in capsys.readouterr().err
    assert notes.read_text() == "mine\n"
