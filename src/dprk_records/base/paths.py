"""Where the project's files are, whether running from a checkout or from an installed wheel."""

from __future__ import annotations

from pathlib import Path

# this file is dprk_records/base/paths.py: the package is one folder up
_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def schemas_dir() -> Path:
    """The schemas/ folder: the checkout's own when running from source, else the wheel's copy."""
    checkout = _PACKAGE_DIR.parents[1] / "schemas"
    if (checkout / "package.json").is_file():
        return checkout
    return _PACKAGE_DIR / "_schemas"


def profiles_dir() -> Path:
    """The official Data Package 2.0 JSON Schema profiles vendored under schemas/profiles/."""
    return schemas_dir() / "profiles" / "datapackage-2.0"
