"""A person's career as data: every title stated, personnel change and part in an event, dated.

One implementation serves :meth:`Package.timeline <dprk_records.loader.package.Package.timeline>`,
``dprk-records timeline`` and the evidence viewer's person pages, so the three cannot disagree.
Standard library only, so the loader stays light. Rows may come from the loader (dates as
``datetime.date``) or from the validator's reader (dates as ISO strings): both give the same
entries, which is what lets a release's viewer (made from the validator's rows) match the loader.

Dates: a title (held ones only: ``positions.status``) is dated by ``positions.as_of``, a change by its ``effective_date``, a part in an
event by the event's ``start_date``; each falls back to the publication date of its document, and
``date_basis`` says which one was used. Entries sort by date (undated last), then document, then
offset, so two runs on the same package give the same list.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from dprk_records.loader.errors import AmbiguousPersonError, UnknownPersonError

__all__ = [
    "TIMELINE_TABLES",
    "TimelineEntry",
    "TimelineSources",
    "career",
    "describe",
    "find_person",
    "fold_name",
    "ordinal",
    "person_timeline",
    "unknown_person",
]

EntryKind = Literal["title", "change", "participation"]
DateBasis = Literal["as_of", "effective_date", "event_start", "published"]
Row = Mapping[str, Any]

# the tables a timeline reads; a package lacking one (an older release) just gives fewer entries
TIMELINE_TABLES = ("documents", "events", "positions", "personnel_changes", "participations")
# at one offset, the change (which explains a title) comes before the title and the part
_KIND_ORDER: dict[str, int] = {"change": 0, "title": 1, "participation": 2}
_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`´")
CLOSE_MATCHES = 3


@dataclass(frozen=True)
class TimelineEntry:
    """One dated fact of a person's career, pointing at the characters that state it.

    Every entry has ``kind``, ``date`` (None when neither the fact nor its document is dated),
    ``date_basis``, the span (``document_id``, ``start``, ``end``) and the rule (``method``).
    The other fields belong to one kind and are None (False) on the others:

    - ``title``: ``title``, ``position_role``, ``org_id``; ``first_seen`` on the earliest entry of
      the title (its first evidence, e.g. of a promotion), and for every entry of the title the
      group's ``seen_from``/``seen_until`` dates and the documents it is ``seen_in``, in date
      order. Titles group by their folded words (case, apostrophes, plurals and the party's
      names ignored); a title stated twice in one document is one entry, at its first statement.
    - ``change``: ``change`` (elected, appointed, recalled...), ``post``, ``body``,
      ``body_org_id``, ``rank``.
    - ``participation``: ``role`` (guided, attended, ...).
    - ``change`` and ``participation``: ``event_id``, ``event_name``, ``listing``, ``list_order``.
    """

    kind: EntryKind
    date: dt.date | None
    date_basis: DateBasis | None
    document_id: str
    start: int | None
    end: int | None
    method: str
    title: str | None = None
    position_role: str | None = None
    org_id: str | None = None
    first_seen: bool = False
    seen_from: dt.date | None = None
    seen_until: dt.date | None = None
    seen_in: tuple[str, ...] = ()
    change: str | None = None
    post: str | None = None
    body: str | None = None
    body_org_id: str | None = None
    rank: str | None = None
    role: str | None = None
    event_id: str | None = None
    event_name: str | None = None
    listing: str | None = None
    list_order: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready values: dates as ISO strings, ``seen_in`` as a list."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, dt.date):
                out[key] = value.isoformat()
            elif isinstance(value, tuple):
                out[key] = list(value)
        return out


@dataclass(frozen=True)
class TimelineSources:
    """What entries borrow from other tables: each document's publication date, each event's
    name and start date. Made once per package, so a page per person stays linear in rows."""

    published: Mapping[str, dt.date | None]
    events: Mapping[str, tuple[str | None, dt.date | None]]

    @classmethod
    def of(cls, documents: Iterable[Row], events: Iterable[Row]) -> TimelineSources:
        """From ``documents`` and ``events`` rows as either reader gives them (dates as
        ``datetime.date`` or ISO strings), so the loader and the viewer get the same sources."""
        return cls(
            {_text(r.get("document_id")) or "": _date(r.get("published")) for r in documents},
            {
                _text(r.get("event_id")) or "": (_text(r.get("name")), _date(r.get("start_date")))
                for r in events
            },
        )


def _text(value: Any) -> str | None:
    """A cell as text, None when missing or empty."""
    if value is None:
        return None
    text = str(value)
    return text or None


def _date(value: Any) -> dt.date | None:
    """A date cell (a ``datetime.date`` or an ISO string) as a date, None when missing or bad."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _int(value: Any) -> int | None:
    """An integer cell (an int or its digits) as an int, None when missing or bad."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _dated(
    own: dt.date | None, basis: DateBasis, document: str, sources: TimelineSources
) -> tuple[dt.date | None, DateBasis | None]:
    """The fact's own date when it has one, else its document's publication date."""
    if own is not None:
        return own, basis
    published = sources.published.get(document)
    return published, ("published" if published is not None else None)


def _sort_key(entry: TimelineEntry) -> tuple[Any, ...]:
    return (
        entry.date is None,
        entry.date or dt.date.min,
        entry.document_id,
        entry.start if entry.start is not None else -1,
        _KIND_ORDER[entry.kind],
        entry.end if entry.end is not None else -1,
        entry.title or entry.post or "",
        entry.change or entry.role or "",
        entry.event_id or "",
    )


def _offset(row: Row) -> tuple[int, int]:
    """A row's span as a sort key, a row without offsets first."""
    start, end = _int(row.get("start")), _int(row.get("end"))
    return (start if start is not None else -1, end if end is not None else -1)


