"""Checks that frictionless performs: types, constraints, primary and foreign keys, bytes, hashes."""

from __future__ import annotations

import logging

from dprk_records.validate.context import PackageContext
from dprk_records.validate.parquet import frictionless_target
from dprk_records.validate.report import Finding

CHECK = "frictionless"


FILES_CHECK = "files"


def check_files(ctx: PackageContext) -> list[Finding]:
    """Every file the descriptor names is a plain file inside the package folder.

    Runs first: a path that leaves the package, or a link, FIFO, device or folder in place of a
    file, is named here and never opened by any check, so no finding can quote outside bytes
    and no read can block.
    """
    return [
        Finding(FILES_CHECK, "unsafe-path", f"{path}: {problem} (not opened)", file=path)
        for path, problem in ctx.unsafe_paths().items()
    ]


def check_frictionless(ctx: PackageContext) -> list[Finding]:
    """Run frictionless on the package; every error and warning becomes a finding."""
    unsafe = ctx.unsafe_paths()
    if unsafe:
        ctx.note(CHECK, f"not run: {len(unsafe)} path(s) may not be opened (see the files check)")
        return []
    import frictionless

    logging.getLogger("frictionless").setLevel(logging.ERROR)
    try:
        source, options = frictionless_target(ctx)  # the package without its Parquet copies
        report = frictionless.validate(source, **options)
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
