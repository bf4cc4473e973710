"""The wheel holds what users run and nothing of the maintainers' tooling.

Built with hatchling's own builder (the project's build backend) into a temporary folder, so
this is the wheel ``pip install .`` would install, without a network or a virtual environment.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

wheel_builder = pytest.importorskip("hatchling.builders.wheel", reason="hatchling (test group)")


@pytest.fixture(scope="module")
def members(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    builder = wheel_builder.WheelBuilder(str(REPO))
    (wheel,) = list(builder.build(directory=str(out), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_the_wheel_holds_every_runtime_module_and_the_schemas(members: list[str]) -> None:
    source = {
        str(path.relative_to(REPO / "src"))
        for path in (REPO / "src" / "dprk_records").rglob("*.py")
    }
    assert source <= set(members)
    assert "dprk_records/_schemas/package.json" in members
    assert "dprk_records/loader/registry.json" in members


def test_the_wheel_holds_no_tooling_or_tests(members: list[str]) -> None:
    tops = {name.split("/")[0] for name in members}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"dprk_records"}
    forbidden = ("bench", "faults", "tests", "conftest", "dprk_records_tools")
    offending = [
        name
        for name in members
        if any(part in forbidden for part in Path(name).with_suffix("").parts)
    ]
    assert offending == []
