"""The Popolo export's objects in the export's order, sorted on disk instead of in memory.

A person's sources are spans from all over the package, an event's gather its later references,
and memberships are sorted by person, while every table comes in document order. So the rows
are written to a temporary SQLite file as they are read, each source's note is quoted a
document at a time (every verbatim text read once), and the objects are read back sorted, one
at a time. Memory stays that of one object, however large the package; the file, about the size
of the export, is deleted on leaving the ``with`` block.

The order is exactly that of sorting in Python: every sorted column is text (UTF-8, whose bytes
sort as its code points do) or an integer, and ties keep the rows' order (``seq``).
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from dprk_records.loader.timeline import title_status
from dprk_records.render.loaded import cell

# the changes that begin a membership of the person in the post's body, and those that end one
STARTING_CHANGES = frozenset({"elected", "by_elected", "appointed", "transferred"})
ENDING_CHANGES = frozenset({"recalled", "dismissed", "released", "retired"})
_MEMBERSHIP_CHANGES = STARTING_CHANGES | ENDING_CHANGES
NOTE_WIDTH = 160

RowSource = Callable[[str], Iterable[Mapping[str, Any]]]
"""Table name -> its rows (none for a table the package lacks), read when called."""

_TABLES = """
CREATE TABLE document (document_id PRIMARY KEY, path, published);
CREATE TABLE person (person_id, seq, name, family_name, given_name);
CREATE TABLE mention (person_id, seq, document_id, start, end, start_key, surface);
CREATE TABLE organization (org_id, seq, body, document_id, start, end);
CREATE TABLE membership (person_id, document_id, start_key, role, id, seq, body, start, end);
CREATE TABLE event (event_id, seq INTEGER PRIMARY KEY, body);
CREATE TABLE event_span (event_seq, document_id, start, end, start_key);
CREATE TABLE reference (event_id, seq, document_id, start, end, start_key);
"""
_INDEXES = """
CREATE INDEX mention_by_person ON mention (person_id);
CREATE INDEX reference_by_event ON reference (event_id);
CREATE INDEX note_by_span ON note (document_id, start, end);
"""
_PUBLISHED = "SELECT published FROM document WHERE document_id = ?"
# every owner's source links, sorted as the owners are (``sort``, then ``owner``) and then
# as the links are: each span once, the first row stating it deciding its place among the
# spans at one offset; with its document's path (a document the package lacks:
# sources/ID.txt) and its note
_LINKS = """
SELECT s.owner, s.document_id, s.start, s.end, d.path, n.note
FROM (
    SELECT sort, owner, document_id, start, end, start_key, MIN(seq) AS first
    FROM ({rows}) GROUP BY owner, document_id, start, end
) AS s
LEFT JOIN document AS d ON d.document_id = s.document_id
LEFT JOIN note AS n ON n.document_id = s.document_id AND n.start IS s.start AND n.end IS s.end
ORDER BY s.sort, s.owner, s.document_id, s.start_key, s.first
"""
_PERSON_LINKS = _LINKS.format(
    rows="""SELECT person_id AS sort, person_id AS owner, document_id, start, end, start_key, seq
        FROM mention"""
)
# an event's own span (before any reference) and those of the references to its id; the owner
# is the event's row
_EVENT_LINKS = _LINKS.format(
    rows="""SELECT e.event_id AS sort, e.seq AS owner, s.document_id, s.start, s.end,
            s.start_key, -1 AS seq
        FROM event_span AS s JOIN event AS e ON e.seq = s.event_seq
        UNION ALL
        SELECT e.event_id, e.seq, r.document_id, r.start, r.end, r.start_key, r.seq
        FROM event AS e JOIN reference AS r ON r.event_id = e.event_id"""
)


_PERSON_FIELDS = ("name", "family_name", "given_name")


def _or_none(value: Any) -> str | None:
    text = cell(value)
    return text or None


# SQLite's integers are 64-bit: a larger one (a malformed offset) is kept as the bytes of its
# digits, which compare equal only to themselves, and sorts as the nearest 64-bit one
_INT64 = range(-(2**63), 2**63)


def _stored(value: Any) -> Any:
    return str(value).encode() if isinstance(value, int) and value not in _INT64 else value


def _restored(value: Any) -> Any:
    return int(value) if isinstance(value, bytes) else value


def _start_key(start: Any) -> int:
    """Where a span sorts among its document's: its start, or before all when it has none."""
    if not isinstance(start, int):
        return -1
    return min(max(start, _INT64.start), _INT64.stop - 1)


