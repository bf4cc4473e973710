"""`dprk-records build --format csv,parquet`: a typed Parquet copy of each table, beside its CSV.

A package is built from the twelve texts of tests/corpus/texts with both formats, and every
Parquet file is read back by DuckDB, pandas and pyarrow: exact types from the Table Schema (no
guessing), the CSV's values row for row, the same bytes as the loader's export of the table and
as a second build. The gate passes on it and catches each injected fault; a wrong --format and
a missing pyarrow are refused with a message, before anything is written.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from dprk_records.base.hashing import sha256_hex
from dprk_records.columnar.fromcsv import read_csv_table
from dprk_records.columnar.metadata import SCHEMA_KEY
from dprk_records.columnar.parquetfile import write_arrow_table
from dprk_records.columnar.resources import PARQUET_MEDIATYPE, parquet_resources
from dprk_records.errors import BuildError, MissingExtraError
from dprk_records.loader.arrow import arrow_table
from dprk_records.loader.package import Package
from dprk_records.pipeline.build import build
from dprk_records.pipeline.write import foreign_entries
from dprk_records.validate import validate_package

from .conftest import REPO

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")
pandas = pytest.importorskip("pandas")

CORPUS = REPO / "tests" / "corpus" / "texts"
BOTH = ("csv", "parquet")

DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "year": "INTEGER",
}
PANDAS_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "object",
    "year": "Int32",
}


@pytest.fixture(scope="module")
def parquet_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus built with both formats; tests must not modify it (copy it first)."""
    out = tmp_path_factory.mktemp("parquet-build") / "datapackage"
    build(CORPUS, out, environ={}, workers=1, cache=False, formats=BOTH)
    return out


@pytest.fixture(scope="module")
def package(parquet_package: Path) -> Package:
    return Package(parquet_package)


