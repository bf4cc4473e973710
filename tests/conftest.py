"""Shared fixtures: the repository's real seeds and one package built from them per session, and
a small package with known careers (tests/careers.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dprk_records.pipeline.build import build

from .careers import make_career_package, write_seeds

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


@pytest.fixture(scope="session")
def career_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three invented texts with known titles, parts and personnel changes (tests/careers.py);
    tests must not modify it (copy it first)."""
    return make_career_package(tmp_path_factory.mktemp("careers"))


@pytest.fixture(scope="session")
def career_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same three texts as the extractor alone tabulates them (no pinned rows); what its
    tables hold may change as the extractor does, so tests of it check properties, not values."""
    root = tmp_path_factory.mktemp("careers-built")
    package = root / "out" / "datapackage"
    build(write_seeds(root / "seeds"), package, environ={})
    return package
