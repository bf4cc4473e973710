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
    from dprk_records.validate.structural import check_frictionless

    return [
        Check("profile", "descriptor vs official Data Package 2.0 profile", check_profile),
        Check("registry", "tables and schemas match schemas/", check_registry),
        Check("frictionless", "types, constraints, keys, bytes, hashes", check_frictionless),
        Check("rows", "every row vs its generated JSON Schema", check_rows),
    ]


def validate_package(path: Path, checks: list[Check] | None = None) -> Report:
    """Run every check on the package at ``path``; raises PackageError if it cannot be opened."""
    ctx = PackageContext.open(path)
    report = Report(str(path))
    for check in checks or all_checks():
        report.checks.append(CheckResult(check.name, check.description, check.run(ctx)))
    return report
