"""Rows shown to people: page file names, links between pages, row tables and one-line summaries.

Every value is escaped (``html.escape`` with quotes, so a value is safe in an attribute too).
Every link is either relative inside the site (``root`` is the path from a page to the site's
top folder, "" or "../") or an http(s) address: :func:`link` renders anything else as text, so a
package whose cells hold ``javascript:`` or ``data:`` URLs cannot make the viewer run them.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from dprk_records.loader.timeline import TimelineSources
from dprk_records.pipeline.manifest import url_problem
from dprk_records.render.loaded import Loaded, Rows, cell
from dprk_records.render.viewer.spans import TABLE_KINDS
from dprk_records.schemas import references_to, referencing_fields

_SAFE = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*")
# a scheme as browsers read one: letters first, then letters, digits, "+", "-" or "."
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# the columns holding ids of persons, organizations, events and documents: their primary keys and
# every foreign key to them, as the Table Schemas declare
PERSON_FIELDS = referencing_fields("persons")
ORG_FIELDS = referencing_fields("organizations")
EVENT_FIELDS = referencing_fields("events")
DOCUMENT_FIELDS = referencing_fields("documents")
SPAN_TABLES = tuple(TABLE_KINDS)
# table -> its column naming the person a row is about (speeches and quotations: the speaker)
PERSON_TABLES = dict(references_to("persons"))


def file_stem(identifier: str) -> str:
    """A file name stem for an id: the id itself when it is a plain slug, else a hash of it."""
    if _SAFE.fullmatch(identifier):
        return identifier
    return "id-" + hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:16]


def single_key(schema: Mapping[str, Any]) -> str | None:
    """The primary key field of a table keyed by one field, else None."""
    primary = schema.get("primaryKey")
    if isinstance(primary, str):
        return primary
    return primary[0] if isinstance(primary, list) and len(primary) == 1 else None


@dataclass(frozen=True)
class Site:
    """What every page links to: the ids that have a page or a row anchor, and names for them."""

    persons: dict[str, str] = field(default_factory=dict)  # person_id -> name
    organizations: dict[str, str] = field(default_factory=dict)  # org_id -> name
    events: dict[str, str] = field(default_factory=dict)  # event_id -> name
    documents: dict[str, str] = field(default_factory=dict)  # document_id -> title
    package_href: str | None = None  # the package folder, relative to the site's top
    package_files: tuple[str, ...] = ()  # files of the package folder the index links to
    by_document: dict[str, dict[str, Rows]] = field(default_factory=dict)  # id -> table -> rows
    by_person: dict[str, dict[str, Rows]] = field(default_factory=dict)  # id -> table -> rows
    listing_sizes: Counter[str] = field(default_factory=Counter)  # listing -> participations
    # publication dates and event names and dates, for the person pages' timelines
    timeline_sources: TimelineSources = field(default_factory=lambda: TimelineSources({}, {}))

    @classmethod
    def of(
        cls, loaded: Loaded, package_href: str | None = None, package_files: tuple[str, ...] = ()
    ) -> Site:
        """Index a loaded package once (names by id, span rows by document, rows by person,
        listing sizes), so that building each page is lookups, not a scan of every table."""

        def names(table: str, key: str, name: str) -> dict[str, str]:
            return {cell(r.get(key)): cell(r.get(name)) for r in loaded.rows(table)}

        by_document: dict[str, dict[str, Rows]] = {}
        for table in SPAN_TABLES:
            for row in loaded.rows(table):
                document = by_document.setdefault(cell(row.get("document_id")), {})
                document.setdefault(table, []).append(row)
        by_person: dict[str, dict[str, Rows]] = {}
        for table, key in PERSON_TABLES.items():
            for row in loaded.rows(table):
                by_person.setdefault(cell(row.get(key)), {}).setdefault(table, []).append(row)
        sizes = Counter(cell(r.get("listing")) for r in loaded.rows("participations"))

        return cls(
            names("persons", "person_id", "name"),
            names("organizations", "org_id", "name"),
            names("events", "event_id", "name"),
            names("documents", "document_id", "title"),
            package_href,
            package_files,
            by_document,
            by_person,
            sizes,
            TimelineSources.of(loaded.rows("documents"), loaded.rows("events")),
        )

    def document_rows(self, document_id: str) -> dict[str, Rows]:
        """Table -> the rows of the span tables in one document."""
        return self.by_document.get(document_id, {})

    def person_rows(self, person_id: str, table: str) -> Rows:
        """The rows of ``table`` about one person (speeches: by speaker)."""
        return self.by_person.get(person_id, {}).get(table, [])

    def href(self, field_name: str, value: str, root: str) -> str | None:
        """Where a value of ``field_name`` links to, or None."""
        if field_name in PERSON_FIELDS and value in self.persons:
            return f"{root}persons/{file_stem(value)}.html"
        if field_name in ORG_FIELDS and value in self.organizations:
            return f"{root}tables/organizations.html#row-{file_stem(value)}"
        if field_name in EVENT_FIELDS and value in self.events:
            return f"{root}tables/events.html#row-{file_stem(value)}"
        if field_name in DOCUMENT_FIELDS and value in self.documents:
            return f"{root}documents/{file_stem(value)}.html"
        if field_name == "subject_id":
            for kind in ("person_id", "org_id", "event_id"):
                found = self.href(kind, value, root)
                if found:
                    return found
        return None


def is_site_href(href: str) -> bool:
    """Whether ``href`` is a relative link that stays inside the site (or its package folder).

    Browsers strip leading spaces and control characters and drop tabs and newlines anywhere in
    a URL, and read a backslash as a slash; so any such character, a leading slash (``//host``
    leaves the site) or anything a browser would take for a scheme makes it not one.
    """
    if not href or href[0] in "/\\" or _SCHEME.match(href):
        return False
    return not any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in href)


def is_web_href(href: str) -> bool:
    """Whether ``href`` is an http(s) address with a host: the only links out of the site."""
    return url_problem(href) is None


def file_href(*parts: str) -> str:
    """A relative link to a file of the package, from path ``parts`` joined by "/" and
    percent-encoded (``/`` kept): a file name from the data, such as a document's ``path``,
    cannot then add a scheme (``:`` is encoded), a fragment or a query to the link."""
    return "/".join(quote(part.strip("/"), safe="/") for part in parts if part)


def link(href: str | None, text: str) -> str:
    """``text`` escaped, inside a link when there is somewhere safe to go: a relative link inside
    the site or an http(s) address. Any other href (``javascript:``, ``data:``, ``//host``, a
    ``file:`` path) is dropped and the text shown as it is, because a link there could run
    script or leave the offline site."""
    if href is None or not (is_site_href(href) or is_web_href(href)):
        return html.escape(text)
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def value_html(site: Site, field_name: str, value: Any, root: str) -> str:
    """One cell of a row: escaped, linked when it is an id with a page."""
    text = cell(value)
    if text == "":
        return '<span class="empty">—</span>'
    shown = text if text.strip() == text and "\n" not in text else repr(text)
    return link(site.href(field_name, text, root), shown)


def span_href(row: Mapping[str, Any], root: str) -> str | None:
    """The document page anchor of a row's span, or None."""
    start, end, document = row.get("start"), row.get("end"), cell(row.get("document_id"))
    if not (isinstance(start, int) and isinstance(end, int) and document):
        return None
    return f"{root}documents/{file_stem(document)}.html#s{start}-{end}"


