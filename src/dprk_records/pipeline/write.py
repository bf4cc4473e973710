"""Write stage: a mapping of relative paths to bytes -> a package folder, atomically.

The new package is written into a temporary sibling folder and renamed into place, so a failed
build leaves the previous package exactly as it was, and readers never see a half-written one.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from dprk_records.errors import BuildError

PACKAGE_MARKER = "datapackage.json"


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BuildError(f"refusing to write {name!r}: package paths must be relative and inside")
    return path


def write_package(files: Mapping[str, bytes], out_dir: Path) -> Path:
    """Replace out_dir with exactly ``files``; refuse to replace a folder that is not a package."""
    out_dir = out_dir.absolute()
    if out_dir.exists():
        if not out_dir.is_dir():
            raise BuildError(f"{out_dir}: exists and is not a folder; choose another --out")
        if any(out_dir.iterdir()) and not (out_dir / PACKAGE_MARKER).is_file():
            raise BuildError(
                f"{out_dir}: not empty and has no {PACKAGE_MARKER}; refusing to replace a folder "
                "that is not a data package (choose another --out or empty it)"
            )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for name in sorted(files):
            target = staging / _safe_relative(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            retired.rmdir()
            out_dir.rename(retired)
            try:
                staging.rename(out_dir)
            except OSError:
                retired.rename(out_dir)
                raise
            shutil.rmtree(retired)
        else:
            staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir
