"""What changed between two data packages, and the semantic-version bump that change requires.

Pure functions over two :class:`~dprk_records.release.snapshot.Snapshot` objects:

- MAJOR  a table or field removed or renamed, a type narrowed (or changed incompatibly), enum
         values removed, a primary key changed, a document withdrawn;
- MINOR  tables, fields, documents or enum values added, a type widened (integer -> number,
         anything -> string);
- PATCH  values corrected (rows added, removed or changed in any table), other constraints,
         descriptions or package metadata changed;
- none   identical data and schemas.

Rows are matched by the primary key of the new schema and compared on the fields both versions
have, so an added field counts once (as a schema change), not once per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dprk_records.release.snapshot import Snapshot

Rows = list[dict[str, Any]]
Schema = dict[str, Any]

LEVELS = ("none", "patch", "minor", "major")
METADATA_KEYS = ("name", "title", "description", "homepage", "keywords", "licenses")
_WIDENINGS = {("integer", "number"), ("year", "integer"), ("year", "number")}
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")


@dataclass(frozen=True)
class Change:
    """One change worth a line in the release notes, with the bump it requires."""

    level: str
    what: str


@dataclass(frozen=True)
class TableRows:
    """Row counts of one table in the new package, by how they differ from the old one."""

    table: str
    rows: int
    added: int
    removed: int
    changed: int

    @property
    def differs(self) -> bool:
        """Any row added, removed or changed: the table's values were corrected (a patch at least),
        and the release notes list its counts."""
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class PackageDiff:
    """Everything that differs between two packages."""

    old_version: str
    new_version: str
    schema: list[Change] = field(default_factory=list)
    rows: list[TableRows] = field(default_factory=list)
    other: list[Change] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        """The schema and other changes, which set the bump. Row differences count through
        ``other`` (one "values of X corrected" per table), not row by row."""
        return [*self.schema, *self.other]

    @property
    def bump(self) -> str:
        """The least bump these changes require: one of LEVELS."""
        return max((c.level for c in self.changes), key=LEVELS.index, default="none")


def _key_fields(schema: dict[str, Any]) -> list[str]:
    key = schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else [str(k) for k in key]


def _fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(f.get("name")): f for f in schema.get("fields", []) if isinstance(f, dict)}


def type_change_level(old: str, new: str) -> str:
    """'minor' when every old value is still valid under the new type, else 'major'."""
    if old == new:
        return "none"
    return "minor" if new == "string" or (old, new) in _WIDENINGS else "major"


def _field_changes(table: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Type, enum and other constraint changes of one field present in both versions."""
    name = f"`{table}.{old.get('name')}`"
    changes = []
    old_type, new_type = old.get("type", "string"), new.get("type", "string")
    level = type_change_level(old_type, new_type)
    if level != "none":
        verb = "widened" if level == "minor" else "narrowed"
        changes.append(Change(level, f"field {name} type {verb}: {old_type} -> {new_type}"))
    old_c, new_c = old.get("constraints", {}), new.get("constraints", {})
    old_enum, new_enum = old_c.get("enum"), new_c.get("enum")
    if old_enum != new_enum:
        removed = sorted(set(old_enum or []) - set(new_enum or [])) if new_enum else []
        added = sorted(set(new_enum or []) - set(old_enum or [])) if old_enum else []
        if new_enum and not old_enum:
            changes.append(Change("major", f"field {name} restricted to {new_enum}"))
        if removed:
            changes.append(Change("major", f"field {name} no longer allows {removed}"))
        if added:
            changes.append(Change("minor", f"field {name} also allows {added}"))
        if old_enum and not new_enum:
            changes.append(Change("minor", f"field {name} no longer restricted to a list"))
    rest_old = {k: v for k, v in old_c.items() if k != "enum"}
    rest_new = {k: v for k, v in new_c.items() if k != "enum"}
    if rest_old != rest_new:
        changes.append(Change("patch", f"field {name} constraints changed"))
    for key in ("title", "description", "format"):
        if old.get(key) != new.get(key):
            changes.append(Change("patch", f"field {name} {key} changed"))
    return changes


def _renames(
    removed: list[str], added: list[str], old: dict[str, Schema], new: dict[str, Schema]
) -> list[tuple[str, str]]:
    """Pairs (old name, new name) that look like a rename: same position and same type."""
    old_pos = {name: i for i, name in enumerate(old)}
    new_pos = {name: i for i, name in enumerate(new)}
    pairs = []
    for gone in removed:
        for came in added:
            same_type = old[gone].get("type") == new[came].get("type")
            if old_pos[gone] == new_pos[came] and same_type:
                pairs.append((gone, came))
                break
    return pairs


