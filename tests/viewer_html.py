"""Reading the viewer's HTML back with the standard library's parser, for tests."""

from __future__ import annotations

from html.parser import HTMLParser


class MarkedText(HTMLParser):
    """The text inside an element with id="text", and the text each data-span covers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # element depth inside #text (0: outside)
        self.open: list[str | None] = []  # data-span of each open element inside #text
        self.text: list[str] = []
        self.spans: dict[str, list[str]] = {}
        self.attributes: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if self.depth:
            self.depth += 1
            span = values.get("data-span")
            self.open.append(span)
            if span is not None:
                self.spans.setdefault(span, [])
                self.attributes.setdefault(span, values)
        elif values.get("id") == "text":
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            if self.open and self.depth:
                self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
            for span in {s for s in self.open if s is not None}:
                self.spans[span].append(data)


def read_marked(page: str) -> tuple[str, dict[str, str], dict[str, dict[str, str]]]:
    """(the whole text, data-span -> the characters it covers, data-span -> its attributes)."""
    parser = MarkedText()
    parser.feed(page)
    parser.close()
    spans = {span: "".join(parts) for span, parts in parser.spans.items()}
    return "".join(parser.text), spans, parser.attributes
