"""The `version` check: the package's version is at least what its changes since the last release
require, and CHANGELOG.md has an entry for it.

The last release is the one passed explicitly (``validate --previous``) or, in a checkout, the
newest folder under releases/. With no release yet there is nothing to compare and the check
passes, saying so in a note.
"""

from __future__ import annotations

import re

from dprk_records.errors import DprkRecordsError
from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import Finding

CHECK = "version"


def changelog_has_entry(text: str, version: str) -> bool:
    """Whether a Markdown heading names ``version`` ("## 1.2.0", "## [1.2.0] - 2024-01-01")."""
    pattern = rf"^#{{1,6}}\s+\[?v?{re.escape(version)}\]?(?=[\s(:]|$)"
    return re.search(pattern, text, flags=re.MULTILINE) is not None


def _check_changelog(ctx: PackageContext, version: str) -> list[Finding]:
    if ctx.checkout is None:
        ctx.note(CHECK, "not in a checkout: CHANGELOG.md not checked")
        return []
    path = ctx.checkout / "CHANGELOG.md"
    if not path.is_file():
        return [Finding(CHECK, "changelog-missing", f"{path} does not exist")]
    if not changelog_has_entry(path.read_text(encoding="utf-8"), version):
        return [
            Finding(
                CHECK,
                "changelog-entry",
                f"{path.name} has no heading for version {version}; add '## {version}' with "
                "what changed",
                field="version",
            )
        ]
    return []


def check_version(ctx: PackageContext) -> list[Finding]:
    """The version covers the changes since the last release; the CHANGELOG names it."""
    from dprk_records.loader.registry import is_valid_version, version_key
    from dprk_records.release.diff import diff_packages, minimum_version
    from dprk_records.release.history import RELEASES_DIR, newest_release
    from dprk_records.release.snapshot import Snapshot, snapshot_read_when_asked

    version = ctx.descriptor.get("version")
    if not isinstance(version, str) or not is_valid_version(version):
        return [Finding(CHECK, "not-semver", f"version {version!r} is not MAJOR.MINOR.PATCH")]
    findings = _check_changelog(ctx, version)
    previous = ctx.previous
    if previous is None and ctx.checkout is not None:
        previous = newest_release(ctx.checkout / RELEASES_DIR)
    if previous is None:
        ctx.note(
            CHECK, "no release yet (none recorded under releases/): no version to compare with"
        )
        return findings
    try:
        with snapshot_read_when_asked(previous) as old:  # a table at a time, as the diff asks
            version_key(old.version)
            new = Snapshot(str(ctx.root), ctx.descriptor, ctx.tables_when_asked())
            diff = diff_packages(old, new)
    except DprkRecordsError as exc:
        return [*findings, Finding(CHECK, "previous-unreadable", f"{previous}: {exc}")]
    needed = minimum_version(old.version, diff.bump)
    reasons = [c.what for c in diff.changes if c.level == diff.bump]
    reasons_text = "; ".join(reasons[:3]) + (
        f"; and {len(reasons) - 3} more" if len(reasons) > 3 else ""
    )
    if version_key(version) < version_key(old.version):
        findings.append(
            Finding(
                CHECK,
                "version-lowered",
                f"version {version} is lower than the released {old.version}",
                field="version",
            )
        )
    elif version_key(version) < version_key(needed):
        rule = "version-not-bumped" if version == old.version else "version-bump-too-small"
        findings.append(
            Finding(
                CHECK,
                rule,
                f"the package differs from release {old.version} by a {diff.bump.upper()} change "
                f"({reasons_text}): its version must be at least {needed}, not {version}",
                field="version",
            )
        )
    else:
        ctx.note(CHECK, f"compared with release {old.version}: {diff.bump} change, version ok")
    return findings