def _title_key(title: str) -> str:
    """One key for the spellings of one title: the gate's word folding (case, apostrophes,
    plurals, "C.C., WPK" = "Central Committee of the Workers' Party of Korea (WPK)"), so a title
    is "first seen" once however the texts write it."""
    from dprk_records.pipeline.claims import fold_words  # standard library only

    return " ".join(fold_words(title))


def _entry(
    kind: EntryKind,
    row: Row,
    document: str,
    dated: tuple[dt.date | None, DateBasis | None],
    **fields: Any,
) -> TimelineEntry:
    """An entry of ``kind`` for ``row``: its span and rule, its date, and the kind's fields."""
    date, basis = dated
    return TimelineEntry(
        kind=kind,
        date=date,
        date_basis=basis,
        document_id=document,
        start=_int(row.get("start")),
        end=_int(row.get("end")),
        method=_text(row.get("method")) or "",
        **fields,
    )


def title_status(row: Row) -> str:
    """held, referential or posthumous; a package before 0.2.0 has no status, and every title
    of its was stated as held."""
    return _text(row.get("status")) or "held"


def _titles(positions: Iterable[Row], sources: TimelineSources) -> list[TimelineEntry]:
    """One entry per title and document (its first statement there), marked with its group."""
    firsts: dict[tuple[str, str], Row] = {}
    for row in positions:
        if title_status(row) != "held":
            continue  # a referential or posthumous title is no post held on the document's date
        title, document = _text(row.get("title")), _text(row.get("document_id")) or ""
        if title is None:
            continue
        key = (_title_key(title), document)
        kept = firsts.get(key)
        if kept is None or _offset(row) < _offset(kept):
            firsts[key] = row
    groups: dict[str, list[TimelineEntry]] = {}
    for (title_key, document), row in firsts.items():
        groups.setdefault(title_key, []).append(
            _entry(
                "title",
                row,
                document,
                _dated(_date(row.get("as_of")), "as_of", document, sources),
                title=_text(row.get("title")),
                position_role=_text(row.get("position_role")),
                org_id=_text(row.get("org_id")),
            )
        )
    entries = []
    for group in groups.values():
        group.sort(key=_sort_key)
        dates = [e.date for e in group if e.date is not None]
        seen_in = tuple(dict.fromkeys(e.document_id for e in group))
        for index, entry in enumerate(group):
            entries.append(
                replace(
                    entry,
                    first_seen=index == 0,
                    seen_from=min(dates, default=None),
                    seen_until=max(dates, default=None),
                    seen_in=seen_in,
                )
            )
    return entries


def _changes(changes: Iterable[Row], sources: TimelineSources) -> list[TimelineEntry]:
    entries = []
    for row in changes:
        document = _text(row.get("document_id")) or ""
        event = _text(row.get("event_id"))
        entries.append(
            _entry(
                "change",
                row,
                document,
                _dated(_date(row.get("effective_date")), "effective_date", document, sources),
                change=_text(row.get("change")),
                post=_text(row.get("post")),
                body=_text(row.get("body")),
                body_org_id=_text(row.get("body_org_id")),
                rank=_text(row.get("rank")),
                event_id=event,
                event_name=sources.events.get(event or "", (None, None))[0],
                listing=_text(row.get("listing")),
                list_order=_int(row.get("list_order")),
            )
        )
    return entries


def _participations(parts: Iterable[Row], sources: TimelineSources) -> list[TimelineEntry]:
    entries = []
    for row in parts:
        document = _text(row.get("document_id")) or ""
        event = _text(row.get("event_id"))
        name, start_date = sources.events.get(event or "", (None, None))
        entries.append(
            _entry(
                "participation",
                row,
                document,
                _dated(start_date, "event_start", document, sources),
                role=_text(row.get("role")),
                event_id=event,
                event_name=name,
                listing=_text(row.get("listing")),
                list_order=_int(row.get("list_order")),
            )
        )
    return entries


