"""`import dprk_records` stays light: no pooch, pandas, frictionless, jsonschema or pipeline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import dprk_records

SRC = Path(dprk_records.__file__).resolve().parents[1]
HEAVY = "{'frictionless', 'pandas', 'pooch', 'jsonschema', 'requests', 'filelock', 'platformdirs'}"


def _run(code: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_import_does_not_pull_heavy_modules() -> None:
    code = (
        "import sys, dprk_records; print(sorted(m for m in sys.modules "
        f"if m.split('.')[0] in {HEAVY} or m.startswith('dprk_records.pipeline')))"
    )
    assert _run(code) == "[]"


def test_public_names_resolve_lazily() -> None:
    for name in dprk_records.__all__:
        assert getattr(dprk_records, name) is not None, name
    assert set(dprk_records.__all__) <= set(dir(dprk_records))
    assert issubclass(dprk_records.DownloadError, dprk_records.DprkRecordsError)
    assert dprk_records.__version__


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        dprk_records.no_such_thing  # noqa: B018
