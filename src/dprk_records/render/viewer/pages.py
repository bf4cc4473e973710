"""The viewer's index, document and table pages, as HTML text (pure functions over rows)."""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

from dprk_records.render.loaded import Loaded, cell
from dprk_records.render.viewer.rows import (
    Site,
    file_href,
    file_stem,
    is_web_href,
    link,
    row_table,
    single_key,
    span_href,
    summary,
    value_html,
)
from dprk_records.render.viewer.spans import KINDS, TABLE_KINDS, Mark, document_marks, render_marked
from dprk_records.render.viewer.templates import page

ROOT = "../"
HEADING_WIDTH = 80  # characters of a span quoted above its rows


def _chip(kind: str) -> str:
    return f'<span class="chip k-{kind}">{html.escape(KINDS[kind])}</span>'


def _detail(site: Site, text: str, mark: Mark) -> str:
    quote = " ".join(text[mark.start : mark.end].split())
    if len(quote) > HEADING_WIDTH:
        quote = quote[: HEADING_WIDTH - 1].rstrip() + "…"
    head = (
        f"<h3>{_chip(mark.kind)} “{html.escape(quote)}” "
        f'<span class="where">characters {mark.start}–{mark.end}</span></h3>'
    )
    tables = "".join(row_table(site, table, row, ROOT) for table, row in mark.rows)
    return f'<section class="detail" id="d-{mark.anchor}" hidden>{head}{tables}</section>'


def _legend(marks: list[Mark]) -> str:
    counts = Counter(kind for mark in marks for kind in mark.kinds)
    boxes = "".join(
        f'<label><input type="checkbox" data-kind="{kind}" checked>{_chip(kind)}'
        f'<span class="count">{counts.get(kind, 0)}</span></label>'
        for kind in KINDS
    )
    return f'<section class="legend"><h2>Highlights</h2>{boxes}</section>'


def _original(url: str) -> list[str]:
    """The document's url: a link when it is an http(s) address, else shown as text only (a
    package built before the manifest refused such urls, or edited by hand, may hold one)."""
    if not url:
        return []
    if is_web_href(url):
        return [link(url, "original")]
    return [f"original (not an http(s) address, not linked): <code>{html.escape(url)}</code>"]


def document_page(loaded: Loaded, site: Site, document: dict[str, Any]) -> str:
    """One document: its verbatim text with every span highlighted, and the rows on click."""
    document_id = cell(document.get("document_id"))
    text = loaded.texts.get(document_id, "")
    marks = document_marks(document_id, site.document_rows(document_id), len(text))
    titles = {
        m.anchor: "\n".join(summary(site, table, row) for table, row in m.rows) for m in marks
    }
    facts = [
        f"<code>{html.escape(document_id)}</code>",
        html.escape(cell(document.get("publisher")) or "publisher unknown"),
        html.escape(cell(document.get("document_kind"))),
        "published "
        + html.escape(cell(document.get("published")) or "unknown")
        + f" ({html.escape(cell(document.get('date_basis')))})",
        f"{len(text)} characters",
    ]
    if site.package_href is not None and document.get("path"):
        href = file_href(ROOT, site.package_href, cell(document.get("path")))
        facts.append(link(href, "verbatim text file"))
    facts.extend(_original(cell(document.get("url"))))
    header = (
        f'<header class="page"><h1>{html.escape(cell(document.get("title")))}</h1>'
        f'<p class="meta">{" · ".join(facts)}<br>sha256 <code>'
        f"{html.escape(cell(document.get('sha256')))}</code></p></header>"
    )
    details = "".join(_detail(site, text, mark) for mark in marks)
    body = (
        f'{header}<div class="layout"><main><div id="text" class="verbatim">'
        f"{render_marked(text, marks, titles)}</div></main>"
        f"<aside>{_legend(marks)}"
        f'<section id="details"><h2>Rows</h2><p id="hint">Click a highlighted span to see '
        f"the row(s) it produced; hover for a summary.</p>{details}</section></aside></div>"
    )
    return page(cell(document.get("title")), body, ROOT, document_id)