def schema_changes(table: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change between two Table Schemas of one table."""
    old_fields, new_fields = _fields(old), _fields(new)
    removed = [n for n in old_fields if n not in new_fields]
    added = [n for n in new_fields if n not in old_fields]
    changes = []
    for gone, came in _renames(removed, added, old_fields, new_fields):
        changes.append(Change("major", f"field `{table}.{gone}` renamed to `{came}`"))
        removed.remove(gone)
        added.remove(came)
    changes += [Change("major", f"field `{table}.{n}` removed") for n in removed]
    changes += [Change("minor", f"field `{table}.{n}` added") for n in added]
    for name in old_fields.keys() & new_fields.keys():
        changes += _field_changes(table, old_fields[name], new_fields[name])
    if _key_fields(old) != _key_fields(new):
        changes.append(
            Change("major", f"table `{table}` primary key {_key_fields(old)} -> {_key_fields(new)}")
        )
    for key in ("foreignKeys", "spanClaim", "missingValues"):
        if old.get(key) != new.get(key):
            changes.append(Change("patch", f"table `{table}` {key} changed"))
    return sorted(changes, key=lambda c: (-LEVELS.index(c.level), c.what))


def row_changes(
    table: str, old_schema: Schema, new_schema: Schema, old_rows: Rows, new_rows: Rows
) -> TableRows:
    """Rows added, removed and changed, matched by primary key (or by whole row without one)."""
    common = [n for n in _fields(new_schema) if n in _fields(old_schema)]
    key = _key_fields(new_schema)
    if not key or key != _key_fields(old_schema):
        key = common

    def index(rows: Rows) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        return {tuple(r.get(k) for k in key): tuple(r.get(c) for c in common) for r in rows}

    before, after = index(old_rows), index(new_rows)
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for k in after.keys() & before.keys() if after[k] != before[k])
    return TableRows(table, len(new_rows), added, removed, changed)


def _rename_tables(
    removed: list[str], added: list[str], old: dict[str, Schema], new: dict[str, Schema]
) -> list[tuple[str, str]]:
    pairs = []
    for gone in removed:
        for came in added:
            if list(_fields(old[gone])) == list(_fields(new[came])):
                pairs.append((gone, came))
                break
    return pairs


def diff_packages(old: Snapshot, new: Snapshot) -> PackageDiff:
    """Schema changes, per-table row counts and other changes from ``old`` to ``new``."""
    old_schemas, new_schemas = old.schemas(), new.schemas()
    removed = [t for t in old_schemas if t not in new_schemas]
    added = [t for t in new_schemas if t not in old_schemas]
    result = PackageDiff(old.version, new.version)
    for gone, came in _rename_tables(removed, added, old_schemas, new_schemas):
        result.schema.append(Change("major", f"table `{gone}` renamed to `{came}`"))
        removed.remove(gone)
        added.remove(came)
    result.schema.extend(Change("major", f"table `{t}` removed") for t in removed)
    result.schema.extend(Change("minor", f"table `{t}` added") for t in added)
    for table, schema in new_schemas.items():
        if table not in old_schemas:
            result.rows.append(TableRows(table, len(new.tables.get(table, [])), 0, 0, 0))
            continue
        result.schema.extend(schema_changes(table, old_schemas[table], schema))
        counts = row_changes(
            table, old_schemas[table], schema, old.tables.get(table, []), new.tables.get(table, [])
        )
        result.rows.append(counts)
        if table == "documents" and counts.added:
            result.other.append(Change("minor", f"{counts.added} document(s) added"))
        if table == "documents" and counts.removed:
            result.other.append(Change("major", f"{counts.removed} document(s) withdrawn"))
        if counts.differs:
            result.other.append(Change("patch", f"values of `{table}` corrected"))
    for key in METADATA_KEYS:
        if old.descriptor.get(key) != new.descriptor.get(key):
            result.other.append(Change("patch", f"package {key} changed"))
    return result


def parse_version(version: str) -> tuple[int, int, int]:
    """MAJOR, MINOR, PATCH of a semantic version; ValueError when it is not one."""
    match = _SEMVER.match(str(version))
    if not match:
        raise ValueError(f"{version!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def minimum_version(previous: str, bump: str) -> str:
    """The lowest version a package may carry after ``previous`` given the required ``bump``."""
    major, minor, patch = parse_version(previous)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"


def _table(rows: list[TableRows]) -> list[str]:
    lines = ["| table | rows | added | removed | changed |", "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| `{r.table}` | {r.rows} | {r.added} | {r.removed} | {r.changed} |" for r in rows]
    return lines


def render_markdown(diff: PackageDiff, title: str = "dprk-records data") -> str:
    """Release notes: the required bump, schema changes, row changes and other changes."""
    needed = minimum_version(diff.old_version, diff.bump)
    lines = [f"# {title} {diff.new_version}", ""]
    lines.append(
        f"Changes since {diff.old_version}. Required version bump: **{diff.bump.upper()}**"
        + (f" (version at least {needed})." if diff.bump != "none" else " (identical data).")
    )
    lines += ["", "## Schema", ""]
    lines += [f"- {c.level.upper()}: {c.what}" for c in diff.schema] or ["No schema changes."]
    lines += ["", "## Rows", ""]
    changed = [r for r in diff.rows if r.differs]
    lines += _table(changed) if changed else ["No rows added, removed or changed."]
    same = [r.table for r in diff.rows if not r.differs]
    if changed and same:
        lines += ["", "Unchanged: " + ", ".join(f"`{t}`" for t in same) + "."]
    other = [c for c in diff.other if not c.what.startswith("values of")]
    if other:
        lines += ["", "## Other changes", ""]
        lines += [f"- {c.level.upper()}: {c.what}" for c in other]
    return "\n".join(lines) + "\n"


def render_first_release(new: Snapshot, title: str = "dprk-records data") -> str:
    """Release notes of a first release: what the package holds."""
    lines = [f"# {title} {new.version}", "", "First release.", ""]
    counts = [TableRows(t, len(new.tables.get(t, [])), 0, 0, 0) for t in new.schemas()]
    lines += ["| table | rows |", "| --- | ---: |"]
    lines += [f"| `{r.table}` | {r.rows} |" for r in counts]
    return "\n".join(lines) + "\n"
