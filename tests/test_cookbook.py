"""Every SQL query of docs/cookbook.md, run on a DuckDB export of the committed package, with its
answers checked against the CSVs (and against rows a test adds to make a known situation)."""

from __future__ import annotations

import csv
import re
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import dprk_records

from .conftest import COMMITTED_PACKAGE, REPO

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

COOKBOOK = REPO / "docs" / "cookbook.md"
EVENT = "6th-conference-of-cell-secretaries-of-the-wpk"
EARLIER = "4th-conference-of-cell-secretaries-of-the-wpk"


def recipes() -> dict[str, str]:
    """The ```sql blocks of the cookbook by their ``-- recipe: NAME`` first line."""
    blocks = re.findall(r"```sql\n(.*?)```", COOKBOOK.read_text(encoding="utf-8"), re.DOTALL)
    named = {}
    for block in blocks:
        first = block.splitlines()[0]
        match = re.fullmatch(r"-- recipe: (\w+)", first)
        assert match, f"a cookbook query must start with '-- recipe: NAME', not {first!r}"
        named[match.group(1)] = block
    assert len(named) == len(blocks)
    return named


def csv_rows(name: str) -> list[dict[str, str]]:
    with (COMMITTED_PACKAGE / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def con(tmp_path: Path) -> Any:
    package = dprk_records.open(path=COMMITTED_PACKAGE)
    connection = duckdb.connect(str(package.to_duckdb(tmp_path / "dprk.duckdb")))
    yield connection
    connection.close()


def take_part(con: Any, person: str, event: str, start: int) -> None:
    """Name *person* at *event* too: a copy of one of their rows with another event and span."""
    con.execute(
        f"INSERT INTO participations SELECT * REPLACE ('{event}' AS event_id, {start} AS start, "
        f"{start + 5} AS \"end\", 'attended' AS role, NULL AS listing, NULL AS list_order) "
        f"FROM participations WHERE person_id = '{person}' LIMIT 1"
    )


def run(con: Any, recipe: str) -> list[tuple[Any, ...]]:
    return con.execute(recipes()[recipe]).fetchall()


def test_the_cookbook_has_the_four_recipes() -> None:
    assert list(recipes()) == ["platform", "titles", "together", "absent"]


def test_platform_comes_in_listed_order_with_titles(con: Any) -> None:
    rows = run(con, "platform")
    persons = {r["person_id"]: r["name"] for r in csv_rows("persons")}
    platform = sorted(
        (int(r["list_order"]), persons[r["person_id"]])
        for r in csv_rows("participations")
        if r["event_id"] == EVENT and r["role"] == "platform"
    )
    assert [(order, name) for order, name, _ in rows] == platform
    assert rows[0][:2] == (1, "Jo Yong Won")
    assert rows[0][2] == (
        "member of the Presidium of the Political Bureau of the Central Committee of the WPK; "
        "secretary for organizational affairs of the Party Central Committee"
    )
    assert all(titles for _, _, titles in rows)  # every platform member's title is stated


def test_titles_come_in_date_order(con: Any) -> None:
    rows = run(con, "titles")
    assert [title for _, title, _, _ in rows] == [
        r["title"] for r in csv_rows("positions") if r["person_id"] == "jo-yong-won"
    ]
    # a later text naming a new title comes after them, an earlier one before
    # (new rows copy an existing one, so a column added to the schema needs no change here)
    for doc, published in (("later-text", "2023-01-02"), ("earlier-text", "2019-12-31")):
        con.execute(
            f"INSERT INTO documents SELECT * REPLACE ('{doc}' AS document_id, "
            f"DATE '{published}' AS published) FROM documents LIMIT 1"
        )
        con.execute(
            f"INSERT INTO positions SELECT * REPLACE ('{doc}' AS document_id, "
            f"'title in {doc}' AS title, NULL AS as_of) FROM positions "
            "WHERE person_id = 'jo-yong-won' LIMIT 1"
        )
    rows = run(con, "titles")
    dates = [seen for seen, _, _, _ in rows]
    assert dates == sorted(dates) and len(rows) == 4
    assert rows[0][1] == "title in earlier-text" and rows[-1][1] == "title in later-text"
    assert str(rows[-1][0]) == "2023-01-02"


def test_who_appeared_with_whom(con: Any) -> None:
    rows = run(con, "together")
    people = sorted({r["person_id"] for r in csv_rows("participations") if r["event_id"] == EVENT})
    assert {(a, b) for a, b, _ in rows} == set(combinations(people, 2))
    assert {n for _, _, n in rows} == {1}  # one event with participants in the package
    # two of them named at a second event as well: that pair now leads the list
    for start, person in enumerate(("jo-yong-won", "kim-jong-un")):
        take_part(con, person, EARLIER, start)
    rows = run(con, "together")
    assert rows[0] == ("jo-yong-won", "kim-jong-un", 2)
    assert all(n == 1 for _, _, n in rows[1:])


def test_who_was_absent_from_a_series_meetings(con: Any) -> None:
    assert run(con, "absent") == []  # only one conference of the series has participants
    take_part(con, "kim-jong-un", EARLIER, 0)
    rows = run(con, "absent")
    persons = {r["person_id"]: r["name"] for r in csv_rows("persons")}
    at_sixth = {r["person_id"] for r in csv_rows("participations") if r["event_id"] == EVENT}
    assert rows == [
        (persons[p], EARLIER) for p in sorted(at_sixth - {"kim-jong-un"}, key=persons.get)
    ]
    assert "Kim Jong Un" not in {name for name, _ in rows}
