"""Typed columns to a pandas DataFrame, with dtypes chosen from the Table Schema.

Nullable extension dtypes are used so that a missing value stays missing without changing the
column's type: an integer column with a gap is ``Int64``, not ``float64``. pandas is an optional
extra; this module is only imported when a DataFrame is asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, BinaryIO

from dprk_records.loader.errors import MissingExtraError

if TYPE_CHECKING:
    import pandas as pd

# Table Schema type -> pandas dtype for the types that map directly.
PANDAS_DTYPES = {
    "integer": "Int64",
    "year": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "string": "string",
}


def import_pandas() -> Any:
    """Import pandas, or say which extra to install."""
    try:
        import pandas
    except ImportError as exc:
        raise MissingExtraError(
            "reading a table as a DataFrame needs pandas, which is not installed. "
            'Install it with: pip install "dprk-records[pandas]" '
            "(or use Package.read(), which needs nothing else)."
        ) from exc
    return pandas


def frame_from_columns(columns: dict[str, list[Any]], fields: list[dict[str, Any]]) -> pd.DataFrame:
    """Build a DataFrame from typed columns; dates and datetimes become ``datetime64``."""
    pandas = import_pandas()
    data = {}
    for field in fields:
        name, ftype = field["name"], field.get("type", "string")
        values = columns[name]
        if ftype in PANDAS_DTYPES:
            data[name] = pandas.array(values, dtype=PANDAS_DTYPES[ftype])
        elif ftype in ("date", "datetime"):
            aware = any(getattr(v, "tzinfo", None) is not None for v in values)
            series = pandas.Series(values, dtype=object)
            data[name] = pandas.to_datetime(series, utc=aware).array
        else:
            data[name] = pandas.array(values, dtype=object)
    return pandas.DataFrame(data, columns=[field["name"] for field in fields])


# Field properties the C-parser path understands: anything else (groupChar, trueValues, formats,
# field missingValues...) takes the cell-by-cell path.
_PLAIN_FIELD_KEYS = frozenset(
    {"name", "type", "format", "title", "description", "constraints", "example"}
)
_PLAIN_DIALECT = {"header": True, "delimiter": ",", "quoteChar": '"', "doubleQuote": True}


def plain_csv_table(fields: list[dict[str, Any]], schema: dict[str, Any], dialect: Any) -> bool:
    """Whether pandas' own CSV parser reads this table exactly as the loader's converters do:
    default dialect, missing value "" only, and every field a string, integer, year, number,
    boolean or date in its default format."""
    if not isinstance(dialect, dict) or any(
        dialect.get(key, default) != default for key, default in _PLAIN_DIALECT.items()
    ):
        return False
    if dialect.get("escapeChar") or dialect.get("skipInitialSpace"):
        return False
    if schema.get("missingValues", [""]) != [""]:
        return False
    for field in fields:
        if not set(field) <= _PLAIN_FIELD_KEYS:
            return False
        ftype = field.get("type", "string")
        if field.get("format", "default") != "default" or ftype not in {*PANDAS_DTYPES, "date"}:
            return False
    return True


@cache
def _dtype(name: str) -> Any:
    """A pandas dtype object from its name, made once (pandas parses dtype names slowly)."""
    return import_pandas().api.types.pandas_dtype(name)


def frame_from_arrow(table: Any, fields: list[dict[str, Any]]) -> pd.DataFrame | None:
    """A pyarrow Table whose columns have the Arrow types of their fields (integers for
    integers and years, float64, bool, string, date32) as the DataFrame
    :func:`frame_from_columns` gives. None when a number is NaN: pandas' Float64 reads a NaN
    from a list as missing, from Arrow as NaN, so such a table is read cell by cell."""
    import pyarrow.compute as pc

    pandas = import_pandas()
    columns = {}
    for field in fields:
        name, ftype = field["name"], field.get("type", "string")
        column = table.column(name)
        if ftype == "number" and pc.any(pc.is_nan(column)).as_py():
            return None
        if ftype == "date":
            columns[name] = _dates_as_pandas(column, field)
            continue
        if ftype == "year":
            column = column.cast("int64")
        # the dtype's own Arrow conversion: pandas.array() or the Series would copy it again
        columns[name] = _dtype(PANDAS_DTYPES[ftype]).__from_arrow__(column)
    return pandas.DataFrame(columns, columns=[field["name"] for field in fields], copy=False)


# Dates every pandas unit holds (nanoseconds, pandas 2's, end in 2262): a column outside takes
# the path of Python dates, which is what decides how pandas treats it
_SAFE_DATES = (dt.date(1678, 1, 1), dt.date(2261, 12, 31))


def _dates_as_pandas(column: Any, field: dict[str, Any]) -> Any:
    """A date32 column as the datetime array :func:`frame_from_columns` makes of its Python
    dates: the unit is the one pandas gives those dates, asked of pandas itself (seconds in
    pandas 3, nanoseconds in pandas 2), and the days are converted to it in numpy."""
    import pyarrow.compute as pc

    pandas = import_pandas()
    bounds = pc.min_max(column).as_py()
    low, high = bounds["min"], bounds["max"]
    if low is None or low < _SAFE_DATES[0] or high > _SAFE_DATES[1]:
        values = column.to_pylist()
        return frame_from_columns({field["name"]: values}, [field])[field["name"]].array
    dtype = frame_from_columns({field["name"]: [low]}, [field])[field["name"]].dtype
    days = column.to_numpy()  # datetime64[D], a missing date NaT
    return pandas.array(days.astype(dtype))


def frame_from_csv(
    data: bytes | BinaryIO, fields: list[dict[str, Any]], schema: dict[str, Any]
) -> pd.DataFrame:
    """Parse a plain table (:func:`plain_csv_table`: its bytes, or a binary file open at its
    start) into the dtypes :func:`frame_from_columns` gives, with pyarrow's CSV reader when the
    extra is installed (several times faster, on every core), else pandas' C parser. With
    pyarrow, YYYY-MM-DD dates are read by Arrow, which takes no other form, and any other form
    by the loader's own converter, so that they come out exactly alike. Raises ValueError
    (or a pandas or Arrow error) on a cell that does not parse: the caller then reads the table
    cell by cell to name it."""
    try:
        import pyarrow  # noqa: F401  (an optional extra)
    except ImportError:
        return _frame_by_pandas(data, fields, schema)
    return _frame_by_arrow(data, fields, schema)


def _frame_by_arrow(
    data: bytes | BinaryIO,
    fields: list[dict[str, Any]],
    schema: dict[str, Any],
    *,
    block_size: int | None = None,
) -> pd.DataFrame:
    import pyarrow

    from dprk_records.columnar.arrowschema import arrow_type

    names = [field["name"] for field in fields]
    dates = {f["name"] for f in fields if f.get("type", "string") == "date"}
    # Arrow's integer parser also takes hexadecimal ("0x1f"), which the converters refuse:
    # integers are read as text and cast only when every one is written in decimal digits
    whole = {f["name"] for f in fields if f.get("type", "string") in ("integer", "year")}
    # each column as the package's one typing makes it, but dates and integers read as text
    types = {
        f["name"]: pyarrow.string() if f["name"] in dates | whole else arrow_type(f) for f in fields
    }
    # newlines_in_values: Arrow then cuts the file only where a row ends. Cut at every line
    # end it parses a third quicker, but a block that ends inside a quoted line break loses
    # that row's first part without an error (tests/test_frame_parsers.py shows one)
    table = _arrow_table(data, types, block_size)
    if table.column_names != names:
        raise ValueError(f"CSV header {table.column_names} is not the schema's {names}")
    if dates or whole:
        columns = []
        for field in fields:
            column = table.column(field["name"])
            if field["name"] in dates:
                column = _date_column(column, field, schema)
            elif field["name"] in whole:
                column = _decimal_column(column, field)
            columns.append(column)
        table = pyarrow.Table.from_arrays(columns, names=names)
    frame = frame_from_arrow(table, fields)
    if frame is None:
        raise ValueError("a number is NaN")
    return frame


def _arrow_table(data: bytes | BinaryIO, types: dict[str, Any], block_size: int | None) -> Any:
    """The CSV parsed by pyarrow with the given column types (ValueError if it does not)."""
    import pyarrow
    import pyarrow.csv as arrow_csv

    from dprk_records.reader.cells import DEFAULT_FALSE, DEFAULT_TRUE

    read_options = arrow_csv.ReadOptions(block_size=block_size) if block_size else None
    try:
        return arrow_csv.read_csv(
            pyarrow.BufferReader(data) if isinstance(data, bytes) else data,
            read_options=read_options,
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types=types,
                null_values=[""],
                true_values=list(DEFAULT_TRUE),
                false_values=list(DEFAULT_FALSE),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pyarrow.ArrowException as exc:
        raise ValueError(str(exc)) from None


def _text_values(column: Any) -> Iterator[Any]:
    """The bytes of a string column's values, a chunk at a time, as numpy uint8 views of
    Arrow's own buffers (nothing copied); a chunk of only empty or missing values has none."""
    import numpy

    for chunk in column.chunks:
        _, offsets, values = chunk.buffers()
        if values is not None and len(chunk):
            # (32-bit little-endian offsets into the values, the chunk's own from chunk.offset)
            start, end = (
                int.from_bytes(offsets[4 * at : 4 * at + 4], "little", signed=True)
                for at in (chunk.offset, chunk.offset + len(chunk))
            )
            if end > start:
                yield numpy.frombuffer(values, numpy.uint8)[start:end]


