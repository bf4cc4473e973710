"""Popolo export: persons, organizations, memberships and events as one JSON file.

Follows the collections and field names of the Popolo data specification
(https://www.popoloproject.com/specs/): ``persons`` (id, name, family_name, given_name,
other_names), ``organizations`` (id, name, classification, parent_id), ``memberships`` (id,
person_id, organization_id, role, start_date) from the positions table (titles held on the
document's date only: ``status`` held), and ``events`` (id, name, start_date,
end_date, classification). Every object carries ``sources``: Popolo links whose ``url`` is the
verbatim text with an RFC 5147 fragment (``sources/DOC.txt#char=START,END``) and whose ``note``
quotes the characters; ``document_id``, ``start`` and ``end`` repeat the span for programs.

Beyond Popolo: ``place`` of an organization, ``position_role`` and ``as_of`` of a membership. A
position gives the date a title is *attested* (``as_of``), not the date it began, so a
membership's ``start_date`` is null (no source states it) and ``as_of`` keeps the attested date. ``schemas/popolo.schema.json``
describes the file, and the gate's ``popolo`` check validates the export of every package.

Personnel changes are memberships too: one that puts a person into a post (elected, by-elected,
appointed, transferred) has ``start_date`` the change's effective date; one that takes a person
out of a post (recalled, dismissed, released, retired) has ``end_date`` (each null when the text
gives no date). ``organization_id`` is the body of the post when the organizations table has it,
``role`` the post as written, ``as_of`` the publication date of the text stating it. A removal
is its own membership, not an edit of an earlier one: the text that ends it seldom names when it
began. Promotions, demotions and awards confer a rank or an honour, not a place in a body, and
Popolo has no object for them; they stay in the package's ``personnel_changes`` table and in
every person's timeline.

The objects are made and sorted through a temporary SQLite file
(:mod:`dprk_records.render.popolo_store`), one at a time: the gate validates them so, and
:func:`popolo_export` gathers them into the whole document, :func:`popolo_bytes` and
:func:`write_popolo` into its text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dprk_records.render.loaded import Loaded, PackageTexts, cell
from dprk_records.render.popolo_store import (
    ENDING_CHANGES,
    STARTING_CHANGES,
    PopoloStore,
    RowSource,
)
from dprk_records.schemas import in_table_order

__all__ = [
    "COLLECTIONS",
    "ENDING_CHANGES",
    "SCHEMA_FILE",
    "STARTING_CHANGES",
    "TABLES",
    "dangling_references",
    "popolo_bytes",
    "popolo_collections",
    "popolo_export",
    "popolo_meta",
    "popolo_text",
    "render_popolo",
    "write_popolo",
]

SCHEMA_FILE = "popolo.schema.json"
# the tables popolo_export reads, in registry order (a renamed table fails here, at import)
TABLES = in_table_order(
    {
        "documents",
        "persons",
        "person_names",
        "organizations",
        "positions",
        "personnel_changes",
        "events",
        "event_references",
    }
)
COLLECTIONS = ("persons", "organizations", "memberships", "events")
"""The export's collections, in the export's order (after ``meta``)."""


def popolo_meta(descriptor: Mapping[str, Any]) -> dict[str, Any]:
    """The export's ``meta``: which package it was made from."""
    return {
        "dataset": cell(descriptor.get("name")),
        "title": cell(descriptor.get("title")),
        "version": cell(descriptor.get("version")),
        "licenses": [
            {k: cell(v) for k, v in lic.items() if k in ("name", "path", "title")}
            for lic in descriptor.get("licenses", [])
            if isinstance(lic, dict)
        ],
        "source_urls": "relative to the folder holding datapackage.json",
    }


