"""The Popolo export sorted on disk (render/popolo_store.py) is the export sorted in memory.

The oracle below makes the export the way it was made before the store: every table in memory,
grouped in dicts and sorted by Python. Hypothesis draws small packages full of ties, repeated
ids, spans stated twice, missing or malformed offsets, ids whose order differs between bytes and
letters, and rows out of any order; the store must give the same document, object for object.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.loader.timeline import title_status
from dprk_records.render.loaded import Loaded, cell
from dprk_records.render.popolo import (
    ENDING_CHANGES,
    STARTING_CHANGES,
    TABLES,
    dangling_references,
    popolo_export,
    popolo_meta,
)
from dprk_records.render.popolo_store import PopoloStore, quote_note

Rows = list[dict[str, Any]]


# -- the oracle: the export made in memory ----------------------------------------------------


def _or_none(value: Any) -> str | None:
    return cell(value) or None


def _by(rows: Rows, field: str) -> dict[str, Rows]:
    grouped: dict[str, Rows] = {}
    for row in rows:
        grouped.setdefault(cell(row.get(field)), []).append(row)
    return grouped


def _oracle(tables: Mapping[str, Rows], texts: Mapping[str, str]) -> dict[str, Any]:
    paths = {cell(r.get("document_id")): cell(r.get("path")) for r in tables["documents"]}
    published = {cell(r.get("document_id")): r.get("published") for r in tables["documents"]}

    def link(row: Mapping[str, Any]) -> dict[str, Any]:
        document, start, end = cell(row.get("document_id")), row.get("start"), row.get("end")
        return {
            "url": f"{paths.get(document, f'sources/{document}.txt')}#char={start},{end}",
            "note": quote_note(document, start, end, texts.get(document, "")),
            "document_id": document,
            "start": start,
            "end": end,
        }

    def links(rows: Rows) -> list[dict[str, Any]]:
        spans = {(cell(r.get("document_id")), r.get("start"), r.get("end")): r for r in rows}
        ordered = sorted(spans, key=lambda k: (k[0], k[1] if isinstance(k[1], int) else -1))
        return [link(spans[key]) for key in ordered]

    mentions = _by(tables["person_names"], "person_id")
    persons = []
    for row in sorted(tables["persons"], key=lambda r: cell(r.get("person_id"))):
        own = mentions.get(cell(row.get("person_id")), [])
        spellings = sorted({cell(m.get("surface")) for m in own} - {cell(row.get("name"))})
        persons.append(
            {
                "id": cell(row.get("person_id")),
                "name": cell(row.get("name")),
                "family_name": cell(row.get("family_name")),
                "given_name": cell(row.get("given_name")),
                "other_names": [
                    {"name": s, "note": "spelling in a source text"} for s in spellings
                ],
                "sources": links(own),
            }
        )
    organizations = [
        {
            "id": cell(row.get("org_id")),
            "name": cell(row.get("name")),
            "classification": cell(row.get("org_kind")),
            "parent_id": _or_none(row.get("parent_org_id")),
            "place": _or_none(row.get("place")),
            "sources": links([row]),
        }
        for row in sorted(tables["organizations"], key=lambda r: cell(r.get("org_id")))
    ]
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
            "sources": links([row]),
        }
        for row in tables["positions"]
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
            "sources": links([row]),
        }
        for row in tables["personnel_changes"]
        for starts in [cell(row.get("change")) in STARTING_CHANGES]
        if starts or cell(row.get("change")) in ENDING_CHANGES
    ]

    def membership_key(m: Mapping[str, Any]) -> tuple[Any, ...]:
        start = m["sources"][0]["start"]
        document = m["sources"][0]["document_id"]
        return (
            m["person_id"],
            document,
            start if isinstance(start, int) else -1,
            m["role"],
            m["id"],
        )

    references = _by(tables["event_references"], "event_id")
    events = []
    for row in sorted(tables["events"], key=lambda r: cell(r.get("event_id"))):
        spans = [row] if row.get("document_id") else []
        events.append(
            {
                "id": cell(row.get("event_id")),
                "name": cell(row.get("name")),
                "classification": cell(row.get("event_kind")),
                "start_date": _or_none(row.get("start_date")),
                "end_date": _or_none(row.get("end_date")),
                "location": _or_none(row.get("place")),
                "organization_id": _or_none(row.get("organizer_org_id")),
                "sources": links(spans + references.get(cell(row.get("event_id")), [])),
            }
        )
    return {
        "persons": persons,
        "organizations": organizations,
        "memberships": sorted(stated + changed, key=membership_key),
        "events": events,
    }


# -- small packages full of ties ----------------------------------------------------------------

# ids whose byte order and letter order could differ if either were wrong: upper before lower,
# accented after both, a prefix before its extensions
_IDS = st.sampled_from(["a", "a-2", "B", "b", "é", "ü-1", "zz", ""])
_DOCS = st.sampled_from(["d1", "d2", "D3", "dé", "gone"])
# few values, so that spans collide: stated twice, or at one start with another end
_OFFSETS = st.one_of(st.none(), st.integers(-1, 3), st.sampled_from(["x", "7", 2**70, -(2**70)]))
_WORDS = st.sampled_from(["", "Kim", "kim", "Ri Il", "ri il", "Pak", "Kim Il", "secretary"])
_DATES = st.sampled_from([None, "", "2021-04-07", "2020-01-01"])


def _rows(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Rows]:
    return st.lists(st.fixed_dictionaries(fields), max_size=12)


_SPAN = {"document_id": _DOCS, "start": _OFFSETS, "end": _OFFSETS}
_TABLES = st.fixed_dictionaries(
    {
        "documents": _rows(
            document_id=_DOCS,
            path=st.sampled_from(["", "sources/d1.txt", "texts/x.txt"]),
            published=_DATES,
        ),
        "persons": _rows(person_id=_IDS, name=_WORDS, family_name=_WORDS, given_name=_WORDS),
        "person_names": _rows(person_id=_IDS, surface=_WORDS, **_SPAN),
        "organizations": _rows(
            org_id=_IDS,
            name=_WORDS,
            org_kind=_WORDS,
            parent_org_id=st.one_of(st.none(), _IDS),
            place=_WORDS,
            **_SPAN,
        ),
        "positions": _rows(
            person_id=_IDS,
            title=_WORDS,
            status=st.sampled_from([None, "held", "referential", "posthumous"]),
            org_id=st.one_of(st.none(), _IDS),
            position_role=_WORDS,
            as_of=_DATES,
            **_SPAN,
        ),
        "personnel_changes": _rows(
            person_id=_IDS,
            change_id=_IDS,
            change=st.sampled_from([*sorted(STARTING_CHANGES | ENDING_CHANGES), "promoted"]),
            body_org_id=st.one_of(st.none(), _IDS),
            post=_WORDS,
            effective_date=_DATES,
            **_SPAN,
        ),
        "events": _rows(
            event_id=_IDS,
            name=_WORDS,
            event_kind=_WORDS,
            start_date=_DATES,
            end_date=_DATES,
            place=_WORDS,
            organizer_org_id=st.one_of(st.none(), _IDS),
            document_id=st.one_of(st.none(), _DOCS),
            start=_OFFSETS,
            end=_OFFSETS,
        ),
        "event_references": _rows(event_id=_IDS, **_SPAN),
    }
)
_TEXTS = {
    "d1": "Kim Il met Ri Il and Pak in the hall of the committee.",
    "d2": "  Spaces\n and   breaks\tfold " + "long " * 60,
    "D3": "",
    "dé": "Pak Ri addressed the meeting.",
}
_DESCRIPTOR = {"name": "dprk-records", "title": "t", "version": "1.2.3", "licenses": []}


@settings(max_examples=500, deadline=None)
@given(tables=_TABLES)
def test_the_store_sorts_as_python_sorts(tables: dict[str, Rows]) -> None:
    exported = popolo_export(Loaded(_DESCRIPTOR, tables, _TEXTS))
    assert exported == {"meta": popolo_meta(_DESCRIPTOR), **_oracle(tables, _TEXTS)}
    assert dangling_references(exported) == _oracle_references(exported)


def test_a_span_stated_again_keeps_the_place_of_its_first_statement() -> None:
    """Spans at one start sort in the order they were first stated (a dict keeps first
    insertions): the span stated first, then again after another, still comes first."""
    tables: dict[str, Rows] = {name: [] for name in TABLES}
    tables["persons"] = [{"person_id": "p", "name": "Kim"}]
    tables["person_names"] = [
        {"person_id": "p", "document_id": "d1", "start": 1, "end": end, "surface": "Kim"}
        for end in (2, 3, 2)
    ]
    tables["events"] = [{"event_id": "e", "document_id": "d1", "start": 1, "end": 9}]
    tables["event_references"] = [
        {"event_id": "e", "document_id": "d1", "start": 1, "end": end} for end in (4, 9)
    ]
    exported = popolo_export(Loaded(_DESCRIPTOR, tables, _TEXTS))
    assert [s["end"] for s in exported["persons"][0]["sources"]] == [2, 3]
    assert [s["end"] for s in exported["events"][0]["sources"]] == [9, 4]
    assert exported == {"meta": popolo_meta(_DESCRIPTOR), **_oracle(tables, _TEXTS)}


def _oracle_references(document: Mapping[str, Any]) -> list[str]:
    persons = {p["id"] for p in document["persons"]}
    organizations = {o["id"] for o in document["organizations"]}
    problems = []
    for m in document["memberships"]:
        if m["person_id"] not in persons:
            problems.append(f"membership {m['id']}: no person {m['person_id']!r}")
        if m["organization_id"] is not None and m["organization_id"] not in organizations:
            problems.append(f"membership {m['id']}: no organization {m['organization_id']!r}")
    for o in document["organizations"]:
        if o["parent_id"] is not None and o["parent_id"] not in organizations:
            problems.append(f"organization {o['id']}: no parent {o['parent_id']!r}")
    for e in document["events"]:
        if e["organization_id"] is not None and e["organization_id"] not in organizations:
            problems.append(f"event {e['id']}: no organization {e['organization_id']!r}")
    return problems


def test_each_text_is_read_once_and_in_document_order() -> None:
    """Notes are quoted a document at a time: a text is asked for once, however many objects
    of however many collections cite it."""
    asked: list[str] = []

    class Texts(dict[str, str]):
        def get(self, key: Any, default: Any = None) -> Any:
            asked.append(key)
            return super().get(key, default)

    span = {"start": 0, "end": 3}
    tables = {
        "persons": [{"person_id": "p", "name": "Kim"}],
        "person_names": [{"person_id": "p", "document_id": d, **span} for d in ("d2", "d1", "d2")],
        "positions": [{"person_id": "p", "document_id": "d1", "title": "x", **span}],
        "event_references": [{"event_id": "e", "document_id": "d2", **span}],
        "events": [{"event_id": "e", "document_id": "d1", **span}],
    }
    popolo_export(Loaded(_DESCRIPTOR, tables, Texts(_TEXTS)))
    assert asked == ["d1", "d2"]


def test_the_temporary_file_is_gone_after_use_and_after_a_failure(tmp_path: Path) -> None:
    folders: list[Path] = []

    def rows(name: str) -> Rows:
        return [{"person_id": "p", "name": "Kim"}] if name == "persons" else []

    with PopoloStore(rows, {}) as store:
        folders.append(Path(store.db.execute("PRAGMA database_list").fetchone()[2]).parent)
        assert folders[0].is_dir()
        assert [p["id"] for p in store.persons()] == ["p"]
    assert not folders[0].exists()

    def broken(name: str) -> Rows:
        if name == "positions":
            raise OSError("the disk went away")
        return []

    before = set(Path(__import__("tempfile").gettempdir()).glob("dprk-records-popolo-*"))
    with pytest.raises(OSError, match="went away"), PopoloStore(broken, {}):
        pass
    after = set(Path(__import__("tempfile").gettempdir()).glob("dprk-records-popolo-*"))
    assert after <= before
    with pytest.raises(RuntimeError, match="inside its with block"):
        list(store.persons())