def _span(row: Mapping[str, Any]) -> tuple[str, Any, Any, int]:
    """A row's document, start and end as stored, and the start's sort key."""
    start, end = row.get("start"), row.get("end")
    return cell(row.get("document_id")), _stored(start), _stored(end), _start_key(start)


def quote_note(document: str, start: Any, end: Any, text: str) -> str:
    """A source's note: the document, the span, and its characters on one line (shortened)."""
    spans = isinstance(start, int) and isinstance(end, int)
    quote = " ".join((text[start:end] if spans else "").split())
    if len(quote) > NOTE_WIDTH:
        quote = quote[: NOTE_WIDTH - 1] + "…"
    return f'{document} [{start}:{end}] "{quote}"'


class PopoloStore:
    """The package's Popolo objects, written to a temporary SQLite file on entering and read
    back in the export's order by :meth:`persons`, :meth:`organizations`, :meth:`memberships`
    and :meth:`events`.

    ``rows`` gives a table's rows when called (each table is read once); ``texts`` maps a
    document id to its verbatim text (a document without one quotes nothing).
    """

    def __init__(self, rows: RowSource, texts: Mapping[str, str]) -> None:
        self._rows = rows
        self._texts = texts
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> PopoloStore:
        self._folder = tempfile.TemporaryDirectory(prefix="dprk-records-popolo-")
        try:
            self._db = sqlite3.connect(Path(self._folder.name) / "popolo.sqlite")
            for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -32000"):
                self._db.execute(f"PRAGMA {pragma}")
            self._fill(self._db)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database and delete its folder."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("a PopoloStore is read inside its with block")
        return self._db

    # -- writing -----------------------------------------------------------------------------

    def _fill(self, db: sqlite3.Connection) -> None:
        db.executescript(_TABLES)
        db.executemany(
            "INSERT OR REPLACE INTO document VALUES (?, ?, ?)",
            (
                (cell(r.get("document_id")), cell(r.get("path")), _or_none(r.get("published")))
                for r in self._rows("documents")
            ),
        )
        db.executemany(
            "INSERT INTO person VALUES (?, ?, ?, ?, ?)",
            (
                (cell(r.get("person_id")), seq, *(cell(r.get(f)) for f in _PERSON_FIELDS))
                for seq, r in enumerate(self._rows("persons"))
            ),
        )
        db.executemany(
            "INSERT INTO mention VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (cell(r.get("person_id")), seq, *_span(r), cell(r.get("surface")))
                for seq, r in enumerate(self._rows("person_names"))
            ),
        )
        db.executemany(
            "INSERT INTO organization VALUES (?, ?, ?, ?, ?, ?)",
            (
                (cell(r.get("org_id")), seq, json.dumps(_organization(r)), *_span(r)[:3])
                for seq, r in enumerate(self._rows("organizations"))
            ),
        )
        self._fill_memberships(db)
        self._fill_events(db)
        self._quote(db)
        db.executescript(_INDEXES)

    def _fill_memberships(self, db: sqlite3.Connection) -> None:
        """A membership per title stated as held (positions) and per change that starts or
        ends one (personnel_changes); ties keep the stated ones first, each in table order."""
        insert = "INSERT INTO membership VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        order = itertools.count()  # the rows' order, positions then changes
        db.executemany(
            insert,
            (
                _membership_row(_stated(row), row, seq)
                for row, seq in zip(self._rows("positions"), order, strict=False)
                # a title only referred to (a past post, a dead leader's) is no membership
                if title_status(row) == "held"
            ),
        )
        lookup = db.cursor()

        def changed(seq: int, row: Mapping[str, Any]) -> tuple[Any, ...]:
            document = cell(row.get("document_id"))
            found = lookup.execute(_PUBLISHED, (document,)).fetchone()
            starts = cell(row.get("change")) in STARTING_CHANGES
            body = _changed(row, starts, found[0] if found else None)
            return _membership_row(body, row, seq)

        db.executemany(
            insert,
            (
                changed(seq, row)
                for row, seq in zip(self._rows("personnel_changes"), order, strict=False)
                if cell(row.get("change")) in _MEMBERSHIP_CHANGES
            ),
        )

    def _fill_events(self, db: sqlite3.Connection) -> None:
        events = "INSERT INTO event VALUES (?, ?, ?)"
        for seq, row in enumerate(self._rows("events")):
            db.execute(events, (cell(row.get("event_id")), seq, json.dumps(_event(row))))
            if row.get("document_id"):
                db.execute("INSERT INTO event_span VALUES (?, ?, ?, ?, ?)", (seq, *_span(row)))
        db.executemany(
            "INSERT INTO reference VALUES (?, ?, ?, ?, ?, ?)",
            (
                (cell(r.get("event_id")), seq, *_span(r))
                for seq, r in enumerate(self._rows("event_references"))
            ),
        )

    def _quote(self, db: sqlite3.Connection) -> None:
        """Every source's note, a document at a time, so that each text is read once."""
        db.execute("CREATE TABLE note (document_id, start, end, note)")
        spans = db.execute(
            """SELECT DISTINCT document_id, start, end FROM (
                SELECT document_id, start, end FROM mention
                UNION ALL SELECT document_id, start, end FROM organization
                UNION ALL SELECT document_id, start, end FROM membership
                UNION ALL SELECT document_id, start, end FROM event_span
                UNION ALL SELECT document_id, start, end FROM reference
            ) ORDER BY document_id"""
        )

        def notes() -> Iterator[tuple[Any, ...]]:
            current: str | None = None
            text = ""
            for document, start, end in spans:
                if document != current:
                    current, text = document, self._texts.get(document, "")
                note = quote_note(document, _restored(start), _restored(end), text)
                yield document, start, end, note

        db.executemany("INSERT INTO note VALUES (?, ?, ?, ?)", notes())

    # -- reading -----------------------------------------------------------------------------

    def persons(self) -> Iterator[dict[str, Any]]:
        """Persons by id, each with the other spellings of its name and every span naming it."""
        spellings = _Groups(
            self.db.execute("SELECT DISTINCT person_id, surface FROM mention ORDER BY 1, 2")
        )
        links = _Groups(self.db.execute(_PERSON_LINKS))
        rows = self.db.execute(
            "SELECT person_id, name, family_name, given_name FROM person ORDER BY person_id, seq"
        )
        for person_id, name, family_name, given_name in rows:
            other = [s for _, s in spellings.take(person_id) if s != name]
            yield {
                "id": person_id,
                "name": name,
                "family_name": family_name,
                "given_name": given_name,
                "other_names": [{"name": s, "note": "spelling in a source text"} for s in other],
                "sources": [_link(*link[1:]) for link in links.take(person_id)],
            }

    def organizations(self) -> Iterator[dict[str, Any]]:
        """Organizations by id, each with the span that names it."""
        return self._with_own_span("organization", ("org_id", "seq"))

    def memberships(self) -> Iterator[dict[str, Any]]:
        """Memberships by person, then the document and offset of their span, role and id."""
        order = ("person_id", "document_id", "start_key", "role", "id", "seq")
        return self._with_own_span("membership", order)

    def _with_own_span(self, table: str, order: tuple[str, ...]) -> Iterator[dict[str, Any]]:
        """The objects of ``table`` (one span each, their row's) sorted by ``order``."""
        rows = self.db.execute(
            f"""SELECT x.body, x.document_id, x.start, x.end, d.path, n.note
            FROM {table} AS x
            LEFT JOIN document AS d ON d.document_id = x.document_id
            LEFT JOIN note AS n
                ON n.document_id = x.document_id AND n.start IS x.start AND n.end IS x.end
            ORDER BY {", ".join(f"x.{column}" for column in order)}"""
        )
        for body, document, start, end, path, note in rows:
            item = json.loads(body)
            item["sources"] = [_link(document, start, end, path, note)]
            yield item

    def events(self) -> Iterator[dict[str, Any]]:
        """Events by id, each with its own span and those of the texts referring to it."""
        links = _Groups(self.db.execute(_EVENT_LINKS))
        rows = self.db.execute("SELECT seq, body FROM event ORDER BY event_id, seq")
        for seq, body in rows:
            event = json.loads(body)
            event["sources"] = [_link(*link[1:]) for link in links.take_next(seq)]
            yield event


