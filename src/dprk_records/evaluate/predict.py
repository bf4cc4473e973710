"""Built tables -> per-document predictions in the shape of a gold file (pure; no I/O).

Rows may be the row dataclasses that ``pipeline.build.assemble`` returns or plain dicts (as
``loader.Package.read`` returns them); only the columns of the Table Schemas are read. For each
document D:

- **persons**: the distinct persons with a ``person_names`` row in D -- and, so that no scored
  title or role is lost, any person with a ``positions`` or ``participations`` row in D. The name
  is ``persons.name`` (the person id when the persons row is missing); the surface is the first
  ``person_names`` row of D by offset.
- **titles**: the person's ``positions`` rows in D (``title``), in text order, each once.
- **role_in_event**: the most prominent ``participations.role`` of the person in D, by
  guided > presided > report > opening_address = closing_address > speech > platform >
  accompanied > attended > observer > other (ties: the earliest row); ``mentioned`` when the
  person has no participation in D.
- **list_order**: the ``list_order`` of the participation that gave the role, if it has one;
  otherwise the ``list_order`` of the person's first listing in D (smallest listing offset,
  read from ``listing`` = "DOCUMENT@OFFSET", else the row's ``start``); otherwise None. This is
  the gold convention of tests/corpus/README.md.
- **events** (reported): the events with an ``event_references`` row in D with
  ``is_reported`` true and no ``parent_event_id`` (a day sitting counts as the event it is a
  sitting of, which the document reports too), in order of first reference, each once: ``events.name`` and
  ``events.ordinal``, with ``date_text`` and ``place`` from the first reporting reference that
  gives them: the place is what this document says, never another document's.
- **referenced_events**: the events whose ``event_references`` rows in D all have
  ``is_reported`` false (an event D reports is not also "referenced"), each once.
- **organizations**: the organizations whose row has ``document_id`` D (the table keeps the
  first mention only), plus those named by ``positions.org_id`` in D, plus the ``parent_org_id``
  chain above each of these (a title that names a unit spells out its chain); the parent is the
  name of ``parent_org_id``, or None.
- **changes**: the ``personnel_changes`` rows of D in text order: the person's name, ``change``,
  ``post`` and ``list_order``.
- **document_kind**: ``documents.document_kind``.
- **year**: the year of ``documents.published`` when the text itself gives it -- ``date_basis``
  ``footer``, ``dateline+footer`` or ``dateline+text`` -- and None otherwise. A year from the
  manifest is true but not in the text, and gold years record only what the text supports
  (tests/corpus/README.md, "year"); comparing the manifest's year would score the manifest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dprk_records.evaluate.model import (
    PERSON_ROLES,
    ChangeFact,
    DocumentFacts,
    EventFact,
    OrganizationFact,
    PersonFact,
)
from dprk_records.schemas import in_table_order

TABLES = in_table_order(
    {
        "documents",
        "persons",
        "person_names",
        "positions",
        "organizations",
        "events",
        "event_references",
        "participations",
        "personnel_changes",
    }
)
"""The tables a prediction reads, in registry order (a table the registry lacks fails here)."""

TEXT_DATE_BASES = frozenset({"footer", "dateline+footer", "dateline+text"})
"""``documents.date_basis`` values whose year comes from the text itself."""

_RANK = {role: rank for rank, role in enumerate(PERSON_ROLES)}
_RANK["closing_address"] = _RANK["opening_address"]

Row = Any


def _get(row: Row, name: str) -> Any:
    """A column of a row that is a dict or a row dataclass (missing columns read as None)."""
    if isinstance(row, Mapping):
        return row.get(name)
    return getattr(row, name, None)


def _by_document(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[_get(row, "document_id")].append(row)
    for group in grouped.values():
        group.sort(key=lambda r: (_get(r, "start") or 0, _get(r, "end") or 0))
    return grouped


def _listing_offset(row: Row) -> int:
    listing = _get(row, "listing") or ""
    _, _, offset = str(listing).rpartition("@")
    return int(offset) if offset.isdigit() else int(_get(row, "start") or 0)


def role_and_list_order(participations: Sequence[Row]) -> tuple[str, int | None]:
    """The most prominent role among one person's participations in a document, and its order."""
    if not participations:
        return "mentioned", None
    rank = min(_RANK.get(_get(p, "role"), len(_RANK)) for p in participations)
    top = [p for p in participations if _RANK.get(_get(p, "role"), len(_RANK)) == rank]
    role = _get(top[0], "role")
    ordered = [p for p in top if _get(p, "list_order") is not None]
    if ordered:
        return role, _get(ordered[0], "list_order")
    listed = [p for p in participations if _get(p, "list_order") is not None]
    if listed:
        first = min(listed, key=lambda p: (_listing_offset(p), _get(p, "start") or 0))
        return role, _get(first, "list_order")
    return role, None


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if v is not None))


class _Index:
    """The tables grouped for per-document look-ups."""

    def __init__(self, tables: Mapping[str, Sequence[Row]]) -> None:
        def table(name: str) -> Sequence[Row]:
            return tables.get(name) or ()

        self.documents = {_get(r, "document_id"): r for r in table("documents")}
        self.persons = {_get(r, "person_id"): r for r in table("persons")}
        self.orgs = {_get(r, "org_id"): r for r in table("organizations")}
        self.events = {_get(r, "event_id"): r for r in table("events")}
        self.names = _by_document(table("person_names"))
        self.positions = _by_document(table("positions"))
        self.participations = _by_document(table("participations"))
        self.references = _by_document(table("event_references"))
        self.changes = _by_document(table("personnel_changes"))
        self.orgs_by_document: dict[str, list[Row]] = defaultdict(list)
        for row in sorted(table("organizations"), key=lambda r: _get(r, "start") or 0):
            self.orgs_by_document[_get(row, "document_id")].append(row)

    def person_name(self, person_id: str) -> str:
        row = self.persons.get(person_id)
        return _get(row, "name") if row is not None else person_id

    def org_name(self, org_id: str | None) -> str | None:
        if org_id is None:
            return None
        row = self.orgs.get(org_id)
        return _get(row, "name") if row is not None else org_id


