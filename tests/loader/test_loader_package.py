"""Reading a local data package folder: typed rows, schemas, checks, pandas, info."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import dprk_records
from dprk_records.loader.package import Package
from dprk_records.reader.cells import field_converter

from .builders import PERSONS_TYPED


def test_open_a_local_folder_without_any_download(package_dir: Path) -> None:
    pkg = dprk_records.open(path=package_dir)
    assert pkg.version == "1.0.0"
    assert pkg.path == package_dir.resolve()
    assert pkg.tables == ["persons", "events"]  # the source text is not a table
    assert pkg.read("persons") == PERSONS_TYPED
    assert dprk_records.load("persons", path=package_dir) == PERSONS_TYPED
    assert Package(package_dir / "datapackage.json").tables == pkg.tables


def test_quoted_cells_with_commas_quotes_and_newlines(package_dir: Path) -> None:
    events = dprk_records.load("events", path=package_dir)
    assert events[1]["name"] == 'The "2nd Plenary Meeting"\nof the 8th Central Committee'
    assert events[0]["recorded_at"] == dt.datetime(2021, 4, 7, 6, 0)
    assert events[1]["attendance"] is None and events[1]["recorded_at"] is None


def test_schema_is_a_copy_of_the_inline_table_schema(package_dir: Path) -> None:
    pkg = Package(package_dir)
    schema = pkg.schema("persons")
    assert schema["primaryKey"] == ["person_id"]
    assert [f["type"] for f in schema["fields"]][:4] == ["string", "string", "year", "boolean"]
    schema["fields"].clear()
    assert pkg.schema("persons")["fields"]


@pytest.mark.parametrize("name", ["nobody", "doc-1"])
def test_unknown_or_non_table_resource(package_dir: Path, name: str) -> None:
    with pytest.raises(dprk_records.NoSuchTableError, match="tables: persons, events"):
        Package(package_dir).read(name)


def test_version_mismatch_between_path_and_version(package_dir: Path) -> None:
    assert dprk_records.open(version="1.0.0", path=package_dir).version == "1.0.0"
    with pytest.raises(
        dprk_records.PackageError, match=r"holds data version '1\.0\.0', not '2\.0\.0'"
    ):
        dprk_records.open(version="2.0.0", path=package_dir)


def test_not_a_package_folder(tmp_path: Path) -> None:
    with pytest.raises(dprk_records.PackageError, match=r"no datapackage\.json"):
        dprk_records.open(path=tmp_path)


def test_edited_table_fails_its_recorded_hash(package_dir: Path) -> None:
    csv_file = package_dir / "data" / "persons.csv"
    csv_file.write_text(csv_file.read_text().replace("Kim Il Sung", "Kim II Sung"))
    with pytest.raises(dprk_records.HashMismatchError, match="expected sha256"):
        Package(package_dir).read("persons")
    assert Package(package_dir, verify_hashes=False).read("persons")[0]["name"] == "Kim II Sung"


def _rewrite(package_dir: Path, table: str, text: str) -> None:
    """Replace a table's CSV and switch off its recorded size and hash."""
    (package_dir / "data" / f"{table}.csv").write_text(text)
    descriptor = json.loads((package_dir / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["name"] == table:
            del resource["bytes"], resource["hash"]
    (package_dir / "datapackage.json").write_text(json.dumps(descriptor))


HEADER = "person_id,name,birth_year,is_leader,first_seen,mention_count,mention_share\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("person_id,name\nx,y\n", "does not match the schema's fields"),
        (HEADER + "a,b,1912\n", "data row 1: 3 cells where the header has 7"),
        (HEADER + "a,A,1912,yes,,1,\n", r"data row 1: field 'is_leader' holds 'yes'"),
        (HEADER + "a,A,,,,1,\nb,B,,,2021-02-30,1,\n", r"data row 2: field 'first_seen'"),
        (HEADER + "a,A,,,,1.5,\n", r"field 'mention_count' holds '1.5'.*not a valid integer"),
    ],
    ids=["empty", "header", "ragged", "boolean", "date", "integer"],
)
def test_bad_tables_raise_package_errors_that_say_where(
    package_dir: Path, text: str, message: str
) -> None:
    _rewrite(package_dir, "persons", text)
    with pytest.raises(dprk_records.PackageError, match=message):
        Package(package_dir).read("persons")