def row_table(site: Site, table: str, row: Mapping[str, Any], root: str) -> str:
    """A row as a two-column table (field, value) captioned with its table's name."""
    cells = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{value_html(site, name, value, root)}</td></tr>"
        for name, value in row.items()
    )
    return f'<table class="row"><caption>{html.escape(table)}</caption>{cells}</table>'


def _quoted(value: Any) -> str:
    text = cell(value)
    return f"“{text}”" if text.strip() == text and "\n" not in text else repr(text)


def summary(site: Site, table: str, row: Mapping[str, Any]) -> str:
    """One line saying what a row states, for a tooltip (plain text, not yet escaped)."""
    get = row.get
    person = site.persons.get(cell(get("person_id")), cell(get("person_id")))
    event = site.events.get(cell(get("event_id")), cell(get("event_id")))
    order = f", no. {get('list_order')} in its listing" if get("list_order") else ""
    lines = {
        "person_names": f"{person} (spelled {_quoted(get('surface'))})",
        "participations": f"{person}: {cell(get('role'))} in {event}{order}",
        "positions": f"{person}: {cell(get('title'))} ({cell(get('position_role'))})",
        "personnel_changes": f"{person}: {cell(get('change'))} {cell(get('post'))}"
        + (f" at {event}" if event else "")
        + order,
        "organizations": f"{cell(get('name'))} ({cell(get('org_kind'))})",
        "events": f"{cell(get('name'))} ({cell(get('event_kind'))})",
        "event_references": f"{event}" + (" (the event reported)" if get("is_reported") else ""),
        "speeches": f"{cell(get('speech_kind'))} by "
        f"{site.persons.get(cell(get('speaker_id')), cell(get('speaker_id')))}",
        "quotations": f"{cell(get('quote_kind'))}: {_quoted(get('text'))}",
        "figures": f"{cell(get('qualifier'))} {cell(get('value'))} {cell(get('unit'))} "
        f"({cell(get('measure'))})".strip(),
        "corrections": f"{cell(get('correction_kind'))}: {_quoted(get('original'))} -> "
        f"{_quoted(get('corrected'))}",
    }
    return f"{table}: {' '.join(lines.get(table, cell(get('method'))).split())}"
