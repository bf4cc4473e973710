"""Run one form case (tests/forms/*.yaml) through the pipeline and compare it with its
expectations: the listings with their roles and order, single-person parts, titles, persons and
the identity of events. See tests/forms/README.md for the case format."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dprk_records.evaluate.fold import fold_title
from dprk_records.pipeline.extract.event_names import event_key
from dprk_records.pipeline.extract.extractor import extract
from dprk_records.pipeline.extract.facts import DocumentFacts
from dprk_records.pipeline.prepare import Document, prepare
from dprk_records.pipeline.read import SourceDocument
from dprk_records.pipeline.resolve import resolve

FORMS = Path(__file__).parent


@dataclass(frozen=True)
class Case:
    file: str
    index: int
    form: str
    note: str
    texts: tuple[str, ...]
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.form}-{self.file.removesuffix('.yaml')}-{self.index}"


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(FORMS.glob("*.yaml")):
        for index, raw in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), start=1):
            texts = tuple(raw["documents"]) if "documents" in raw else (raw["text"],)
            cases.append(
                Case(path.name, index, str(raw["form"]), raw.get("note", ""), texts, raw["expect"])
            )
    return cases


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[’‘`]", "'", text).split())


def _document(index: int, text: str) -> Document:
    data = text.encode("utf-8")
    source = SourceDocument(
        f"d{index}", f"d{index}.txt", text, hashlib.sha256(data).hexdigest(), None
    )
    return prepare(source)


def run_case(case: Case) -> dict[str, Any]:
    """What the pipeline makes of the case, in the shape of its expectations."""
    documents = [_document(i, text) for i, text in enumerate(case.texts)]
    facts = [extract(d) for d in documents]
    return {**_people(facts), **_events(documents, facts)}


def _people(all_facts: list[DocumentFacts]) -> dict[str, Any]:
    listings: dict[tuple[int, int], list[tuple[int, str, str]]] = defaultdict(list)
    parts: set[tuple[str, str]] = set()
    titles: dict[str, list[str]] = defaultdict(list)
    persons: set[str] = set()
    for doc_no, facts in enumerate(all_facts):
        for part in facts.parts:
            if part.listing is None:
                parts.add((part.person, part.role))
            else:
                listings[(doc_no, part.listing)].append(
                    (part.list_order or 0, part.person, part.role)
                )
        for title in sorted(facts.titles, key=lambda t: t.span.start):
            if _plain(title.title) not in titles[title.person]:
                titles[title.person].append(_plain(title.title))
        persons |= {p.name for p in facts.persons}
    found_listings = []
    for key in sorted(listings):
        entries = sorted(listings[key])
        roles = sorted({role for _, _, role in entries})
        found_listings.append(
            {"role": "/".join(roles), "persons": [person for _, person, _ in entries]}
        )
    return {
        "listings": found_listings,
        "parts": sorted(parts),
        "titles": {person: found for person, found in sorted(titles.items()) if found},
        "persons": sorted(persons),
    }


def _events(documents: list[Document], all_facts: list[DocumentFacts]) -> dict[str, Any]:
    tables = resolve(documents, all_facts)
    events = {row.event_id: row for row in tables.get("events", [])}
    reported = {r.event_id for r in tables.get("event_references", []) if r.is_reported}
    mentioned = {r.event_id for r in tables.get("event_references", [])}
    parents = {
        event_key(row.name): event_key(events[row.parent_event_id].name)
        for row in events.values()
        if row.parent_event_id
    }
    persons = {row.person_id: row.name for row in tables.get("persons", [])}
    changes = sorted(
        _change(persons[row.person_id], row.change, row.post, row.list_order)
        for row in tables.get("personnel_changes", [])
    )
    return {
        "changes": changes,
        "reported_events": sorted(event_key(events[e].name) for e in reported),
        "referenced_events": sorted(event_key(events[e].name) for e in mentioned - reported),
        "parents": dict(sorted(parents.items())),
    }


def _change(person: str, change: str, post: str, order: int | None) -> tuple[Any, ...]:
    """A change as compared: the post folded as the evaluator folds titles (case, articles,
    apostrophes, a plural head)."""
    return (person, change, fold_title(post), order if order is not None else 0)


def expected(case: Case) -> dict[str, Any]:
    """The case's expectations in the shape :func:`run_case` returns (only the keys it gives)."""
    want = case.expect
    shaped: dict[str, Any] = {}
    if "listings" in want:
        shaped["listings"] = [
            {"role": item["role"], "persons": list(item["persons"])}
            for item in want["listings"] or []
        ]
    if "parts" in want:
        shaped["parts"] = sorted((name, role) for name, role in want["parts"] or [])
    if "titles" in want:
        shaped["titles"] = {
            person: [_plain(t) for t in found]
            for person, found in sorted((want["titles"] or {}).items())
            if found
        }
    if "persons" in want:
        shaped["persons"] = sorted(want["persons"] or [])
    if "changes" in want:
        shaped["changes"] = sorted(
            _change(person, change, post, order)
            for person, change, post, order in want["changes"] or []
        )
    for key in ("reported_events", "referenced_events"):
        if key in want:
            shaped[key] = sorted(event_key(name) for name in want[key] or [])
    if "parents" in want:
        shaped["parents"] = dict(
            sorted(
                (event_key(child), event_key(parent))
                for child, parent in (want["parents"] or {}).items()
            )
        )
    return shaped


def compare(case: Case) -> dict[str, tuple[Any, Any]]:
    """Each expectation the pipeline misses: key -> (expected, found)."""
    found = run_case(case)
    return {
        key: (value, found[key]) for key, value in expected(case).items() if found[key] != value
    }
