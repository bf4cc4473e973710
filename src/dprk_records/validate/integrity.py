"""Semantic checks across rows: list orders and references.

- `orders`       every listing numbers its people 1..n, in the order the sentence names them;
- `references`   every id points at a row that exists (declared foreign keys, nullable ones too,
                 and id columns without one, such as figures.subject_id), and parent chains
                 (organizations.parent_org_id) have no cycles.

Each is one pass over the rows with dicts and sets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dprk_records.validate.context import Numbered, PackageContext
from dprk_records.validate.report import Finding

# -- orders ---------------------------------------------------------------------------------------


def _listing_tables(ctx: PackageContext) -> list[str]:
    tables = []
    for resource in ctx.table_resources():
        names = {f.get("name") for f in resource.get("schema", {}).get("fields", [])}
        if {"listing", "list_order"} <= names:
            tables.append(str(resource.get("name")))
    return tables


Orders = dict[str, dict[int, tuple[Any, Any, int]]]


def _check_listing_rows(table: str, rows: Numbered, listings: Orders) -> list[Finding]:
    """The findings of single rows; each listing's orders are gathered into ``listings``."""
    findings = []
    # listing -> list_order -> (position, who, first row number); a person named once in a
    # listing may have several rows (one per event or role, or one per post of a change), all
    # with the same order. Who is the person_id where the table has one, else the row's start;
    # the position is the (start, end) of the order's first row.
    for number, row in rows:
        listing, order = row.get("listing"), row.get("list_order")
        where = {"table": table, "row": number}
        if listing is None and order is None:
            continue
        if listing is None:
            findings.append(
                Finding(
                    "orders",
                    "order-without-listing",
                    f"list_order {order} but no listing",
                    field="list_order",
                    **where,
                )
            )
            continue
        if order is None:
            findings.append(
                Finding(
                    "orders",
                    "listing-without-order",
                    f"listing {listing!r} but no list_order",
                    field="list_order",
                    **where,
                )
            )
            continue
        if not isinstance(order, int):
            continue  # a type error: the rows check reports it
        document_id = str(listing).rpartition("@")[0]
        if document_id and document_id != row.get("document_id"):
            findings.append(
                Finding(
                    "orders",
                    "listing-document",
                    f"listing {listing!r} is not in document {row.get('document_id')!r}",
                    field="listing",
                    **where,
                )
            )
        seen = listings.setdefault(str(listing), {}).get(order)
        who = row.get("person_id", row.get("start"))
        position = (row.get("start"), row.get("end"))
        if seen is None:
            listings[str(listing)][order] = (position, who, number)
        elif seen[1] != who:
            findings.append(
                Finding(
                    "orders",
                    "order-duplicate",
                    f"listing {listing!r} has list_order {order} twice (also row {seen[2]})",
                    field="list_order",
                    **where,
                )
            )
    return findings


def _check_listings(table: str, listings: Orders) -> list[Finding]:
    """Each listing's orders are 1..n and follow the text."""
    findings = []
    for listing, orders in listings.items():
        expected = set(range(1, len(orders) + 1))
        if set(orders) != expected:
            missing = sorted(expected - set(orders))
            first_row = min(number for _, _, number in orders.values())
            findings.append(
                Finding(
                    "orders",
                    "order-gap",
                    f"listing {listing!r} has orders {sorted(orders)}, not 1..{len(orders)}"
                    f" (missing {missing})",
                    table=table,
                    row=first_row,
                    field="list_order",
                )
            )
            continue
        previous_start: Any = None
        for order in sorted(orders):
            start, _, number = orders[order]
            if (
                all(isinstance(value, int) for value in (*start, *(previous_start or ())))
                and previous_start is not None
                and start <= previous_start
            ):
                findings.append(
                    Finding(
                        "orders",
                        "order-vs-text",
                        f"listing {listing!r}: list_order {order} is at {start}, not after "
                        f"list_order {order - 1} (at {previous_start}); orders follow the text",
                        table=table,
                        row=number,
                        field="list_order",
                    )
                )
            previous_start = start
    return findings


def check_orders(ctx: PackageContext) -> list[Finding]:
    """Per listing, list_order is exactly 1..n, follows the text, and comes with its listing.

    A table is read a document at a time, and a listing is judged on the rows of one document
    (a row naming another document's listing is a finding of its own, listing-document)."""
    findings = []
    wanted = ["listing", "list_order", "person_id", "start", "end"]
    for table in _listing_tables(ctx):
        ctx.survey(table)  # a table without a name: the check crashes, naming it
        of_rows, of_listings = [], []
        for _, (rows,) in ctx.by_document([table], wanted):
            listings: Orders = {}
            of_rows += _check_listing_rows(table, rows, listings)
            of_listings += _check_listings(table, listings)
        findings += sorted(of_rows, key=lambda finding: finding.row or 0)  # in the rows' order
        findings += of_listings
    return findings


