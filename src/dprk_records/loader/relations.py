"""How the tables of a package refer to one another, from their Table Schemas' foreign keys.

A SQL engine that checks foreign keys while rows go in needs the referenced table loaded first
(DuckDB even needs it created first), so the exporter loads tables in :func:`table_order`, and
rows of a table that refers to itself in :func:`self_reference_waves`. Pure functions: no engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dprk_records.loader.errors import ExportError


@dataclass(frozen=True)
class ForeignKey:
    """One ``foreignKeys`` entry, normalized: field lists, and the table it points to by name
    (Frictionless writes a reference to the table itself as ``"resource": ""``)."""

    fields: tuple[str, ...]
    table: str
    reference_fields: tuple[str, ...]


def _names(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value or ())


def primary_key(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The schema's primaryKey as a tuple of field names (a single name is allowed)."""
    return _names(schema.get("primaryKey"))


def foreign_keys(schema: Mapping[str, Any], table: str) -> list[ForeignKey]:
    """The schema's foreignKeys, normalized; a malformed entry raises ExportError naming it."""
    keys = []
    for entry in schema.get("foreignKeys") or []:
        reference = entry.get("reference") if isinstance(entry, dict) else None
        if not isinstance(reference, dict):
            raise ExportError(f"table {table}: foreign key {entry!r} has no 'reference' object")
        fields, ref_fields = _names(entry.get("fields")), _names(reference.get("fields"))
        if not fields or len(fields) != len(ref_fields):
            raise ExportError(
                f"table {table}: foreign key {entry!r} must name as many fields as it references"
            )
        keys.append(ForeignKey(fields, reference.get("resource") or table, ref_fields))
    return keys


def table_order(schemas: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The tables in an order where every table comes after the tables it refers to; ties keep
    the package's order, so the order is the same on every run. A reference to itself is
    allowed (see :func:`self_reference_waves`); a cycle through other tables, or a reference to
    a table the package does not have, raises ExportError: no engine could load it."""
    needs = {}
    for name, schema in schemas.items():
        targets = {key.table for key in foreign_keys(schema, name)} - {name}
        missing = sorted(targets - set(schemas))
        if missing:
            raise ExportError(
                f"table {name} has a foreign key to {', '.join(missing)}, which the package "
                "does not have; the package is inconsistent (run `dprk-records validate`)"
            )
        needs[name] = targets
    order: list[str] = []
    while len(order) < len(schemas):
        ready = [n for n in schemas if n not in order and needs[n] <= set(order)]
        if not ready:
            stuck = [n for n in schemas if n not in order]
            raise ExportError(
                f"the foreign keys of tables {', '.join(stuck)} form a cycle; no SQL engine that "
                "checks foreign keys on load can create them in any order"
            )
        order.extend(ready)
    return order


def self_reference_waves(
    columns: Mapping[str, Sequence[Any]], keys: Sequence[ForeignKey], table: str
) -> list[list[int]]:
    """Row indexes of *table* grouped so that each group refers (through its foreign keys to the
    table itself, *keys*) only to rows of earlier groups; CSV order within a group.

    DuckDB checks such a key against the rows already in the table, row by row of an INSERT
    included, so a child listed before its parent would be refused. A key with a missing value
    refers to nothing (SQL's MATCH SIMPLE). Rows whose parent never comes (a dangling or cyclic
    reference) end up in a last group, where the engine reports them.
    """
    count = len(next(iter(columns.values()), []))
    own = [key for key in keys if key.table == table]
    if not own:
        return [list(range(count))] if count else []
    present: dict[tuple[str, ...], set[tuple[Any, ...]]] = {k.reference_fields: set() for k in own}
    pending = list(range(count))
    waves: list[list[int]] = []

    def wanted(row: int) -> list[tuple[tuple[str, ...], tuple[Any, ...]]]:
        refs = []
        for key in own:
            value = tuple(columns[f][row] for f in key.fields)
            if None not in value:
                refs.append((key.reference_fields, value))
        return refs

    while pending:
        wave = [r for r in pending if all(v in present[f] for f, v in wanted(r))]
        if not wave:
            waves.append(pending)
            break
        waves.append(wave)
        chosen = set(wave)
        pending = [r for r in pending if r not in chosen]
        for fields in present:
            present[fields].update(tuple(columns[f][r] for f in fields) for r in wave)
    return waves
