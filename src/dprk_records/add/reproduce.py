"""Is a package folder exactly the build of a seeds folder? (`dprk-records build --check`)

The same question CI asks with ``dprk-records build && git diff --exit-code datapackage``, but
without writing anything: the seeds are built into a temporary folder and compared byte for
byte, so it is safe in a pre-commit hook and in a dirty tree.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from dprk_records.base.fileguard import UnsafeFileError, read_regular
from dprk_records.pipeline.build import build


def folder_files(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` but its folders (relative POSIX path -> bytes).

    A link, FIFO or device is never opened: it maps to None, which no build writes, so it is
    reported as not reproduced.
    """
    if not folder.is_dir():
        return {}
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        try:
            found[path.relative_to(folder).as_posix()] = read_regular(path)
        except UnsafeFileError:
            found[path.relative_to(folder).as_posix()] = None
    return found


def differing_paths(
    expected: Mapping[str, bytes | None], actual: Mapping[str, bytes | None]
) -> list[str]:
    """Relative paths missing from, extra in, or different in ``actual``."""
    names = set(expected) | set(actual)
    return sorted(
        n for n in names if n not in expected or n not in actual or expected[n] != actual[n]
    )


def stale_package_files(
    seeds: Path,
    package: Path,
    environ: Mapping[str, str] | None = None,
    *,
    cache: Path | bool = True,
    formats: Sequence[str] = ("csv",),
) -> list[str]:
    """Files of ``package`` that a fresh build of ``seeds`` would change, add or remove.

    ``cache`` is the build's analysis cache (see :func:`~dprk_records.pipeline.build.build`):
    its keys make the answer the same with or without it, only faster. ``formats`` are the
    table formats of the fresh build (``build --check`` passes those of ``package``).
    """
    with tempfile.TemporaryDirectory(prefix="dprk-records-check-") as tmp:
        out = Path(tmp) / "datapackage"
        fresh = build(seeds, out, environ, cache=cache, formats=formats, journal=False).out_dir
        return differing_paths(folder_files(fresh), folder_files(package))
