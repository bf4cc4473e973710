"""The one CSV format of the package: UTF-8, comma, header, LF, minimal quoting, "" for null."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any


def format_value(value: Any) -> str:
    """Render one typed value as the package writes it (fixed, locale-free formats)."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def render_csv(columns: Sequence[str], rows: Iterable[Any]) -> str:
    """CSV text for dataclass rows whose fields are ``columns`` in order.

    Values are read with one attrgetter per table (rows hold only plain values, so no deep copy
    is needed) and written a table at a time.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    values = attrgetter(*columns)
    if len(columns) == 1:
        writer.writerows([format_value(values(row))] for row in rows)
    else:
        writer.writerows([format_value(v) for v in values(row)] for row in rows)
    return out.getvalue()
