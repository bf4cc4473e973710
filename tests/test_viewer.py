"""The evidence viewer without a browser: nesting, exact spans, escaping, links, no network."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from dprk_records.cli import main
from dprk_records.errors import DprkRecordsError
from dprk_records.loader.package import Package
from dprk_records.loader.timeline import describe
from dprk_records.render.loaded import Loaded, load_package
from dprk_records.render.viewer.site import render_site, write_site
from dprk_records.render.viewer.spans import (
    TABLE_KINDS,
    Mark,
    document_marks,
    quote_html,
    render_marked,
)
from dprk_records.validate.context import PackageContext

from .conftest import COMMITTED_PACKAGE, REPORT_ID
from .viewer_html import read_marked


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load_package(COMMITTED_PACKAGE)


@pytest.fixture(scope="module")
def site(loaded: Loaded) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in render_site(loaded).items()}


def marks(*spans: tuple[int, int]) -> list[Mark]:
    rows = tuple([("person_names", {})])
    return sorted((Mark(s, e, "person", rows) for s, e in spans), key=lambda m: (m.start, -m.end))


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Ri II Hwan and Jo", [(0, 10), (3, 5)]),  # nested: a correction inside a name
        ("abcdef", [(0, 6), (0, 3), (3, 6)]),  # two children filling their parent
        ("abcdef", [(0, 4), (2, 6)]),  # crossing: the second is split into fragments
        ("abcdef", [(1, 1), (1, 3)]),  # empty span
        ('a\r\nb <&> "c"', [(0, 3), (4, 9)]),  # CR, markup characters and quotes
        ("abc", [(0, 3), (0, 3)]),  # the same span twice is one element
        ("  \n\n ", [(2, 4)]),  # only whitespace
    ],
)
def test_each_mark_covers_exactly_its_characters(text: str, spans: list[tuple[int, int]]) -> None:
    html_text = f'<div id="text">{render_marked(text, marks(*spans), {})}</div>'
    whole, covered, _ = read_marked(html_text)
    assert whole == text
    for start, end in spans:
        assert covered[f"s{start}-{end}"] == text[start:end]
    opened = re.findall(r"<mark id=", html_text)
    assert len(opened) == len(set(spans))  # one element with the id per span


def test_nested_marks_are_single_elements() -> None:
    text = "Ri II Hwan, secretaries"
    out = render_marked(text, marks((0, 10), (3, 5), (12, 23)), {})
    assert "frag" not in out
    assert out.count("<mark") == 3


def test_every_span_of_the_package_is_highlighted_exactly(
    loaded: Loaded, site: dict[str, str]
) -> None:
    for document_id, text in loaded.texts.items():
        whole, covered, attributes = read_marked(site[f"documents/{document_id}.html"])
        assert whole == text
        expected = {
            (row["start"], row["end"])
            for table in TABLE_KINDS
            for row in loaded.rows(table)
            if row["document_id"] == document_id
        }
        assert {(int(a["data-start"]), int(a["data-end"])) for a in attributes.values()} == expected
        for span, words in covered.items():
            start, end = (int(n) for n in span[1:].split("-"))
            assert words == text[start:end], span


def test_ri_il_hwan_is_a_person_mark_with_his_rows(loaded: Loaded, site: dict[str, str]) -> None:
    page = site[f"documents/{REPORT_ID}.html"]
    _, covered, attributes = read_marked(page)
    assert covered["s3549-3559"] == "Ri II Hwan"
    assert attributes["s3549-3559"]["class"] == "k-person"
    assert "person_names: Ri Il Hwan (spelled “Ri II Hwan”)" in attributes["s3549-3559"]["title"]
    detail = page.split('id="d-s3549-3559"')[1].split("</section>")[0]
    assert (
        "<caption>person_names</caption>" in detail
        and "<caption>participations</caption>" in detail
    )
    assert 'href="../persons/ri-il-hwan.html"' in detail
    marks_here = document_marks(REPORT_ID, loaded.tables, len(loaded.texts[REPORT_ID]))
    inner = next(m for m in marks_here if (m.start, m.end) == (3552, 3554))
    assert inner.kind == "correction"  # "II" repaired to "Il", nested inside the name


def test_person_page_lists_titles_events_and_order(site: dict[str, str]) -> None:
    page = site["persons/ri-il-hwan.html"]
    assert "secretary of the Party Central Committee" in page
    assert "<td>3 of 7</td>" in page  # listed third of the seven on the platform
    assert '<mark class="k-person">Ri II Hwan</mark>' in page
    assert f'href="../documents/{REPORT_ID}.html#s3549-3559"' in page


def test_the_site_loads_nothing_and_links_stay_inside(site: dict[str, str]) -> None:
    names = set(site)
    assert {"index.html", f"documents/{REPORT_ID}.html", "tables/persons.html"} <= names
    for name, page in site.items():
        assert "Content-Security-Policy" in page and "default-src 'none'" in page
        assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\(", page), name
        for href in re.findall(r'href="([^"]*)"', page):
            assert "://" not in href and not href.startswith("/"), (name, href)
            target = href.split("#")[0]
            if target:
                resolved = (Path("/site") / name).parent.joinpath(target).resolve()
                assert resolved.relative_to("/site").as_posix() in names, (name, href)


def test_everything_is_escaped() -> None:
    evil = '<script>alert("x")</script> & "q" \'s'
    descriptor = {
        "title": evil,
        "resources": [{"name": "persons", "type": "table", "description": evil, "schema": {}}],
    }
    tables = {
        "documents": [{"document_id": "d1", "title": evil, "path": "sources/d1.txt"}],
        "persons": [{"person_id": "p", "name": evil, "family_name": evil, "given_name": evil}],
        "person_names": [
            {"document_id": "d1", "start": 0, "end": 8, "person_id": "p", "surface": evil}
        ],
    }
    files = render_site(Loaded(descriptor, tables, {"d1": evil}))
    for name, data in files.items():
        page = data.decode("utf-8")
        assert "<script>alert" not in page, name
        assert page.count("<script>") == 1, name  # the viewer's own, inline
    whole, covered, _ = read_marked(files["documents/d1.html"].decode("utf-8"))
    assert whole == evil and covered["s0-8"] == "<script>"


def test_quotes_show_the_sentence() -> None:
    text = "First one. Taking the platform were A and B. Last."
    start = text.index("A")
    assert quote_html(text, start, start + 1, "person") == (
        'Taking the platform were <mark class="k-person">A</mark> and B.'
    )


def test_view_command_writes_and_replaces_only_its_own_site(tmp_path: Path) -> None:
    out = tmp_path / "viewer"
    assert main(["view", str(COMMITTED_PACKAGE), "--out", str(out)]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "datapackage.json" in index and (out / "documents" / f"{REPORT_ID}.html").is_file()
    assert main(["view", str(COMMITTED_PACKAGE), "--out", str(out)]) == 0  # again: replaced
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(DprkRecordsError, match="not a viewer"):
        write_site({"index.html": b""}, other)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "mine"


def timeline_links(page: str) -> list[tuple[str, str]]:
    """(href, text) of the link in each timeline line's second cell (what), in page order."""
    table = page.split('<table class="list" id="timeline">')[1].split("</table>")[0]
    links = []
    for line in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1]):
        what = re.findall(r"<td>(.*?)</td>", line)[1]
        href, text = re.fullmatch(r'<a href="([^"]*)">([^<]*)</a>', what).groups()
        links.append((html.unescape(href), html.unescape(text)))
    return links


