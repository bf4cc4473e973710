"""The corruptions: one function per way to break a valid package, named after what it breaks.

Each takes a throwaway checkout (``checkout/datapackage`` beside ``seeds/``, ``schemas/`` and
``CHANGELOG.md``), corrupts it, and returns what must catch it: the check's name and, where the
finding can say it, the table and field. A corruption aimed at a table that is still empty raises
:class:`NotApplicable` (the tests skip it with that reason).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprk_records_tools.faults.tables import (
    Row,
    edit_descriptor,
    edit_rows,
    read_descriptor,
    read_table,
    table_resource,
    write_descriptor,
)


@dataclass(frozen=True)
class Expect:
    """What must catch a corruption: a check, and the table and field its finding names."""

    check: str
    table: str | None = None
    field: str | None = None


OPEN_CHECK = "open"
"""The pseudo-check of a package the gate cannot open at all (exit code 2, never a traceback)."""


class NotApplicable(Exception):
    """The corruption needs rows the package does not have (yet)."""


Case = Callable[[Path], Expect]
CASES: list[Case] = []
EXTRACTION: set[str] = set()  # cases that need rows of the extraction tables


def case(function: Case) -> Case:
    CASES.append(function)
    return function


def extraction_case(function: Case) -> Case:
    EXTRACTION.add(function.__name__)
    return case(function)


def _package(checkout: Path) -> Path:
    return checkout / "datapackage"


def _rows(checkout: Path, table: str, minimum: int = 1) -> list[Row]:
    _, rows = read_table(_package(checkout), table)
    if len(rows) < minimum:
        raise NotApplicable(
            f"{table} has {len(rows)} row(s), this corruption needs {minimum}: the extractor "
            "has not filled it yet"
        )
    return rows


def _edit(checkout: Path, table: str, change: Callable[[list[Row]], object]) -> None:
    edit_rows(_package(checkout), table, change)


def _first(rows: list[Row], test: Callable[[Row], bool], what: str) -> Row:
    found = next((row for row in rows if test(row)), None)
    if found is None:
        raise NotApplicable(f"no row with {what}")
    return found


def _give_to_another_person(checkout: Path, table: str) -> None:
    """The first row of ``table`` stored for the last other person of the persons table."""
    people = [row["person_id"] for row in _rows(checkout, "persons")]

    def move(rows: list[Row]) -> None:
        others = [p for p in people if p != rows[0]["person_id"]]
        if not others:
            raise NotApplicable("one person only")
        rows[0]["person_id"] = others[-1]

    _rows(checkout, table)
    _edit(checkout, table, move)


def _verbatim(checkout: Path, document_id: str) -> str:
    return (_package(checkout) / "sources" / f"{document_id}.txt").read_bytes().decode("utf-8")


# -- files: what the gate must not open -----------------------------------------------------------


def _outside_copy(checkout: Path, relative: str) -> Path:
    """A byte-identical copy of a package file outside the package (hashes would agree)."""
    outside = checkout / f"outside-{Path(relative).name}"
    shutil.copyfile(_package(checkout) / relative, outside)
    return outside


@case
def table_file_linked_out_of_the_package(checkout: Path) -> Expect:
    """data/persons.csv a symbolic link to identical bytes outside: the link is refused unread."""
    outside = _outside_copy(checkout, "data/persons.csv")
    link = _package(checkout) / "data" / "persons.csv"
    link.unlink()
    link.symlink_to(outside)
    return Expect("files")


@case
def source_linked_out_of_the_package(checkout: Path) -> Expect:
    """A verbatim text a symbolic link to a file outside, whose bytes no finding may quote."""
    descriptor = read_descriptor(_package(checkout))
    relative = next(s["path"] for s in descriptor["sources"])
    outside = checkout / "secret.txt"
    outside.write_text("a secret line that must never be printed\n", encoding="utf-8")
    link = _package(checkout) / relative
    link.unlink()
    link.symlink_to(outside)
    return Expect("files")


@case
def resource_path_climbs_out(checkout: Path) -> Expect:
    """A resource whose path is ../outside-persons.csv: the same bytes, outside the package."""
    _outside_copy(checkout, "data/persons.csv")
    edit_descriptor(
        _package(checkout),
        lambda d: table_resource(d, "persons").update(path="../outside-persons.csv"),
    )
    return Expect("files")


@case
def resource_path_absolute(checkout: Path) -> Expect:
    outside = _outside_copy(checkout, "data/persons.csv")
    edit_descriptor(
        _package(checkout), lambda d: table_resource(d, "persons").update(path=str(outside))
    )
    return Expect("files")


@case
def table_file_is_a_fifo(checkout: Path) -> Expect:
    """A named pipe in place of a CSV: opening it would block for ever."""
    import os

    if not hasattr(os, "mkfifo"):
        raise NotApplicable("no FIFOs on this system")
    path = _package(checkout) / "data" / "persons.csv"
    path.unlink()
    os.mkfifo(path)
    return Expect("files")


@case
def descriptor_nested_too_deeply(checkout: Path) -> Expect:
    """100 000 nested brackets: the package cannot be opened, and says so (no traceback)."""
    (_package(checkout) / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000)
    return Expect(OPEN_CHECK)


# -- structure: profile, registry, frictionless, rows ---------------------------------------------


@case
def wrong_type(checkout: Path) -> Expect:
    _edit(checkout, "documents", lambda rows: rows[0].update(char_count="21688.5"))
    return Expect("rows", "documents", "char_count")


@case
def enum_violation(checkout: Path) -> Expect:
    _edit(checkout, "documents", lambda rows: rows[0].update(document_kind="tweet"))
    return Expect("rows", "documents", "document_kind")


@case
def duplicate_primary_key(checkout: Path) -> Expect:
    _edit(checkout, "paragraphs", lambda rows: rows.append(dict(rows[0])))
    return Expect("frictionless", "paragraphs")


@case
def descriptor_property_removed(checkout: Path) -> Expect:
    edit_descriptor(_package(checkout), lambda d: d["resources"][0].pop("name"))
    return Expect("profile")


@case
def licence_without_name_or_path(checkout: Path) -> Expect:
    def strip(descriptor: dict[str, Any]) -> None:
        licence = descriptor["licenses"][0]
        licence.pop("name")
        licence.pop("path")

    edit_descriptor(_package(checkout), strip)
    return Expect("profile")


@case
def schema_field_removed(checkout: Path) -> Expect:
    def drop(descriptor: dict[str, Any]) -> None:
        fields = table_resource(descriptor, "documents")["schema"]["fields"]
        fields[:] = [f for f in fields if f["name"] != "url"]

    edit_descriptor(_package(checkout), drop)
    return Expect("registry", "documents")


@case
def json_schema_out_of_sync(checkout: Path) -> Expect:
    path = checkout / "schemas" / "json" / "documents.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"minimum": 1', '"minimum": 2', 1))
    return Expect("registry")


# -- sources --------------------------------------------------------------------------------------


def _first_source(checkout: Path) -> Path:
    return sorted((_package(checkout) / "sources").glob("*.txt"))[0]


@case
def edited_source_byte(checkout: Path) -> Expect:
    path = _first_source(checkout)
    data = bytearray(path.read_bytes())
    data[100] = ord("x") if data[100] != ord("x") else ord("y")
    path.write_bytes(bytes(data))
    return Expect("sources")


@case
def stale_sha256_in_descriptor(checkout: Path) -> Expect:
    edit_descriptor(_package(checkout), lambda d: d["sources"][0].update(sha256="0" * 64))
    return Expect("sources", None, "sources.sha256")


@case
def stale_provenance_input(checkout: Path) -> Expect:
    edit_descriptor(
        _package(checkout), lambda d: d["provenance"]["inputs"][-1].update(sha256="f" * 64)
    )
    return Expect("sources", None, "provenance.inputs.sha256")


@case
def document_sha256_wrong(checkout: Path) -> Expect:
    _edit(checkout, "documents", lambda rows: rows[0].update(sha256="a" * 64))
    return Expect("sources", "documents", "sha256")


@case
def seed_edited_after_build(checkout: Path) -> Expect:
    seed = sorted((checkout / "seeds").glob("*.txt"))[-1]
    seed.write_bytes(seed.read_bytes() + b"\n")
    return Expect("sources")


# -- spans ----------------------------------------------------------------------------------------


def _content_paragraph(rows: list[Row]) -> Row:
    return _first(rows, lambda r: r["is_boilerplate"] == "false" and len(r["text"]) > 40, "text")


@case
def span_moved_by_one_character(checkout: Path) -> Expect:
    def move(rows: list[Row]) -> None:
        row = _content_paragraph(rows)
        row.update(start=str(int(row["start"]) + 1), end=str(int(row["end"]) + 1))

    _edit(checkout, "paragraphs", move)
    return Expect("spans", "paragraphs", "text")


@case
def span_past_the_end(checkout: Path) -> Expect:
    def stretch(rows: list[Row]) -> None:
        row = max(rows, key=lambda r: int(r["end"]))
        row.update(end=str(int(row["end"]) + 5))

    _edit(checkout, "paragraphs", stretch)
    return Expect("spans", "paragraphs", "end")


@case
def char_count_wrong(checkout: Path) -> Expect:
    _edit(checkout, "documents", lambda r: r[0].update(char_count=str(int(r[0]["char_count"]) + 1)))
    return Expect("spans", "documents", "char_count")


@extraction_case
def person_surface_changed(checkout: Path) -> Expect:
    _rows(checkout, "person_names")
    _edit(checkout, "person_names", lambda rows: rows[0].update(surface=rows[0]["surface"] + "n"))
    return Expect("spans", "person_names", "surface")


@extraction_case
def title_changed(checkout: Path) -> Expect:
    _rows(checkout, "positions")
    _edit(checkout, "positions", lambda rows: rows[0].update(title="Vice-Premier of the Cabinet"))
    return Expect("spans", "positions", "title")


@extraction_case
def title_swallows_the_next_name(checkout: Path) -> Expect:
    """A title run on past the next person's name, span and text alike, as a title of a decree's
    "Title Name" lines did before the name-list parser: the words are in the text, the title is
    not its person's."""
    mentions = _rows(checkout, "person_names")

    def swallow(rows: list[Row]) -> None:
        for row in rows:
            after = [
                m
                for m in mentions
                if m["document_id"] == row["document_id"]
                and m["person_id"] != row["person_id"]
                and int(row["end"]) <= int(m["start"]) <= int(row["end"]) + 40
            ]
            if after:
                end = int(after[0]["end"])
                text = _verbatim(checkout, row["document_id"])
                row["end"], row["title"] = str(end), text[int(row["start"]) : end]
                return
        raise NotApplicable("no title with another person's name right after it")

    _rows(checkout, "positions")
    _edit(checkout, "positions", swallow)
    return Expect("titles", "positions", "title")


