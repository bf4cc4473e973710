"""``datapackage.json``: read once, the same way, by the gate, the diff and the loader."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dprk_records.base.fileguard import read_regular
from dprk_records.errors import PackageError

DESCRIPTOR_NAME = "datapackage.json"


def descriptor_file(path: Path) -> Path:
    """The descriptor of ``path``: a package folder's datapackage.json, or ``path`` itself."""
    return path / DESCRIPTOR_NAME if path.is_dir() else path


def parse_descriptor(data: bytes, where: object) -> dict[str, Any]:
    """The JSON object in ``data``, the bytes of a descriptor found at ``where`` (a path, or a
    member of a zip); a PackageError naming ``where`` and what is wrong otherwise.

    A descriptor of 100 000 nested brackets exhausts the JSON parser's recursion: that is a
    broken input, and said as one, not a traceback.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError(f"{where}: not valid UTF-8 ({exc})") from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(f"{where}: not valid JSON ({exc})") from None
    except RecursionError:
        raise PackageError(
            f"{where}: brackets nest too deeply to be a package descriptor"
        ) from None
    if not isinstance(descriptor, dict):
        raise PackageError(f"{where}: the descriptor must be a JSON object")
    return descriptor


def read_descriptor(path: Path) -> dict[str, Any]:
    """The descriptor at ``path`` (a datapackage.json), read as a regular file only (a link or
    a FIFO is refused by name, never followed or waited on)."""
    try:
        data = read_regular(path)  # an UnsafeFileError is a PackageError already: let it say so
    except OSError as exc:
        raise PackageError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_descriptor(data, path)


def package_descriptor(path: Path) -> tuple[Path, dict[str, Any]]:
    """The package folder ``path`` names (a folder, or its datapackage.json) and its descriptor;
    a PackageError saying to build first when there is no descriptor at all."""
    file = descriptor_file(path)
    if not os.path.lexists(file):
        raise PackageError(f"{file}: no datapackage.json here; build the package first")
    return file.parent, read_descriptor(file)


def resource_entries(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """The descriptor's resources that are objects ([] when ``resources`` is no list: the
    gate's structural checks say so; readers just find no tables)."""
    resources = descriptor.get("resources", [])
    if not isinstance(resources, list):
        return []
    return [r for r in resources if isinstance(r, dict)]


def table_resources(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """The table resources, in package order (the source texts are resources too, not tables)."""
    return [r for r in resource_entries(descriptor) if r.get("type") == "table"]
