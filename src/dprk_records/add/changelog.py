"""A CHANGELOG.md entry skeleton from a diff, and where it goes in the file.

The skeleton is a starting point for the maintainer: short user-facing bullets (documents added,
new persons, titles, events, organizations, schema changes, corrected values) under a heading for
the version the changes require. :func:`insert_entry` puts bullets under that version's heading,
creating the heading above the newest one when the file has none for it yet.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from dprk_records.add.contribution import Contribution, contribution, listing
from dprk_records.loader.registry import version_key
from dprk_records.release.diff import PackageDiff, diff_packages, minimum_version
from dprk_records.release.snapshot import Snapshot

_HEADING = re.compile(r"^(#{1,6})\s", re.MULTILINE)


def required_version(diff: PackageDiff) -> str:
    """The version the new package must carry: what the changes need, or more if it has more."""
    needed = minimum_version(diff.old_version, diff.bump)
    return max(needed, diff.new_version, key=version_key)


def entry_bullets(diff: PackageDiff, found: Contribution) -> list[str]:
    """The entry's bullets, most important first; edit them before committing."""
    bullets = [f"- Added document `{f.id}`: {f.label}." for f in found.documents]
    for title, facts in (
        ("New persons", found.persons),
        ("New titles for known persons", found.new_titles),
        ("New events", found.events),
        ("New organizations", found.organizations),
    ):
        if facts:
            bullets.append(f"- {title}: {listing(facts)}.")
    for change in diff.schema:
        bullets.append(f"- {change.level.upper()}: {change.what}.")
    for change in diff.other:
        if "withdrawn" in change.what or change.what.startswith("package "):
            bullets.append(f"- {change.level.upper()}: {change.what}.")
    for rows in found.existing_rows_altered:
        bullets.append(
            f"- Corrected `{rows.table}`: {rows.changed} row(s) changed, {rows.removed} removed."
        )
    return bullets or ["- No data changes."]


def render_entry(version: str, bullets: list[str], status: str = "unreleased") -> str:
    """``## VERSION (STATUS)`` and the bullets, as Markdown; see :func:`release_status`."""
    return f"## {version} ({status})\n\n" + "\n".join(bullets) + "\n"


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def release_status(version: str, released: Collection[str] = (), changelog: str = "") -> str:
    """What an entry's heading says after the version. A version already released must not be
    headed "unreleased" (a maintainer would paste that over the real entry): it gets the release
    date its CHANGELOG heading records, else "released"; any other version is "unreleased"."""
    if version not in released:
        return "unreleased"
    match = _version_heading(version).search(changelog)
    if match is not None:
        line_end = changelog.find("\n", match.end())
        date = _DATE.search(changelog[match.end() : None if line_end < 0 else line_end])
        if date is not None:
            return date.group(0)
    return "released"


def changelog_entry(
    old: Snapshot, new: Snapshot, released: Collection[str] = (), changelog: str = ""
) -> tuple[str, str]:
    """(required version, entry text) for the changes from ``old`` to ``new``; ``released`` are
    the versions already released and ``changelog`` CHANGELOG.md's text, for the heading."""
    diff = diff_packages(old, new)
    version = required_version(diff)
    status = release_status(version, released, changelog)
    return version, render_entry(version, entry_bullets(diff, contribution(old, new)), status)


def _version_heading(version: str) -> re.Pattern[str]:
    """A heading naming ``version``: the same rule as the gate's ``changelog_has_entry``."""
    return re.compile(rf"^(#{{1,6}})\s+\[?v?{re.escape(version)}\]?(?=[\s(:]|$)", re.MULTILINE)


def insert_entry(text: str, version: str, bullets: list[str]) -> str:
    """CHANGELOG text with ``bullets`` under the heading of ``version`` (created if missing).

    Under an existing heading the bullets go to the end of its section; a new heading goes above
    the first second-level heading (entries are newest first), or at the end of the file.
    """
    block = "\n".join(bullets) + "\n"
    match = _version_heading(version).search(text)
    if match is None:
        entry = render_entry(version, bullets)
        if not text.strip():
            return "# Changelog\n\n" + entry
        first = re.search(r"^##\s", text, flags=re.MULTILINE)
        if first is None:
            return text.rstrip("\n") + "\n\n" + entry
        return text[: first.start()] + entry + "\n" + text[first.start() :]
    level = len(match.group(1))
    line_end = text.find("\n", match.end())
    body_start = len(text) if line_end < 0 else line_end + 1
    end = next(
        (m.start() for m in _HEADING.finditer(text, body_start) if len(m.group(1)) <= level),
        len(text),
    )
    head, rest = text[:end].rstrip("\n"), text[end:]
    gap = "\n\n" if len(head) < body_start else "\n"  # a heading with no body yet
    return head + gap + block + ("\n" + rest if rest else "")
