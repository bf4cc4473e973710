"""What a release ships for people: viewer, data dictionary, Popolo export, CITATION.cff."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path, PurePosixPath

import jsonschema
import pytest

from dprk_records.publish.cut import cut_release
from dprk_records.render.dictionary import DICTIONARY

from .checkouts import make_checkout
from .conftest import REPO, REPORT_ID, SPEECH_ID


@pytest.fixture(scope="module")
def members(built_package: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The release archive's members, relative to its top folder."""
    checkout = make_checkout(tmp_path_factory.mktemp("extras") / "repo", built_package)
    result = cut_release(
        checkout / "datapackage", checkout, checkout / "dist", allow_dirty=True, environ={}
    )
    top = f"dprk-records-data-{result.version}/"
    with zipfile.ZipFile(result.archive) as archive:
        return {n.removeprefix(top): archive.read(n) for n in archive.namelist()}


def test_the_release_ships_the_people_files(members: dict[str, bytes]) -> None:
    assert {
        "viewer/index.html",
        f"viewer/documents/{REPORT_ID}.html",
        f"viewer/documents/{SPEECH_ID}.html",
        "viewer/persons/ri-il-hwan.html",
        "data-dictionary.md",
        "popolo.json",
        "CITATION.cff",
        "schemas/popolo.schema.json",
    } <= set(members)
    assert members["CITATION.cff"] == (REPO / "CITATION.cff").read_bytes()
    assert members["data-dictionary.md"] == (REPO / DICTIONARY).read_bytes()
    card = members["README.md"].decode("utf-8")
    for words in ("## Start here", "viewer/index.html", "popolo.json", "CITATION.cff", "## Limits"):
        assert words in card


def test_the_released_popolo_file_is_valid(members: dict[str, bytes]) -> None:
    schema = json.loads(members["schemas/popolo.schema.json"])
    document = json.loads(members["popolo.json"])
    jsonschema.Draft202012Validator(schema).validate(document)
    for person in document["persons"]:
        for link in person["sources"]:
            assert link["url"].split("#")[0] in members  # the text it points at ships too


def test_every_viewer_link_resolves_inside_the_release(members: dict[str, bytes]) -> None:
    pages = {name: data.decode("utf-8") for name, data in members.items() if name.endswith(".html")}
    assert all(name.startswith("viewer/") for name in pages)
    targets = set()
    for name, page in pages.items():
        for href in re.findall(r'href="([^"]*)"', page):
            path = href.split("#")[0]
            if not path:
                continue
            parts: list[str] = []
            for part in (*PurePosixPath(name).parent.parts, *PurePosixPath(path).parts):
                if part == "..":
                    parts.pop()
                else:
                    parts.append(part)
            target = "/".join(parts)
            assert target in members, (name, href)
            targets.add(target)
    assert {"datapackage.json", f"sources/{REPORT_ID}.txt", "popolo.json"} <= targets
