"""Shared fixtures: the repository's real seeds and one package built from them per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dprk_records.pipeline.build import build

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
COMMITTED_PACKAGE = REPO / "datapackage"
REPORT_ID = "000_4f944ba05b264b4e"
SPEECH_ID = "004_6661dc6b3fee3046"


@pytest.fixture(scope="session")
def built_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the real seeds; tests must not modify it (copy it first)."""
    out = tmp_path_factory.mktemp("built") / "datapackage"
    build(SEEDS, out, environ={})
    return out


@pytest.fixture
def package_copy(built_package: Path, tmp_path: Path) -> Path:
    """A private copy of the built package that a test may corrupt."""
    target = tmp_path / "package"
    shutil.copytree(built_package, target)
    return target


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seeds folder that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
