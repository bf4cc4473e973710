"""Reproducible zip archives: the same members give the same bytes, run after run.

Members are sorted, every entry has the same timestamp (SOURCE_DATE_EPOCH, never before
1980-01-01, the earliest a zip can store; 1980-01-01 when unset), permissions 0o644, no extra
fields and no comment, and one fixed compression level.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping

from dprk_records.errors import ReleaseError

ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
COMPRESS_LEVEL = 9


def zip_timestamp(environ: Mapping[str, str]) -> tuple[int, int, int, int, int, int]:
    """The timestamp of every member: SOURCE_DATE_EPOCH (clamped to 1980) or 1980-01-01."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    moment = ZIP_EPOCH
    if epoch:
        try:
            moment = max(dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC), ZIP_EPOCH)
        except (ValueError, OverflowError):
            raise ReleaseError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970"
            ) from None
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def build_zip(
    members: Mapping[str, bytes], top: str, date_time: tuple[int, int, int, int, int, int]
) -> bytes:
    """A zip of ``members`` (relative path -> bytes), each under the folder ``top``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=date_time)
            info.create_system = 3  # unix, so that external_attr holds the mode
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, members[name], compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def zip_members(data: bytes) -> dict[str, bytes]:
    """Member name -> bytes of a zip held in memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def differing_members(old: bytes, new: bytes) -> list[str]:
    """Names of members that differ between two zips (content, presence or metadata)."""
    try:
        before, after = zip_members(old), zip_members(new)
    except zipfile.BadZipFile:
        return ["(the existing file is not a zip)"]
    names = sorted(set(before) | set(after))
    differ = [name for name in names if before.get(name) != after.get(name)]
    return differ or ["(zip metadata: timestamps, permissions or compression)"]