@extraction_case
def title_moved_to_another_person(checkout: Path) -> Expect:
    """A title given to someone the sentence does not name; every span still says its words."""
    _give_to_another_person(checkout, "positions")
    return Expect("titles", "positions", "person_id")


@extraction_case
def change_post_not_in_its_span(checkout: Path) -> Expect:
    """A personnel change whose post the span does not say (the span names the person only)."""
    _rows(checkout, "personnel_changes")
    _edit(checkout, "personnel_changes", lambda rows: rows[0].update(post="minister of Railways"))
    return Expect("spans", "personnel_changes", "post")


@extraction_case
def change_given_to_another_person(checkout: Path) -> Expect:
    """A change moved to a person its span does not name; the post is still said there."""
    _give_to_another_person(checkout, "personnel_changes")
    return Expect("spans", "personnel_changes", "person_id")


@extraction_case
def title_moved_to_a_person_of_its_sentence(checkout: Path) -> Expect:
    """A title given to another person its own sentence names before it: both are named there,
    every span still says its words, only whose title it is has changed."""
    mentions = _rows(checkout, "person_names")

    def move(rows: list[Row]) -> None:
        for row in rows:
            text = _verbatim(checkout, row["document_id"])
            start = int(row["start"])
            earlier = [
                m
                for m in mentions
                if m["document_id"] == row["document_id"]
                and m["person_id"] != row["person_id"]
                and int(m["end"]) <= start
                and not any(mark in text[int(m["end"]) : start] for mark in ".\n")
            ]
            if earlier:
                row["person_id"] = earlier[0]["person_id"]
                return
        raise NotApplicable("no title with another person named before it in its sentence")

    _rows(checkout, "positions")
    _edit(checkout, "positions", move)
    return Expect("titles", "positions", "person_id")


