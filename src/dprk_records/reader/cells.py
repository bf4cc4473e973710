"""CSV cells to values, by the Table Schema type of their field: two readings of one cell.

Typed (the loader): a converter is built once per field (:func:`field_converter`) and mapped
over a whole column (:func:`convert_column`), several times faster than deciding per cell.
Missing values (``missingValues``, default ``[""]``) become None for every type. Types the
loader does not model (``any``, ``object``, ``array``, ``duration``, ``geopoint``...) stay
strings. A cell that does not parse is a PackageError naming its row and field.

JSON-ready (the gate, diffs, release history): :func:`json_value` casts integers, numbers and
booleans and keeps dates as their ISO text, which is what the JSON Schema checks and a diff
compare; a cell that does not parse stays its text, so the gate reports it as a type error
instead of failing to read the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from dprk_records.errors import PackageError

Converter = Callable[[str], Any]

DEFAULT_MISSING = ("",)
DEFAULT_TRUE = ("true", "True", "TRUE", "1")
DEFAULT_FALSE = ("false", "False", "FALSE", "0")


def _date(fmt: str | None) -> Converter:
    if fmt in (None, "default", "any"):
        return dt.date.fromisoformat
    return lambda text: dt.datetime.strptime(text, fmt).date()


def _datetime(fmt: str | None) -> Converter:
    if fmt in (None, "default", "any"):
        return dt.datetime.fromisoformat
    return lambda text: dt.datetime.strptime(text, fmt)


def _time(fmt: str | None) -> Converter:
    if fmt in (None, "default", "any"):
        return dt.time.fromisoformat
    return lambda text: dt.datetime.strptime(text, fmt).time()


def _boolean(field: dict[str, Any]) -> Converter:
    table = dict.fromkeys(field.get("trueValues", DEFAULT_TRUE), True)
    table.update(dict.fromkeys(field.get("falseValues", DEFAULT_FALSE), False))

    def convert(text: str) -> bool:
        try:
            return table[text]
        except KeyError:
            raise ValueError(f"not one of {sorted(table)}") from None

    return convert


def _number(field: dict[str, Any]) -> Converter:
    group, decimal = field.get("groupChar"), field.get("decimalChar", ".")
    if not group and decimal == ".":
        return float

    def convert(text: str) -> float:
        if group:
            text = text.replace(group, "")
        return float(text.replace(decimal, "."))

    return convert


def _integer(field: dict[str, Any]) -> Converter:
    group = field.get("groupChar")
    if not group:
        return int
    return lambda text: int(text.replace(group, ""))


def value_converter(field: dict[str, Any]) -> Converter:
    """The converter of one non-missing cell of *field* (raises ValueError on a bad cell)."""
    ftype = field.get("type", "string")
    fmt = field.get("format")
    if ftype in ("integer", "year"):
        return _integer(field)
    if ftype == "number":
        return _number(field)
    if ftype == "boolean":
        return _boolean(field)
    if ftype == "date":
        return _date(fmt)
    if ftype == "datetime":
        return _datetime(fmt)
    if ftype == "time":
        return _time(fmt)
    return str


def missing_values(field: dict[str, Any], schema: dict[str, Any]) -> frozenset[str]:
    """Cells meaning "no value" for *field*: its own missingValues, else the schema's, else ''."""
    values = field.get("missingValues", schema.get("missingValues", DEFAULT_MISSING))
    return frozenset(v if isinstance(v, str) else v.get("value", "") for v in values)


def field_converter(field: dict[str, Any], schema: dict[str, Any]) -> Converter:
    """The converter of any cell of *field*: None for a missing value, else a typed value."""
    convert = value_converter(field)
    missing = missing_values(field, schema)
    if missing == {""}:
        if convert is str:
            return lambda text: text or None
        return lambda text: convert(text) if text else None
    return lambda text: None if text in missing else convert(text)


def _convert_all(
    cells: Sequence[str], field: dict[str, Any], schema: dict[str, Any], convert: Converter
) -> list[Any]:
    """``list(map(convert, cells))``, with the common columns done without a Python call per
    cell: strings, and integers or numbers with no missing value (or only the default "")."""
    if missing_values(field, schema) == {""}:
        plain = value_converter(field)
        if plain is str:
            return [text or None for text in cells]
        if plain in (int, float):
            if "" not in cells:
                return list(map(plain, cells))
            return [plain(text) if text else None for text in cells]
    return list(map(convert, cells))


def convert_column(
    cells: Sequence[str], field: dict[str, Any], schema: dict[str, Any], where: str
) -> list[Any]:
    """Convert one column; a bad cell raises PackageError naming the row, field and value."""
    convert = field_converter(field, schema)
    try:
        return _convert_all(cells, field, schema, convert)
    except (ValueError, TypeError, OverflowError) as first:
        for row_number, text in enumerate(cells, start=1):
            try:
                convert(text)
            except (ValueError, TypeError, OverflowError) as exc:
                raise PackageError(
                    f"{where}, data row {row_number}: field {field['name']!r} holds {text!r}, "
                    f"which is not a valid {field.get('type', 'string')} ({exc})"
                ) from exc
        raise PackageError(f"{where}: field {field['name']!r}: {first}") from first


def json_value(text: str, ftype: str, missing: frozenset[str]) -> Any:
    """One CSV cell as a JSON value for a field of type ``ftype``: None when missing, a number
    or a boolean when it parses as one, else the text as written."""
    if text in missing:
        return None
    try:
        if ftype == "integer" or ftype == "year":
            return int(text)
        if ftype == "number":
            return float(text)
    except ValueError:
        return text
    if ftype == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


_JSON_CASTS: dict[str, Converter] = {"integer": int, "year": int, "number": float}


def json_column(cells: Sequence[str], ftype: str, missing: frozenset[str]) -> list[Any]:
    """``[json_value(text, ftype, missing) for text in cells]``, without a Python call per cell
    for the common columns: the gate reads every cell of a package, about a million rows at
    10 000 documents. A column with a cell that does not parse is done cell by cell.

    Equal texts of a string column come out as one string object: ids, names and titles repeat
    from row to row, and a reader that holds a whole table (the Popolo export, a diff) would
    otherwise keep each copy (a third of the rows' memory, when the gate held every table)."""
    cast = _JSON_CASTS.get(ftype)
    if cast is not None:
        try:
            if missing == {""}:
                return [cast(text) if text else None for text in cells]
            return [None if text in missing else cast(text) for text in cells]
        except ValueError:
            return [json_value(text, ftype, missing) for text in cells]
    if ftype == "boolean":
        return [json_value(text, ftype, missing) for text in cells]
    canonical: dict[str, str] = {}
    shared = map(canonical.setdefault, cells, cells)  # (the first of equal texts, in C)
    if missing == {""}:
        return [text or None for text in shared]
    return [None if text in missing else text for text in shared]