class _Groups:
    """A query's rows, sorted by their first column, handed out a key at a time as the keys
    come in the same order (a key asked again at once gets its rows again)."""

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self._rows = iter(rows)
        self._head = next(self._rows, None)
        self._last: tuple[Any, list[tuple[Any, ...]]] | None = None

    def take(self, key: Any) -> list[tuple[Any, ...]]:
        """The rows of ``key``, those of the keys before it skipped."""
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        while self._head is not None and self._head[0] < key:
            self._head = next(self._rows, None)
        return self.take_next(key)

    def take_next(self, key: Any) -> list[tuple[Any, ...]]:
        """The rows of ``key`` when they come first, else none (keys in an order of the
        query's own, as an event's row number after its id)."""
        found = []
        while self._head is not None and self._head[0] == key:
            found.append(self._head)
            self._head = next(self._rows, None)
        self._last = (key, found)
        return found


def _link(
    document: str, start: Any, end: Any, path: str | None, note: str | None
) -> dict[str, Any]:
    """A Popolo link to the characters of a span in its verbatim text."""
    start, end = _restored(start), _restored(end)
    return {
        "url": f"{path if path is not None else f'sources/{document}.txt'}#char={start},{end}",
        "note": note or "",
        "document_id": document,
        "start": start,
        "end": end,
    }