@extraction_case
def mention_given_to_another_person(checkout: Path) -> Expect:
    """A name mention stored for someone else: the surface is still the text's exact words."""
    _give_to_another_person(checkout, "person_names")
    return Expect("spans", "person_names", "person_id")


@extraction_case
def position_copied_into_another_document(checkout: Path) -> Expect:
    """A title row copied as it is into another document: the same offsets there say other
    words, or none of that person."""
    documents = sorted({row["document_id"] for row in _rows(checkout, "documents")})

    def copy(rows: list[Row]) -> None:
        others = [d for d in documents if d != rows[0]["document_id"]]
        if not others:
            raise NotApplicable("one document only")
        rows.append(rows[0] | {"document_id": others[0]})

    _rows(checkout, "positions")
    _edit(checkout, "positions", copy)
    return Expect("spans", "positions", "title")


@extraction_case
def participation_copied_into_another_document(checkout: Path) -> Expect:
    """A participation copied into another document, its span moved onto a name there (the
    same person's when that document names them): the words hold, but that document reports
    nothing of the event."""
    mentions = _rows(checkout, "person_names")
    referenced = {(r["document_id"], r["event_id"]) for r in _rows(checkout, "event_references")}

    def copy(rows: list[Row]) -> None:
        row = rows[0]
        elsewhere = [
            m
            for m in mentions
            if m["document_id"] != row["document_id"]
            and (m["document_id"], row["event_id"]) not in referenced
        ]
        if not elsewhere:
            raise NotApplicable("no other document that does not speak of the event")
        mention = min(elsewhere, key=lambda m: m["person_id"] != row["person_id"])
        fields = ("document_id", "start", "end", "person_id")
        rows.append(row | {f: mention[f] for f in fields} | {"listing": "", "list_order": ""})

    _rows(checkout, "participations")
    _edit(checkout, "participations", copy)
    return Expect("references", "participations", "event_id")


