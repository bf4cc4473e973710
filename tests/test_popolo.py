"""The Popolo export: its schema, its facts and spans, memberships from personnel changes, the
gate's check; and CITATION.cff."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import check_jsonschema
import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dprk_records.cli import main
from dprk_records.render.loaded import load_package
from dprk_records.render.popolo import (
    COLLECTIONS,
    ENDING_CHANGES,
    STARTING_CHANGES,
    dangling_references,
    popolo_bytes,
    popolo_export,
    popolo_text,
    render_popolo,
)
from dprk_records.schemas import package_meta
from dprk_records.validate import validate_package
from dprk_records_tools.faults.runner import make_checkout
from dprk_records_tools.faults.tables import edit_rows

from .careers import BUREAU_MEMBER, MANAGER
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


def test_the_cli_and_a_release_write_the_export(
    tmp_path: Path, export: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command streams the export an object at a time; the bytes are those of the whole
    document dumped at once, in a file and on standard output."""
    out = tmp_path / "popolo.json"
    assert main(["popolo", str(COMMITTED_PACKAGE), "--out", str(out)]) == 0
    whole = json.dumps(export, indent=2, ensure_ascii=False) + "\n"
    assert out.read_text(encoding="utf-8") == render_popolo(export) == whole
    assert popolo_bytes(load_package(COMMITTED_PACKAGE)) == whole.encode("utf-8")  # a release's
    capsys.readouterr()
    assert main(["popolo", str(COMMITTED_PACKAGE)]) == 0
    assert capsys.readouterr().out == whole


