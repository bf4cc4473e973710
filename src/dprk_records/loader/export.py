"""``export_package``: a package as a DuckDB file, a SQLite file or a folder of Parquet files.

What goes in each is the job of :mod:`.sql` and :mod:`.parquet`; this module decides where it
goes, so that an export never destroys anything:

- the output is written under a temporary name beside *out* and renamed into place only once
  complete, so a reader (or a crash) sees the old output or the new one, never half of one;
- an existing *out* is replaced only when the exporter made it: a database whose
  :data:`~.ddl.MARKER_TABLE` has a ``dprk_records_version`` row, or a folder holding only
  ``*.parquet`` files and :data:`MARKER_FILE`. Anything else (another file, a symbolic link, a
  folder with other files in it, a database of another format) raises ExportTargetError naming
  the path, and is left untouched.

``dprk-records export --format duckdb|sqlite|parquet`` and ``Package.to_duckdb`` /
``to_sqlite`` / ``to_parquet`` call :func:`export_package`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprk_records.base.atomic import staging_dir, swap_in
from dprk_records.loader.ddl import MARKER_TABLE, quote
from dprk_records.loader.errors import ExportError, ExportTargetError

if TYPE_CHECKING:
    from dprk_records.loader.package import Package

FORMATS = ("duckdb", "sqlite", "parquet")
"""The formats :func:`export_package` writes."""
MARKER_FILE = "dprk-records-export.json"
"""The file that marks a Parquet folder as the exporter's own (who wrote it, from which data)."""
MARKER_KEY = "dprk_records_version"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DUCKDB_MAGIC = b"DUCK"  # at byte 8 of a DuckDB database file


def export_package(package: Package, fmt: str, out: str | os.PathLike[str]) -> Path:
    """Write every table of *package* to *out* as *fmt* (``"duckdb"``, ``"sqlite"`` or
    ``"parquet"``, a folder of one file per table), typed and keyed by its Table Schemas; return
    the output path.

    Raises ExportTargetError when *out* exists and is not an earlier output of this exporter in
    the same format, MissingExtraError when DuckDB or Parquet is asked for without the ``sql``
    extra, ExportError when the package cannot be expressed in the format.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    target = Path(out).expanduser().absolute()
    writer = _writer(fmt)  # a missing extra is reported before anything is written
    check_target(target, fmt)
    with contextlib.ExitStack() as stack:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = stack.enter_context(staging_dir(target, "partial"))  # removed on leaving
        except OSError as exc:
            raise ExportTargetError(
                f"cannot write into {target.parent} ({exc.strerror or exc})"
            ) from exc
        try:
            staged = staging / target.name
            writer(package, staged)
            if fmt == "parquet":
                _write_marker(package, staged)
            check_target(target, fmt)  # nothing foreign appeared there meanwhile
            _place(staged, target)
        except OSError as exc:
            raise ExportTargetError(f"cannot write {target} ({exc.strerror or exc})") from exc
    return target


def _writer(fmt: str) -> Any:
    if fmt == "duckdb":
        from dprk_records.loader.sql import import_duckdb, write_duckdb

        import_duckdb()
        return write_duckdb
    if fmt == "sqlite":
        from dprk_records.loader.sql import write_sqlite

        return write_sqlite
    from dprk_records.loader.arrow import import_pyarrow
    from dprk_records.loader.parquet import write_parquet

    import_pyarrow()
    return write_parquet


def _write_marker(package: Package, folder: Path) -> None:
    from dprk_records.loader.sql import marker_rows

    facts = dict(marker_rows(package, "parquet"))
    text = json.dumps(facts, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (folder / MARKER_FILE).write_text(text, encoding="utf-8")


def _place(staged: Path, target: Path) -> None:
    """Move the finished output into place: a file in one rename, a folder (which cannot be
    renamed over a folder) by retiring an earlier output of ours first (:func:`swap_in`)."""
    if staged.is_dir():
        swap_in(staged, target)
    else:
        os.replace(staged, target)


# -- is an existing output ours? ------------------------------------------------------------------


def check_target(target: Path, fmt: str) -> None:
    """Raise ExportTargetError unless *target* is absent or an earlier *fmt* export of ours."""
    why = foreign_reason(target, fmt)
    if why is not None:
        raise ExportTargetError(
            f"{target} already exists and is not an earlier `dprk-records export --format {fmt}` "
            f"output ({why}); it was left untouched. Choose another output path, or remove it "
            "yourself if you no longer need it."
        )


def foreign_reason(target: Path, fmt: str) -> str | None:
    """Why *target* may not be replaced by a *fmt* export, or None when it is absent or ours."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return "it is a symbolic link"
    if fmt == "parquet":
        if not stat.S_ISDIR(mode):
            return "it is not a folder"
        return _parquet_folder_reason(target)
    if not stat.S_ISREG(mode):
        return "it is not a regular file"
    try:
        with open(target, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        return f"it cannot be read: {exc.strerror or exc}"
    if fmt == "sqlite":
        if head != _SQLITE_MAGIC:
            return "it is not a SQLite database"
        return _sqlite_reason(target)
    if head[8:12] != _DUCKDB_MAGIC:
        return "it is not a DuckDB database"
    return _duckdb_reason(target)


def _marker_reason(version: Any) -> str | None:
    if isinstance(version, str) and version:
        return None
    return f"it has no {MARKER_KEY} mark of the exporter"


def _sqlite_reason(target: Path) -> str | None:
    try:
        con = sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute(
                f"SELECT value FROM {quote(MARKER_TABLE)} WHERE key = ?", (MARKER_KEY,)
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return f"it has no {MARKER_TABLE} table"
    return _marker_reason(row[0] if row else None)


def _duckdb_reason(target: Path) -> str | None:
    from dprk_records.loader.sql import import_duckdb

    duckdb = import_duckdb()
    try:
        con = duckdb.connect(str(target), read_only=True)
        try:
            row = con.execute(
                f"SELECT value FROM {quote(MARKER_TABLE)} WHERE key = ?", [MARKER_KEY]
            ).fetchone()
        finally:
            con.close()
    except duckdb.Error:
        return f"it has no {MARKER_TABLE} table (or this DuckDB cannot open it)"
    return _marker_reason(row[0] if row else None)


def _parquet_folder_reason(target: Path) -> str | None:
    try:
        entries = list(os.scandir(target))
    except OSError as exc:
        return f"it cannot be listed: {exc.strerror or exc}"
    names = {entry.name for entry in entries}
    if MARKER_FILE not in names:
        return f"it has no {MARKER_FILE}"
    for entry in entries:
        if not entry.is_file(follow_symlinks=False):
            return f"it holds {entry.name}, which is not a regular file"
        if entry.name != MARKER_FILE and not entry.name.endswith(".parquet"):
            return f"it holds {entry.name}, which the exporter does not write"
    try:
        facts = json.loads((target / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"its {MARKER_FILE} is not the exporter's JSON"
    return _marker_reason(facts.get(MARKER_KEY) if isinstance(facts, dict) else None)
