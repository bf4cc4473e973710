"""A build's seed entries are kept in a temporary file (SeedList), not in memory: read back,
they are the entries the scan made, in document-id order, however they are asked for."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.pipeline.manifest import ManifestEntry
from dprk_records.pipeline.read import SeedEntry, scan_seeds
from dprk_records.pipeline.seedlist import SeedList

FOLDER = Path("/seeds")

_ids = st.text(alphabet="ab1-._", min_size=1, max_size=5).filter(lambda t: t[0].isalnum())
_manifest = st.none() | st.builds(
    ManifestEntry,
    document_id=st.just("x"),
    title=st.none() | st.text(max_size=20),
    publisher=st.none() | st.just("KCNA"),
    kind=st.none() | st.sampled_from(["report", "speech"]),
    published=st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)),
    date_basis=st.none() | st.just("manifest"),
    url=st.none() | st.just("https://example.org/a"),
    sha256=st.just("0" * 64),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_ids, st.integers(0, 10**6), _manifest), unique_by=lambda item: item[0]))
def test_entries_come_back_in_document_id_order(items: list) -> None:
    entries = [
        SeedEntry(doc, FOLDER, f"{i:064x}", size, m) for i, (doc, size, m) in enumerate(items)
    ]
    expected = sorted(entries, key=lambda entry: entry.document_id)
    with SeedList(entries) as kept:
        assert len(kept) == len(expected)
        assert list(kept) == expected
        # any order of reads, again and again, negative indexes and slices
        for index in [*reversed(range(len(expected))), 0, -1, 0]:
            if expected:
                assert kept[index] == expected[index]
        assert kept[1:3] == expected[1:3]
        assert kept[::-1] == expected[::-1]
        with pytest.raises(IndexError):
            kept[len(expected)]
        with pytest.raises(IndexError):
            kept[-len(expected) - 1]
        assert [kept.document_id(i) for i in range(len(kept))] == [e.document_id for e in expected]
        assert all(kept.key(i) is None for i in range(len(kept)))
    with SeedList(entries, key_of=_key) as keyed:
        assert [keyed.key(i) for i in range(len(keyed))] == [_key(e) for e in expected]
        if expected:
            assert keyed.key(-1) == _key(expected[-1])
        with pytest.raises(IndexError):
            keyed.key(len(expected))


def _key(entry: SeedEntry) -> str:
    """A stand-in analysis key: any hex sha256 that differs between entries."""
    return hashlib.sha256(f"{entry.document_id}/{entry.size}".encode()).hexdigest()


def test_the_real_seeds_read_back_as_scanned(seeds_copy: Path) -> None:
    """Every field, the manifest row's included, and the folder the texts are read from."""
    scanned = sorted(scan_seeds(seeds_copy), key=lambda entry: entry.document_id)
    with SeedList(scan_seeds(seeds_copy)) as kept:
        assert list(kept) == scanned
        assert all(entry.manifest is not None for entry in kept)
        assert kept[0].path.read_bytes()  # the folder is the seeds folder
        assert kept[-1].file_name == scanned[-1].file_name


def test_entries_of_two_folders_are_refused() -> None:
    entries = [
        SeedEntry("a", FOLDER, "0" * 64, 1, None),
        SeedEntry("b", Path("/x"), "1" * 64, 1, None),
    ]
    with pytest.raises(ValueError, match="2 folders"):
        SeedList(entries)


def test_closed_list_reads_nothing() -> None:
    kept = SeedList([SeedEntry("a", FOLDER, "0" * 64, 1, None)])
    assert kept[0].document_id == "a"
    kept.close()
    assert len(kept) == 1
    with pytest.raises(ValueError):
        kept[0]