def _decimal_column(column: Any, field: dict[str, Any]) -> Any:
    """An integer column read as text, cast to its Arrow type. Arrow's cast takes an optional
    minus and decimal digits, or hexadecimal written 0x...: any x, so, is refused, as the
    converters refuse it."""
    import pyarrow
    import pyarrow.compute as compute

    from dprk_records.columnar.arrowschema import arrow_type

    for values in _text_values(column):
        if ((values | 0x20) == ord("x")).any():
            raise ValueError(f"{field['name']}: an integer not in decimal digits")
    try:
        return compute.cast(column, arrow_type(field))
    except pyarrow.ArrowException as exc:  # (a sign, a space, out of range...)
        raise ValueError(str(exc)) from None


def _date_column(column: Any, field: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A date column read as text, as date32. Arrow's cast takes YYYY-MM-DD only, a real day
    from year 1 to 9999, which Python reads alike; a column with another form the converters
    take (20210407, 2021-W14-3) is converted by them instead, a cell at a time."""
    import pyarrow

    from dprk_records.reader.cells import convert_column

    try:
        return column.cast(pyarrow.date32())
    except pyarrow.ArrowException:
        strings = column.fill_null("").to_pylist()  # (a missing one being "")
        converted = convert_column(strings, field, schema, field["name"])
        return pyarrow.array(converted, type=pyarrow.date32())


def _frame_by_pandas(
    data: bytes | BinaryIO, fields: list[dict[str, Any]], schema: dict[str, Any]
) -> pd.DataFrame:
    import io

    from dprk_records.reader.cells import DEFAULT_FALSE, DEFAULT_TRUE, convert_column

    pandas = import_pandas()
    names = [field["name"] for field in fields]
    own = {f["name"] for f in fields if f.get("type", "string") == "date"}
    dtype: dict[str, Any] = {
        f["name"]: object if f["name"] in own else _dtype(PANDAS_DTYPES[f.get("type", "string")])
        for f in fields
    }
    frame = pandas.read_csv(
        io.BytesIO(data) if isinstance(data, bytes) else data,
        dtype=dtype,
        keep_default_na=False,
        na_values={name: [""] for name in names if name not in own} if own else [""],
        true_values=list(DEFAULT_TRUE),
        false_values=list(DEFAULT_FALSE),
        encoding="utf-8",
    )
    if list(frame.columns) != names:
        raise ValueError(f"CSV header {list(frame.columns)} is not the schema's {names}")
    for field in fields:
        name = field["name"]
        if name in own:
            values = convert_column(frame[name].tolist(), field, schema, name)
            data_column = frame_from_columns({name: values}, [field])[name]
            frame[name] = data_column.array
    return frame
