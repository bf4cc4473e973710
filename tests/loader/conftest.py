"""Fixtures for the loader tests: a served release, an isolated environment, a local package.

Every test that downloads gets its own server on 127.0.0.1 (port 0), its own registry file and
its own cache folder under tmp_path; proxies are switched off so nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dprk_records.loader.registry import write_registry

from .builders import VERSION, Release, ReleaseServer, make_package, release_members, zip_members


@pytest.fixture
def server() -> Iterator[ReleaseServer]:
    srv = ReleaseServer()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No proxies, an empty registry and cache under tmp_path; returns the registry path."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    registry_path = tmp_path / "registry.json"
    write_registry(registry_path, {"format": 1, "releases": []})
    monkeypatch.setenv("DPRK_RECORDS_REGISTRY", str(registry_path))
    monkeypatch.setenv("DPRK_RECORDS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("DPRK_RECORDS_BASE_URL", raising=False)
    monkeypatch.setenv("DPRK_RECORDS_LOCAL", "0")  # the tests run inside a checkout
    return registry_path


@pytest.fixture
def release(
    tmp_path: Path, server: ReleaseServer, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> Release:
    """Release 1.0.0 of a fixture package, registered and served; the loader points at it."""
    package = make_package(tmp_path / "package")
    world = Release(server, isolated_env, tmp_path / "cache", package)
    world.publish(VERSION, zip_members(release_members(package)))
    # no trailing slash and a {version} placeholder: both must be handled
    monkeypatch.setenv("DPRK_RECORDS_BASE_URL", server.url + "/releases/v{version}")
    return world


@pytest.fixture
def package_dir(tmp_path: Path) -> Path:
    """A local data package folder (no download involved)."""
    return make_package(tmp_path / "datapackage")
