"""Hostile input never becomes markup or a live link: the manifest and `add --url` take only
http(s) URLs, and the viewer escapes every title, name and URL it writes.

The texts, names and URLs here are invented for these tests. Pages are read back with the
standard library's HTML parser: the only script is the viewer's own, no element has an ``on*``
attribute or comes from the data (img, svg, iframe, ...), and every href is either relative
inside the site or an http(s) address.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dprk_records.add.candidate import AddError, Metadata
from dprk_records.cli import main
from dprk_records.errors import SeedError
from dprk_records.pipeline.build import build
from dprk_records.pipeline.manifest import MANIFEST_COLUMNS, parse_manifest, url_problem
from dprk_records.render.loaded import Loaded, load_package
from dprk_records.render.viewer.rows import Site, is_site_href, link, value_html
from dprk_records.render.viewer.site import render_site
from dprk_records.render.viewer.templates import SCRIPT

from .checkouts import ADD_TEXT, make_checkout, tree_bytes
from .viewer_html import read_marked

SCRIPT_TITLE = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
HOSTILE_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "//evil.example/x",
    "/etc/passwd",
    "file:///etc/passwd",
    "https:evil.example",
    "ftp://files.example/text.txt",
    "example.org/no-scheme",
]
# http(s) URLs a manifest may hold whose characters would break out of an unescaped attribute
QUOTING_URLS = [
    'https://news.example/a"onmouseover="alert(1)',
    "https://news.example/<script>alert(1)</script>",
    "HTTPS://News.Example/ok?x=1&y=2#part",
]
TEXT = (
    f"Hostile Meeting {SCRIPT_TITLE} Held\n\n"
    "Pyongyang, May 2 (KCNA) -- A meeting of the Central Committee of the Workers' Party of "
    "Korea was held in Pyongyang on May 1.\n"
    "Pak Tong Sol, secretary of the Central Committee of the Workers' Party of Korea, presided "
    "over the meeting.\n"
    "Present there were Ri Chol Bom and Kang Son Hui.\n"
    f"A banner read {ATTRIBUTE_BREAK} and </textarea><script>alert(2)</script> -- end.\n"
)
# tags the viewer itself writes; anything else in a page came from the data
VIEWER_TAGS = {
    "html", "head", "meta", "title", "style", "body", "nav", "a", "span", "header", "h1", "h2",
    "h3", "p", "br", "code", "main", "div", "aside", "section", "label", "input", "table",
    "caption", "thead", "tbody", "tr", "th", "td", "mark", "blockquote", "footer", "script",
}  # fmt: skip


class PageAudit(HTMLParser):
    """Every tag, attribute, href and script body of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                self.hrefs.append(value or "")
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def audit(page: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(page)
    parser.close()
    return parser


def is_web(href: str) -> bool:
    parts = urlsplit(href)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def assert_no_injection(files: dict[str, bytes]) -> None:
    """What every page of a site must hold whatever the data: see the module doc."""
    assert files
    for name, data in files.items():
        found = audit(data.decode("utf-8"))
        assert found.scripts == [SCRIPT], name  # the viewer's own script, once, unchanged
        assert not found.handlers, (name, found.handlers)
        assert set(found.tags) <= VIEWER_TAGS, (name, set(found.tags) - VIEWER_TAGS)
        for href in found.hrefs:
            assert is_web(href) or is_site_href(href), (name, href)
            assert not urlsplit(href).scheme or is_web(href), (name, href)


def write_seeds(folder: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """Seeds of (document_id, title, publisher, url), each with :data:`TEXT`."""
    folder.mkdir(parents=True)
    data = TEXT.encode("utf-8")
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        for document_id, title, publisher, url in rows:
            (folder / f"{document_id}.txt").write_bytes(data + document_id.encode())
            digest = hashlib.sha256(data + document_id.encode()).hexdigest()
            writer.writerow(
                [document_id, title, publisher, "report", "2024-05-02", "manifest", url, digest]
            )
    return folder


def manifest_text(url: str) -> str:
    """A one-row manifest whose url cell is ``url``, quoted as the csv module quotes it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    writer.writerow(["doc-a", "Title", "KCNA", "report", "", "", url, "a" * 64])
    return out.getvalue()


# -- URLs: the manifest and `add --url` -------------------------------------------------------


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_manifest_refuses_a_url_that_is_not_http(url: str) -> None:
    with pytest.raises(SeedError) as caught:
        parse_manifest(manifest_text(url), "seeds/manifest.csv")
    message = str(caught.value)
    assert message.startswith("seeds/manifest.csv: row 2: url ")
    assert "is not a web address" in message and "http(s)" in message


@pytest.mark.parametrize("url", QUOTING_URLS)
def test_the_manifest_keeps_an_http_url(url: str) -> None:
    assert parse_manifest(manifest_text(url))["doc-a"].url == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "scheme 'javascript:' is not http: or https:"),
        ("https:evil.example", "no host"),
        ("example.org/x", "no scheme"),
        ("java\tscript:alert(1)", "spaces or control characters"),
        ("https://[bad/", "not a well-formed URL"),
    ],
)
def test_a_refused_url_says_why(url: str, reason: str) -> None:
    assert reason in (url_problem(url) or "")


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_add_metadata_refuses_a_url_that_is_not_http(url: str) -> None:
    with pytest.raises(AddError, match=r"is not a web address.*nothing was added"):
        Metadata(url=url)


def test_add_url_javascript_changes_nothing(
    built_package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = make_checkout(tmp_path / "repo", built_package)
    before = tree_bytes(checkout)
    argv = ["add", str(ADD_TEXT), "--checkout", str(checkout), "--url", "javascript:alert(1)"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "dprk-records add: error: --url 'javascript:alert(1)' is not a web address" in err
    assert "Traceback" not in err
    assert tree_bytes(checkout) == before


# -- the viewer: a package built from hostile seeds ------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Loaded, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("hostile")
    seeds = write_seeds(
        root / "seeds",
        [
            ("doc-a", f"{SCRIPT_TITLE} {ATTRIBUTE_BREAK}", ATTRIBUTE_BREAK, QUOTING_URLS[0]),
            ("doc-b", f"Second {ATTRIBUTE_BREAK}", "<b>KCNA</b>", QUOTING_URLS[1]),
        ],
    )
    package = root / "out" / "datapackage"
    build(seeds, package, environ={})
    loaded = load_package(package)
    return loaded, render_site(loaded, "..", ("datapackage.json",))


def test_hostile_seeds_give_a_site_with_no_injection(
    hostile_site: tuple[Loaded, dict[str, bytes]],
) -> None:
    loaded, files = hostile_site
    titles = {row["title"] for row in loaded.rows("documents")}
    assert f"{SCRIPT_TITLE} {ATTRIBUTE_BREAK}" in titles  # the hostile title reached the data
    assert_no_injection(files)
    page = files["documents/doc-a.html"].decode("utf-8")
    assert html.escape(SCRIPT_TITLE) in page and html.escape(ATTRIBUTE_BREAK) in page
    # the text is shown exactly, markup characters and all
    whole, _, _ = read_marked(page)
    assert whole == loaded.texts["doc-a"]
    # an http(s) url with quotes and angle brackets stays one attribute value
    assert f'<a href="{html.escape(QUOTING_URLS[0])}">original</a>' in page
    assert audit(page).hrefs.count(QUOTING_URLS[0]) == 1


# -- the viewer: rows fed straight to its rendering functions ---------------------------------


def hostile_loaded() -> Loaded:
    """Documents with every hostile url, and names, titles and ids that are markup."""
    documents = [
        {
            "document_id": f"d{index}",
            "title": f"{SCRIPT_TITLE} {index}",
            "publisher": ATTRIBUTE_BREAK,
            "document_kind": "report",
            "published": "2024-05-02",
            "date_basis": "manifest",
            "path": url,  # a path that is a URL still links inside the package folder
            "url": url,
            "sha256": ATTRIBUTE_BREAK,
        }
        for index, url in enumerate([*HOSTILE_URLS, *QUOTING_URLS])
    ]
    evil_id = f'p"{ATTRIBUTE_BREAK}'
    tables = {
        "documents": documents,
        "persons": [
            {
                "person_id": evil_id,
                "name": SCRIPT_TITLE,
                "family_name": ATTRIBUTE_BREAK,
                "given_name": "javascript:alert(1)",
            }
        ],
        "person_names": [
            {"document_id": "d0", "start": 0, "end": 8, "person_id": evil_id, "surface": "x"}
        ],
        "positions": [
            {
                "document_id": "d0",
                "start": 0,
                "end": 8,
                "person_id": evil_id,
                "title": ATTRIBUTE_BREAK,
                "position_role": SCRIPT_TITLE,
                "org_id": "javascript:alert(1)",
                "as_of": "2024-05-02",
            }
        ],
        "organizations": [{"org_id": "javascript:alert(1)", "name": SCRIPT_TITLE}],
    }
    descriptor = {
        "title": SCRIPT_TITLE,
        "version": ATTRIBUTE_BREAK,
        "description": ATTRIBUTE_BREAK,
        "resources": [
            {"name": "documents", "type": "table", "description": SCRIPT_TITLE, "schema": {}},
            {"name": ATTRIBUTE_BREAK, "type": "table", "description": SCRIPT_TITLE, "schema": {}},
        ],
    }
    texts = {row["document_id"]: f"{SCRIPT_TITLE} and {ATTRIBUTE_BREAK}" for row in documents}
    return Loaded(descriptor, tables, texts)


def test_rows_fed_directly_give_no_injection() -> None:
    files = render_site(hostile_loaded(), "..", ("datapackage.json", "javascript:alert(1)"))
    assert_no_injection(files)
    pages = {name: data.decode("utf-8") for name, data in files.items()}
    for index, url in enumerate(HOSTILE_URLS):
        page = pages[f"documents/d{index}.html"]
        hrefs = audit(page).hrefs
        assert url not in hrefs and url.strip() not in hrefs, url
        # shown as text, so a reader still sees what the package holds
        assert f"not linked): <code>{html.escape(url)}</code>" in page, url
    for index, url in enumerate(QUOTING_URLS, start=len(HOSTILE_URLS)):
        assert url in audit(pages[f"documents/d{index}.html"]).hrefs, url


def test_link_renders_only_site_and_web_hrefs() -> None:
    for url in HOSTILE_URLS:
        if url != "example.org/no-scheme":  # to link(), a relative path: a page of the site
            assert link(url, "x") == "x", url
    assert link("../persons/a.html#s1-2", "<b>") == '<a href="../persons/a.html#s1-2">&lt;b&gt;</a>'
    assert link(QUOTING_URLS[0], "o") == (
        '<a href="https://news.example/a&quot;onmouseover=&quot;alert(1)">o</a>'
    )
    evil_id = '"><x'
    stem = "id-" + hashlib.sha256(evil_id.encode()).hexdigest()[:16]
    cell_html = value_html(Site(persons={evil_id: "n"}), "person_id", evil_id, "../")
    assert audit(cell_html).hrefs == [f"../persons/{stem}.html"]
    assert cell_html.endswith("&quot;&gt;&lt;x</a>")