@extraction_case
def figure_value_changed(checkout: Path) -> Expect:
    def change(rows: list[Row]) -> None:
        rows[0]["value"] = str(float(rows[0]["value"]) + 1).removesuffix(".0")

    _rows(checkout, "figures")
    _edit(checkout, "figures", change)
    return Expect("spans", "figures", "value")


@extraction_case
def person_renamed(checkout: Path) -> Expect:
    claimed = {row["person_id"] for row in _rows(checkout, "participations")}

    def rename(rows: list[Row]) -> None:
        _first(rows, lambda r: r["person_id"] in claimed, "a participant")["name"] = "Pak Pong Ju"

    _edit(checkout, "persons", rename)
    return Expect("spans", "participations", "person_id")


@extraction_case
def event_ordinal_changed(checkout: Path) -> Expect:
    def change(rows: list[Row]) -> None:
        row = _first(rows, lambda r: any(c.isdigit() for c in r["name"]), "a numbered event")
        row["name"] = "".join("7" if c.isdigit() else c for c in row["name"])

    _rows(checkout, "events")
    _edit(checkout, "events", change)
    return Expect("spans", "events", "name")


@extraction_case
def quotation_text_changed(checkout: Path) -> Expect:
    _rows(checkout, "quotations")
    _edit(checkout, "quotations", lambda rows: rows[0].update(text=rows[0]["text"] + " Hurrah!"))
    return Expect("spans", "quotations", "text")


# -- orders ---------------------------------------------------------------------------------------


def _listed(checkout: Path, minimum: int) -> tuple[str, list[Row]]:
    """A listing with at least ``minimum`` distinct orders, and its rows."""
    by_listing: dict[str, list[Row]] = defaultdict(list)
    for row in _rows(checkout, "participations"):
        if row["listing"]:
            by_listing[row["listing"]].append(row)
    for listing, rows in sorted(by_listing.items()):
        if len({row["list_order"] for row in rows}) >= minimum:
            return listing, rows
    raise NotApplicable(f"no listing of {minimum}+ people in participations yet")


def _reorder(checkout: Path, listing: str, change: Callable[[str], str | None]) -> None:
    def apply(rows: list[Row]) -> None:
        for row in rows:
            if row["listing"] == listing:
                new = change(row["list_order"])
                if new is not None:
                    row["list_order"] = new

    _edit(checkout, "participations", apply)


@extraction_case
def swapped_list_order(checkout: Path) -> Expect:
    listing, _ = _listed(checkout, 2)
    _reorder(checkout, listing, lambda order: {"1": "2", "2": "1"}.get(order))
    return Expect("orders", "participations", "list_order")


@extraction_case
def gap_in_list_order(checkout: Path) -> Expect:
    listing, rows = _listed(checkout, 2)
    last = str(max(int(row["list_order"]) for row in rows))
    _reorder(checkout, listing, lambda order: str(int(order) + 1) if order == last else None)
    return Expect("orders", "participations", "list_order")


