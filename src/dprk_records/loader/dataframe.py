"""Typed columns to a pandas DataFrame, with dtypes chosen from the Table Schema.

Nullable extension dtypes are used so that a missing value stays missing without changing the
column's type: an integer column with a gap is ``Int64``, not ``float64``. pandas is an optional
extra; this module is only imported when a DataFrame is asked for.
"""

from __future__ import annotations

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
            values = column.to_pylist()
            columns[name] = frame_from_columns({name: values}, [field])[name].array
            continue
        if ftype == "year":
            column = column.cast("int64")
        dtype = _dtype(PANDAS_DTYPES[ftype])
        columns[name] = pandas.array(column.to_pandas(types_mapper={column.type: dtype}.get))
    return pandas.DataFrame(columns, columns=[field["name"] for field in fields])


def frame_from_csv(
    data: bytes | BinaryIO, fields: list[dict[str, Any]], schema: dict[str, Any]
) -> pd.DataFrame:
    """Parse a plain table (:func:`plain_csv_table`: its bytes, or a binary file open at its
    start) into the dtypes :func:`frame_from_columns` gives, with pyarrow's CSV reader when the
    extra is installed (several times faster, on every core), else pandas' C parser; dates go
    through the loader's own converter, so that they come out exactly alike. Raises ValueError
    (or a pandas or Arrow error) on a cell that does not parse: the caller then reads the table
    cell by cell to name it."""
    try:
        import pyarrow  # noqa: F401  (an optional extra)
    except ImportError:
        return _frame_by_pandas(data, fields, schema)
    return _frame_by_arrow(data, fields, schema)


def _frame_by_arrow(
    data: bytes | BinaryIO, fields: list[dict[str, Any]], schema: dict[str, Any]
) -> pd.DataFrame:
    import io

    import pyarrow
    import pyarrow.compute as compute
    import pyarrow.csv as arrow_csv

    from dprk_records.columnar.arrowschema import arrow_type
    from dprk_records.reader.cells import DEFAULT_FALSE, DEFAULT_TRUE, convert_column

    names = [field["name"] for field in fields]
    dates = {f["name"] for f in fields if f.get("type", "string") == "date"}
    # Arrow's integer parser also takes hexadecimal ("0x1f"), which the converters refuse:
    # integers are read as text and cast only when every one is written in decimal digits
    whole = {f["name"] for f in fields if f.get("type", "string") in ("integer", "year")}
    # each column as the package's one typing makes it, but dates and integers read as text
    types = {
        f["name"]: pyarrow.string() if f["name"] in dates | whole else arrow_type(f) for f in fields
    }
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(data) if isinstance(data, bytes) else data,
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
    if table.column_names != names:
        raise ValueError(f"CSV header {table.column_names} is not the schema's {names}")
    if dates or whole:
        columns = []
        for field in fields:
            column = table.column(field["name"])
            if field["name"] in dates:  # the loader's own converter, a missing one being ""
                strings = column.fill_null("").to_pylist()
                converted = convert_column(strings, field, schema, field["name"])
                column = pyarrow.array(converted, type=pyarrow.date32())
            elif field["name"] in whole:
                # ASCII digits after the leading minus signs (a few times quicker than a
                # regex); two signs pass here and fail the cast below, as "+5" or " 5" do
                digits = compute.ascii_ltrim(column, characters="-")
                if not compute.all(compute.ascii_is_decimal(digits), min_count=0).as_py():
                    raise ValueError(f"{field['name']}: an integer not in decimal digits")
                try:
                    column = compute.cast(column, arrow_type(field))
                except pyarrow.ArrowException as exc:  # (out of range)
                    raise ValueError(str(exc)) from None
            columns.append(column)
        table = pyarrow.Table.from_arrays(columns, names=names)
    frame = frame_from_arrow(table, fields)
    if frame is None:
        raise ValueError("a number is NaN")
    return frame


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
