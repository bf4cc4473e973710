"""Fault injection: every corruption of a valid package is caught, by the check meant to catch it.

The corruptions live in dprk_records_tools.faults.cases, one function each, named after what they
break. Each runs in its own throwaway checkout (package + seeds + schemas + CHANGELOG) built from
the session's package: variant ``built`` is the pipeline's output, variant ``sample`` adds
hand-made rows to the extraction tables so their corruptions run before the extractor fills them.
``python scripts/fault_report.py`` prints the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dprk_records.validate import validate_package
from dprk_records_tools.faults.cases import CASES, Case
from dprk_records_tools.faults.runner import (
    VARIANTS,
    Outcome,
    cases_for,
    make_checkout,
    render_table,
    run_case,
)

from .conftest import REPO

RunCase = Callable[[str, Case], Outcome]
PARAMS = [(variant, case) for variant in VARIANTS for case in cases_for(variant)]
_OUTCOMES: dict[tuple[str, str], Outcome] = {}


@pytest.fixture(scope="module")
def outcome_of(built_package: Path, tmp_path_factory: pytest.TempPathFactory) -> RunCase:
    """Run (once) and return the outcome of one case on one variant."""

    def run(variant: str, case: Case) -> Outcome:
        key = (variant, case.__name__)
        if key not in _OUTCOMES:
            work = tmp_path_factory.mktemp(f"{variant}-{case.__name__}")
            checkout = make_checkout(built_package, REPO, work / "checkout", variant)
            _OUTCOMES[key] = run_case(case, checkout, variant)
        return _OUTCOMES[key]

    return run


@pytest.mark.parametrize("variant", VARIANTS)
def test_baseline_is_valid(variant: str, built_package: Path, tmp_path: Path) -> None:
    checkout = make_checkout(built_package, REPO, tmp_path / "checkout", variant)
    report = validate_package(checkout / "datapackage", checkout=checkout)
    assert report.valid, [f"{f.check}: {f.where()}: {f.message}" for f in report.findings]


@pytest.mark.parametrize(("variant", "case"), PARAMS, ids=[f"{v}-{c.__name__}" for v, c in PARAMS])
def test_corruption_is_caught_by_the_intended_check(
    variant: str, case: Case, outcome_of: RunCase
) -> None:
    outcome = outcome_of(variant, case)
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    assert outcome.expect is not None
    assert outcome.caught, (
        f"{case.__name__} ({variant}) should be caught by {outcome.expect}; "
        f"failed checks: {outcome.failed_checks}"
    )


def test_there_are_at_least_25_distinct_corruptions() -> None:
    names = [case.__name__ for case in CASES]
    assert len(set(names)) == len(names) >= 25


def test_catch_rate_is_100_percent(outcome_of: RunCase) -> None:
    outcomes = [outcome_of(variant, case) for variant, case in PARAMS]
    print(render_table(outcomes))
    ran = [o for o in outcomes if not o.skipped]
    caught = [o for o in ran if o.caught]
    assert len({o.case for o in ran}) >= 25, "fewer than 25 distinct corruptions ran"
    assert len(caught) / len(ran) == 1.0, [o.case for o in ran if not o.caught]
