"""The validation gate: every check a package must pass before it is committed or released.

Exit codes of ``dprk-records validate``: 0 valid, 1 invalid (findings printed), 2 the package
could not be opened at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import CheckResult, Finding, Report


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    run: Callable[[PackageContext], list[Finding]]


def all_checks() -> list[Check]:
    """The checks in the order they run (cheap structural ones first)."""
    from dprk_records.validate.conformance import check_profile, check_registry, check_rows
    from dprk_records.validate.corrections import check_corrections
    from dprk_records.validate.integrity import check_orders, check_references
    from dprk_records.validate.sources import check_sources
    from dprk_records.validate.spans import check_spans
    from dprk_records.validate.structural import check_frictionless
    from dprk_records.validate.versioning import check_version

    return [
        Check("profile", "descriptor vs official Data Package 2.0 profile", check_profile),
        Check("registry", "tables and schemas match schemas/", check_registry),
        Check("frictionless", "types, constraints, keys, bytes, hashes", check_frictionless),
        Check("rows", "every row vs its generated JSON Schema", check_rows),
        Check("sources", "source texts vs descriptor, documents and seeds", check_sources),
        Check("spans", "every span inside its text and saying what its row claims", check_spans),
        Check("orders", "list orders 1..n per listing, in text order", check_orders),
        Check("references", "every id exists; no cyclic parent chains", check_references),
        Check(
            "corrections", "corrections undo to the verbatim and give paragraphs", check_corrections
        ),
        Check("version", "version bump vs last release; CHANGELOG entry", check_version),
    ]


def run_check(check: Check, ctx: PackageContext) -> CheckResult:
    """Run one check; a check that crashes fails (the gate fails closed) instead of aborting."""
    try:
        findings = check.run(ctx)
    except Exception as exc:  # a malformed package must not stop the other checks
        findings = [Finding(check.name, "check-crashed", f"{type(exc).__name__}: {exc}")]
    return CheckResult(check.name, check.description, findings, ctx.notes.get(check.name, []))


def validate_package(
    path: Path,
    checks: list[Check] | None = None,
    checkout: Path | None = None,
    previous: Path | None = None,
) -> Report:
    """Run every check on the package at ``path``; raises PackageError if it cannot be opened.

    ``checkout`` is the repository around the package (default: the package's parent folder when
    it has seeds/manifest.csv); ``previous`` the last released package (default: the newest
    folder under the checkout's releases/).
    """
    ctx = PackageContext.open(path, checkout=checkout, previous=previous)
    report = Report(str(path))
    for check in checks or all_checks():
        report.checks.append(run_check(check, ctx))
    return report
