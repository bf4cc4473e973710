"""The Popolo export: its schema, its facts and spans, the gate's check; and CITATION.cff."""

from __future__ import annotations

import json
from pathlib import Path

import check_jsonschema
import jsonschema
import pytest
import yaml

from dprk_records.cli import main
from dprk_records.docs.loaded import load_package
from dprk_records.docs.popolo import dangling_references, popolo_export, render_popolo
from dprk_records.faults.tables import edit_rows
from dprk_records.schemas import package_meta
from dprk_records.validate import validate_package

from .conftest import COMMITTED_PACKAGE, REPO, REPORT_ID

SCHEMA = json.loads((REPO / "schemas" / "popolo.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def export() -> dict:
    return popolo_export(load_package(COMMITTED_PACKAGE))


def test_the_export_follows_its_schema(export: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(export)
    assert dangling_references(export) == []
    assert list(export) == ["meta", "persons", "organizations", "memberships", "events"]
    assert export["meta"]["version"] == load_package(COMMITTED_PACKAGE).descriptor["version"]


def test_popolo_field_names(export: dict) -> None:
    wanted = {
        "persons": {"id", "name", "family_name", "given_name", "other_names", "sources"},
        "organizations": {"id", "name", "classification", "parent_id", "sources"},
        "memberships": {"id", "person_id", "organization_id", "role", "start_date", "sources"},
        "events": {"id", "name", "start_date", "end_date", "classification", "sources"},
    }
    for collection, fields in wanted.items():
        assert export[collection], collection
        assert all(fields <= set(item) for item in export[collection]), collection


def test_every_source_link_quotes_its_span(export: dict) -> None:
    texts = load_package(COMMITTED_PACKAGE).texts
    for collection in ("persons", "organizations", "memberships", "events"):
        for item in export[collection]:
            assert item["sources"], item["id"]
            for link in item["sources"]:
                words = texts[link["document_id"]][link["start"] : link["end"]]
                assert link["url"] == (
                    f"sources/{link['document_id']}.txt#char={link['start']},{link['end']}"
                )
                assert f'"{" ".join(words.split())}"' in link["note"]


def test_ri_il_hwan(export: dict) -> None:
    person = next(p for p in export["persons"] if p["id"] == "ri-il-hwan")
    assert (person["name"], person["family_name"], person["given_name"]) == (
        "Ri Il Hwan",
        "Ri",
        "Il Hwan",
    )
    assert person["other_names"] == [{"name": "Ri II Hwan", "note": "spelling in a source text"}]
    membership = next(m for m in export["memberships"] if m["person_id"] == "ri-il-hwan")
    assert membership["role"] == "secretary of the Party Central Committee"
    assert membership["start_date"] is None and membership["as_of"] == "2021-04-07"
    assert membership["sources"][0]["url"] == f"sources/{REPORT_ID}.txt#char=3561,3603"
    assert membership["sources"][0]["note"].endswith('"secretaries of the Party Central Committee"')


def test_organizations_keep_their_chain(export: dict) -> None:
    ids = {o["id"]: o for o in export["organizations"]}
    team = ids["hungnam-fertilizer-complex-water-electrolysis-shop-electrolysis-repair-work-team"]
    assert team["classification"] == "work_team"
    assert ids[team["parent_id"]]["parent_id"] == "hungnam-fertilizer-complex"


def test_the_cli_writes_the_export(tmp_path: Path, export: dict) -> None:
    out = tmp_path / "popolo.json"
    assert main(["popolo", str(COMMITTED_PACKAGE), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_popolo(export)


def test_the_gate_runs_the_popolo_check(package_copy: Path) -> None:
    report = validate_package(package_copy)
    assert report.valid and "popolo" in [check.name for check in report.checks]

    def blank_a_name(rows: list[dict[str, str]]) -> None:
        rows[0]["given_name"] = ""

    edit_rows(package_copy, "persons", blank_a_name)
    report = validate_package(package_copy)
    popolo = next(check for check in report.checks if check.name == "popolo")
    assert not popolo.passed
    finding = popolo.findings[0]
    assert finding.rule == "popolo-schema" and finding.table == "persons"
    assert "persons/0/given_name" in finding.message


def test_citation_cff_is_valid_cff_1_2_0_and_agrees_with_the_package() -> None:
    vendored = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor"
    schema = json.loads((vendored / "citation-file-format.json").read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/1.2.0/schema.json")
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    assert sorted(e.message for e in validator.iter_errors(citation)) == []
    meta = package_meta()
    assert citation["cff-version"] == "1.2.0"
    assert citation["title"] == meta.title
    assert citation["url"] == meta.homepage
    assert citation["license"] == meta.licenses[0]["name"]
