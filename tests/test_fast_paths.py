"""The loader's fast paths give exactly what the cell-by-cell paths give, and never skip a check."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dprk_records.loader.errors import HashMismatchError
from dprk_records.loader.package import Package


def test_to_pandas_fast_path_equals_the_cell_by_cell_frame(built_package: Path) -> None:
    pytest.importorskip("pandas")
    from dprk_records.loader.dataframe import frame_from_columns

    package = Package(built_package)
    for table in package.tables:
        fast = package._frame_from_verified_csv(table)
        assert fast is not None, table  # every table of our packages is plain
        fields, typed = package._typed(table)
        slow = frame_from_columns(typed, fields)
        assert list(fast.dtypes) == list(slow.dtypes), table
        assert fast.equals(slow), table


def test_no_fast_path_without_hash_verification(built_package: Path) -> None:
    pytest.importorskip("pandas")
    package = Package(built_package, verify_hashes=False)
    assert package._frame_from_verified_csv("documents") is None
    assert len(package.to_pandas("documents")) == 2


def test_a_file_changed_after_a_verified_read_is_checked_again(
    built_package: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "package"
    shutil.copytree(built_package, folder)
    package = Package(folder)
    assert package.read("persons")
    csv = folder / "data" / "persons.csv"
    data = csv.read_bytes()
    stat = csv.stat()
    csv.write_bytes(data.replace(b"ri-il-hwan", b"ri-il-hwab"))  # same size
    os.utime(csv, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old mtime
    with pytest.raises(HashMismatchError):
        package.read("persons")


def test_a_frame_is_not_taken_from_a_file_changed_after_a_warm_load(
    built_package: Path, tmp_path: Path
) -> None:
    pytest.importorskip("pandas")
    folder = tmp_path / "package"
    shutil.copytree(built_package, folder)
    package = Package(folder)
    first = package.to_pandas("persons")
    assert package.to_pandas("persons").equals(first)  # the warm path
    csv = folder / "data" / "persons.csv"
    stat = csv.stat()
    csv.write_bytes(csv.read_bytes().replace(b"ri-il-hwan", b"ri-il-hwab"))
    os.utime(csv, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(HashMismatchError):
        package.to_pandas("persons")
