"""The CSV -> Parquet converter alone (dprk_records.columnar.fromcsv): typed from the Table
Schema, an empty cell null exactly where the loader reads None, rows in CSV order, the same
bytes however the CSV is read (blocks, row groups, path or bytes), and a clear error naming
the file for a CSV it cannot read as the loader would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from dprk_records.columnar import fromcsv, parquetfile
from dprk_records.columnar.fromcsv import csv_to_parquet, parquet_bytes, read_csv_table
from dprk_records.errors import ParquetConversionError
from dprk_records.pipeline.csvformat import render_csv
from dprk_records.reader.cells import convert_column
from dprk_records.reader.tables import csv_records

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "text", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "value", "type": "number"},
        {"name": "flag", "type": "boolean"},
        {"name": "day", "type": "date"},
        {"name": "year", "type": "year"},
    ],
    "primaryKey": ["id"],
    "missingValues": [""],
}
DIALECT = {"header": True, "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"'}


class Row:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


ROWS = [
    Row(id="a", text="", count=None, value=None, flag=None, day=None, year=None),
    Row(id="b", text='quoted "x", with comma', count=0, value=1.0, flag=True, day=None, year=2020),
    Row(
        id="c",
        text="two\nlines\r\nand a CR\r",
        count=-7,
        value=0.1,
        flag=False,
        year=1999,
        day=dt.date(2023, 4, 7),
    ),
    Row(
        id="d",
        text="  spaces kept  ",
        count=2**62,
        value=-2.5e-300,
        flag=True,
        year=None,
        day=dt.date(1, 1, 1),
    ),
    Row(id="e", text="NA", count=None, value=3.0, flag=None, day=None, year=None),
    Row(id="f", text="조선 ¢ 🙂", count=1, value=None, flag=False, day=None, year=1),
]


def _csv() -> bytes:
    columns = [f["name"] for f in SCHEMA["fields"]]
    return render_csv(columns, ROWS).encode("utf-8")


def _loader_columns(data: bytes) -> dict[str, list[Any]]:
    """The columns as the loader types them (reader.cells), the reference."""
    resource = {"dialect": DIALECT, "schema": SCHEMA}
    _header, body = csv_records(data, resource, Path("t.csv"), "t")
    cells = list(zip(*body, strict=True))
    return {
        field["name"]: convert_column(column, field, SCHEMA, "t.csv")
        for field, column in zip(SCHEMA["fields"], cells, strict=True)
    }


def test_values_and_nulls_are_the_loaders() -> None:
    data = _csv()
    table = read_csv_table(data, SCHEMA, DIALECT)
    assert table.to_pydict() == _loader_columns(data)
    assert table.column("text").to_pylist()[0] is None  # "" is missing, as the loader reads it
    assert table.column("text").to_pylist()[4] == "NA"  # no other null spelling
    assert [f.type for f in table.schema] == [
        pa.string(),
        pa.string(),
        pa.int64(),
        pa.float64(),
        pa.bool_(),
        pa.date32(),
        pa.int32(),
    ]
    assert [f.nullable for f in table.schema] == [False, True, True, True, True, True, True]


def test_a_path_and_bytes_give_the_same_parquet_bytes(tmp_path: Path) -> None:
    source = tmp_path / "t.csv"
    source.write_bytes(_csv())
    assert csv_to_parquet(source, tmp_path / "t.parquet", SCHEMA, DIALECT) == len(ROWS)
    assert (tmp_path / "t.parquet").read_bytes() == parquet_bytes(_csv(), SCHEMA, DIALECT)


def test_row_groups_are_fixed_whatever_the_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    columns = [f["name"] for f in SCHEMA["fields"]]
    many = [Row(**{**row.__dict__, "id": f"{row.id}{n}"}) for n in range(50) for row in ROWS]
    data = render_csv(columns, many).encode("utf-8")
    monkeypatch.setattr(parquetfile, "ROW_GROUP_ROWS", 7)
    outputs = set()
    for block_size in (64, 1000, 1 << 20):  # 64 bytes: shorter than a row, so retried larger
        monkeypatch.setattr(fromcsv, "BLOCK_SIZE", block_size)
        outputs.add(parquet_bytes(data, SCHEMA, DIALECT))
    assert len(outputs) == 1
    (tmp_path / "t.parquet").write_bytes(outputs.pop())
    meta = pq.ParquetFile(tmp_path / "t.parquet").metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes == [7] * (len(many) // 7) + [len(many) % 7]
    stored = pq.read_table(tmp_path / "t.parquet")
    assert stored.column("id").to_pylist() == [row.id for row in many]  # CSV order


def test_a_header_only_table_is_typed_and_empty() -> None:
    data = b"id,text,count,value,flag,day,year\n"
    table = read_csv_table(data, SCHEMA, DIALECT)
    assert table.num_rows == 0 and table.schema.field("day").type == pa.date32()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"id,text,count\nx,y,1\n", "header"),
        (b"id,text,count,value,flag,day,year\na,,one,,,,\n", "Table Schema says"),
        (b"id,text,count,value,flag,day,year\n,,1,,,,\n", "row 1: required field 'id' is empty"),
        (b"id,text,count,value,flag,day,year\na,,1,,yes,,\n", "Table Schema says"),
        (b"id,text,count,value,flag,day,year\na,,1,,,2023-13-01,\n", "Table Schema says"),
        (b"id,text,count,value,flag,day,year\na,,1\n", "t.csv"),
        (b"", "t.csv"),
    ],
    ids=["header", "integer", "required", "boolean", "date", "ragged", "empty"],
)
def test_a_csv_the_loader_would_refuse_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ParquetConversionError, match=message) as caught:
        parquet_bytes(data, SCHEMA, DIALECT, where="data/t.csv")
    assert "data/t.csv" in str(caught.value) or message == "t.csv"


def test_a_schema_property_it_does_not_model_is_refused() -> None:
    schema = {"fields": [{"name": "flag", "type": "boolean", "trueValues": ["Y"]}]}
    with pytest.raises(ParquetConversionError, match="trueValues"):
        parquet_bytes(b"flag\nY\n", schema, DIALECT, where="data/t.csv")
    with pytest.raises(ParquetConversionError, match="dialect"):
        parquet_bytes(b"flag\ntrue\n", {"fields": [{"name": "flag"}]}, {"commentChar": "#"})


def test_a_failed_conversion_leaves_no_file(tmp_path: Path) -> None:
    source = tmp_path / "t.csv"
    source.write_bytes(b"id,text,count,value,flag,day,year\na,,one,,,,\n")
    with pytest.raises(ParquetConversionError, match=str(source)):
        csv_to_parquet(source, tmp_path / "t.parquet", SCHEMA, DIALECT)
    assert not (tmp_path / "t.parquet").exists()
