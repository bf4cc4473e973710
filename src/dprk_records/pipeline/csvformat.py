"""The one CSV format of the package: UTF-8, comma, header, LF, minimal quoting, "" for null."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
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


def row_cells(columns: Sequence[str]) -> Callable[[Any], list[str]]:
    """The function from a dataclass row whose fields are ``columns`` to its CSV cells.

    Values are read with one attrgetter per table (rows hold only plain values, so no deep copy
    is needed)."""
    values = attrgetter(*columns)
    if len(columns) == 1:
        return lambda row: [format_value(values(row))]
    return lambda row: [format_value(v) for v in values(row)]


def render_cells(cells: Sequence[Sequence[str]]) -> str:
    """CSV text of rows of cells. Each row is written the same whatever rows are around it, so
    a table may be written a batch at a time and still be the bytes of one call."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(cells)
    text = out.getvalue()
    if "\r" in text:  # a text with old Mac line ends: quote its fields (see _quoting_cr)
        text = _quoting_cr(cells)
    return text


class _Echo:
    """A "file" whose write gives back what it is given: a csv writer on it returns each row's
    text from ``writerow`` instead of collecting it."""

    def write(self, text: str) -> str:
        return text


_LINE_WRITER = csv.writer(_Echo(), lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def render_line(cells: Sequence[str]) -> str:
    """One row's CSV text, as :func:`render_cells` writes it among any other rows: what a spilled
    table keeps of a row (a string instead of a list of cells), rendered where the row is made."""
    line: str = _LINE_WRITER.writerow(cells)
    return line if "\r" not in line else _quoting_cr([cells])


def render_csv(columns: Sequence[str], rows: Iterable[Any]) -> str:
    """CSV text for dataclass rows whose fields are ``columns`` in order, header first."""
    cells = row_cells(columns)
    return render_cells([list(columns), *map(cells, rows)])


def _quoting_cr(cells: Sequence[Sequence[str]]) -> str:
    """The same CSV with every field holding a carriage return quoted.

    The csv module quotes only the characters of its line terminator, so with "\n" a lone
    "\r" (a verbatim line break of a CR-only text) would be written bare and read back as a
    row end. Each row is written with "\r\n" as terminator, which quotes "\r", and given
    back its "\n". Only packages holding a "\r" take this slower path.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    lines = []
    for row in cells:
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        lines.append(out.getvalue()[:-2] + "\n")
    return "".join(lines)
