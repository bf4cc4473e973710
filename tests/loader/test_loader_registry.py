"""The registry of released versions: adding, refusing, sorting, reading and writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_records.loader.errors import RegistryError, UnknownVersionError
from dprk_records.loader.registry import (
    add_release,
    default_registry_path,
    find_release,
    latest_version,
    load_registry,
    registered_versions,
    render_registry,
    version_key,
    write_registry,
)

EMPTY = {"format": 1, "releases": []}
SHA_A = "a" * 64
SHA_B = "b" * 64


def _add(registry: dict, version: str, sha: str = SHA_A, size: int = 10) -> dict:
    return add_release(registry, version, f"dprk-records-data-{version}.zip", sha, size)


def test_packaged_registry_lists_exactly_the_recorded_releases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The registry that ships in the wheel and releases/ in the repository move together:
    `dprk-records release` writes both."""
    monkeypatch.delenv("DPRK_RECORDS_REGISTRY", raising=False)
    path = default_registry_path()
    assert path.name == "registry.json" and path.parent.name == "loader"
    registry = load_registry()
    assert path.read_text(encoding="utf-8") == render_registry(registry)
    releases = Path(__file__).resolve().parents[2] / "releases"
    recorded = sorted((p.name for p in releases.iterdir() if p.is_dir()), key=version_key)
    assert registered_versions(registry) == recorded
    for entry in registry["releases"]:
        assert entry["file"] == f"dprk-records-data-{entry['version']}.zip"
        assert len(entry["sha256"]) == 64 and entry["size"] > 0


def test_add_release_adds_a_sorted_entry_without_mutating_its_input() -> None:
    registry = _add(_add(EMPTY, "1.10.0"), "1.9.0")
    assert registered_versions(registry) == ["1.9.0", "1.10.0"]
    assert registry["releases"][0] == {
        "version": "1.9.0",
        "file": "dprk-records-data-1.9.0.zip",
        "sha256": SHA_A,
        "size": 10,
    }
    assert EMPTY == {"format": 1, "releases": []}


def test_add_release_of_an_identical_entry_is_a_no_op() -> None:
    once = _add(EMPTY, "1.0.0")
    assert _add(once, "1.0.0") == once
    assert add_release(once, "v1.0.0", "dprk-records-data-1.0.0.zip", SHA_A, 10) == once


@pytest.mark.parametrize(
    ("sha", "size"), [(SHA_B, 10), (SHA_A, 11)], ids=["other-hash", "other-size"]
)
def test_add_release_refuses_to_change_a_released_version(sha: str, size: int) -> None:
    once = _add(EMPTY, "1.0.0")
    with pytest.raises(RegistryError, match=r"already released.*immutable"):
        _add(once, "1.0.0", sha, size)


@pytest.mark.parametrize(
    ("version", "file", "sha", "size", "message"),
    [
        ("1.0", "f.zip", SHA_A, 1, "not a semantic version"),
        ("../1.0.0", "f.zip", SHA_A, 1, "not a semantic version"),
        ("1.0.0", "../f.zip", SHA_A, 1, "not a plain file name"),
        ("1.0.0", "dir/f.zip", SHA_A, 1, "not a plain file name"),
        ("1.0.0", "f.zip", "abc", 1, "64 lowercase hex"),
        ("1.0.0", "f.zip", SHA_A, -1, "non-negative integer"),
        ("1.0.0", "f.zip", SHA_A, True, "non-negative integer"),
    ],
)
def test_add_release_checks_its_arguments(version, file, sha, size, message) -> None:
    with pytest.raises(RegistryError, match=message):
        add_release(EMPTY, version, file, sha, size)


def test_write_then_load_round_trips_with_stable_text(tmp_path: Path) -> None:
    registry = _add(_add(EMPTY, "2.0.0", SHA_B, 20), "1.0.0")
    path = write_registry(tmp_path / "registry.json", registry)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(registry, indent=2) + "\n"
    assert load_registry(path) == registry
    assert [p.name for p in tmp_path.iterdir()] == ["registry.json"]  # no temp file left


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read the registry"),
        ("[]", "'releases' list"),
        ('{"format": 2, "releases": []}', "format 2 is not 1"),
        ('{"format": 1, "releases": [{"version": "1.0.0"}]}', "lacks file, sha256, size"),
        (
            json.dumps({"format": 1, "releases": 2 * [_add(EMPTY, "1.0.0")["releases"][0]]}),
            "listed twice",
        ),
    ],
)
def test_malformed_registry_files_are_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "registry.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_registry(path)


def test_missing_registry_file_names_the_env_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DPRK_RECORDS_REGISTRY", str(tmp_path / "nope.json"))
    with pytest.raises(RegistryError, match=r"nope\.json: registry file not found.*DPRK_RECORDS"):
        load_registry()


def test_latest_prefers_final_releases_and_find_lists_known_versions() -> None:
    registry = _add(_add(_add(EMPTY, "1.0.0"), "1.1.0-rc.1"), "0.9.0")
    assert latest_version(registry) == "1.0.0"
    assert latest_version(_add(EMPTY, "2.0.0-rc.1")) == "2.0.0-rc.1"
    assert find_release(registry)["version"] == "1.0.0"
    assert find_release(registry, "v0.9.0")["version"] == "0.9.0"
    with pytest.raises(UnknownVersionError, match=r"known: 0\.9\.0, 1\.0\.0, 1\.1\.0-rc\.1"):
        find_release(registry, "3.0.0")


def test_version_key_follows_semver_precedence() -> None:
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11"]
    ordered += ["1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0"]
    assert sorted(reversed(ordered), key=version_key) == ordered


versions_st = st.tuples(*3 * [st.integers(0, 30)]).map(lambda t: ".".join(map(str, t)))


@given(st.lists(versions_st, unique=True, max_size=8), st.randoms())
def test_registry_text_does_not_depend_on_insertion_order(versions, rnd) -> None:
    shuffled = list(versions)
    rnd.shuffle(shuffled)
    one, two = EMPTY, EMPTY
    for version in versions:
        one = _add(one, version)
    for version in shuffled:
        two = _add(two, version)
    assert render_registry(one) == render_registry(two)
    assert registered_versions(one) == sorted(versions, key=version_key)
