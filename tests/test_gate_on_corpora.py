"""The gate passes on everything the project's texts make, not only on the seeds.

A rule that claims words its span does not say (an alias the gate does not know, a name built
from two sentences) or a title stored for the wrong person shows up here first: every text of
the corpora and of the form cases is built into one package, and the whole gate must find it
valid.
"""

from __future__ import annotations

from pathlib import Path

from dprk_records.pipeline.build import build
from dprk_records.validate import validate_package
from tests.forms.harness import load_cases

from .conftest import REPO

CORPORA = (
    "texts",
    "heldout/texts",
    "blind/texts",
    "blind2/texts",
    "blind3/texts",
    "changes/texts",
    "changes2/texts",
    "changes3/texts",
)


def test_the_gate_passes_on_every_corpus_and_form_case(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for corpus in CORPORA:
        for path in sorted((REPO / "tests" / "corpus" / corpus).glob("*.txt")):
            (seeds / path.name).write_bytes(path.read_bytes())
    number = 0
    for case in load_cases():
        for text in case.texts:
            number += 1
            (seeds / f"form_{number:03d}.txt").write_text(text.rstrip("\n") + "\n", "utf-8")
    build(seeds, tmp_path / "package", environ={}, workers=1)
    report = validate_package(tmp_path / "package", workers=1)
    assert report.valid, [f"{f.check}: {f.where()}: {f.message}" for f in report.findings]
