"""One test per case of tests/forms/*.yaml: every form of the catalogue in ../shared/forms/
(listings L01-L36, titles B1-B8, event names C1-C7, and roles from other sentences, S14) with
invented sentences and the exact persons, titles, roles, list orders and events it must give.
The cases were written from the catalogue alone, before the rules they test (README.md here)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.forms.harness import Case, compare, load_cases

CASES = load_cases()
REPO = Path(__file__).resolve().parents[1]
CATALOGUE = REPO.parent / "shared" / "forms"
EXTRACTOR = REPO / "src" / "dprk_records" / "pipeline"

REQUIRED_FORMS = (
    {f"L{n:02d}" for n in range(1, 37)}
    | {f"A{n}" for n in range(1, 22)}
    | {f"B{n}" for n in range(1, 9)}
    | {f"C{n}" for n in range(1, 8)}
)
"""listings.md L01-L36 and changes-titles-events.md Part A (A1-A21, personnel changes), Part B
(B1-B8) and Part C (C1-C7)."""


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_form_case(case: Case) -> None:
    misses = compare(case)
    assert not misses, "\n".join(
        f"{key}:\n  expected {expected}\n  found    {found}"
        for key, (expected, found) in misses.items()
    )


def test_every_catalogue_form_has_cases() -> None:
    forms = {case.form for case in CASES}
    assert forms >= REQUIRED_FORMS, sorted(REQUIRED_FORMS - forms)


def test_every_change_form_that_names_a_person_expects_a_change() -> None:
    """A1, A2, A16, A18, A20 and A21 are forms that look like changes and are none; every other
    form of Part A has a case that must give at least one change row."""
    negative = {"A1", "A2", "A16", "A18", "A20", "A21"}
    expecting = {c.form for c in CASES if c.form.startswith("A") and c.expect.get("changes")}
    assert expecting == {f"A{n}" for n in range(1, 22)} - negative
    for case in CASES:
        if case.form in negative:
            assert case.expect.get("changes") == [], case.id


@pytest.mark.skipif(not CATALOGUE.is_dir(), reason="../shared/forms is not beside this checkout")
def test_the_required_forms_are_the_catalogues() -> None:
    listed = set()
    for name in ("listings.md", "changes-titles-events.md"):
        text = (CATALOGUE / name).read_text(encoding="utf-8")
        listed |= set(re.findall(r"^### (L\d\d|A[1-9]\d*|B\d|C\d)\b", text, re.MULTILINE))
    assert listed == REQUIRED_FORMS


def _gold_names() -> set[str]:
    names = set()
    for path in (REPO / "tests" / "corpus").rglob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            names |= {p["name"] for p in data.get("persons", [])}
            names |= {o["name"] for o in data.get("organizations", [])}
    for case in CASES:
        names |= set(case.expect.get("persons") or [])
    return {name for name in names if len(name) > 6}


def _code_strings(path: Path) -> list[str]:
    """String constants of a module that are code, not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_rule_names_a_person_or_a_unit_of_the_test_texts() -> None:
    """Rules read forms, never particular names: no string of the extractor's code holds a
    person or a unit of the seeds, the corpora or the form cases."""
    names = _gold_names()
    modules = [EXTRACTOR / "lexicon.py", *sorted((EXTRACTOR / "extract").glob("*.py"))]
    found = [
        f"{path.name}: {name}"
        for path in modules
        for text in _code_strings(path)
        for name in names
        if name in text
    ]
    assert not found


def test_frame_hints_never_hide_a_frame() -> None:
    """lexicon.FRAME_HINTS only skips sentences a frame cannot match: on every text of the
    corpora and the form cases, each frame's matches all contain one of its hints."""
    from dprk_records.pipeline.lexicon import FRAME_HINTS, LIST_FRAMES

    texts = [t for case in CASES for t in case.texts]
    texts += [p.read_text(encoding="utf-8") for p in (REPO / "tests" / "corpus").rglob("*.txt")]
    assert {name for name, _, _ in LIST_FRAMES} == set(FRAME_HINTS)
    for name, pattern, _ in LIST_FRAMES:
        for text in texts:
            for match in re.finditer(pattern, text):
                window = text[max(0, match.start() - 1) : match.end() + 1]
                assert any(hint in window for hint in FRAME_HINTS[name]), (name, match.group())
