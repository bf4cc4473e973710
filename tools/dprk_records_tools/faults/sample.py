"""Hand-made extraction rows for the seed texts: a few facts of every extraction table.

They replace whatever the extractor wrote, so the faults aimed at persons, positions,
participations, figures and the rest can be exercised on any build of the seeds -- including
one made before the extractor fills those tables. Offsets are found by searching the verbatim
texts, never typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dprk_records.schemas import in_table_order
from dprk_records_tools.faults.tables import Row, read_table, write_table

PLATFORM = "Taking the platform were Jo Yong Won, member of the Presidium"
EVENT = "6th-conference-of-cell-secretaries-of-the-wpk"


class SampleError(LookupError):
    """A phrase the sample rows need is not in the seed texts (the seeds changed)."""


@dataclass(frozen=True)
class Texts:
    """The verbatim texts of a package, searchable by phrase."""

    by_document: dict[str, str]

    @classmethod
    def of(cls, package: Path) -> Texts:
        _, documents = read_table(package, "documents")
        return cls(
            {
                row["document_id"]: (package / row["path"]).read_bytes().decode("utf-8")
                for row in documents
            }
        )

    def find(self, phrase: str, after: tuple[str, int] | None = None) -> tuple[str, int, int]:
        """(document_id, start, end) of the first ``phrase`` (in ``after``'s document past it)."""
        for document_id, text in sorted(self.by_document.items()):
            if after is not None and document_id != after[0]:
                continue
            start = text.find(phrase, after[1] if after else 0)
            if start >= 0:
                return document_id, start, start + len(phrase)
        raise SampleError(f"{phrase!r} is not in the seed texts")


def _span(where: tuple[str, int, int]) -> Row:
    return {"document_id": where[0], "start": str(where[1]), "end": str(where[2])}


def sample_rows(texts: Texts) -> dict[str, list[Row]]:
    """Rows of every extraction table, consistent with each other and with the texts."""
    platform = texts.find(PLATFORM)
    after = (platform[0], platform[1])
    names = {
        "jo-yong-won": ("Jo Yong Won", "Jo", "Yong Won", texts.find("Jo Yong Won", after)),
        "jong-sang-hak": ("Jong Sang Hak", "Jong", "Sang Hak", texts.find("Jong Sang Hak", after)),
        "ri-il-hwan": ("Ri Il Hwan", "Ri", "Il Hwan", texts.find("Ri II Hwan", after)),
    }
    address = texts.find("Kim Jong Un made an opening address")
    kim = (address[0], address[1], address[1] + len("Kim Jong Un"))
    event_phrase = "6th Conference of Cell Secretaries of the Workers' Party of Korea"
    event = texts.find(event_phrase)
    mention = texts.find(event_phrase, (address[0], address[1]))
    central = texts.find("Central Committee of the WPK", after)
    bureau = texts.find("Political Bureau of the Central Committee of the WPK", after)
    member = texts.find(
        "member of the Presidium of the " + "Political Bureau of the Central Committee of the WPK",
        after,
    )
    secretaries = texts.find("secretaries of the Party Central Committee", after)
    report = texts.find("Let's unconditionally and devotedly carry out the five-year plan")
    quote_end = texts.by_document[report[0]].index('"', report[1])
    attendance = texts.find("10 000 persons")
    fulfilment = texts.find("more than 200 percent")
    listing = f"{platform[0]}@{platform[1]}"
    method = {"method": "sample"}
    # fmt: off

    persons = [
        {"person_id": pid, "name": name, "family_name": family, "given_name": given}
        for pid, (name, family, given, _) in [*names.items(), ("kim-jong-un", ("Kim Jong Un", "Kim", "Jong Un", kim))]
    ]
    person_names = [
        {**_span(where), "person_id": pid, "surface": texts.by_document[where[0]][where[1] : where[2]], **method}
        for pid, (_, _, _, where) in [*names.items(), ("kim-jong-un", ("", "", "", kim))]
    ]
    organizations = [
        {"org_id": "wpk-central-committee", "name": "Central Committee of the WPK", "org_kind": "party_body", **_span(central), **method},
        {"org_id": "wpk-political-bureau", "name": "Political Bureau of the Central Committee of the WPK", "org_kind": "party_body", "parent_org_id": "wpk-central-committee", **_span(bureau), **method},
    ]
    positions = [
        {**_span(member), "person_id": "jo-yong-won", "title": "member of the Presidium of the Political Bureau of the Central Committee of the WPK", "position_role": "member", "org_id": "wpk-political-bureau", "status": "held", "as_of": "2021-04-07", **method},
        {**_span(secretaries), "person_id": "jong-sang-hak", "title": "secretary of the Party Central Committee", "position_role": "secretary", "org_id": "wpk-central-committee", "status": "held", "as_of": "2021-04-07", **method},
        {**_span(secretaries), "person_id": "ri-il-hwan", "title": "secretary of the Party Central Committee", "position_role": "secretary", "org_id": "wpk-central-committee", "status": "held", "as_of": "2021-04-07", **method},
    ]
    events = [
        {"event_id": EVENT, "name": "6th Conference of Cell Secretaries of the WPK", "event_kind": "conference", "ordinal": "6", "series": "Conference of Cell Secretaries of the WPK", "organizer_org_id": "wpk-central-committee", "start_date": "2021-04-06", "place": "Pyongyang", "attendance": "10000", "described_in": event[0], **_span(event), **method},
    ]
    event_references = [
        {**_span(mention), "event_id": EVENT, "is_reported": "true", **method},
    ]
    participations = [
        {**_span(where), "event_id": EVENT, "person_id": pid, "role": "platform", "listing": listing, "list_order": str(order), **method}
        for order, (pid, (_, _, _, where)) in enumerate(names.items(), start=1)
    ] + [{**_span(kim), "event_id": EVENT, "person_id": "kim-jong-un", "role": "opening_address", **method}]
    speeches = [
        {"speech_id": "kim-jong-un-opening-address", **_span(address), "event_id": EVENT, "speaker_id": "kim-jong-un", "speech_kind": "opening_address", **method},
    ]
    quotations = [
        {"quote_id": "jo-yong-won-report-title", **_span((report[0], report[1], quote_end)), "text": texts.by_document[report[0]][report[1] : quote_end], "quote_kind": "report_title", "speaker_id": "jo-yong-won", **method},
    ]
    jo = names["jo-yong-won"][3]
    personnel_changes = [  # a post said right after the name: the span states both
        {"change_id": "sample-jo-yong-won-elected", "document_id": jo[0], "start": str(jo[1]), "end": str(member[2]), "person_id": "jo-yong-won", "change": "elected", "post": "member of the Presidium of the Political Bureau of the Central Committee of the WPK", "body_org_id": "wpk-political-bureau", "event_id": EVENT, "effective_date": "2021-04-06", **method},
    ]
    figures = [
        {"figure_id": "conference-participants", **_span(attendance), "value": "10000", "unit": "persons", "measure": "participants", "subject_id": EVENT, **method},
        {"figure_id": "tunneling-plan", **_span(fulfilment), "value": "200", "unit": "percent", "measure": "plan_fulfilment", "qualifier": "more than", **method},
    ]
    # fmt: on
    return {
        "persons": persons,
        "person_names": person_names,
        "organizations": organizations,
        "positions": positions,
        "events": events,
        "event_references": event_references,
        "participations": participations,
        "speeches": speeches,
        "quotations": quotations,
        "figures": figures,
        "personnel_changes": personnel_changes,
    }


def fit_columns(row: Row, columns: list[str]) -> Row:
    """``row`` keyed by ``columns`` (a column the row does not fill is empty); a key that is no
    column is an error, so a sample row follows every renamed field of the schemas."""
    unknown = sorted(set(row) - set(columns))
    if unknown:
        raise SampleError(f"sample row keys {unknown} are not columns {columns}")
    return {column: row.get(column, "") for column in columns}


def add_sample_rows(package: Path) -> None:
    """Replace the extraction tables of a package with the sample rows (re-hashed)."""
    rows = sample_rows(Texts.of(package))
    for table in in_table_order(rows):
        columns, _ = read_table(package, table)
        write_table(package, table, columns, [fit_columns(row, columns) for row in rows[table]])