def _organization(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": cell(row.get("org_id")),
        "name": cell(row.get("name")),
        "classification": cell(row.get("org_kind")),
        "parent_id": _or_none(row.get("parent_org_id")),
        "place": _or_none(row.get("place")),
    }


def _stated(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": f"{cell(row.get('person_id'))}--{cell(row.get('document_id'))}-{row.get('start')}",
        "person_id": cell(row.get("person_id")),
        "organization_id": _or_none(row.get("org_id")),
        "role": cell(row.get("title")),
        "start_date": None,
        "end_date": None,
        "position_role": cell(row.get("position_role")),
        "as_of": _or_none(row.get("as_of")),
    }


def _changed(row: Mapping[str, Any], starts: bool, published: str | None) -> dict[str, Any]:
    return {
        "id": f"{cell(row.get('person_id'))}--{cell(row.get('change_id'))}",
        "person_id": cell(row.get("person_id")),
        "organization_id": _or_none(row.get("body_org_id")),
        "role": cell(row.get("post")),
        "start_date": _or_none(row.get("effective_date")) if starts else None,
        "end_date": None if starts else _or_none(row.get("effective_date")),
        "as_of": published,
    }


def _membership_row(body: dict[str, Any], row: Mapping[str, Any], seq: int) -> tuple[Any, ...]:
    """The membership's sort columns (person, span, role, id, then the rows' order), the
    object without its source as JSON, and its span."""
    document, start, end, start_key = _span(row)
    key = (body["person_id"], document, start_key, body["role"], body["id"], seq)
    return (*key, json.dumps(body), start, end)


def _event(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": cell(row.get("event_id")),
        "name": cell(row.get("name")),
        "classification": cell(row.get("event_kind")),
        "start_date": _or_none(row.get("start_date")),
        "end_date": _or_none(row.get("end_date")),
        "location": _or_none(row.get("place")),
        "organization_id": _or_none(row.get("organizer_org_id")),
    }
