"""Which resources of a descriptor are Parquet copies of tables, and of which table.

The one selection point every reader uses (the gate's Parquet check, its frictionless run, the
loader): a Parquet resource has ``"format": "parquet"``, no ``"type": "table"`` (the tables of
a package are its CSV resources, see :func:`dprk_records.pipeline.describe.parquet_resource`),
and is named after its table with :data:`PARQUET_SUFFIX`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PARQUET_FORMAT = "parquet"
PARQUET_SUFFIX = "-parquet"
"""A table's Parquet resource is named ``<table>-parquet``."""
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


def is_parquet_resource(resource: Any) -> bool:
    """Whether a descriptor's resource entry is a Parquet file."""
    if not isinstance(resource, Mapping):
        return False
    return resource.get("format") == PARQUET_FORMAT or str(resource.get("path", "")).endswith(
        ".parquet"
    )


def parquet_resources(descriptor: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The descriptor's Parquet resources, in package order ([] for a malformed list)."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return []
    return [r for r in resources if is_parquet_resource(r)]


def parquet_name(table: str) -> str:
    """The name of *table*'s Parquet resource."""
    return f"{table}{PARQUET_SUFFIX}"


def parquet_table(resource: Mapping[str, Any]) -> str | None:
    """The table a Parquet resource is a copy of, by its name; None when the name does not say."""
    name = str(resource.get("name", ""))
    return name[: -len(PARQUET_SUFFIX)] if name.endswith(PARQUET_SUFFIX) else None
