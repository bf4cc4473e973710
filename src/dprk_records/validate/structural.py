"""Checks that frictionless performs: types, constraints, primary and foreign keys, bytes, hashes."""

from __future__ import annotations

import logging

from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import Finding

CHECK = "frictionless"


def check_frictionless(ctx: PackageContext) -> list[Finding]:
    """Run frictionless on the package; every error and warning becomes a finding."""
    import frictionless

    logging.getLogger("frictionless").setLevel(logging.ERROR)
    try:
        report = frictionless.validate(str(ctx.root / "datapackage.json"))
    except frictionless.FrictionlessException as exc:
        return [Finding(CHECK, "descriptor-error", str(exc))]
    findings = [Finding(CHECK, "warning", str(w)) for w in report.warnings]
    for error in report.errors:
        findings.append(Finding(CHECK, error.type, error.message))
    for task in report.tasks:
        findings.extend(Finding(CHECK, "warning", str(w), table=task.name) for w in task.warnings)
        for error in task.errors:
            row_number = getattr(error, "row_number", None)
            findings.append(
                Finding(
                    CHECK,
                    error.type,
                    error.message,
                    table=task.name,
                    row=row_number - 1 if row_number else None,
                    field=getattr(error, "field_name", None),
                )
            )
    return findings
