"""The validation gate: every check a package must pass before it is committed or released.

Exit codes of ``dprk-records validate``: 0 valid, 1 invalid (findings printed), 2 the package
could not be opened at all.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dprk_records.base.progress import ProgressFactory, no_progress
from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import CheckResult, Finding, Report


@dataclass(frozen=True)
class Check:
    """One check of the gate: ``name`` labels its findings and notes, ``description`` is shown
    beside its result, and ``run`` returns findings (a crash becomes one: :func:`run_check`)."""

    name: str
    description: str
    run: Callable[[PackageContext], list[Finding]]


def all_checks() -> list[Check]:
    """The checks in the order they run (cheap structural ones first)."""
    from dprk_records.validate.conformance import check_profile, check_registry, check_rows
    from dprk_records.validate.corrections import check_corrections
    from dprk_records.validate.integrity import check_orders, check_references
    from dprk_records.validate.parquet import check_parquet
    from dprk_records.validate.popolo import check_popolo
    from dprk_records.validate.release_records import check_release_records
    from dprk_records.validate.sources import check_sources
    from dprk_records.validate.spans import check_spans
    from dprk_records.validate.structural import check_files, check_frictionless
    from dprk_records.validate.titles import check_titles
    from dprk_records.validate.versioning import check_version

    return [
        Check("files", "every file named is a plain file inside the package", check_files),
        Check("profile", "descriptor vs official Data Package 2.0 profile", check_profile),
        Check("registry", "tables and schemas match schemas/", check_registry),
        Check("frictionless", "types, constraints, keys, bytes, hashes", check_frictionless),
        Check("parquet", "Parquet copies vs their CSV: bytes, types, rows", check_parquet),
        Check("rows", "every row vs its generated JSON Schema", check_rows),
        Check("sources", "source texts vs descriptor, documents and seeds", check_sources),
        Check("spans", "every span inside its text and saying what its row claims", check_spans),
        Check("titles", "every title is its person's own and holds no other name", check_titles),
        Check("orders", "list orders 1..n per listing, in text order", check_orders),
        Check("references", "every id exists; no cyclic parent chains", check_references),
        Check(
            "corrections", "corrections undo to the verbatim and give paragraphs", check_corrections
        ),
        Check("version", "version bump vs last release; CHANGELOG entry", check_version),
        Check("releases", "releases/ vs the loader registry and git", check_release_records),
        Check("popolo", "the Popolo export vs schemas/popolo.schema.json", check_popolo),
    ]


def run_check(check: Check, ctx: PackageContext) -> CheckResult:
    """Run one check; a check that crashes fails (the gate fails closed) instead of aborting."""
    try:
        findings = check.run(ctx)
    except Exception as exc:  # a malformed package must not stop the other checks
        findings = [Finding(check.name, "check-crashed", f"{type(exc).__name__}: {exc}")]
    return CheckResult(check.name, check.description, findings, ctx.notes.get(check.name, []))


@contextlib.contextmanager
def collector_paused(paused: bool = True) -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration (when ``paused``), back as it was
    after.

    The checks make some million short-lived dicts at 10 000 documents (rows, a chunk at a
    time) and hold sets of ids and the Popolo export, and make almost no reference cycles; each
    automatic collection walks whatever is alive all the same. Reference counting still frees
    everything they drop; the few cycles wait for the first collection after the checks.
    """
    enabled = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


PARALLEL_MIN_SOURCES = 200
"""From this many source texts on, frictionless runs in a second process beside the other checks
(below it, it finishes before a second process pays off)."""


def default_workers(ctx: PackageContext) -> int:
    """2 when a second core is there and the package is large enough to pay, else 1."""
    from dprk_records.base.parallel import available_cores
    from dprk_records.validate.sources import source_resources

    large = len(source_resources(ctx.descriptor)) >= PARALLEL_MIN_SOURCES
    return 2 if large and available_cores() >= 2 else 1


def _run_frictionless_apart(
    path: Path, checkout: Path | None, previous: Path | None, description: str
) -> CheckResult:
    """The frictionless check on a context of its own (in a worker process)."""
    from dprk_records.validate.structural import CHECK, check_frictionless

    ctx = PackageContext.open(path, checkout=checkout, previous=previous)
    return run_check(Check(CHECK, description, check_frictionless), ctx)


def validate_package(
    path: Path,
    checks: list[Check] | None = None,
    checkout: Path | None = None,
    previous: Path | None = None,
    progress: ProgressFactory | None = None,
    workers: int | None = None,
) -> Report:
    """Run every check on the package at ``path``; raises PackageError if it cannot be opened.

    ``checkout`` is the repository around the package (default: the package's parent folder when
    it has seeds/manifest.csv); ``previous`` the last released package (default: the newest
    folder under the checkout's releases/). ``progress`` makes a bar over the checks (default:
    none). With ``workers`` > 1 (default: :func:`default_workers`) frictionless, the slowest
    check, runs in a second process while the others run here; the report is the same.
    """
    from dprk_records.validate.structural import check_frictionless

    ctx = PackageContext.open(path, checkout=checkout, previous=previous)
    report = Report(str(path))
    checks = checks or all_checks()
    workers = default_workers(ctx) if workers is None else workers
    apart = next((c for c in checks if c.run is check_frictionless), None) if workers > 1 else None
    results: dict[int, CheckResult] = {}
    with contextlib.ExitStack() as stack:
        bar = stack.enter_context((progress or no_progress)("checks", len(checks)))
        future = None
        if apart is not None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from dprk_records.base.parallel import start_method

            context = multiprocessing.get_context(start_method())
            pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=context))
            future = pool.submit(
                _run_frictionless_apart, path, checkout, previous, apart.description
            )
        for index, check in enumerate(checks):
            if check is apart:
                continue
            bar.describe(check.name)
            # frictionless makes cycles of its own by the row: it keeps the collector
            with collector_paused(check.run is not check_frictionless):
                results[index] = run_check(check, ctx)
            bar.advance()
        if apart is not None and future is not None:
            bar.describe(f"{apart.name} (second process)")
            try:
                results[checks.index(apart)] = future.result()
            except Exception as exc:  # the worker died: the gate fails closed
                finding = Finding(apart.name, "check-crashed", f"{type(exc).__name__}: {exc}")
                results[checks.index(apart)] = CheckResult(apart.name, apart.description, [finding])
            bar.advance()
    report.checks.extend(results[index] for index in range(len(checks)))
    return report
