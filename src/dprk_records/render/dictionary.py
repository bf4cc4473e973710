"""The data dictionary: every table and field, as Markdown for people.

Generated from the Table Schemas -- the registry's (schemas/tables/) for docs/data-dictionary.md,
a release's own descriptor for the copy inside the release -- and from a package's rows: the row
count of each table and one example value of each field (the first non-empty one, in primary key
order). `dprk-records docs` writes it; `dprk-records docs --check` and the tests fail when the
committed file is stale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprk_records.render.loaded import Rows, cell

DICTIONARY = Path("docs") / "data-dictionary.md"
EXAMPLE_WIDTH = 60


@dataclass(frozen=True)
class TableDoc:
    """What the dictionary says about one table: its name, title, description and schema."""

    name: str
    title: str
    description: str
    schema: dict[str, Any]


def tables_from_registry(root: Path | None = None) -> list[TableDoc]:
    """The registry's tables (schemas/tables/*.json), in package order."""
    from dprk_records.schemas import table_schemas

    return [
        TableDoc(name, schema.get("title", name), schema.get("description", ""), schema)
        for name, schema in table_schemas(root).items()
    ]


def tables_from_descriptor(descriptor: Mapping[str, Any]) -> list[TableDoc]:
    """A package's own tables (its descriptor's table resources), in package order."""
    return [
        TableDoc(
            str(r.get("name")),
            str(r.get("title", r.get("name"))),
            str(r.get("description", "")),
            r.get("schema") if isinstance(r.get("schema"), dict) else {"fields": []},
        )
        for r in descriptor.get("resources", [])
        if isinstance(r, dict) and r.get("type") == "table"
    ]


def _md(text: Any) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(cell(text).split()).replace("|", "\\|")


def _code(text: str) -> str:
    """An inline code span that survives a table cell (pipes escaped, backticks fenced)."""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def example_value(rows: Rows, field: str) -> str:
    """The first non-empty value of ``field``, shortened, as a code span; '' when none."""
    for row in rows:
        text = cell(row.get(field))
        if text == "":
            continue
        if text != text.strip() or "\n" in text:
            text = json.dumps(text, ensure_ascii=False)
        if len(text) > EXAMPLE_WIDTH:
            text = text[: EXAMPLE_WIDTH - 1].rstrip() + "…"
        return _code(text)
    return ""


def field_constraints(field: Mapping[str, Any]) -> str:
    """A field's constraints in words: required, unique, enum, pattern, bounds, lengths."""
    constraints = field.get("constraints", {})
    parts = []
    if constraints.get("required"):
        parts.append("required")
    if constraints.get("unique"):
        parts.append("unique")
    if "enum" in constraints:
        parts.append("one of " + ", ".join(_code(cell(v)) for v in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(f"pattern {_code(constraints['pattern'])}")
    for key, word in (("minimum", "≥"), ("maximum", "≤"), ("exclusiveMinimum", ">")):
        if key in constraints:
            parts.append(f"{word} {constraints[key]}")
    for key, word in (("minLength", "at least"), ("maxLength", "at most")):
        if key in constraints:
            count = constraints[key]
            parts.append(f"{word} {count} character{'' if count == 1 else 's'}")
    return "; ".join(parts)


def _keys(schema: Mapping[str, Any]) -> list[str]:
    lines = []
    primary = schema.get("primaryKey")
    if primary:
        names = [primary] if isinstance(primary, str) else primary
        lines.append("- Primary key: " + ", ".join(f"`{n}`" for n in names))
    for key in schema.get("foreignKeys", []):
        fields = key.get("fields", [])
        ref = key.get("reference", {})
        target = ", ".join(f"{ref.get('resource')}.{f}" for f in ref.get("fields", []))
        lines.append(f"- Foreign key: `{', '.join(fields)}` -> `{target}`")
    claims = schema.get("spanClaim")
    claims = [claims] if isinstance(claims, dict) else claims
    if isinstance(claims, list) and claims:
        said = " and ".join(
            f"`{c.get('field')}` (comparison `{c.get('compare')}`)"
            for c in claims
            if isinstance(c, dict)
        )
        lines.append(
            f"- Span: `document_id`, `start`, `end` point at the verbatim characters that state "
            f"{said}, checked by the gate"
        )
    return lines


def render_table(table: TableDoc, rows: Rows, count: int) -> list[str]:
    """The dictionary section of one table."""
    lines = [f"## {table.name}", "", f"**{_md(table.title)}**. {_md(table.description)}", ""]
    lines += [f"- Rows: {count}", *_keys(table.schema), ""]
    lines += ["| field | type | constraints | description | example |"]
    lines += ["| --- | --- | --- | --- | --- |"]
    for field in table.schema.get("fields", []):
        name = str(field.get("name"))
        lines.append(
            f"| `{name}` | {_md(field.get('type', 'string'))} | {field_constraints(field)} | "
            f"{_md(field.get('description'))} | {example_value(rows, name)} |"
        )
    return [*lines, ""]


def render_dictionary(tables: list[TableDoc], rows: Mapping[str, Rows], version: str) -> str:
    """The whole data dictionary of ``tables`` with the package's ``rows``."""
    lines = [
        "# Data dictionary",
        "",
        f"Every table and field of the dprk-records data package, version {version}. Generated by "
        "`dprk-records docs` from the Table Schemas (`schemas/tables/`, copied into `datapackage.json`) "
        "and the package's rows (row counts; each example is "
        "the field's first non-empty value in primary key order): do not edit by hand.",
        "",
        "Conventions: one CSV per table under `data/`, UTF-8 with a header row, sorted by primary "
        "key; an empty cell is a missing value. `document_id`, `start`, `end` locate a fact in "
        "its verbatim source text (`sources/DOCUMENT_ID.txt`): offsets in Unicode code points "
        "from 0, end exclusive. `method` names the extraction rule that produced the row.",
        "",
        "| table | rows | one row is |",
        "| --- | ---: | --- |",
    ]
    lines += [
        f"| [`{t.name}`](#{t.name}) | {len(rows.get(t.name, []))} | {_md(t.description)} |"
        for t in tables
    ]
    lines.append("")
    for table in tables:
        table_rows = rows.get(table.name, [])
        lines += render_table(table, table_rows, len(table_rows))
    return "\n".join(lines).rstrip("\n") + "\n"


def registry_dictionary(package: Path, schemas_root: Path | None = None) -> str:
    """docs/data-dictionary.md as it should be: the registry's schemas and ``package``'s rows."""
    from dprk_records.loader.package import Package
    from dprk_records.schemas import package_meta

    loaded = Package(package)
    tables = tables_from_registry(schemas_root)
    rows = {t.name: loaded.read(t.name) if t.name in loaded.tables else [] for t in tables}
    version = loaded.version or package_meta(schemas_root).version
    return render_dictionary(tables, rows, version)


def release_dictionary(descriptor: Mapping[str, Any], rows: Mapping[str, Rows]) -> str:
    """The dictionary shipped in a release: its own descriptor's schemas and rows."""
    return render_dictionary(
        tables_from_descriptor(descriptor), rows, cell(descriptor.get("version"))
    )
