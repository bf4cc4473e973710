"""The viewer's page skeleton, style sheet and script: inline, so a page needs nothing else.

No fonts, scripts, styles or images are fetched: a Content-Security-Policy forbids every
network load, and the site opens from ``file://`` with a double click.
"""

from __future__ import annotations

import html

GENERATOR = "dprk-records view"

# kind -> (background, border) of its highlight
COLOURS = {
    "person": ("#ffe28a", "#d4a300"),
    "title": ("#bde8ff", "#3d8fc2"),
    "change": ("#c8f2ee", "#1f8f84"),
    "organization": ("#c6f0c2", "#3f9a37"),
    "event": ("#f9cfe6", "#c2478a"),
    "speech": ("transparent", "#7b52ab"),
    "quotation": ("#ffd3b0", "#d97a26"),
    "figure": ("#ffc2c2", "#c23b3b"),
    "correction": ("#eeeeee", "#777777"),
}

_BASE_CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:#1d1d1f;background:#fafafa}
a{color:#0b5cad}
nav.top{padding:.5rem 1.25rem;background:#23303e;color:#fff}
nav.top a{color:#fff;text-decoration:none;font-weight:600}
nav.top span{opacity:.75;margin-left:.75rem}
header.page,main.page{padding:0 1.25rem}
h1{font-size:1.5rem;margin:1rem 0 .25rem}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
p.meta{color:#555;margin:.25rem 0 1rem}
table.list{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
table.list th,table.list td{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
table.list th{background:#f0f2f5}
table.list td.num{text-align:right}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 24rem;gap:1.25rem;padding:0 1.25rem 2rem}
@media (max-width:900px){.layout{grid-template-columns:1fr}}
.verbatim{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #ddd;
padding:1rem 1.25rem;font:15px/1.75 Georgia,"Times New Roman",serif}
aside{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;padding-top:.5rem}
aside section{background:#fff;border:1px solid #ddd;padding:.5rem .75rem;margin-bottom:.75rem}
aside h2{margin:.25rem 0 .5rem}
.legend label{display:flex;align-items:center;gap:.4rem;margin:.15rem 0;cursor:pointer}
.legend .count{margin-left:auto;color:#666;font-variant-numeric:tabular-nums}
.chip{display:inline-block;padding:0 .35rem;border-radius:3px;font-size:12px;border:1px solid}
.detail h3{font-size:1rem;margin:.5rem 0 .25rem}
.detail .where{color:#666;font-size:12px;font-weight:normal}
table.row{border-collapse:collapse;width:100%;margin:.25rem 0 .75rem;font-size:13px}
table.row caption{text-align:left;font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace}
table.row th,table.row td{border-top:1px solid #eee;padding:.15rem .3rem;vertical-align:top;text-align:left}
table.row td{overflow-wrap:anywhere}
table.row th{color:#555;font-weight:normal;width:8.5rem;font-family:ui-monospace,Menlo,Consolas,monospace}
mark{color:inherit;border-radius:2px;cursor:pointer;box-decoration-break:clone;
-webkit-box-decoration-break:clone}
mark.selected{outline:2px solid #111;outline-offset:1px}
mark.k-correction::before{content:"\\270E";font-size:10px;vertical-align:super;color:#777}
blockquote{margin:.25rem 0;padding:.25rem .75rem;border-left:3px solid #ccc;background:#fff;
font-family:Georgia,"Times New Roman",serif}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
footer{color:#777;font-size:13px;padding:1rem 1.25rem}
"""


def _kind_css() -> str:
    rules = []
    for kind, (background, border) in COLOURS.items():
        line = "solid" if kind != "correction" else "dashed"
        rules.append(
            f".k-{kind}{{background:{background};border-bottom:2px {line} {border}}}"
            f".chip.k-{kind}{{border:1px solid {border}}}"
            f"body.hide-{kind} #text mark.k-{kind}{{background:transparent;border-color:transparent}}"
        )
    return "\n".join(rules)


CSS = _BASE_CSS.strip() + "\n" + _kind_css()

SCRIPT = """
(function () {
  "use strict";
  var text = document.getElementById("text");
  var panel = document.getElementById("details");
  if (!text || !panel) { return; }
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  function clear() {
    each(document.querySelectorAll("mark.selected"), function (m) { m.classList.remove("selected"); });
    each(panel.querySelectorAll(".detail"), function (d) { d.hidden = true; });
  }
  function select(anchor, scroll) {
    if (!/^s[0-9]+-[0-9]+$/.test(anchor)) { return false; }
    var first = document.getElementById(anchor);
    if (!first || !first.hasAttribute("data-span")) { return false; }
    clear();
    var chain = [];
    for (var el = first; el && el !== text; el = el.parentElement) {
      var span = el.getAttribute("data-span");
      if (span && chain.indexOf(span) < 0) { chain.push(span); }
    }
    each(document.querySelectorAll('mark[data-span="' + anchor + '"]'), function (m) {
      m.classList.add("selected");
    });
    chain.forEach(function (span) {
      var detail = document.getElementById("d-" + span);
      if (detail) { detail.hidden = false; panel.appendChild(detail); }
    });
    var hint = document.getElementById("hint");
    if (hint) { hint.hidden = true; }
    if (scroll) { first.scrollIntoView({block: "center"}); }
    try { history.replaceState(null, "", "#" + anchor); } catch (e) { /* file:// may refuse */ }
    return true;
  }
  text.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-span]");
    if (mark) { select(mark.getAttribute("data-span"), false); }
  });
  text.addEventListener("keydown", function (event) {
    var mark = event.target.closest("mark[data-span]");
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(mark.getAttribute("data-span"), false);
    }
  });
  each(document.querySelectorAll(".legend input[data-kind]"), function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-kind"), !box.checked);
    });
  });
  function fromHash() {
    if (location.hash.length > 1) { select(decodeURIComponent(location.hash.slice(1)), true); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
"""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def page(title: str, body: str, root: str, subtitle: str = "") -> str:
    """A whole HTML page: ``root`` is the relative path from the page to the site's top."""
    crumb = f"<span>{html.escape(subtitle)}</span>" if subtitle else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        f'<nav class="top"><a href="{root}index.html">dprk-records evidence viewer</a>{crumb}</nav>\n'
        f"{body}\n"
        "<footer>Generated by <code>dprk-records view</code> from the data package; every "
        "page works offline and loads nothing from the network.</footer>\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