def popolo_collections(store: PopoloStore) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Each collection's name and its objects, one at a time, in the export's order."""
    for name in COLLECTIONS:
        yield name, getattr(store, name)()


def _store(loaded: Loaded) -> PopoloStore:
    """The store of a package read into memory (a table it lacks has no rows)."""
    return PopoloStore(lambda name: loaded.tables.get(name, []), loaded.texts)


def popolo_bytes(loaded: Loaded) -> bytes:
    """The export of ``loaded`` as the bytes of popolo.json, made an object at a time (only
    the text is held, not the objects: a few times smaller)."""
    with _store(loaded) as store:
        text = popolo_text(popolo_meta(loaded.descriptor), popolo_collections(store))
        return "".join(text).encode("utf-8")


def popolo_export(loaded: Loaded) -> dict[str, Any]:
    """The Popolo document of a package: meta, persons, organizations, memberships, events."""
    with _store(loaded) as store:
        export: dict[str, Any] = {"meta": popolo_meta(loaded.descriptor)}
        for name, objects in popolo_collections(store):
            export[name] = list(objects)
    return export


def popolo_text(
    meta: Mapping[str, Any], collections: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]
) -> Iterator[str]:
    """The export as text, a piece at a time (an object a piece): what ``json.dumps`` with an
    indent of 2 makes of the whole document, without the document in memory."""

    def indented(value: Any, depth: int) -> str:
        # (a line break in a value is written \n: the only ones are the indentation's)
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * depth)

    yield '{\n  "meta": ' + indented(meta, 2)
    for name, objects in collections:
        yield f",\n  {json.dumps(name, ensure_ascii=False)}: ["
        separator = "\n    "
        for item in objects:
            yield separator + indented(item, 4)
            separator = ",\n    "
        yield "]" if separator == "\n    " else "\n  ]"
    yield "\n}\n"


def render_popolo(document: Mapping[str, Any]) -> str:
    """The export as text: 2-space indented JSON, keys in a fixed order, a final newline."""
    return "".join(popolo_text(document["meta"], ((name, document[name]) for name in COLLECTIONS)))


def write_popolo(package: Path, write: Callable[[str], Any]) -> None:
    """Export the package folder ``package`` (read with the loader: sizes and hashes
    verified), handing ``write`` the text a piece at a time. One table is held at a time while
    the store is filled, one text while the notes are quoted, then one object."""
    from dprk_records.loader.package import Package

    opened = Package(package)
    tables = set(opened.tables)
    rows: RowSource = lambda name: opened.read(name) if name in tables else []  # noqa: E731
    texts = PackageTexts(opened, rows("documents"))
    with PopoloStore(rows, texts) as store:
        for piece in popolo_text(popolo_meta(opened.descriptor), popolo_collections(store)):
            write(piece)


class References:
    """The ids that memberships, organizations and events name but the export does not hold,
    found while the objects pass in the export's order (persons, organizations, memberships,
    events); each kind of problem keeps its first ``limit``."""

    def __init__(self, limit: int | None = None) -> None:
        self._limit = limit
        self._persons: set[Any] = set()
        self._organizations: set[Any] = set()
        self._parents: list[tuple[Any, Any]] = []
        self._memberships: list[str] = []
        self._events: list[str] = []

    def _keep(self, problems: list[str], problem: str) -> None:
        if self._limit is None or len(problems) < self._limit:
            problems.append(problem)

    def add(self, collection: str, item: Mapping[str, Any]) -> None:
        """Take in one object of ``collection``."""
        if collection == "persons":
            self._persons.add(item.get("id"))
        elif collection == "organizations":
            self._organizations.add(item.get("id"))
            if item.get("parent_id") is not None:
                self._parents.append((item.get("id"), item["parent_id"]))
        elif collection == "memberships":
            if item.get("person_id") not in self._persons:
                problem = f"membership {item.get('id')}: no person {item.get('person_id')!r}"
                self._keep(self._memberships, problem)
            org = item.get("organization_id")
            if org is not None and org not in self._organizations:
                self._keep(
                    self._memberships, f"membership {item.get('id')}: no organization {org!r}"
                )
        elif collection == "events":
            org = item.get("organization_id")
            if org is not None and org not in self._organizations:
                self._keep(self._events, f"event {item.get('id')}: no organization {org!r}")

    def problems(self) -> list[str]:
        """Memberships' problems, then organizations' parents, then events'."""
        parents: list[str] = []
        for org, parent in self._parents:
            if parent not in self._organizations:
                self._keep(parents, f"organization {org}: no parent {parent!r}")
        return self._memberships + parents + self._events


def dangling_references(document: Mapping[str, Any]) -> list[str]:
    """Ids that a membership, organization or event names but the export does not hold."""
    references = References()
    for collection in COLLECTIONS:
        for item in document.get(collection, []):
            references.add(collection, item)
    return references.problems()