@extraction_case
def list_order_without_listing(checkout: Path) -> Expect:
    listing, _ = _listed(checkout, 1)

    def unlist(rows: list[Row]) -> None:
        _first(rows, lambda r: r["listing"] == listing, "a listed row")["listing"] = ""

    _edit(checkout, "participations", unlist)
    return Expect("orders", "participations", "list_order")


# -- references -----------------------------------------------------------------------------------


@case
def orphan_foreign_key(checkout: Path) -> Expect:
    _edit(checkout, "corrections", lambda rows: rows[0].update(document_id="999_nope"))
    return Expect("references", "corrections", "document_id")


@extraction_case
def cyclic_parent_org(checkout: Path) -> Expect:
    _rows(checkout, "organizations")
    _edit(checkout, "organizations", lambda rows: rows[0].update(parent_org_id=rows[0]["org_id"]))
    return Expect("references", "organizations", "parent_org_id")


@extraction_case
def nullable_foreign_key_orphan(checkout: Path) -> Expect:
    _rows(checkout, "positions")
    _edit(checkout, "positions", lambda rows: rows[0].update(org_id="no-such-organization"))
    return Expect("references", "positions", "org_id")


@extraction_case
def undeclared_id_orphan(checkout: Path) -> Expect:
    _rows(checkout, "figures")
    _edit(checkout, "figures", lambda rows: rows[0].update(subject_id="no-such-event"))
    return Expect("references", "figures", "subject_id")


# -- corrections ----------------------------------------------------------------------------------


@case
def correction_original_altered(checkout: Path) -> Expect:
    def alter(rows: list[Row]) -> None:
        _first(rows, lambda r: r["correction_kind"] == "ocr", "an OCR repair")["original"] = "Il"

    _edit(checkout, "corrections", alter)
    return Expect("corrections", "corrections", "original")


@case
def correction_dropped(checkout: Path) -> Expect:
    def drop(rows: list[Row]) -> None:
        rows.remove(_first(rows, lambda r: r["correction_kind"] == "ocr", "an OCR repair"))

    _edit(checkout, "corrections", drop)
    return Expect("corrections", "paragraphs", "text")


@case
def paragraph_text_altered(checkout: Path) -> Expect:
    # Only the apostrophe's form changes: the spans check folds it, the corrections check must not.
    def change(rows: list[Row]) -> None:
        row = _first(rows, lambda r: "'" in r["text"], "an apostrophe")
        row["text"] = row["text"].replace("'", "’", 1)

    _edit(checkout, "paragraphs", change)
    return Expect("corrections", "paragraphs", "text")


@case
def boilerplate_flag_flipped(checkout: Path) -> Expect:
    def flip(rows: list[Row]) -> None:
        row = _first(rows, lambda r: r["is_boilerplate"] == "true", "boilerplate")
        row["is_boilerplate"] = "false"

    _edit(checkout, "paragraphs", flip)
    return Expect("corrections", "paragraphs", "is_boilerplate")


# -- version --------------------------------------------------------------------------------------


def _release(checkout: Path, version: str, change: Callable[[dict[str, Any]], object]) -> None:
    """Record the package as released ``version``, with ``change`` made to its descriptor."""
    target = checkout / "releases" / version
    shutil.copytree(_package(checkout), target)
    descriptor = read_descriptor(target)
    descriptor["version"] = version
    change(descriptor)
    write_descriptor(target, descriptor)


@case
def version_not_bumped(checkout: Path) -> Expect:
    version = read_descriptor(_package(checkout))["version"]
    _release(checkout, version, lambda d: d.update(description="An older description."))
    return Expect("version", None, "version")


@case
def version_lower_than_release(checkout: Path) -> Expect:
    _release(checkout, "99.0.0", lambda d: None)
    return Expect("version", None, "version")


@case
def major_change_with_minor_bump(checkout: Path) -> Expect:
    # The last release had one more field; removing a field needs a MAJOR bump.
    def extra_field(descriptor: dict[str, Any]) -> None:
        fields = table_resource(descriptor, "documents")["schema"]["fields"]
        fields.append({"name": "notes", "type": "string"})

    _release(checkout, "0.0.1", extra_field)
    return Expect("version", None, "version")


@case
def changelog_entry_missing(checkout: Path) -> Expect:
    version = read_descriptor(_package(checkout))["version"]
    path = checkout / "CHANGELOG.md"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not (line.startswith("#") and version in line)]
    path.write_text("".join(kept), encoding="utf-8")
    return Expect("version", None, "version")