def test_header_only_table_reads_as_no_rows(package_dir: Path) -> None:
    _rewrite(package_dir, "persons", HEADER)
    assert Package(package_dir).read("persons") == []
    assert Package(package_dir).info()["tables"]["persons"] == 0


@pytest.mark.parametrize(
    ("field", "cell", "value"),
    [
        ({"type": "string"}, "Kim", "Kim"),
        ({"type": "string"}, "", None),
        ({"type": "integer"}, "-7", -7),
        ({"type": "integer", "groupChar": ","}, "10,000", 10000),
        ({"type": "year"}, "1912", 1912),
        ({"type": "number"}, "1.25", 1.25),
        ({"type": "number", "decimalChar": ",", "groupChar": "."}, "1.000,5", 1000.5),
        ({"type": "boolean"}, "true", True),
        ({"type": "boolean"}, "FALSE", False),
        ({"type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]}, "no", False),
        ({"type": "date"}, "2021-04-06", dt.date(2021, 4, 6)),
        ({"type": "date", "format": "%d/%m/%Y"}, "06/04/2021", dt.date(2021, 4, 6)),
        ({"type": "datetime"}, "2021-04-06T10:00:00Z", dt.datetime(2021, 4, 6, 10, tzinfo=dt.UTC)),
        ({"type": "time"}, "10:30:00", dt.time(10, 30)),
        ({"type": "geopoint"}, "39.0,125.7", "39.0,125.7"),
        ({"type": "integer", "missingValues": ["NA"]}, "NA", None),
        ({"type": "string", "missingValues": ["NA"]}, "", ""),
    ],
)
def test_field_converters(field: dict[str, Any], cell: str, value: Any) -> None:
    converted = field_converter({"name": "f", **field}, {})
    assert converted(cell) == value
    assert type(converted(cell)) is type(value)


def test_schema_level_missing_values(package_dir: Path) -> None:
    assert field_converter({"name": "f", "type": "integer"}, {"missingValues": ["-"]})("-") is None


def test_to_pandas_uses_nullable_dtypes_from_the_schema(package_dir: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = Package(package_dir).to_pandas("persons")
    assert list(frame.columns) == list(PERSONS_TYPED[0])
    assert {name: str(dtype) for name, dtype in frame.dtypes.items() if name != "first_seen"} == {
        "person_id": "string",
        "name": "string",
        "birth_year": "Int64",
        "is_leader": "boolean",
        "mention_count": "Int64",
        "mention_share": "Float64",
    }
    assert pd.api.types.is_datetime64_any_dtype(frame["first_seen"])
    assert frame["birth_year"].isna().tolist() == [False, True, True]
    assert frame.loc[0, "first_seen"] == pd.Timestamp("1945-10-14")
    assert frame["first_seen"].isna().tolist() == [False, False, True]
    events = Package(package_dir).to_pandas("events")
    assert pd.api.types.is_datetime64_any_dtype(events["recorded_at"])


def test_to_pandas_without_pandas_names_the_extra(
    package_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(
        dprk_records.MissingExtraError, match=r'pip install "dprk-records\[pandas\]"'
    ):
        Package(package_dir).to_pandas("persons")
    with pytest.raises(ImportError):  # still an ImportError for generic handlers
        Package(package_dir).to_pandas("persons")


def test_info_and_format_info(package_dir: Path) -> None:
    summary = dprk_records.info(path=package_dir)
    assert summary["version"] == "1.0.0"
    assert summary["tables"] == {"persons": 3, "events": 2}
    assert summary["licenses"][0]["name"] == "CC-BY-4.0"
    assert summary["sources"] == [{"title": "doc-1", "path": "sources/doc-1.txt"}]
    text = dprk_records.format_info(summary)
    assert "version:  1.0.0" in text
    assert "persons         3 rows" in text
    assert "CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)" in text
    assert "sources:  1 text" in text and not text.endswith("\n")
    json.dumps(summary)  # JSON-ready, for a --json flag