def test_person_page_shows_the_loaders_timeline(site: dict[str, str]) -> None:
    entries = Package(COMMITTED_PACKAGE).timeline("kim-jong-un")
    links = timeline_links(site["persons/kim-jong-un.html"])
    assert [text for _, text in links] == [describe(e) for e in entries]
    assert links[-1] == (
        f"../documents/{REPORT_ID}.html#s2864-2892",
        "title: General Secretary of the WPK (first seen)",
    )
    assert "Career, in date order" in site["persons/kim-jong-un.html"]


@pytest.fixture(scope="module")
def career_site(career_package: Path) -> dict[str, str]:
    files = render_site(load_package(career_package))
    return {name: data.decode("utf-8") for name, data in files.items()}


def test_every_timeline_line_links_to_its_highlighted_span(
    career_package: Path, career_site: dict[str, str]
) -> None:
    entries = Package(career_package).timeline("ryo-chang-sik")
    page = career_site["persons/ryo-chang-sik.html"]
    links = timeline_links(page)
    assert [text for _, text in links] == [describe(e) for e in entries]
    texts = load_package(career_package).texts
    for (href, _), entry in zip(links, entries, strict=True):
        assert href == f"../documents/{entry.document_id}.html#s{entry.start}-{entry.end}"
        _, covered, attributes = read_marked(career_site[f"documents/{entry.document_id}.html"])
        anchor = f"s{entry.start}-{entry.end}"
        assert covered[anchor] == texts[entry.document_id][entry.start : entry.end]
        if entry.kind == "change":
            assert attributes[anchor]["class"] == "k-change"
            assert (
                f"personnel_changes: Ryo Chang Sik: {entry.change}" in attributes[anchor]["title"]
            )
    dates = re.findall(r"<tr><td>([0-9-]+)<br><span class=\"where\">([a-z ]+)</span>", page)
    assert dates == [
        ("2020-04-11", "event began"),
        ("2020-04-11", "took effect"),
        ("2020-04-12", "attested"),
        ("2021-03-02", "event began"),
        ("2021-03-03", "attested"),
        ("2022-06-10", "took effect"),
    ]


def test_the_release_viewer_gives_the_same_person_page(
    career_package: Path, career_site: dict[str, str]
) -> None:
    """A release's viewer is made from the validator's rows (dates as text): same timeline."""
    ctx = PackageContext.open(career_package)
    tables = {str(r["name"]): ctx.rows(str(r["name"])) for r in ctx.table_resources()}
    texts = {doc: ctx.verbatim(doc) or "" for doc in ctx.document_paths()}
    files = render_site(Loaded(ctx.descriptor, tables, texts))
    for person in ("ryo-chang-sik", "kim-chol", "pak-pong-ju"):
        name = f"persons/{person}.html"
        assert files[name].decode("utf-8") == career_site[name], person


def test_a_person_with_no_career_says_so() -> None:
    descriptor = {"title": "t", "resources": []}
    tables = {"persons": [{"person_id": "p", "name": "P", "family_name": "P", "given_name": "Q"}]}
    page = render_site(Loaded(descriptor, tables, {}))["persons/p.html"].decode("utf-8")
    career = page.split("Career, in date order</h2>")[1].split("<h2>")[0]
    assert career == '<p class="meta">None stated.</p>'