def career(
    positions: Iterable[Row],
    changes: Iterable[Row],
    participations: Iterable[Row],
    sources: TimelineSources,
) -> list[TimelineEntry]:
    """The timeline of one person from that person's own rows of the three tables, sorted.

    A part "other" in an event that also changed the person (elected at the plenum, awarded by
    the decree) says nothing the change does not: it is left out."""
    change_entries = _changes(changes, sources)
    changed = {(e.document_id, e.event_id) for e in change_entries}
    entries = [
        *_titles(positions, sources),
        *change_entries,
        *(
            e
            for e in _participations(participations, sources)
            if not (e.role == "other" and (e.document_id, e.event_id) in changed)
        ),
    ]
    return sorted(entries, key=_sort_key)


def person_timeline(person_id: str, tables: Mapping[str, Iterable[Row]]) -> list[TimelineEntry]:
    """The timeline of ``person_id`` from a package's tables (name -> rows); a missing table
    (``personnel_changes`` before it existed) gives no entries of its kind."""

    def own(name: str) -> list[Row]:
        return [r for r in tables.get(name, ()) if r.get("person_id") == person_id]

    sources = TimelineSources.of(tables.get("documents", ()), tables.get("events", ()))
    return career(own("positions"), own("personnel_changes"), own("participations"), sources)


def ordinal(number: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{'th' if number % 100 in (11, 12, 13) else suffix}"


def describe(entry: TimelineEntry) -> str:
    """What an entry states, on one line: 'title: X (first seen)', 'elected: member of Y, at
    Z (2nd in list)', 'attended: Z (3rd in list)'. Shared by the command line and the viewer."""
    order = f" ({ordinal(entry.list_order)} in list)" if entry.list_order else ""
    event = entry.event_name or entry.event_id
    if entry.kind == "title":
        return f"title: {entry.title}" + (" (first seen)" if entry.first_seen else "")
    if entry.kind == "change":
        verb = (entry.change or "changed").replace("_", "-")
        return f"{verb}: {entry.post}" + (f", at {event}" if event else "") + order
    role = (entry.role or "part").replace("_", " ")
    return f"{role}: {event}{order}"


def fold_name(text: str) -> str:
    """A name or id folded for matching: case, apostrophes, hyphens and spacing ignored, so
    'kim-jong-un', "KIM JONG UN" and "Kim Jong-un" are the same."""
    return " ".join(text.casefold().translate(_APOSTROPHES).replace("-", " ").split())


def _label(person: Row) -> str:
    return f"{person.get('name')} ({person.get('person_id')})"


def unknown_person(query: str, persons: Sequence[Row], where: str) -> UnknownPersonError:
    """The error for a person id or name that ``persons`` lacks, naming the closest ones."""
    folded: dict[str, list[Row]] = {}
    for person in persons:
        for text in (person.get("name"), person.get("person_id")):
            if text:
                folded.setdefault(fold_name(str(text)), []).append(person)
    close = difflib.get_close_matches(fold_name(query), list(folded), n=CLOSE_MATCHES, cutoff=0.6)
    labels = list(dict.fromkeys(_label(p) for key in close for p in folded[key]))
    hint = f"close matches: {', '.join(labels)}" if labels else "no close match either"
    return UnknownPersonError(f"no person {query!r} in {where}; {hint}")


def find_person(
    query: str, persons: Sequence[Row], spellings: Iterable[Row] = (), where: str = "the package"
) -> Row:
    """The person a user means by ``query``: a person id, a name, or a spelling a source uses
    (``person_names.surface``), compared by :func:`fold_name`. Raises UnknownPersonError (with
    close matches) or AmbiguousPersonError (with the ids to choose from)."""
    by_id = {p.get("person_id"): p for p in persons}
    if query in by_id:
        return by_id[query]
    wanted = fold_name(query)
    found = {
        p.get("person_id")
        for p in persons
        if wanted in (fold_name(str(p.get("name") or "")), fold_name(str(p.get("person_id"))))
    }
    found |= {
        s.get("person_id")
        for s in spellings
        if fold_name(str(s.get("surface") or "")) == wanted and s.get("person_id") in by_id
    }
    if len(found) == 1:
        return by_id[found.pop()]
    if found:
        labels = ", ".join(sorted(_label(by_id[i]) for i in found))
        raise AmbiguousPersonError(
            f"{query!r} names {len(found)} persons in {where}: {labels}; give the person id"
        )
    raise unknown_person(query, persons, where)
