"""Validation results: findings grouped by check, rendered for people or for machines."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, where (a table, row and field of the package, or a
    file of the package or the checkout), which rule, and what."""

    check: str
    rule: str
    message: str
    table: str | None = None
    row: int | None = None  # 1-based data row (the header is row 0), as frictionless counts - 1
    field: str | None = None
    file: str | None = None  # a file the finding is about, e.g. releases/0.1.0/datapackage.json

    def where(self) -> str:
        """Where the finding points, for a person to read ("file F, table T, row R, field X", as
        much as is known), or "package" when it is about the package as a whole."""
        parts = [f"file {self.file}"] if self.file else []
        if self.table:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts) or "package"


@dataclass
class CheckResult:
    """The outcome of one named check."""

    name: str
    description: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the check skipped or assumed

    @property
    def passed(self) -> bool:
        """A check passes when it found nothing: its notes (what it skipped or assumed) never
        fail it."""
        return not self.findings


@dataclass
class Report:
    """All checks run on one package."""

    package: str
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Valid only when every check passed; a check that crashed has a finding, so the gate
        fails closed."""
        return all(check.passed for check in self.checks)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every check, in check order: for counting, and for callers that pick
        them by ``Finding.check``."""
        return [finding for check in self.checks for finding in check.findings]

    def failed_checks(self) -> list[str]:
        """The names of the checks that failed, in the order they ran: a one-line reason a package
        was refused."""
        return [check.name for check in self.checks if not check.passed]


def render_text(report: Report, max_findings: int = 20) -> str:
    """A readable summary: one line per check, then the first findings of each failed check."""
    lines = [f"Validating {report.package}"]
    for check in report.checks:
        status = "passed" if check.passed else f"FAILED ({len(check.findings)})"
        lines.append(f"  {check.name:<22} {status:<12} {check.description}")
        lines.extend(f"  {'':<22} {'':<12} note: {note}" for note in check.notes)
    for check in report.checks:
        if check.passed:
            continue
        lines.append("")
        lines.append(f"{check.name}:")
        for finding in check.findings[:max_findings]:
            lines.append(f"  - {finding.where()}: [{finding.rule}] {finding.message}")
        if len(check.findings) > max_findings:
            lines.append(f"  ... and {len(check.findings) - max_findings} more (use --json)")
    lines.append("")
    lines.append("VALID" if report.valid else f"INVALID: {len(report.findings)} problem(s)")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """The report as JSON for machines; stable key order."""
    data = {
        "package": report.package,
        "valid": report.valid,
        "checks": [
            {
                "name": check.name,
                "description": check.description,
                "passed": check.passed,
                "notes": check.notes,
                "findings": [asdict(finding) for finding in check.findings],
            }
            for check in report.checks
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
