"""Gold files: load, validate against schemas/gold.schema.json, and check what a schema cannot.

One JSON file per document; the file's stem is the seed's stem (``000_x.json`` <-> ``000_x.txt``).
Every problem of every file is collected and reported together, each naming the file and the
place in it (``persons[3].role_in_event``), so one run shows everything to fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from dprk_records.base.paths import schemas_dir
from dprk_records.errors import DprkRecordsError
from dprk_records.evaluate.fold import fold_event, fold_name, fold_org
from dprk_records.evaluate.model import (
    ChangeFact,
    DocumentFacts,
    EventFact,
    OrganizationFact,
    PersonFact,
)

GOLD_SCHEMA_NAME = "gold.schema.json"


class GoldError(DprkRecordsError):
    """One or more gold files cannot be used; ``problems`` lists each, naming its file."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"the gold files cannot be used ({len(problems)} {noun}):\n{lines}")


@cache
def gold_schema() -> dict[str, Any]:
    """The JSON Schema of a gold file (schemas/gold.schema.json)."""
    path = schemas_dir() / GOLD_SCHEMA_NAME
    return json.loads(path.read_text(encoding="utf-8"))


def _json_path(parts: Iterable[str | int]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def schema_problems(data: Any) -> list[str]:
    """Where ``data`` breaks the gold JSON Schema, as "path: message" lines (empty when valid)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(gold_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{_json_path(error.absolute_path)}: {error.message}" for error in errors]


def _duplicates(keys: Iterable[Any]) -> list[Any]:
    seen: set[Any] = set()
    repeated: list[Any] = []
    for key in keys:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    return repeated


def consistency_problems(stem: str, data: dict[str, Any]) -> list[str]:
    """What the schema cannot check: the file name, and each thing listed once per document."""
    problems = []
    if data["file"] != f"{stem}.txt":
        problems.append(
            f"file: {data['file']!r} should be {stem + '.txt'!r} (the gold file's stem)"
        )
    for name in _duplicates(fold_name(p["name"]) for p in data["persons"]):
        problems.append(f"persons: {name!r} is listed more than once (one entry per person)")
    orgs = ((fold_org(o["name"]), fold_org(o["parent"] or "")) for o in data["organizations"])
    for name, parent in _duplicates(orgs):
        problems.append(f"organizations: {name!r} under {parent or None!r} is listed twice")
    org_names = {fold_org(o["name"]) for o in data["organizations"]}
    for index, org in enumerate(data["organizations"]):
        if org["parent"] is not None and fold_org(org["parent"]) not in org_names:
            problems.append(
                f"organizations[{index}].parent: {org['parent']!r} is not itself listed "
                "(every unit of a chain is an organization of the document)"
            )
    for name in _duplicates(fold_event(e["name"]) for e in data["events"]):
        problems.append(f"events: {name!r} is listed more than once")
    for name in _duplicates(fold_event(e) for e in data["referenced_events"]):
        problems.append(f"referenced_events: {name!r} is listed more than once")
    gold_persons = {fold_name(p["name"]) for p in data["persons"]}
    for index, change in enumerate(data.get("changes", [])):
        if fold_name(change["person"]) not in gold_persons:
            problems.append(
                f"changes[{index}].person: {change['person']!r} is not one of the persons "
                "(every person a change names is a person of the document)"
            )
    reported = {fold_event(e["name"]) for e in data["events"]}
    for name in data["referenced_events"]:
        if fold_event(name) in reported:
            problems.append(
                f"referenced_events: {name!r} is a reported event (list it under events only)"
            )
    return problems


def facts_from_gold(stem: str, data: dict[str, Any]) -> DocumentFacts:
    """A valid gold object as :class:`DocumentFacts` (call the checks first)."""
    return DocumentFacts(
        document_id=stem,
        year=data["year"],
        document_kind=data["document_kind"],
        events=tuple(
            EventFact(e["name"], e["ordinal"], e["date_text"], e["place"]) for e in data["events"]
        ),
        persons=tuple(
            PersonFact(
                name=p["name"],
                surface=p["surface"],
                titles=tuple(p["titles"]),
                role_in_event=p["role_in_event"],
                list_order=p["list_order"],
            )
            for p in data["persons"]
        ),
        organizations=tuple(
            OrganizationFact(o["name"], o["parent"]) for o in data["organizations"]
        ),
        referenced_events=tuple(data["referenced_events"]),
        changes=(
            tuple(
                ChangeFact(c["person"], c["change"], c["post"], c["list_order"])
                for c in data["changes"]
            )
            if "changes" in data
            else None
        ),
        notes=tuple(data.get("notes", ())),
    )


def check_gold_file(path: Path) -> tuple[DocumentFacts | None, list[str]]:
    """Read one gold file: its facts, or None and the problems (each prefixed by the file)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        return None, [f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})"]
    except json.JSONDecodeError as exc:
        return None, [f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]
    except OSError as exc:
        return None, [f"{path}: cannot read it ({exc.strerror or exc})"]
    problems = schema_problems(data)
    if not problems:
        problems = consistency_problems(path.stem, data)
    if problems:
        return None, [f"{path}: {problem}" for problem in problems]
    return facts_from_gold(path.stem, data), []


def load_gold_file(path: Path) -> DocumentFacts:
    """One gold file as :class:`DocumentFacts`; raises :class:`GoldError` naming the file."""
    facts, problems = check_gold_file(path)
    if facts is None:
        raise GoldError(problems)
    return facts


def load_gold_dir(gold_dir: Path) -> dict[str, DocumentFacts]:
    """Every ``*.json`` gold file of a folder, by document id; all problems reported together."""
    if not gold_dir.is_dir():
        raise GoldError([f"{gold_dir}: gold folder not found"])
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise GoldError([f"{gold_dir}: no *.json gold files in the folder"])
    gold: dict[str, DocumentFacts] = {}
    problems: list[str] = []
    for path in paths:
        facts, found = check_gold_file(path)
        problems.extend(found)
        if facts is not None:
            gold[facts.document_id] = facts
    if problems:
        raise GoldError(problems)
    return gold