def _persons(index: _Index, document_id: str) -> tuple[PersonFact, ...]:
    names = index.names.get(document_id, [])
    positions = index.positions.get(document_id, [])
    participations = index.participations.get(document_id, [])
    first_seen: dict[str, int] = {}
    for row in [*names, *positions, *participations]:
        pid, start = _get(row, "person_id"), _get(row, "start") or 0
        first_seen[pid] = min(start, first_seen.get(pid, start))
    surfaces: dict[str, str] = {}
    for row in names:
        surfaces.setdefault(_get(row, "person_id"), _get(row, "surface"))
    titles: dict[str, list[str]] = defaultdict(list)
    for row in positions:
        titles[_get(row, "person_id")].append(_get(row, "title"))
    parts: dict[str, list[Row]] = defaultdict(list)
    for row in participations:
        parts[_get(row, "person_id")].append(row)
    facts = []
    for pid in sorted(first_seen, key=lambda p: (first_seen[p], p)):
        name = index.person_name(pid)
        role, list_order = role_and_list_order(parts.get(pid, []))
        facts.append(
            PersonFact(
                name=name,
                surface=surfaces.get(pid, name),
                titles=tuple(_unique(titles.get(pid, []))),
                role_in_event=role,
                list_order=list_order,
            )
        )
    return tuple(facts)


def _events(index: _Index, document_id: str) -> tuple[tuple[EventFact, ...], tuple[str, ...]]:
    references = index.references.get(document_id, [])
    reported: dict[str, list[Row]] = defaultdict(list)
    for row in references:
        if _get(row, "is_reported"):
            reported[_get(row, "event_id")].append(row)
    events = []
    for event_id, rows in reported.items():
        event = index.events.get(event_id)
        if event is not None and _get(event, "parent_event_id"):
            continue  # a day sitting: the gold names the event it belongs to
        date_text = next((_get(r, "date_text") for r in rows if _get(r, "date_text")), None)
        place = next((_get(r, "place") for r in rows if _get(r, "place")), None)
        events.append(
            EventFact(
                name=_get(event, "name") if event is not None else event_id,
                ordinal=_get(event, "ordinal") if event is not None else None,
                date_text=date_text,
                place=place,
            )
        )
    referenced = _unique(
        _get(index.events.get(_get(r, "event_id")), "name") or _get(r, "event_id")
        for r in references
        if not _get(r, "is_reported") and _get(r, "event_id") not in reported
    )
    return tuple(events), tuple(referenced)


def _organizations(index: _Index, document_id: str) -> tuple[OrganizationFact, ...]:
    org_ids = [_get(r, "org_id") for r in index.orgs_by_document.get(document_id, [])]
    org_ids += [_get(r, "org_id") for r in index.positions.get(document_id, [])]
    chain: list[str] = []
    for org_id in _unique(org_ids):
        seen: set[str] = set()
        while org_id is not None and org_id not in seen:
            seen.add(org_id)
            chain.append(org_id)
            org_id = _get(index.orgs.get(org_id), "parent_org_id")
    return tuple(
        OrganizationFact(
            name=index.org_name(org_id) or org_id,
            parent=index.org_name(_get(index.orgs.get(org_id), "parent_org_id")),
        )
        for org_id in _unique(chain)
    )


def _changes(index: _Index, document_id: str) -> tuple[ChangeFact, ...]:
    return tuple(
        ChangeFact(
            person=index.person_name(_get(row, "person_id")),
            change=_get(row, "change"),
            post=_get(row, "post"),
            list_order=_get(row, "list_order"),
        )
        for row in index.changes.get(document_id, [])
    )


def _year(document: Row | None) -> int | None:
    if document is None or _get(document, "date_basis") not in TEXT_DATE_BASES:
        return None
    published = _get(document, "published")
    if isinstance(published, str):  # an untyped CSV cell, "2021-04-07"
        return int(published[:4]) if published[:4].isdigit() else None
    return getattr(published, "year", None)


def predict(tables: Mapping[str, Sequence[Row]]) -> dict[str, DocumentFacts]:
    """Per-document predictions of the built tables, keyed by document id (see the module doc)."""
    index = _Index(tables)
    predictions = {}
    for document_id in sorted(index.documents):
        document = index.documents[document_id]
        events, referenced = _events(index, document_id)
        predictions[document_id] = DocumentFacts(
            document_id=document_id,
            year=_year(document),
            document_kind=_get(document, "document_kind"),
            events=events,
            persons=_persons(index, document_id),
            organizations=_organizations(index, document_id),
            referenced_events=referenced,
            changes=_changes(index, document_id),
        )
    return predictions


def tables_from_seeds(seeds_dir: Path) -> dict[str, list[Any]]:
    """Build the tables from a seeds folder in memory (nothing is written)."""
    from dprk_records.pipeline.build import prepare_all, read_seeds, tables_of

    tables = tables_of(prepare_all(read_seeds(seeds_dir)))
    return {name: tables.get(name, []) for name in TABLES}


def tables_from_package(package_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Read the tables of an already built package folder (typed dict rows, hashes verified)."""
    from dprk_records.loader.package import Package

    package = Package(package_dir)
    present = set(package.tables)
    return {name: package.read(name) if name in present else [] for name in TABLES}