def _descriptor(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _plain(value: Any) -> Any:
    """A value as the loader gives it (pandas' NA as None)."""
    return None if value is pandas.NA or value is None else value


# -- what the build writes ------------------------------------------------------------------------


def test_each_table_gets_a_parquet_file_and_a_resource_after_the_csv_ones(
    parquet_package: Path, package: Package
) -> None:
    descriptor = _descriptor(parquet_package)
    resources = descriptor["resources"]
    tables = package.tables
    assert tables == [r["name"] for r in resources if r.get("type") == "table"]
    copies = resources[len(tables) : 2 * len(tables)]
    assert copies == parquet_resources(descriptor)
    for table, resource in zip(tables, copies, strict=True):
        data = (parquet_package / "data" / f"{table}.parquet").read_bytes()
        assert resource["name"] == f"{table}-parquet"
        assert resource["path"] == f"data/{table}.parquet"
        assert (resource["format"], resource["mediatype"]) == ("parquet", PARQUET_MEDIATYPE)
        assert resource["bytes"] == len(data)
        assert resource["hash"] == f"sha256:{sha256_hex(data)}"
        assert resource["schema"] == package.schema(table)
        assert "type" not in resource  # the tables are the CSV resources
    assert foreign_entries(parquet_package) == []
    assert all(r["path"].startswith("sources/") for r in resources[2 * len(tables) :])


def test_duckdb_reads_the_schema_types_and_the_csv_values(
    parquet_package: Path, package: Package
) -> None:
    con = duckdb.connect()
    for table in package.tables:
        path = str(parquet_package / "data" / f"{table}.parquet")
        described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
        fields = package.schema(table)["fields"]
        assert [(row[0], row[1]) for row in described] == [
            (f["name"], DUCKDB_TYPES[f["type"]]) for f in fields
        ], table
        rows = con.execute("SELECT * FROM read_parquet(?)", [path]).fetchall()
        expected = [tuple(row.values()) for row in package.read(table)]
        assert rows == expected, table
        kinds = [[type(value) for value in row] for row in rows]
        assert kinds == [[type(value) for value in row] for row in expected], table


def test_pandas_reads_nullable_dtypes_and_the_csv_values(
    parquet_package: Path, package: Package
) -> None:
    seen_types = set()
    for table in package.tables:
        frame = pandas.read_parquet(parquet_package / "data" / f"{table}.parquet")
        fields = package.schema(table)["fields"]
        assert list(frame.columns) == [f["name"] for f in fields]
        for field in fields:
            assert str(frame[field["name"]].dtype) == PANDAS_DTYPES[field["type"]], field
            seen_types.add(field["type"])
        rows = [
            {key: _plain(value) for key, value in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        assert rows == package.read(table), table
    assert seen_types >= {"string", "integer", "number", "boolean", "date"}
    dates = pandas.read_parquet(parquet_package / "data" / "documents.parquet")["published"]
    assert all(isinstance(value, dt.date) for value in dates.dropna())


def test_the_build_and_the_loader_export_give_the_same_table_and_bytes(
    parquet_package: Path, package: Package, tmp_path: Path
) -> None:
    exported = package.to_parquet(tmp_path / "export")
    for table in package.tables:
        resource = next(r for r in package.descriptor["resources"] if r["name"] == table)
        converted = read_csv_table(
            parquet_package / resource["path"], package.schema(table), resource["dialect"]
        )
        assert converted.equals(arrow_table(package, table)), table
        built = (parquet_package / "data" / f"{table}.parquet").read_bytes()
        assert built == (exported / f"{table}.parquet").read_bytes(), table
        stored = pq.read_table(parquet_package / "data" / f"{table}.parquet")
        assert json.loads(stored.schema.metadata[SCHEMA_KEY]) == package.schema(table)


def test_two_builds_are_the_same_bytes(parquet_package: Path, tmp_path: Path) -> None:
    again = build(CORPUS, tmp_path / "again", environ={}, workers=1, cache=False, formats=BOTH)
    first = sorted(p.relative_to(parquet_package) for p in parquet_package.rglob("*"))
    second = sorted(p.relative_to(again.out_dir) for p in again.out_dir.rglob("*"))
    assert first == second
    for relative in first:
        if (parquet_package / relative).is_file():
            left = (parquet_package / relative).read_bytes()
            assert left == (again.out_dir / relative).read_bytes(), relative


def test_a_csv_only_build_replaces_a_parquet_package(parquet_package: Path, tmp_path: Path) -> None:
    target = tmp_path / "datapackage"
    shutil.copytree(parquet_package, target)
    build(CORPUS, target, environ={}, workers=1, cache=False)
    assert not list(target.glob("data/*.parquet"))
    assert parquet_resources(_descriptor(target)) == []


# -- the loader -----------------------------------------------------------------------------------


def test_a_package_with_parquet_loads_its_csv_tables(package: Package, tmp_path: Path) -> None:
    assert all(not table.endswith("-parquet") for table in package.tables)
    assert package.info()["tables"]["documents"] == len(package.read("documents"))
    frame = package.to_pandas("persons")
    assert len(frame) == len(package.read("persons"))


def test_to_pandas_reads_the_parquet_copy_and_gives_the_csv_frame(
    parquet_package: Path,
) -> None:
    from dprk_records.loader.dataframe import frame_from_columns

    package = Package(parquet_package)
    for table in package.tables:
        from_parquet = package._frame_from_parquet(table)
        assert from_parquet is not None, table
        fields, typed = package._typed(table)
        pandas.testing.assert_frame_equal(
            from_parquet, frame_from_columns(typed, fields), check_exact=True
        )
        pandas.testing.assert_frame_equal(package.to_pandas(table), from_parquet, check_exact=True)


def test_a_damaged_parquet_copy_is_not_read(parquet_package: Path, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(parquet_package, folder)
    _rewrite(folder, "persons", _flip_name, describe=False)
    package = Package(folder)
    assert package._frame_from_parquet("persons") is None
    assert package.to_pandas("persons")["name"].tolist() == [
        row["name"] for row in package.read("persons")
    ]


# -- the gate -------------------------------------------------------------------------------------


def test_the_gate_passes_on_a_parquet_package(parquet_package: Path) -> None:
    report = validate_package(parquet_package, workers=1)
    assert report.valid, [f"{f.check}: {f.where()}: {f.message}" for f in report.findings]
    names = [result.name for result in report.checks]
    assert "parquet" in names


def _rewrite(folder: Path, table: str, change: Any, *, describe: bool = True) -> None:
    """Replace a table's Parquet file by ``change(table)`` and, with ``describe``, record its new
    size and hash in the descriptor (so only the content is wrong)."""
    file = folder / "data" / f"{table}.parquet"
    stored = pq.read_table(file)
    write_arrow_table(change(stored), str(file))
    if describe:
        data = file.read_bytes()
        descriptor = _descriptor(folder)
        for resource in descriptor["resources"]:
            if resource["name"] == f"{table}-parquet":
                resource["bytes"] = len(data)
                resource["hash"] = f"sha256:{sha256_hex(data)}"
        (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def _flip_name(stored: Any) -> Any:
    names = stored.column("name").to_pylist()
    names[1] = names[1] + " X"
    index = stored.schema.get_field_index("name")
    return stored.set_column(index, stored.schema.field("name"), pa.array(names, pa.string()))


def _drop_last_row(stored: Any) -> Any:
    return stored.slice(0, stored.num_rows - 1)


def _retype_given_name(stored: Any) -> Any:
    index = stored.schema.get_field_index("given_name")
    field = pa.field("given_name", pa.large_string(), nullable=False)
    column = stored.column(index).cast(pa.large_string())
    return stored.set_column(index, field, column)


@pytest.mark.parametrize(
    ("change", "describe", "rule"),
    [
        (_flip_name, True, "value"),
        (_drop_last_row, True, "row-count"),
        (_retype_given_name, True, "column-type"),
        (_flip_name, False, "hash"),
    ],
    ids=["flipped-value", "dropped-row", "changed-type", "edited-file"],
)
def test_the_gate_catches_a_wrong_parquet_file(
    parquet_package: Path, tmp_path: Path, change: Any, describe: bool, rule: str
) -> None:
    folder = tmp_path / "package"
    shutil.copytree(parquet_package, folder)
    _rewrite(folder, "persons", change, describe=describe)
    report = validate_package(folder, workers=1)
    assert not report.valid
    mine = [f for f in report.findings if f.check == "parquet"]
    assert rule in {f.rule for f in mine}, mine
    assert all(f.table == "persons" and f.file == "data/persons.parquet" for f in mine)
    if rule == "value":
        assert [(f.row, f.field) for f in mine] == [(2, "name")]
    # the frictionless check leaves Parquet files to this one
    assert not [f for f in report.findings if f.check == "frictionless"]


def test_the_gate_catches_a_parquet_resource_of_no_table(
    parquet_package: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "package"
    shutil.copytree(parquet_package, folder)
    descriptor = _descriptor(folder)
    resource = next(r for r in descriptor["resources"] if r["name"] == "persons-parquet")
    resource["name"] = "people-parquet"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate_package(folder, workers=1)
    assert "no-table" in {f.rule for f in report.findings if f.check == "parquet"}


# -- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [("csv,xlsx", "unknown table format 'xlsx'"), ("parquet", "csv format is always built")],
)
def test_the_command_refuses_a_wrong_format_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    from dprk_records.cli import main

    out = tmp_path / "out"
    code = main(["build", "--seeds", str(CORPUS), "--out", str(out), "--format", value])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
    with pytest.raises(BuildError, match=message):
        build(CORPUS, out, environ={}, formats=value.split(","))


def test_parquet_without_pyarrow_names_the_extra_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    out = tmp_path / "out"
    with pytest.raises(MissingExtraError, match=r'pip install "dprk-records\[sql\]"'):
        build(CORPUS, out, environ={}, cache=False, formats=BOTH)
    assert not out.exists()
    from dprk_records.cli import main

    code = main(["build", "--seeds", str(CORPUS), "--out", str(out), "--format", "csv,parquet"])
    assert code == 2
    err = capsys.readouterr().err
    assert "dprk-records[sql]" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_build_check_compares_the_parquet_files(
    parquet_package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dprk_records.cli import main

    folder = tmp_path / "datapackage"
    shutil.copytree(parquet_package, folder)
    argv = ["build", "--seeds", str(CORPUS), "--out", str(folder), "--check", "--no-cache"]
    assert main(argv) == 0
    (folder / "data" / "persons.parquet").unlink()
    assert main(argv) == 1
    assert "datapackage/data/persons.parquet" in capsys.readouterr().err


def test_add_keeps_the_parquet_copies_of_a_package_that_has_them(tmp_path: Path) -> None:
    """`dprk-records add` rebuilds in the formats the checkout's package was built with."""
    from dprk_records.cli import main as cli_main

    from .checkouts import ADD_DATE, ADD_TEXT, make_checkout

    checkout = make_checkout(tmp_path / "repo")
    build(checkout / "seeds", checkout / "datapackage", environ={}, formats=("csv", "parquet"))
    args = ["add", str(ADD_TEXT), "--checkout", str(checkout), "--published", ADD_DATE]
    assert cli_main(args) == 0
    data = checkout / "datapackage" / "data"
    csvs = sorted(p.stem for p in data.glob("*.csv"))
    assert sorted(p.stem for p in data.glob("*.parquet")) == csvs and csvs
    descriptor = json.loads((checkout / "datapackage" / "datapackage.json").read_text())
    names = {r["name"] for r in descriptor["resources"]}
    assert {f"{name}-parquet" for name in csvs} <= names
