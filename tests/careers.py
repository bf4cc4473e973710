"""A small package with known careers: three invented KCNA texts, built, with fixed fact rows.

The texts are built by the project's own build (documents, sources, persons, events and
organizations come from the real pipeline). The person-fact tables (positions, participations
and personnel_changes) are then rewritten from :data:`FACTS` with the project's own table writer,
which re-hashes each file in the descriptor. The seeds name no personnel change and the change
extractor is still being tuned, so pinning these rows keeps the golden timelines independent of
extractor changes (the ``career_build`` fixture is the same texts as the extractor alone gives
them). Every span is found in the text by its words, never typed as numbers. Each change
sentence names one person, so, as the schema says, its row has no listing and no list_order.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from dprk_records.pipeline.build import build
from dprk_records.pipeline.manifest import MANIFEST_COLUMNS
from dprk_records_tools.faults.tables import read_table, write_table

MEETING = "meeting-of-the-political-bureau-of-the-central-committee-of-the-wpk"
VISIT = "visit-to-the-hungnam-fertilizer-complex"
PLENUM = "5th-plenary-meeting-of-the-8th-central-committee-of-the-wpk"
COMPLEX = "hungnam-fertilizer-complex"
BUREAU_MEMBER = "member of the Political Bureau of the WPK Central Committee"
MANAGER = "manager of the Hungnam Fertilizer Complex"

# document id -> (headline, publication date, text)
TEXTS = {
    "career-2020-04": (
        "Meeting of Political Bureau of WPK Central Committee Held",
        "2020-04-12",
        "Meeting of Political Bureau of WPK Central Committee Held\n\n"
        "Pyongyang, April 12 (KCNA) -- A meeting of the Political Bureau of the Central Committee "
        "of the Workers' Party of Korea was held in Pyongyang on April 11.\n"
        "Kim Jong Un, chairman of the Workers' Party of Korea, presided over the meeting.\n"
        "Present there were Choe Ryong Hae, Pak Pong Ju and Ryo Chang Sik.\n"
        "Ryo Chang Sik was elected a member of the Political Bureau of the WPK Central Committee.\n",
    ),
    "career-2021-03": (
        "Hungnam Fertilizer Complex Visited",
        "2021-03-03",
        "Hungnam Fertilizer Complex Visited\n\n"
        "Pyongyang, March 3 (KCNA) -- Ryo Chang Sik, member of the Political Bureau of the WPK "
        "Central Committee, visited the Hungnam Fertilizer Complex on March 2.\n"
        "He was accompanied by Kim Chol, manager of the Hungnam Fertilizer Complex.\n",
    ),
    "career-2022-06": (
        "Enlarged Plenary Meeting of WPK Central Committee Concludes",
        "2022-06-11",
        "Enlarged Plenary Meeting of WPK Central Committee Concludes\n\n"
        "Pyongyang, June 11 (KCNA) -- The 5th Plenary Meeting of the 8th Central Committee of the "
        "Workers' Party of Korea concluded on June 10.\n"
        "Ryo Chang Sik was recalled as a member of the Political Bureau of the WPK Central "
        "Committee.\n"
        "Kim Chol was appointed manager of the Hungnam Fertilizer Complex.\n"
        "Pak Pong Ju was awarded the title of Labour Hero.\n",
    ),
}


@dataclass(frozen=True)
class Span:
    """Words of a text located by a phrase: the ``occurrence``-th (1-based) match of ``words``,
    optionally run on to the end of ``through`` (the first match of it at or after the start)."""

    document_id: str
    words: str
    occurrence: int = 1
    through: str | None = None

    def offsets(self) -> tuple[int, int]:
        text = TEXTS[self.document_id][2]
        start = -1
        for _ in range(self.occurrence):
            start = text.index(self.words, start + 1)
        if self.through is None:
            return start, start + len(self.words)
        return start, text.index(self.through, start) + len(self.through)

    def cells(self) -> dict[str, str]:
        start, end = self.offsets()
        return {"document_id": self.document_id, "start": str(start), "end": str(end)}


def _listing(document_id: str, sentence: str) -> str:
    return f"{document_id}@{TEXTS[document_id][2].index(sentence)}"


def _position(span: Span, person: str, title: str, role: str, org: str, method: str) -> dict:
    as_of = TEXTS[span.document_id][1]
    return {
        **span.cells(),
        "person_id": person,
        "title": title,
        "position_role": role,
        "org_id": org,
        "status": "held",
        "as_of": as_of,
        "method": method,
    }


def _part(span: Span, event: str, person: str, role: str, listing: str, order: str) -> dict:
    return {
        **span.cells(),
        "event_id": event,
        "person_id": person,
        "role": role,
        "listing": listing,
        "list_order": order,
        "method": f"fixture-{role}",
    }


def _change(span: Span, person: str, change: str, post: str, **more: str) -> dict:
    start, end = span.offsets()
    return {
        "change_id": f"{span.document_id}-c{start}-{end}",
        **span.cells(),
        "person_id": person,
        "change": change,
        "post": post,
        "method": f"fixture-{change}",
        **more,
    }


A, B, C = "career-2020-04", "career-2021-03", "career-2022-06"
PRESENT = _listing(A, "Present there were")
ACCOMPANIED = _listing(B, "He was accompanied")

FACTS: dict[str, list[dict[str, str]]] = {
    "positions": [
        _position(
            Span(A, "chairman of the Workers' Party of Korea"),
            "kim-jong-un",
            "chairman of the Workers' Party of Korea",
            "chairman",
            "",
            "appositive-title",
        ),
        _position(
            Span(A, BUREAU_MEMBER), "ryo-chang-sik", BUREAU_MEMBER, "member", "", "elected-title"
        ),
        _position(
            Span(B, BUREAU_MEMBER), "ryo-chang-sik", BUREAU_MEMBER, "member", "", "appositive-title"
        ),
        _position(Span(B, MANAGER), "kim-chol", MANAGER, "manager", COMPLEX, "listing-title-after"),
        _position(Span(C, MANAGER), "kim-chol", MANAGER, "manager", COMPLEX, "elected-title"),
    ],
    "participations": [
        _part(Span(A, "Kim Jong Un"), MEETING, "kim-jong-un", "presided", "", ""),
        _part(Span(A, "Choe Ryong Hae"), MEETING, "choe-ryong-hae", "attended", PRESENT, "1"),
        _part(Span(A, "Pak Pong Ju"), MEETING, "pak-pong-ju", "attended", PRESENT, "2"),
        _part(Span(A, "Ryo Chang Sik"), MEETING, "ryo-chang-sik", "attended", PRESENT, "3"),
        _part(Span(B, "Ryo Chang Sik"), VISIT, "ryo-chang-sik", "guided", "", ""),
        _part(Span(B, "Kim Chol"), VISIT, "kim-chol", "accompanied", ACCOMPANIED, "1"),
    ],
    "personnel_changes": [
        _change(
            Span(A, "Ryo Chang Sik", 2, "Central Committee"),
            "ryo-chang-sik",
            "elected",
            BUREAU_MEMBER,
            event_id=MEETING,
            effective_date="2020-04-11",
        ),
        _change(
            Span(C, "Ryo Chang Sik", 1, "Committee"),
            "ryo-chang-sik",
            "recalled",
            BUREAU_MEMBER,
            event_id=PLENUM,
            effective_date="2022-06-10",
        ),
        _change(
            Span(C, "Kim Chol", 1, "Complex"), "kim-chol", "appointed", MANAGER, body_org_id=COMPLEX
        ),
        _change(Span(C, "Pak Pong Ju", 1, "Labour Hero"), "pak-pong-ju", "awarded", "Labour Hero"),
    ],
}


def write_seeds(folder: Path) -> Path:
    """The three texts and their manifest in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    header = list(MANIFEST_COLUMNS)
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for document_id, (title, published, text) in TEXTS.items():
            data = text.encode("utf-8")
            (folder / f"{document_id}.txt").write_bytes(data)
            digest = hashlib.sha256(data).hexdigest()
            writer.writerow(
                [document_id, title, "KCNA", "report", published, "dateline+manifest", "", digest]
            )
    return folder


def make_career_package(root: Path) -> Path:
    """Build the texts into ``root/out/datapackage`` (seeds beside it, in ``root/seeds``, so the
    gate does not take ``root`` for a checkout) and pin the fact rows; returns the package."""
    package = root / "out" / "datapackage"
    build(write_seeds(root / "seeds"), package, environ={})
    for table, rows in FACTS.items():
        columns, _ = read_table(package, table)
        write_table(package, table, columns, rows)
    events = {row["event_id"]: row for row in read_table(package, "events")[1]}
    organizations = {row["org_id"] for row in read_table(package, "organizations")[1]}
    missing = {MEETING, VISIT, PLENUM} - set(events)
    if missing or COMPLEX not in organizations:
        raise AssertionError(
            f"the build no longer gives the events or units the fixture names ({sorted(missing)}, "
            f"{COMPLEX}): update tests/careers.py to the extractor's new ids"
        )
    return package
