"""The data card: the README.md of a release, generated from the descriptor and the row counts.

Everything in it comes from the package itself (title, version, tables, sources, licences,
provenance), so it cannot drift from what ships beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _cell(text: Any) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def _tables(descriptor: dict[str, Any], counts: Mapping[str, int]) -> list[str]:
    lines = ["| table | rows | one row is |", "| --- | ---: | --- |"]
    for resource in descriptor.get("resources", []):
        if resource.get("type") == "table":
            name = resource.get("name")
            lines.append(
                f"| `{name}` | {counts.get(name, 0)} | {_cell(resource.get('description'))} |"
            )
    return lines


def _sources(descriptor: dict[str, Any]) -> list[str]:
    lines = ["| file | title | publisher | published | sha256 |", "| --- | --- | --- | --- | --- |"]
    for source in descriptor.get("sources", []):
        lines.append(
            f"| `{source.get('path')}` | {_cell(source.get('title'))} | "
            f"{_cell(source.get('publisher'))} | {_cell(source.get('published'))} | "
            f"`{source.get('sha256')}` |"
        )
    return lines


def _licences(descriptor: dict[str, Any]) -> list[str]:
    return [
        f"- {_cell(lic.get('title') or lic.get('name'))}: <{lic.get('path')}>"
        if lic.get("path")
        else f"- {_cell(lic.get('title') or lic.get('name'))}"
        for lic in descriptor.get("licenses", [])
    ]


def render_datacard(descriptor: dict[str, Any], counts: Mapping[str, int]) -> str:
    """README.md of a release for the package described by ``descriptor``."""
    title = descriptor.get("title", descriptor.get("name", "dprk-records"))
    version = descriptor.get("version", "")
    name = descriptor.get("name", "dprk-records")
    homepage = descriptor.get("homepage", "")
    created = str(descriptor.get("created", ""))
    year = created[:4] if created[:4].isdigit() else "n.d."
    provenance = descriptor.get("provenance", {})
    lines = [
        f"# {title}",
        "",
        f"Version **{version}** of the `{name}` data package"
        + (f", created {created}" if created else "")
        + f", built by {provenance.get('pipeline', name)} {provenance.get('pipeline_version', '')}"
        f" (schema version {provenance.get('schema_version', '?')}).",
        "",
        _cell(descriptor.get("description")),
        "",
        "## Start here",
        "",
        "- `viewer/index.html` -- open it with a double click (it needs no internet and no "
        "server): each source text with every extracted span highlighted by kind (person, title, "
        "organization, event, speech, slogan or quotation, figure, correction) and, on click, the "
        "rows that span produced; one page per person with the career the sources state (titles, "
        "personnel changes, events and listed order, in date order), each line linked to its "
        "sentence; one page per table.",
        "- `data-dictionary.md` -- every table and field: type, constraints, description, an "
        "example value and the row counts.",
        "- `popolo.json` -- persons, organizations, memberships (from `positions`, and from "
        "`personnel_changes` that start or end a post) and events in "
        "the [Popolo](https://www.popoloproject.com/specs/) format, each object with links to the "
        "spans that state it; described by `schemas/popolo.schema.json`.",
        "- `datapackage.json`, `data/*.csv`, `sources/*.txt` -- the package itself (below).",
        "- `CITATION.cff` -- how to cite these data (also below).",
        "",
        "## What the data is",
        "",
        "A [Frictionless Data Package](https://datapackage.org/) (v2): `datapackage.json` describes "
        "every table (types, constraints, keys) and file (bytes, sha256); `data/` holds one CSV "
        "per table (UTF-8, header row, rows sorted by primary key); `sources/` holds the verbatim "
        "source texts; `schemas/` holds the Table Schemas and the JSON Schemas generated from "
        "them.",
        "",
        *_tables(descriptor, counts),
        "",
        "## Sources",
        "",
        "Each source text ships byte for byte as obtained; its sha256 is recorded here and in "
        "`datapackage.json`.",
        "",
        *_sources(descriptor),
        "",
        "## How the facts were extracted",
        "",
        "- The texts are never edited. Normalization (paragraphs, page breaks joined, spacing, OCR "
        'slips such as "Kim II Sung" for "Kim Il Sung", web boilerplate) is recorded row by row '
        "in `corrections`; applying them to a paragraph's verbatim span gives `paragraphs.text`.",
        "- The rules read KCNA's forms of words, not particular names: listing sentences "
        '("Taking the platform were A, TITLE, B and C, TITLES, ..."; "Attending ... were"), where '
        "a plural title goes to every name since the previous title and `list_order` is counted "
        "through all tiers; titles before, after and around a name; predicates that give a part "
        '("presided over", "made a report"); and the lead sentence that says which event a '
        "document reports. Korean names are a family name plus one or two possible syllables.",
        "- Personnel changes are the same parts under a change verb: names before or after "
        '"elected", "appointed", "relieved of", "recalled", "promoted to", "conferred on", with '
        'gapped groups ("A was elected X, B and C members of Y"), rank lists ("To Rear Admiral: '
        'A, B"), honours and their companions; each person and post is one row, its span saying '
        'both. A change told as history ("since he was elected") is none, and a new title seen '
        "only in a listing is a position, not a change.",
        "- Facts are found by named rules over the normalized text. Every fact row carries "
        "`document_id`, `start` and `end` -- Unicode code point offsets into the verbatim text, "
        "end exclusive -- and `method`, the rule that produced it.",
        "- Before release the package passed every check of `dprk-records validate`: the official "
        "Data Package 2.0 profile, frictionless (types, constraints, keys, hashes), every row "
        "against its JSON Schema, and semantic checks: source hashes, each span saying what its "
        "row claims, list orders, references, the corrections, and the Popolo export against "
        "`schemas/popolo.schema.json`.",
        "",
        "## Limits",
        "",
        "- A row records what a source *states* on its date, in the source's words; it is not "
        "an independent verification of the fact.",
        "- Coverage is the documents listed above and nothing else; absence from the tables says "
        "nothing about absence in reality.",
        "- Names and titles are romanized as the sources write them (with OCR slips repaired); "
        "identities are resolved by name within this corpus and may merge namesakes.",
        "- Extraction is rule-based: a form of words the rules do not know yields no row.",
        "- One person spelled two ways (Ri/Lee) gets two ids; foreign names are found only where "
        "a post or a listing frames them.",
        "- Central party, state and army bodies (the WPK, its Central Committee and bureaus, the "
        "Cabinet, ministries, the army) appear in titles but not in `organizations`; the "
        "organizations table keeps the first mention of each unit; a document's roles attach to "
        "the one event it reports first.",
        "- `positions.as_of` is the date a source attests a title, not when the person took it; "
        "the Popolo memberships therefore leave `start_date` empty (null) and give `as_of`.",
        "- `personnel_changes.effective_date` is the date of the meeting, order or decree the "
        "document reports, when the text dates it; a change said without naming the person "
        '("recalled some members") and the people counted in "and 27 others" yield no row; '
        'a post given only by reference ("relieved of his post") is the title the text gave '
        "the person before, and no row when it gave none.",
        "",
        "## Licence",
        "",
        *_licences(descriptor),
        "- Source texts are KCNA's, reproduced verbatim as evidence; see `DATA-LICENSE.md`. Code "
        "is MIT (`LICENSE`).",
        "",
        "## How to cite",
        "",
        "`CITATION.cff` (Citation File Format 1.2.0) ships beside this file; in short:",
        "",
        f"> {name} maintainers ({year}). *{title}*, version {version} [data set]. {homepage}",
        "",
        "```bibtex",
        f"@misc{{{name.replace('-', '_')}_{str(version).replace('.', '_')},",
        f"  title = {{{title}}},",
        f"  author = {{{{{name} maintainers}}}},",
        f"  year = {{{year}}},",
        f"  version = {{{version}}},",
        f"  url = {{{homepage}}},",
        "}",
        "```",
        "",
        "## Checking a fact against its source",
        "",
        "```python",
        "import csv",
        'row = next(csv.DictReader(open("data/paragraphs.csv", encoding="utf-8")))',
        'text = open(f"sources/{row[\'document_id\']}.txt", encoding="utf-8", newline="").read()',
        'print(text[int(row["start"]) : int(row["end"])])',
        "```",
        "",
        "See `CHANGELOG.md` for what changed in each version.",
    ]
    return "\n".join(lines) + "\n"
