"""What a change of the seeds adds, in facts rather than row counts.

``contribution(old, new)`` compares two snapshots (typically the build before a document was
added and the build after) and lists what a reader of the data would want to know: the new
documents, new persons, new titles for persons already known, new events and organizations,
known events mentioned again, and how many rows each table gained -- plus, as a warning, rows
of the existing data that changed or disappeared. Pure functions; rendering is plain Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dprk_records.release.diff import TableRows, row_changes
from dprk_records.release.snapshot import Snapshot

Rows = list[dict[str, Any]]
LIST_LIMIT = 12  # names listed per line before "and N more"


@dataclass(frozen=True)
class Fact:
    """One new thing: its id and how a person would name it."""

    id: str
    label: str


@dataclass(frozen=True)
class Contribution:
    """What ``new`` has that ``old`` had not (and what of ``old`` it changed)."""

    documents: list[Fact] = field(default_factory=list)
    persons: list[Fact] = field(default_factory=list)
    new_titles: list[Fact] = field(default_factory=list)  # known persons: "Name: title"
    titles_of_new_persons: list[Fact] = field(default_factory=list)
    events: list[Fact] = field(default_factory=list)
    events_mentioned_again: list[Fact] = field(default_factory=list)
    organizations: list[Fact] = field(default_factory=list)
    rows: list[TableRows] = field(default_factory=list)

    @property
    def rows_added(self) -> list[TableRows]:
        """Tables that gained rows: what adding a text is expected to do (rows changed or removed
        are :attr:`existing_rows_altered`, a warning)."""
        return [r for r in self.rows if r.added]

    @property
    def existing_rows_altered(self) -> list[TableRows]:
        """Tables where rows of the old data changed or were removed (worth a look)."""
        return [r for r in self.rows if r.changed or r.removed]


def _by_key(rows: Rows, key: str) -> dict[str, dict[str, Any]]:
    return {str(row.get(key)): row for row in rows if row.get(key) is not None}


def _new(old: Rows, new: Rows, key: str) -> list[dict[str, Any]]:
    before = _by_key(old, key)
    return [row for k, row in sorted(_by_key(new, key).items()) if k not in before]


def _fold(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _document_label(row: dict[str, Any]) -> str:
    details = ", ".join(str(row[k]) for k in ("publisher", "published") if row.get(k))
    title = f'"{row.get("title")}"' if row.get("title") else "(untitled)"
    return f"{title} ({details})" if details else title


def _event_label(row: dict[str, Any]) -> str:
    name = str(row.get("name") or row.get("event_id"))
    return f"{name} ({row['start_date']})" if row.get("start_date") else name


def _titles(old: Snapshot, new: Snapshot) -> tuple[list[Fact], list[Fact]]:
    """(new titles of persons the old data knew, titles of persons new to the data)."""
    old_persons = _by_key(old.tables.get("persons", []), "person_id")
    names = {
        k: str(r.get("name") or k)
        for k, r in _by_key(new.tables.get("persons", []), "person_id").items()
    }
    held = {
        (str(r.get("person_id")), _fold(r.get("title"))) for r in old.tables.get("positions", [])
    }
    known, fresh, seen = [], [], set()
    for row in new.tables.get("positions", []):
        person, title = str(row.get("person_id")), str(row.get("title") or "")
        pair = (person, _fold(title))
        if not title or pair in held or pair in seen:
            continue
        seen.add(pair)
        fact = Fact(person, f"{names.get(person, person)}: {title}")
        (known if person in old_persons else fresh).append(fact)
    return sorted(known, key=lambda f: f.label), sorted(fresh, key=lambda f: f.label)


def _mentioned_again(old: Snapshot, new: Snapshot, documents: Iterable[str]) -> list[Fact]:
    """Events the old data already had that the new documents mention."""
    old_events = _by_key(old.tables.get("events", []), "event_id")
    wanted = set(documents)
    ids = {
        str(r.get("event_id"))
        for r in new.tables.get("event_references", [])
        if r.get("document_id") in wanted and str(r.get("event_id")) in old_events
    }
    return [Fact(i, _event_label(old_events[i])) for i in sorted(ids)]


def table_rows(old: Snapshot, new: Snapshot) -> list[TableRows]:
    """Rows added, removed and changed per table present in both snapshots."""
    old_schemas = old.schemas()
    return [
        row_changes(t, old_schemas[t], s, old.tables.get(t, []), new.tables.get(t, []))
        for t, s in new.schemas().items()
        if t in old_schemas
    ]


def contribution(old: Snapshot, new: Snapshot) -> Contribution:
    """Everything ``new`` adds to ``old``, in facts; see the module docstring."""

    def added(table: str, key: str) -> list[dict[str, Any]]:
        return _new(old.tables.get(table, []), new.tables.get(table, []), key)

    documents = added("documents", "document_id")
    known_titles, fresh_titles = _titles(old, new)
    document_ids = [str(r["document_id"]) for r in documents]
    return Contribution(
        documents=[Fact(str(r["document_id"]), _document_label(r)) for r in documents],
        persons=[
            Fact(str(r["person_id"]), str(r.get("name") or r["person_id"]))
            for r in added("persons", "person_id")
        ],
        new_titles=known_titles,
        titles_of_new_persons=fresh_titles,
        events=[Fact(str(r["event_id"]), _event_label(r)) for r in added("events", "event_id")],
        events_mentioned_again=_mentioned_again(old, new, document_ids),
        organizations=[
            Fact(str(r["org_id"]), str(r.get("name") or r["org_id"]))
            for r in added("organizations", "org_id")
        ],
        rows=table_rows(old, new),
    )


def listing(facts: list[Fact], limit: int = LIST_LIMIT) -> str:
    """``a; b; c and 4 more`` -- labels, cut after ``limit``."""
    shown = "; ".join(f.label for f in facts[:limit])
    rest = len(facts) - limit
    return f"{shown}; and {rest} more" if rest > 0 else shown


def summary_lines(found: Contribution) -> list[str]:
    """Markdown bullets: one per kind of new fact, then row counts and a warning if needed."""
    lines = []
    for title, facts in (
        ("new document(s)", [Fact(f.id, f"`{f.id}` {f.label}") for f in found.documents]),
        ("new person(s)", found.persons),
        ("new title(s) of known persons", found.new_titles),
        ("title(s) of the new persons", found.titles_of_new_persons),
        ("new event(s)", found.events),
        ("known event(s) mentioned again", found.events_mentioned_again),
        ("new organization(s)", found.organizations),
    ):
        if facts:
            lines.append(f"- {len(facts)} {title}: {listing(facts)}")
    added = ", ".join(f"`{r.table}` +{r.added}" for r in found.rows_added)
    lines.append(f"- rows added: {added}" if added else "- no rows added")
    altered = found.existing_rows_altered
    if altered:
        parts = ", ".join(f"`{r.table}` {r.changed} changed, {r.removed} removed" for r in altered)
        lines.append(f"- WARNING: existing rows differ: {parts} (check ids and values)")
    return lines
