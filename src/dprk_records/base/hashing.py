"""Content hashes: one spelling of SHA-256 for ids, manifests, registries and descriptors.

Standard library only: the loader imports it to verify downloads and package files.
"""

from __future__ import annotations

import hashlib
import os
from typing import BinaryIO, NamedTuple

CHUNK = 1 << 20
"""Bytes read at a time when hashing a file: a release archive need not fit in memory."""


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data``, lowercase hex (the form manifests, registries and SHA256SUMS use)."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(source: str | os.PathLike[str] | BinaryIO, chunk_size: int = CHUNK) -> str:
    """SHA-256 of a file, lowercase hex, read ``chunk_size`` bytes at a time.

    ``source`` is a path, or a file object open for binary reading (read from where it is to
    its end) -- for files that must be opened with care first (:mod:`.fileguard`).
    """
    digest = hashlib.sha256()
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return file_sha256(handle, chunk_size)
    while chunk := source.read(chunk_size):
        digest.update(chunk)
    return digest.hexdigest()


class HashingWriter:
    """Writes through to a binary file while hashing and counting, so a download is checked
    without reading it back (the file may be one pooch handed over, not ours to reopen)."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> int:
        """Pass ``chunk`` on and hash it, so a download is hashed as it is written, never read
        back from disk."""
        self._out.write(chunk)
        self._digest.update(chunk)
        self.size += len(chunk)
        return len(chunk)

    def hexdigest(self) -> str:
        """SHA-256 of everything written so far, lowercase hex."""
        return self._digest.hexdigest()


class HashMismatch(NamedTuple):
    """How bytes differ from a Frictionless ``hash``: the algorithm, the hex recorded (as
    written) and the hex of the bytes."""

    algorithm: str
    expected: str
    actual: str


def check_hash_field(data: bytes, recorded: str) -> HashMismatch | None:
    """Compare ``data`` with a Frictionless ``hash`` value; None when it matches.

    The value is ``ALGORITHM:HEX``, or a bare HEX meaning md5 (the Data Package spec). An
    algorithm hashlib does not know, or one without a fixed-length digest (shake), gives None:
    there is nothing to compare with, and it is a descriptor check's job to flag it.
    """
    algorithm, _, expected = recorded.rpartition(":")
    algorithm = algorithm or "md5"
    try:
        actual = hashlib.new(algorithm, data).hexdigest()
    except (ValueError, TypeError):
        return None
    if actual == expected.lower():
        return None
    return HashMismatch(algorithm, expected, actual)
