"""Typed columns to a pandas DataFrame, with dtypes chosen from the Table Schema.

Nullable extension dtypes are used so that a missing value stays missing without changing the
column's type: an integer column with a gap is ``Int64``, not ``float64``. pandas is an optional
extra; this module is only imported when a DataFrame is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
