"""One page per person: the career in date order, titles held, events and listed order, speeches
and every mention, each with the sentence that states it.

The career is the loader's own timeline (:func:`dprk_records.loader.timeline.career`), so the page
shows exactly what ``Package.timeline`` and ``dprk-records timeline`` give."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping
from typing import Any

from dprk_records.loader.timeline import TimelineEntry, career, describe, title_status
from dprk_records.render.loaded import Loaded, Rows, cell
from dprk_records.render.viewer.rows import Site, link, span_href, value_html
from dprk_records.render.viewer.spans import quote_html, span_of
from dprk_records.render.viewer.templates import page

ROOT = "../"


def _order(row: Mapping[str, Any]) -> tuple[str, str, int]:
    start = row.get("start")
    return (
        cell(row.get("as_of")),
        cell(row.get("document_id")),
        start if isinstance(start, int) else -1,
    )


def _evidence(loaded: Loaded, site: Site, row: Mapping[str, Any], kind: str) -> str:
    """The sentence stating a row, its span marked, linked to its place in the document."""
    document = cell(row.get("document_id"))
    text = loaded.texts.get(document, "")
    span = span_of(row)
    if span is None or span[1] > len(text):
        return '<span class="empty">—</span>'
    title = site.documents.get(document, document)
    where = link(span_href(row, ROOT), "in context")
    return (
        f"<blockquote>{quote_html(text, span[0], span[1], kind)}</blockquote>"
        f'<span class="where">{html.escape(title)} · {where}</span>'
    )


def _table(headers: list[str], rows: list[list[str]], table_id: str) -> str:
    if not rows:
        return '<p class="meta">None stated.</p>'
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="list" id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


DATE_BASIS = {
    "as_of": "attested",
    "effective_date": "took effect",
    "event_start": "event began",
    "published": "text published",
}


def _timeline_line(site: Site, entry: TimelineEntry) -> list[str]:
    """Date, what (linked to the highlighted span stating it) and the document."""
    date = cell(entry.date) or "undated"
    basis = DATE_BASIS.get(entry.date_basis or "", "")
    span = {"document_id": entry.document_id, "start": entry.start, "end": entry.end}
    document = site.documents.get(entry.document_id, entry.document_id)
    return [
        f'{html.escape(date)}<br><span class="where">{html.escape(basis)}</span>',
        link(span_href(span, ROOT), describe(entry)),
        link(site.href("document_id", entry.document_id, ROOT), document),
    ]


def _timeline(site: Site, person_id: str) -> str:
    entries = career(
        site.person_rows(person_id, "positions"),
        site.person_rows(person_id, "personnel_changes"),
        site.person_rows(person_id, "participations"),
        site.timeline_sources,
    )
    lines = [_timeline_line(site, entry) for entry in entries]
    return _table(["date", "what (click for the sentence)", "stated in"], lines, "timeline")


def _titles(loaded: Loaded, site: Site, rows: Rows) -> str:
    return _table(
        ["title", "status", "class", "unit", "as of", "stated in"],
        [
            [
                html.escape(cell(r.get("title"))),
                html.escape(title_status(r)),
                html.escape(cell(r.get("position_role"))),
                value_html(site, "org_id", r.get("org_id"), ROOT),
                html.escape(cell(r.get("as_of"))),
                _evidence(loaded, site, r, "title"),
            ]
            for r in sorted(rows, key=_order)
        ],
        "titles",
    )


def _events(loaded: Loaded, site: Site, rows: Rows) -> str:
    sizes = site.listing_sizes
    lines = []
    for r in sorted(rows, key=_order):
        listing = cell(r.get("listing"))
        order = f"{cell(r.get('list_order'))} of {sizes[listing]}" if r.get("list_order") else "—"
        event = cell(r.get("event_id"))
        lines.append(
            [
                link(site.href("event_id", event, ROOT), site.events.get(event, event)),
                html.escape(cell(r.get("role"))),
                html.escape(order),
                _evidence(loaded, site, r, "person"),
            ]
        )
    return _table(["event", "part", "listed order", "stated in"], lines, "events")


def _speeches(loaded: Loaded, site: Site, rows: Rows) -> str:
    lines = []
    for r in sorted(rows, key=_order):
        event = cell(r.get("event_id"))
        lines.append(
            [
                html.escape(cell(r.get("speech_kind"))),
                html.escape(cell(r.get("speech_title")) or "—"),
                link(site.href("event_id", event, ROOT), site.events.get(event, event) or "—"),
                value_html(site, "full_text_document_id", r.get("full_text_document_id"), ROOT),
                _evidence(loaded, site, r, "speech"),
            ]
        )
    return _table(["kind", "title", "event", "full text", "stated in"], lines, "speeches")


def _mentions(loaded: Loaded, site: Site, rows: Rows) -> str:
    return _table(
        ["spelled", "sentence"],
        [
            [html.escape(cell(r.get("surface"))), _evidence(loaded, site, r, "person")]
            for r in sorted(rows, key=_order)
        ],
        "mentions",
    )


def person_page(loaded: Loaded, site: Site, person: Mapping[str, Any]) -> str:
    """The page of one person."""
    person_id = cell(person.get("person_id"))

    def own(table: str) -> Rows:
        return site.person_rows(person_id, table)

    mentions = own("person_names")
    spellings = Counter(cell(r.get("surface")) for r in mentions)
    spelled = ", ".join(
        f"“{html.escape(s)}” ({n}×)" for s, n in sorted(spellings.items(), key=lambda i: i[0])
    )
    body = (
        f'<header class="page"><h1>{html.escape(cell(person.get("name")))}</h1>'
        f'<p class="meta"><code>{html.escape(person_id)}</code> · family name '
        f"{html.escape(cell(person.get('family_name')))} · given name "
        f"{html.escape(cell(person.get('given_name')))} · spelled in the sources: "
        f"{spelled or '—'}</p></header>"
        '<main class="page">'
        f"<h2>Career, in date order</h2>{_timeline(site, person_id)}"
        f"<h2>Titles, as the sources state them (held, or only referred to)</h2>{_titles(loaded, site, own('positions'))}"
        f"<h2>Events</h2>{_events(loaded, site, own('participations'))}"
        f"<h2>Speeches and reports</h2>"
        f"{_speeches(loaded, site, own('speeches'))}"
        f"<h2>Every mention</h2>{_mentions(loaded, site, mentions)}</main>"
    )
    return page(f"{cell(person.get('name'))} — dprk-records", body, ROOT, "person")
