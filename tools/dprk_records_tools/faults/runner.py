"""Run the corruptions in throwaway checkouts and tabulate which check caught each one.

Two variants of the valid baseline: ``built`` (the package as the pipeline built it) and
``sample`` (the same with hand-made rows in the extraction tables; only the extraction cases
run on it). A case is *caught* when the validation report is invalid and the intended check has
a finding naming the expected table and field.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from dprk_records.errors import PackageError
from dprk_records.validate import validate_package
from dprk_records.validate.report import Finding
from dprk_records_tools.faults.cases import (
    CASES,
    EXTRACTION,
    OPEN_CHECK,
    Case,
    Expect,
    NotApplicable,
)
from dprk_records_tools.faults.sample import add_sample_rows

VARIANTS = ("built", "sample")


@dataclass
class Outcome:
    """What happened to one case on one variant."""

    case: str
    variant: str
    expect: Expect | None = None
    skipped: str | None = None
    failed_checks: list[str] = field(default_factory=list)
    hits: list[Finding] = field(default_factory=list)

    @property
    def caught(self) -> bool:
        return self.skipped is None and bool(self.hits)


def make_checkout(package: Path, repo: Path, target: Path, variant: str = "built") -> Path:
    """A checkout at ``target``: the package, and the repo's seeds, schemas and CHANGELOG."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(package, target / "datapackage")
    shutil.copytree(repo / "seeds", target / "seeds")
    shutil.copytree(repo / "schemas", target / "schemas")
    shutil.copy2(repo / "CHANGELOG.md", target / "CHANGELOG.md")
    if variant == "sample":
        add_sample_rows(target / "datapackage")
    return target


def cases_for(variant: str) -> list[Case]:
    return [c for c in CASES if variant == "built" or c.__name__ in EXTRACTION]


def matching_findings(findings: list[Finding], expect: Expect) -> list[Finding]:
    """The findings of the intended check that name the expected table and field."""
    return [
        f
        for f in findings
        if f.check == expect.check
        and (expect.table is None or f.table == expect.table)
        and (expect.field is None or f.field == expect.field)
    ]


def run_case(case: Case, checkout: Path, variant: str) -> Outcome:
    """Corrupt ``checkout`` with ``case`` and validate it."""
    outcome = Outcome(case.__name__, variant)
    try:
        outcome.expect = case(checkout)
    except NotApplicable as exc:
        outcome.skipped = str(exc)
        return outcome
    try:
        report = validate_package(checkout / "datapackage", checkout=checkout)
    except PackageError as exc:  # cannot be opened at all: the "open" pseudo-check caught it
        outcome.failed_checks = [OPEN_CHECK]
        finding = Finding(OPEN_CHECK, "cannot-open", str(exc))
        outcome.hits = matching_findings([finding], outcome.expect)
        return outcome
    outcome.failed_checks = report.failed_checks()
    outcome.hits = matching_findings(report.findings, outcome.expect)
    return outcome


def run_all(package: Path, repo: Path, workdir: Path) -> list[Outcome]:
    """Every case on every variant, each in its own checkout under ``workdir``."""
    outcomes = []
    for variant in VARIANTS:
        for case in cases_for(variant):
            checkout = make_checkout(package, repo, workdir / variant / case.__name__, variant)
            outcomes.append(run_case(case, checkout, variant))
    return outcomes


def render_table(outcomes: list[Outcome]) -> str:
    """A Markdown table: case, variant, intended check, checks that failed, result."""
    lines = [
        "| case | variant | intended check | failed checks | result |",
        "| --- | --- | --- | --- | --- |",
    ]
    for o in outcomes:
        intended = o.expect.check if o.expect else "-"
        result = f"skipped: {o.skipped}" if o.skipped else ("caught" if o.caught else "MISSED")
        failed = ", ".join(o.failed_checks) or "-"
        lines.append(f"| {o.case} | {o.variant} | {intended} | {failed} | {result} |")
    ran = [o for o in outcomes if not o.skipped]
    caught = sum(o.caught for o in ran)
    rate = f"{100 * caught / len(ran):.0f}%" if ran else "n/a"
    lines += ["", f"caught {caught}/{len(ran)} ({rate}); {len(outcomes) - len(ran)} skipped"]
    return "\n".join(lines) + "\n"