def table_page(loaded: Loaded, site: Site, resource: dict[str, Any]) -> str:
    """Every row of one table; ids link to their pages, spans to their place in the text."""
    name = cell(resource.get("name"))
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    fields = [cell(f.get("name")) for f in schema.get("fields", [])]
    key = single_key(schema)
    rows = loaded.rows(name)
    head = "".join(f"<th>{html.escape(f)}</th>" for f in fields)
    lines = []
    for row in rows:
        anchor = f' id="row-{html.escape(file_stem(cell(row.get(key))))}"' if key else ""
        cells = []
        for f in fields:
            value = value_html(site, f, row.get(f), ROOT)
            if f in ("start", "end") and name in TABLE_KINDS:
                value = link(span_href(row, ROOT), cell(row.get(f)))
            numeric = isinstance(row.get(f), int | float) and not isinstance(row.get(f), bool)
            cells.append(f"<td{' class=num' if numeric else ''}>{value}</td>")
        lines.append(f"<tr{anchor}>{''.join(cells)}</tr>")
    body = (
        f'<header class="page"><h1>{html.escape(name)}</h1><p class="meta">'
        f"{html.escape(cell(resource.get('description')))} {len(rows)} rows.</p></header>"
        f'<main class="page"><table class="list"><thead><tr>{head}</tr></thead><tbody>'
        f"{''.join(lines)}</tbody></table></main>"
    )
    return page(f"{name} — dprk-records", body, ROOT, f"table {name}")


def _documents_list(loaded: Loaded, site: Site) -> str:
    rows = []
    for document in loaded.rows("documents"):
        document_id = cell(document.get("document_id"))
        text = loaded.texts.get(document_id, "")
        marks = document_marks(document_id, site.document_rows(document_id), len(text))
        counts = Counter(m.kind for m in marks)
        spans = ", ".join(f"{counts[k]} {KINDS[k]}" for k in KINDS if counts.get(k))
        href = f"documents/{file_stem(document_id)}.html"
        rows.append(
            f"<tr><td>{link(href, cell(document.get('title')))}</td><td><code>{html.escape(document_id)}</code></td>"
            f"<td>{html.escape(cell(document.get('published')))}</td>"
            f"<td>{html.escape(cell(document.get('document_kind')))}</td>"
            f"<td>{html.escape(spans)}</td></tr>"
        )
    return (
        '<table class="list" id="documents"><thead><tr><th>document</th><th>id</th>'
        "<th>published</th><th>kind</th><th>highlighted spans</th></tr></thead><tbody>"
        f"{''.join(rows)}</tbody></table>"
    )


def _persons_list(loaded: Loaded) -> str:
    titles = Counter(cell(r.get("person_id")) for r in loaded.rows("positions"))
    parts = Counter(cell(r.get("person_id")) for r in loaded.rows("participations"))
    rows = []
    for person in sorted(loaded.rows("persons"), key=lambda p: cell(p.get("name"))):
        person_id = cell(person.get("person_id"))
        href = f"persons/{file_stem(person_id)}.html"
        rows.append(
            f"<tr><td>{link(href, cell(person.get('name')))}</td>"
            f"<td class=num>{titles[person_id]}</td><td class=num>{parts[person_id]}</td></tr>"
        )
    return (
        '<table class="list" id="persons"><thead><tr><th>person</th><th>titles stated</th>'
        f"<th>parts in events</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _tables_list(loaded: Loaded) -> str:
    rows = []
    for resource in loaded.table_resources():
        name = cell(resource.get("name"))
        rows.append(
            f"<tr><td>{link(f'tables/{file_stem(name)}.html', name)}</td>"
            f"<td class=num>{len(loaded.rows(name))}</td>"
            f"<td>{html.escape(cell(resource.get('description')))}</td></tr>"
        )
    return (
        '<table class="list" id="tables"><thead><tr><th>table</th><th>rows</th><th>one row is'
        f"</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def index_page(loaded: Loaded, site: Site) -> str:
    """The start page: the package, its documents, persons and tables."""
    descriptor = loaded.descriptor
    extra = ""
    if site.package_href is not None and site.package_files:
        files = ", ".join(
            link(file_href(site.package_href, name), name) for name in site.package_files
        )
        extra = f" Files: {files}."
    legend = " ".join(_chip(kind) for kind in KINDS)
    body = (
        f'<header class="page"><h1>{html.escape(cell(descriptor.get("title")))}</h1>'
        f'<p class="meta">Version {html.escape(cell(descriptor.get("version")))}, created '
        f"{html.escape(cell(descriptor.get('created')))}. "
        f"{html.escape(cell(descriptor.get('description')))}{extra}</p></header>"
        '<main class="page"><h2>Documents</h2><p>Each document page shows the verbatim text with '
        f"every extracted span highlighted by kind: {legend}. Click a span to see the rows it "
        "produced.</p>"
        f"{_documents_list(loaded, site)}<h2>Persons</h2>{_persons_list(loaded)}"
        f"<h2>Tables</h2>{_tables_list(loaded)}</main>"
    )
    return page(cell(descriptor.get("title")) or "dprk-records", body, "")
