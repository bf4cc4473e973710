"""Builders for loader tests: a tiny but realistic release, and a real HTTP server for it.

The release tool does not exist yet, so the tests write their own data package (two typed tables
and one source text), zip it the way a release is laid out, and serve it from ``http.server`` on
127.0.0.1 (port 0). The loader is pointed at it with its three environment variables; nothing
leaves the machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import threading
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dprk_records.loader.registry import add_release, load_registry, write_registry

VERSION = "1.0.0"

PERSONS_FIELDS = [
    {
        "name": "person_id",
        "type": "string",
        "constraints": {"required": True, "pattern": "^[a-z-]+$"},
    },
    {"name": "name", "type": "string", "constraints": {"required": True}},
    {"name": "birth_year", "type": "year"},
    {"name": "is_leader", "type": "boolean"},
    {"name": "first_seen", "type": "date"},
    {"name": "mention_count", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "mention_share", "type": "number"},
]
PERSONS = [
    ["kim-il-sung", "Kim Il Sung", "1912", "true", "1945-10-14", "12", "0.5"],
    ["ri-il-hwan", "Ri Il Hwan", "", "false", "2021-04-06", "3", "0.125"],
    ["pak-jong-chon", "Pak Jong Chon, marshal of the KPA", "", "", "", "0", ""],
]
PERSONS_TYPED = [
    {
        "person_id": "kim-il-sung",
        "name": "Kim Il Sung",
        "birth_year": 1912,
        "is_leader": True,
        "first_seen": dt.date(1945, 10, 14),
        "mention_count": 12,
        "mention_share": 0.5,
    },
    {
        "person_id": "ri-il-hwan",
        "name": "Ri Il Hwan",
        "birth_year": None,
        "is_leader": False,
        "first_seen": dt.date(2021, 4, 6),
        "mention_count": 3,
        "mention_share": 0.125,
    },
    {
        "person_id": "pak-jong-chon",
        "name": "Pak Jong Chon, marshal of the KPA",
        "birth_year": None,
        "is_leader": None,
        "first_seen": None,
        "mention_count": 0,
        "mention_share": None,
    },
]

EVENTS_FIELDS = [
    {"name": "event_id", "type": "string", "constraints": {"required": True}},
    {"name": "name", "type": "string"},
    {
        "name": "kind",
        "type": "string",
        "constraints": {"enum": ["conference", "plenary", "congress"]},
    },
    {"name": "ordinal", "type": "integer"},
    {"name": "start_date", "type": "date"},
    {"name": "attendance", "type": "integer"},
    {"name": "recorded_at", "type": "datetime"},
]
EVENTS = [
    [
        "wpk-6th-conference-of-cell-secretaries",
        "6th Conference of Cell Secretaries of the WPK",
        "conference",
        "6",
        "2021-04-06",
        "10000",
        "2021-04-07T06:00:00",
    ],
    [
        "wpk-8th-cc-2nd-plenary",
        'The "2nd Plenary Meeting"\nof the 8th Central Committee',
        "plenary",
        "2",
        "2021-02-08",
        "",
        "",
    ],
]


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _file_resource(name: str, path: str, data: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "path": path,
        **extra,
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
    }


def make_package(folder: Path, version: str = VERSION) -> Path:
    """Write a small Data Package v2 folder: persons, events and one source text."""
    files = {
        "data/persons.csv": _csv_bytes([f["name"] for f in PERSONS_FIELDS], PERSONS),
        "data/events.csv": _csv_bytes([f["name"] for f in EVENTS_FIELDS], EVENTS),
        "sources/doc-1.txt": b"Pyongyang, April 7 (KCNA) -- The conference opened.\n-0-\n",
    }
    for relative, data in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    table = {"type": "table", "format": "csv", "mediatype": "text/csv"}
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "dprk-records",
        "title": "DPRK Records (test fixture)",
        "version": version,
        "created": "2024-01-01T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [{"title": "doc-1", "path": "sources/doc-1.txt"}],
        "resources": [
            {
                **_file_resource("persons", "data/persons.csv", files["data/persons.csv"], **table),
                "schema": {"fields": PERSONS_FIELDS, "primaryKey": ["person_id"]},
            },
            {
                **_file_resource("events", "data/events.csv", files["data/events.csv"], **table),
                "schema": {"fields": EVENTS_FIELDS, "primaryKey": ["event_id"]},
            },
            _file_resource(
                "doc-1",
                "sources/doc-1.txt",
                files["sources/doc-1.txt"],
                format="txt",
                mediatype="text/plain",
            ),
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")
    return folder


def zip_members(members: dict[str, bytes]) -> bytes:
    """A zip archive of exactly these member names (fixed timestamps, so bytes are stable)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def release_members(package: Path, version: str = VERSION) -> dict[str, bytes]:
    """The members of a release archive of *package*, all under the top folder."""
    top = f"dprk-records-data-{version}"
    members = {f"{top}/README.md": b"# DPRK Records data\n", f"{top}/CHANGELOG.md": b"- first\n"}
    for file in sorted(p for p in package.rglob("*") if p.is_file()):
        members[f"{top}/{file.relative_to(package).as_posix()}"] = file.read_bytes()
    return members


class _Handler(BaseHTTPRequestHandler):
    server: ReleaseServer

    def do_GET(self) -> None:
        srv = self.server
        path = urlsplit(self.path).path
        with srv.lock:
            srv.hits[path] += 1
        body = srv.files.get(path)
        if body is None:
            self.send_error(404)
            return
        time.sleep(srv.delay)
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if srv.modes.get(path) == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


class ReleaseServer(ThreadingHTTPServer):
    """http.server on 127.0.0.1:0 serving bytes by path, counting hits, able to misbehave."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files: dict[str, bytes] = {}
        self.modes: dict[str, str] = {}
        self.hits: Counter[str] = Counter()
        self.delay = 0.0
        self.lock = threading.Lock()
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self._running = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        if self._running:
            self._running = False
            self.shutdown()
            self.server_close()
            self._thread.join()


@dataclass
class Release:
    """One test release world: server, registry file, cache folder, and what was published."""

    server: ReleaseServer
    registry_path: Path
    cache: Path
    package: Path
    version: str = VERSION
    archives: dict[str, bytes] = field(default_factory=dict)

    def path_of(self, version: str) -> str:
        return f"/releases/v{version}/dprk-records-data-{version}.zip"

    def publish(self, version: str, data: bytes, served: bytes | None = None) -> None:
        """Register *data* as release *version*; serve *served* (default: the same bytes)."""
        registry = add_release(
            load_registry(self.registry_path),
            version,
            f"dprk-records-data-{version}.zip",
            hashlib.sha256(data).hexdigest(),
            len(data),
        )
        write_registry(self.registry_path, registry)
        self.archives[version] = data
        self.server.files[self.path_of(version)] = data if served is None else served

    def hits(self, version: str = VERSION) -> int:
        return self.server.hits[self.path_of(version)]

    @property
    def archive(self) -> Path:
        return self.cache / f"dprk-records-data-{self.version}.zip"

    def leftovers(self) -> list[str]:
        """Files and folders in the cache besides lock files."""
        if not self.cache.exists():
            return []
        return sorted(p.name for p in self.cache.iterdir() if not p.name.endswith(".lock"))
