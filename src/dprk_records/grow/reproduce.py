"""Is a package folder exactly the build of a seeds folder? (`dprk-records build --check`)

The same question CI asks with ``dprk-records build && git diff --exit-code datapackage``, but
without writing anything: the seeds are built into a temporary folder and compared byte for
byte, so it is safe in a pre-commit hook and in a dirty tree.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from dprk_records.pipeline.build import build


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes)."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differing_paths(expected: Mapping[str, bytes], actual: Mapping[str, bytes]) -> list[str]:
    """Relative paths missing from, extra in, or different in ``actual``."""
    names = set(expected) | set(actual)
    return sorted(n for n in names if expected.get(n) != actual.get(n))


def stale_package_files(
    seeds: Path, package: Path, environ: Mapping[str, str] | None = None
) -> list[str]:
    """Files of ``package`` that a fresh build of ``seeds`` would change, add or remove."""
    with tempfile.TemporaryDirectory(prefix="dprk-records-check-") as tmp:
        fresh = build(seeds, Path(tmp) / "datapackage", environ).out_dir
        return differing_paths(folder_files(fresh), folder_files(package))