# -- references -----------------------------------------------------------------------------------


def _key_fields(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _single_keys(ctx: PackageContext) -> dict[str, str]:
    """Table -> its primary key field, for tables keyed by one id column."""
    keys = {}
    for resource in ctx.table_resources():
        fields = _key_fields(resource.get("schema", {}).get("primaryKey"))
        if len(fields) == 1:
            keys[str(resource.get("name"))] = fields[0]
    return keys


def _undeclared_id_fields(resource: dict[str, Any]) -> list[str]:
    """``*_id`` columns that are neither the table's key nor covered by a declared foreign key."""
    schema = resource.get("schema", {})
    covered = set(_key_fields(schema.get("primaryKey")))
    for fk in schema.get("foreignKeys", []) or []:
        covered.update(_key_fields(fk.get("fields")) if isinstance(fk, dict) else [])
    names = [str(f.get("name")) for f in schema.get("fields", []) if isinstance(f, dict)]
    return [name for name in names if name.endswith("_id") and name not in covered]


def _find_cycles(parents: dict[Any, Any]) -> list[Any]:
    """Ids whose parent chain comes back to them (each cycle reported once, by its least id)."""
    state: dict[Any, int] = {}  # 1 on the current path, 2 done
    cycles = []
    for node in parents:
        path = []
        while node is not None and node in parents and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            cycles.append(min(cycle, key=str))
        for item in path:
            state[item] = 2
    return cycles


def _cycle_findings(
    table: str, parent: str, parents: dict[Any, Any], numbers: dict[Any, int]
) -> list[Finding]:
    """One finding per cycle of ``parent`` links (id -> its parent), at the row of its least id."""
    return [
        Finding(
            "references",
            "parent-cycle",
            f"the {parent} chain of {node!r} comes back to it",
            table=table,
            row=numbers[node],
            field=parent,
        )
        for node in _find_cycles(parents)
    ]


def _event_in_document_findings(ctx: PackageContext) -> list[Finding]:
    """A fact of a document names an event that document speaks of.

    A participation, speech or change copied into another document (its span moved onto a
    mention of the same person there) still says its words; what gives it away is that its
    event is none of that document's: not referenced in it (event_references) and not
    described in it (events.document_id). Read a document at a time.
    """
    facts = []
    for resource in ctx.table_resources():
        name = str(resource.get("name"))
        fields = {f.get("name") for f in resource.get("schema", {}).get("fields", [])}
        if name not in {"events", "event_references"} and {"document_id", "event_id"} <= fields:
            facts.append(name)
    found: list[tuple[int, Finding]] = []
    tables = ["events", "event_references", *facts]
    for _, (events, references, *fact_rows) in ctx.by_document(tables, ["event_id"]):
        spoken_of = {row.get("event_id") for _, row in [*events, *references]}
        for index, (name, rows) in enumerate(zip(facts, fact_rows, strict=True)):
            for number, row in rows:
                event = row.get("event_id")
                if event is None or event in spoken_of:
                    continue
                message = (
                    f"event_id = {event!r} is no event document {row.get('document_id')!r} "
                    "reports or refers to (event_references, events.document_id)"
                )
                finding = Finding(
                    "references",
                    "event-not-in-document",
                    message,
                    table=name,
                    row=number,
                    field="event_id",
                )
                found.append((index, finding))
    found.sort(key=lambda item: (item[0], item[1].row or 0))  # by table, in the rows' order
    return [finding for _, finding in found]


def _reference_fields(resource: dict[str, Any]) -> list[str]:
    """The columns the references check reads of a table: its key, and every id it points with."""
    schema = resource.get("schema", {})
    fields = _key_fields(schema.get("primaryKey"))
    for fk in schema.get("foreignKeys", []) or []:
        fields += _key_fields(fk.get("fields")) if isinstance(fk, dict) else []
    return list(dict.fromkeys([*fields, *_undeclared_id_fields(resource)]))


def check_references(ctx: PackageContext) -> list[Finding]:
    """Every id points at an existing row; every event of a fact is one its document speaks
    of; parent chains have no cycles. Tables are streamed; what is kept are their ids: of a
    table a foreign key points at, its key's values (:func:`_key`); of the others, only the ids
    any ``*_id`` column may take, in one set for all tables."""
    findings = _event_in_document_findings(ctx)
    key_sets: dict[tuple[str, tuple[str, ...]], set[Any]] = {}

    def keys_of(table: str, fields: list[str]) -> set[Any]:
        if (table, tuple(fields)) not in key_sets:
            rows = ctx.iter_rows(table, fields)
            key_sets[table, tuple(fields)] = {_key(tuple(r.get(f) for f in fields)) for r in rows}
        return key_sets[table, tuple(fields)]

    single = _single_keys(ctx)
    targets = _foreign_targets(ctx)
    any_id: set[Any] = set()
    for table, key in single.items():
        if (table, (key,)) in targets:  # (its set is kept for the foreign keys: one read)
            any_id.update(keys_of(table, [key]))
        else:
            any_id.update(row.get(key) for row in ctx.iter_rows(table, [key]))
    for resource in ctx.table_resources():
        findings += _table_references(ctx, resource, keys_of, single, any_id)
    return findings


def _key(values: tuple[Any, ...]) -> Any:
    """A key as the references check keeps it: a one-field key's value itself (a tuple for
    each of a million ids would cost some 56 bytes apiece), several fields' as a tuple."""
    return values[0] if len(values) == 1 else values


def _foreign_keys(resource: dict[str, Any]) -> list[tuple[list[str], Any, list[str]]]:
    """A table's foreign keys in its schema's order, each as (its fields, the table it points
    at -- its own when the key names none -- and that table's fields); malformed ones left out."""
    name = str(resource.get("name"))
    keys = []
    for fk in resource.get("schema", {}).get("foreignKeys", []) or []:
        if isinstance(fk, dict) and isinstance(fk.get("reference"), dict):
            reference = fk["reference"]
            keys.append(
                (
                    _key_fields(fk.get("fields")),
                    reference.get("resource") or name,
                    _key_fields(reference.get("fields")),
                )
            )
    return keys


def _foreign_targets(ctx: PackageContext) -> set[tuple[Any, tuple[str, ...]]]:
    """(table, fields) of every key a foreign key of the package points at."""
    return {
        (target, tuple(target_fields))
        for resource in ctx.table_resources()
        for _, target, target_fields in _foreign_keys(resource)
    }


def _table_references(
    ctx: PackageContext,
    resource: dict[str, Any],
    keys_of: Callable[[str, list[str]], set[Any]],
    single: dict[str, str],
    any_id: set[Any],
) -> list[Finding]:
    """One table's references, read in one pass: its foreign keys (in the schema's order, each
    with its cycles), then its id columns without one."""
    name = str(resource.get("name"))
    ctx.survey(name)  # a table without a name: the check crashes, naming it
    # per foreign key: its fields, the ids they may take, and (a parent chain) the links
    checks: list[tuple[list[str], str, list[str], set[Any], bool]] = []
    findings: list[Finding] = []
    for fields, target, target_fields in _foreign_keys(resource):
        if ctx.resource(target) is None:
            findings.append(
                Finding(
                    "references",
                    "unknown-table",
                    f"foreign key to missing table {target!r}",
                    table=name,
                    field=",".join(fields),
                )
            )
            continue
        chain = target == name and len(fields) == 1 and target_fields == [single.get(name)]
        checks.append((fields, target, target_fields, keys_of(target, target_fields), chain))
    undeclared = _undeclared_id_fields(resource)
    orphans: list[list[Finding]] = [[] for _ in checks]
    links: list[tuple[dict[Any, Any], dict[Any, int]]] = [({}, {}) for _ in checks]
    stray: list[list[Finding]] = [[] for _ in undeclared]
    rows = ctx.iter_rows(name, _reference_fields(resource))
    for number, row in enumerate(rows, start=1):
        for index, (fields, target, target_fields, known, chain) in enumerate(checks):
            value = tuple(row.get(f) for f in fields)
            if chain:
                parents, numbers = links[index]
                parents[row.get(target_fields[0])] = row.get(fields[0])
                numbers[row.get(target_fields[0])] = number
            if any(v is None for v in value) or _key(value) in known:
                continue
            orphans[index].append(
                Finding(
                    "references",
                    "orphan-reference",
                    f"{', '.join(fields)} = {', '.join(map(repr, value))} is not a "
                    f"{target}.{', '.join(target_fields)}",
                    table=name,
                    row=number,
                    field=",".join(fields),
                )
            )
        for index, field in enumerate(undeclared):
            value = row.get(field)
            if value is not None and value not in any_id:
                stray[index].append(
                    Finding(
                        "references",
                        "orphan-id",
                        f"{field} = {value!r} is no id of any table ({', '.join(single)})",
                        table=name,
                        row=number,
                        field=field,
                    )
                )
    for (fields, _, _, _, chain), found, (parents, numbers) in zip(
        checks, orphans, links, strict=True
    ):
        findings += found
        if chain:
            findings += _cycle_findings(name, fields[0], parents, numbers)
    for found in stray:
        findings += found
    return findings
