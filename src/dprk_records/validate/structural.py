"""Checks that frictionless performs: types, constraints, primary and foreign keys, bytes, hashes."""

from __future__ import annotations

import logging
import os
from typing import Any

from dprk_records.validate import slices
from dprk_records.validate.context import PackageContext
from dprk_records.validate.parquet import frictionless_resources, frictionless_target
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
    """Run frictionless on the package; every error and warning becomes a finding. A package
    with many source texts is validated a slice at a time (:mod:`~dprk_records.validate.slices`),
    with the findings of one run over it all."""
    unsafe = ctx.unsafe_paths()
    if unsafe:
        ctx.note(CHECK, f"not run: {len(unsafe)} path(s) may not be opened (see the files check)")
        return []
    import frictionless

    logging.getLogger("frictionless").setLevel(logging.ERROR)
    source, options = frictionless_target(ctx)  # the package without its Parquet copies
    resources = frictionless_resources(ctx)  # (the same resources, as a list)
    if resources is not None:
        # the files' paths joined to the folder as frictionless joins them for ``source``, so
        # that a finding naming a file names it the same way ("sources/x.txt", not "./sources")
        basepath = options["basepath"] if "basepath" in options else os.path.dirname(source)
        runs = slices.sliced_runs(ctx.descriptor, resources, slices.SLICE)
        findings = _sliced(frictionless, runs, resources, basepath) if runs else None
        if findings is not None:
            return findings
    try:
        report = frictionless.validate(source, **options)
    except frictionless.FrictionlessException as exc:
        return [Finding(CHECK, "descriptor-error", str(exc))]
    findings = [Finding(CHECK, "warning", str(w)) for w in report.warnings]
    findings.extend(Finding(CHECK, error.type, error.message) for error in report.errors)
    for task in report.tasks:
        findings.extend(_task_findings(task))
    return findings


def _sliced(
    frictionless: Any, runs: list[dict[str, Any]], resources: list[Any], basepath: str
) -> list[Finding] | None:
    """The findings of the runs, their tasks in package order; None when a run fails or finds
    something of the package's (its metadata): only a run over the whole package says what."""
    by_name: dict[str, list[Finding]] = {}
    for run in runs:
        try:
            report = frictionless.validate(run, basepath=basepath)
        except frictionless.FrictionlessException:
            return None
        if report.errors or report.warnings:
            return None
        for task in report.tasks:
            by_name[task.name] = _task_findings(task)
    names = [resource["name"] for resource in resources]
    if by_name.keys() != set(names):
        return None  # (a task for each resource, or the runs are not what was planned)
    return [finding for name in names for finding in by_name[name]]


def _task_findings(task: Any) -> list[Finding]:
    findings = [Finding(CHECK, "warning", str(w), table=task.name) for w in task.warnings]
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