def test_the_cli_writes_nothing_when_a_text_is_not_the_one_recorded(
    package_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Texts are read and checked against their recorded hash only as the notes are quoted,
    but before any of the export is written: a changed text leaves the old file as it was and
    prints nothing."""
    text = sorted((package_copy / "sources").iterdir())[0]
    text.write_bytes(text.read_bytes().replace(b"a", b"o", 1))
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "popolo.json"
    out.write_text("the user's own file\n", encoding="utf-8")
    assert main(["popolo", str(package_copy), "--out", str(out)]) != 0
    assert out.read_text(encoding="utf-8") == "the user's own file\n"
    assert text.name in capsys.readouterr().err
    assert [p.name for p in out.parent.iterdir()] == ["popolo.json"]
    assert main(["popolo", str(package_copy)]) != 0
    assert capsys.readouterr().out == ""


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    meta=st.dictionaries(st.text(max_size=5), _VALUES, max_size=3),
    collections=st.tuples(
        *(
            st.lists(st.dictionaries(st.text(max_size=5), _VALUES, max_size=4), max_size=3)
            for _ in COLLECTIONS
        )
    ),
)
def test_the_text_a_piece_at_a_time_is_json_dumps_of_the_whole(
    meta: dict[str, Any], collections: tuple[list[dict[str, Any]], ...]
) -> None:
    document = {"meta": meta, **dict(zip(COLLECTIONS, collections, strict=True))}
    pieces = popolo_text(meta, zip(COLLECTIONS, collections, strict=True))
    assert "".join(pieces) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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


@pytest.mark.parametrize("constrained", [False, True])
def test_the_check_finds_what_validating_the_whole_export_finds(
    built_package: Path, tmp_path: Path, constrained: bool
) -> None:
    """The check validates one object at a time when the schema puts nothing on a collection
    but its items, else the whole export at once: the findings are jsonschema's on the whole
    export either way, paths and order included."""
    checkout = make_checkout(built_package, REPO, tmp_path / "checkout")
    schema_file = checkout / "schemas" / "popolo.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    if constrained:  # a constraint on a collection itself, which no one object can break
        schema["properties"]["events"]["maxItems"] = 1
    schema["$defs"]["person"]["properties"]["given_name"]["maxLength"] = 5
    schema_file.write_text(json.dumps(schema), encoding="utf-8")

    report = validate_package(checkout / "datapackage", checkout=checkout)
    popolo = next(check for check in report.checks if check.name == "popolo")
    export = popolo_export(load_package(checkout / "datapackage"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(export))
    expected = [f"{'/'.join(str(p) for p in error.path)}: {error.message}" for error in errors[:50]]
    assert len(errors) > 2 and any(e.path[0] == "persons" for e in errors)
    assert any(e.path[0] == "events" for e in errors) == constrained
    assert [f.message for f in popolo.findings if f.rule == "popolo-schema"] == expected


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


@pytest.fixture(scope="module")
def career_export(career_package: Path) -> dict:
    return popolo_export(load_package(career_package))


def test_personnel_changes_that_start_a_post_are_memberships(career_export: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(career_export)
    assert dangling_references(career_export) == []
    by_id = {m["id"]: m for m in career_export["memberships"]}
    elected = by_id["ryo-chang-sik--career-2020-04-c361-448"]
    assert {k: v for k, v in elected.items() if k != "sources"} == {
        "id": "ryo-chang-sik--career-2020-04-c361-448",
        "person_id": "ryo-chang-sik",
        "organization_id": None,  # the Political Bureau is not in the organizations table
        "role": BUREAU_MEMBER,
        "start_date": "2020-04-11",  # the change's effective date
        "end_date": None,
        "as_of": "2020-04-12",  # the text's publication date
    }
    assert [s["url"] for s in elected["sources"]] == ["sources/career-2020-04.txt#char=361,448"]
    assert elected["sources"][0]["note"].endswith(
        '"Ryo Chang Sik was elected a member of the Political Bureau of the WPK Central Committee"'
    )
    appointed = by_id["kim-chol--career-2022-06-c289-353"]
    assert (appointed["organization_id"], appointed["role"]) == (
        "hungnam-fertilizer-complex",
        MANAGER,
    )
    assert appointed["start_date"] is None and appointed["as_of"] == "2022-06-11"


def test_recalls_end_memberships_and_awards_are_none(career_export: dict) -> None:
    ids = [m["id"] for m in career_export["memberships"]]
    from_changes = sorted(i for i in ids if re.search(r"-c[0-9]+-[0-9]+$", i))
    assert from_changes == [
        "kim-chol--career-2022-06-c289-353",
        "ryo-chang-sik--career-2020-04-c361-448",
        "ryo-chang-sik--career-2022-06-c196-287",
    ]  # the award (c355-403) is not a membership
    recalled = {m["id"]: m for m in career_export["memberships"]}[
        "ryo-chang-sik--career-2022-06-c196-287"
    ]
    # a removal ends a membership: its date is an end date, never a start date
    assert (recalled["start_date"], recalled["end_date"]) == (None, "2022-06-10")
    assert recalled["role"] == BUREAU_MEMBER
    roles = {m["role"] for m in career_export["memberships"]}
    assert "Labour Hero" not in roles
    # memberships stay sorted by person, then document and offset of their span
    keys = [
        (m["person_id"], m["sources"][0]["document_id"], m["sources"][0]["start"])
        for m in career_export["memberships"]
    ]
    assert keys == sorted(keys)


def test_the_gate_passes_a_package_with_personnel_changes(career_package: Path) -> None:
    report = validate_package(career_package)
    popolo = next(check for check in report.checks if check.name == "popolo")
    assert popolo.passed and report.valid


def test_a_real_build_exports_each_starting_change_as_a_membership(career_build: Path) -> None:
    """Whatever the extractor gives today: a valid export, one membership per starting change."""
    loaded = load_package(career_build)
    export = popolo_export(loaded)
    jsonschema.Draft202012Validator(SCHEMA).validate(export)
    assert dangling_references(export) == []
    ids = {m["id"] for m in export["memberships"]}
    for row in loaded.rows("personnel_changes"):
        membership = f"{row['person_id']}--{row['change_id']}"
        exported = row["change"] in STARTING_CHANGES | ENDING_CHANGES
        assert (membership in ids) == exported, row
