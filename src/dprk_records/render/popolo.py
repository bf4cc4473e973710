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
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dprk_records.loader.timeline import title_status
from dprk_records.render.loaded import Loaded, Rows, cell
from dprk_records.schemas import in_table_order

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
# the changes that begin a membership of the person in the post's body
STARTING_CHANGES = frozenset({"elected", "by_elected", "appointed", "transferred"})
ENDING_CHANGES = frozenset({"recalled", "dismissed", "released", "retired"})
NOTE_WIDTH = 160


def _or_none(value: Any) -> str | None:
    text = cell(value)
    return text or None


class _Sources:
    """The export's source links, made before their notes: a note quotes its span, and the
    quotes are filled in a document at a time once the whole export is made (:meth:`quote`), so
    each verbatim text is read once, in document order, however the objects are sorted (the
    gate's texts are read from the files when asked)."""

    def __init__(self, paths: Mapping[str, str]) -> None:
        self._paths = paths
        self._waiting: dict[str, list[dict[str, Any]]] = {}

    def link(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A Popolo link to the characters of ``row``'s span in its verbatim text."""
        document, start, end = cell(row.get("document_id")), row.get("start"), row.get("end")
        path = self._paths.get(document, f"sources/{document}.txt")
        source = {
            "url": f"{path}#char={start},{end}",
            "note": "",
            "document_id": document,
            "start": start,
            "end": end,
        }
        self._waiting.setdefault(document, []).append(source)
        return source

    def links(self, rows: Rows) -> list[dict[str, Any]]:
        """The links of ``rows``' spans, each span once, in document and text order."""
        spans = {(cell(r.get("document_id")), r.get("start"), r.get("end")): r for r in rows}
        ordered = sorted(spans, key=lambda k: (k[0], k[1] if isinstance(k[1], int) else -1))
        return [self.link(spans[key]) for key in ordered]

    def quote(self, texts: Mapping[str, str]) -> None:
        """Fill in every link's note: the document, the span, and its characters."""
        for document in sorted(self._waiting):
            text = texts.get(document, "")
            for source in self._waiting.pop(document):
                start, end = source["start"], source["end"]
                spans = isinstance(start, int) and isinstance(end, int)
                quote = " ".join((text[start:end] if spans else "").split())
                if len(quote) > NOTE_WIDTH:
                    quote = quote[: NOTE_WIDTH - 1] + "…"
                source["note"] = f'{document} [{start}:{end}] "{quote}"'


def _by(rows: Rows, field: str) -> dict[str, Rows]:
    grouped: dict[str, Rows] = {}
    for row in rows:
        grouped.setdefault(cell(row.get(field)), []).append(row)
    return grouped


def _persons(loaded: Loaded, sources: _Sources) -> list[dict[str, Any]]:
    mentions = _by(loaded.rows("person_names"), "person_id")
    persons = []
    for row in sorted(loaded.rows("persons"), key=lambda r: cell(r.get("person_id"))):
        person_id = cell(row.get("person_id"))
        own = mentions.get(person_id, [])
        spellings = sorted({cell(m.get("surface")) for m in own} - {cell(row.get("name"))})
        persons.append(
            {
                "id": person_id,
                "name": cell(row.get("name")),
                "family_name": cell(row.get("family_name")),
                "given_name": cell(row.get("given_name")),
                "other_names": [
                    {"name": s, "note": "spelling in a source text"} for s in spellings
                ],
                "sources": sources.links(own),
            }
        )
    return persons


def _organizations(loaded: Loaded, sources: _Sources) -> list[dict[str, Any]]:
    return [
        {
            "id": cell(row.get("org_id")),
            "name": cell(row.get("name")),
            "classification": cell(row.get("org_kind")),
            "parent_id": _or_none(row.get("parent_org_id")),
            "place": _or_none(row.get("place")),
            "sources": sources.links([row]),
        }
        for row in sorted(loaded.rows("organizations"), key=lambda r: cell(r.get("org_id")))
    ]


def _membership_key(membership: Mapping[str, Any]) -> tuple[str, str, int, str, str]:
    """Person, then document and offset of the (first) span, then role and id."""
    source = membership["sources"][0] if membership["sources"] else {}
    start = source.get("start")
    return (
        membership["person_id"],
        cell(source.get("document_id")),
        start if isinstance(start, int) else -1,
        membership["role"],
        membership["id"],
    )


def _memberships(loaded: Loaded, sources: _Sources) -> list[dict[str, Any]]:
    """A membership per title stated as held (positions) and per change that starts one."""
    published = {cell(r.get("document_id")): r.get("published") for r in loaded.rows("documents")}
    stated = [
        {
            "id": f"{cell(row.get('person_id'))}--{cell(row.get('document_id'))}-{row.get('start')}",
            "person_id": cell(row.get("person_id")),
            "organization_id": _or_none(row.get("org_id")),
            "role": cell(row.get("title")),
            "start_date": None,
            "end_date": None,
            "position_role": cell(row.get("position_role")),
            "as_of": _or_none(row.get("as_of")),
            "sources": sources.links([row]),
        }
        for row in loaded.rows("positions")
        # a title only referred to (a past post, a dead leader's) is no membership
        if title_status(row) == "held"
    ]
    changed = [
        {
            "id": f"{cell(row.get('person_id'))}--{cell(row.get('change_id'))}",
            "person_id": cell(row.get("person_id")),
            "organization_id": _or_none(row.get("body_org_id")),
            "role": cell(row.get("post")),
            "start_date": _or_none(row.get("effective_date")) if starts else None,
            "end_date": None if starts else _or_none(row.get("effective_date")),
            "as_of": _or_none(published.get(cell(row.get("document_id")))),
            "sources": sources.links([row]),
        }
        for row in loaded.rows("personnel_changes")
        for starts in [cell(row.get("change")) in STARTING_CHANGES]
        if starts or cell(row.get("change")) in ENDING_CHANGES
    ]
    return sorted(stated + changed, key=_membership_key)


def _events(loaded: Loaded, sources: _Sources) -> list[dict[str, Any]]:
    references = _by(loaded.rows("event_references"), "event_id")
    events = []
    for row in sorted(loaded.rows("events"), key=lambda r: cell(r.get("event_id"))):
        event_id = cell(row.get("event_id"))
        spans = [row] if row.get("document_id") else []
        events.append(
            {
                "id": event_id,
                "name": cell(row.get("name")),
                "classification": cell(row.get("event_kind")),
                "start_date": _or_none(row.get("start_date")),
                "end_date": _or_none(row.get("end_date")),
                "location": _or_none(row.get("place")),
                "organization_id": _or_none(row.get("organizer_org_id")),
                "sources": sources.links(spans + references.get(event_id, [])),
            }
        )
    return events


def popolo_export(loaded: Loaded) -> dict[str, Any]:
    """The Popolo document of a package: meta, persons, organizations, memberships, events."""
    paths = {cell(r.get("document_id")): cell(r.get("path")) for r in loaded.rows("documents")}
    sources = _Sources(paths)
    descriptor = loaded.descriptor
    export = {
        "meta": {
            "dataset": cell(descriptor.get("name")),
            "title": cell(descriptor.get("title")),
            "version": cell(descriptor.get("version")),
            "licenses": [
                {k: cell(v) for k, v in lic.items() if k in ("name", "path", "title")}
                for lic in descriptor.get("licenses", [])
                if isinstance(lic, dict)
            ],
            "source_urls": "relative to the folder holding datapackage.json",
        },
        "persons": _persons(loaded, sources),
        "organizations": _organizations(loaded, sources),
        "memberships": _memberships(loaded, sources),
        "events": _events(loaded, sources),
    }
    sources.quote(loaded.texts)
    return export


def render_popolo(document: Mapping[str, Any]) -> str:
    """The export as text: 2-space indented JSON, keys in a fixed order, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def dangling_references(document: Mapping[str, Any]) -> list[str]:
    """Ids that a membership, organization or event names but the export does not hold."""
    persons = {p.get("id") for p in document.get("persons", [])}
    organizations = {o.get("id") for o in document.get("organizations", [])}
    problems = []
    for m in document.get("memberships", []):
        if m.get("person_id") not in persons:
            problems.append(f"membership {m.get('id')}: no person {m.get('person_id')!r}")
        if m.get("organization_id") is not None and m["organization_id"] not in organizations:
            problems.append(f"membership {m.get('id')}: no organization {m['organization_id']!r}")
    for o in document.get("organizations", []):
        if o.get("parent_id") is not None and o["parent_id"] not in organizations:
            problems.append(f"organization {o.get('id')}: no parent {o['parent_id']!r}")
    for e in document.get("events", []):
        if e.get("organization_id") is not None and e["organization_id"] not in organizations:
            problems.append(f"event {e.get('id')}: no organization {e['organization_id']!r}")
    return problems
