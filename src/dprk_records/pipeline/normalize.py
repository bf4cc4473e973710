"""Normalize stage: verbatim text -> paragraphs of clean text, every repair recorded as an Edit.

Rules, each named (the name lands in corrections.rule):
- page-break:   a paragraph that stops mid-sentence and one that goes on in lower case are one
                paragraph; the blank lines between them become a space.
- line-break:   a hard line break inside a paragraph becomes a space.
- space-before-punct, repeated-space: "Kim Jong Un ," -> "Kim Jong Un,"; runs of spaces -> one.
- backtick-apostrophe: "Workers` Party" -> "Workers' Party".
- ocr-ii-in-name: "II" read for "Il" where it stands inside a Korean personal name; a Roman
                numeral elsewhere ("World War II") is left alone.
- web chrome, end marks and agency footers are marked as boilerplate, not removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dprk_records.pipeline.lexicon import FAMILY_NAMES
from dprk_records.pipeline.textmap import Edit, MappedText, apply_edits

# A break is a run of spaces, a line break and what follows it. The patterns below are its part
# from the line break on, and :func:`_breaks` widens each match back over the spaces before it:
# a pattern opening with the spaces would be tried at every space of the text, where one opening
# with a line break skips along to the next one (the breaks found are the same).
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n?|\n)(?:[ \t]*(?:\r\n?|\n))+")
_PARAGRAPH_BREAK_SPACES = " \t\ufeff"
_SINGLE_NEWLINE = re.compile(r"(?:\r\n?|\n)[ \t]*")
_SINGLE_NEWLINE_SPACES = " \t"
# A line that ends a sentence (or is an end mark) ends its paragraph: read with endswith, which
# looks at the line's end only (a search for "...$" reads the whole line, and a paragraph of
# many hard-wrapped lines would cost quadratic time).
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", "’", "-0-")
_LINE_STARTS_PARAGRAPH = re.compile(
    r"[A-Z][A-Za-z .'-]{1,40},\s+(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+\d{1,2}\s*\(|-\s*0\s*-|www\.|Back to top"
)
_END_MARK = re.compile(r"^-\s*0\s*-$")
_FOOTER = re.compile(r"^(?:www\.)?kcna\.kp\s*\(\s*Juche\s*\d+[.\d ]*\)$", re.IGNORECASE)
_CHROME = re.compile(
    r"^(?:back to top(?: button)?|leave a (?:reply|comment)|\d* ?comments?|no comments(?: yet)?"
    r"|more from\b.{0,80}|related (?:articles|posts|news)|you (?:may|might) also like.*"
    r"|share(?: this)?:?|print|email|facebook|twitter|telegram|whatsapp|tags?:.*"
    r"|click to share.*|previous (?:article|post)|next (?:article|post)|read more)$",
    re.IGNORECASE,
)
# Sentence-final characters: a paragraph ending in one of these is complete.
_COMPLETE_END = re.compile(r"""[.!?:;"'”’)\]…-]\s*$""")
_LOWER_START = re.compile(r"^[a-z]")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w\"'”’)]) +(?=[,.;:!?](?:\s|$))")
_REPEATED_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_BACKTICK = re.compile(r"(?<=[A-Za-z])`(?=[A-Za-z\s])")
_OCR_II = re.compile(r"\bII\b")
_SYLLABLE = re.compile(r"^[A-Z][a-z]{1,5}$")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: verbatim span, normalized text with its offset map, and its status."""

    paragraph_no: int
    start: int
    end: int
    mapped: MappedText
    is_boilerplate: bool
    boilerplate_rule: str | None

    @property
    def text(self) -> str:
        """The normalized text (every Edit applied); its offsets map back to the verbatim text
        through ``mapped``."""
        return self.mapped.text


@dataclass(frozen=True)
class NormalizedText:
    """All paragraphs of one document and every edit made to reach them."""

    paragraphs: tuple[Paragraph, ...]
    edits: tuple[Edit, ...]

    @property
    def content(self) -> tuple[Paragraph, ...]:
        """The paragraphs that are not boilerplate: what extraction reads and words are counted in.
        Boilerplate stays in ``paragraphs``, marked, never removed."""
        return tuple(p for p in self.paragraphs if not p.is_boilerplate)


def split_blocks(text: str) -> list[tuple[int, int]]:
    """Verbatim spans of the paragraphs, trimmed of surrounding whitespace.

    Paragraphs are separated by blank lines, or by a single line break that ends a sentence, ends
    a headline, or comes before a dateline or an end mark: texts copied from web pages often
    have one paragraph per line. A line break inside a sentence is a hard wrap, not a paragraph.
    """
    blocks = []
    pos = 0
    breaks = _breaks(_PARAGRAPH_BREAK, _PARAGRAPH_BREAK_SPACES, text, 0, len(text))
    for end, after in [*breaks, (len(text), len(text))]:
        for start, stop in _split_lines(text, pos, end):
            chunk = text[start:stop]
            stripped = chunk.strip(" \t\r\n\ufeff")
            if stripped:
                lead = len(chunk) - len(chunk.lstrip(" \t\r\n\ufeff"))
                blocks.append((start + lead, start + lead + len(stripped)))
        pos = after
    return blocks


def _breaks(
    pattern: re.Pattern[str], spaces: str, text: str, start: int, end: int
) -> list[tuple[int, int]]:
    """The spans of the breaks in text[start:end], left to right: each match of ``pattern`` (a
    break from its line break on) with the run of ``spaces`` before it, back to where the
    previous break ended. The same spans as the matches of ``[spaces]*`` followed by
    ``pattern``, found without trying that pattern at every space."""
    spans = []
    floor = start
    for match in pattern.finditer(text, start, end):
        at = match.start()
        while at > floor and text[at - 1] in spaces:
            at -= 1
        spans.append((at, match.end()))
        floor = match.end()
    return spans


_LABEL_LINE = re.compile(r"[A-Z][^:\n.]{1,80}:[ \t]+\S")


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) at the single line breaks that end a paragraph."""
    pieces = []
    pos = start
    for newline_start, after in _breaks(_SINGLE_NEWLINE, _SINGLE_NEWLINE_SPACES, text, start, end):
        line = text[pos:newline_start].strip()
        # the text that follows, [after, end), is read in place: a copy per line would make a
        # text of many short lines cost quadratic time
        if not line:
            continue
        ends_sentence = line.endswith(_SENTENCE_END)  # (line is stripped: no final newline)
        headline = len(line) <= 150 and line[:1].isupper() and not line.endswith(",")
        before_mark = bool(_LINE_STARTS_PARAGRAPH.match(text, after, end))
        # a first line that opens with the dateline is the body's start, not a headline
        first_line = (
            pos == start
            and headline
            and text[after : min(after + 1, end)].isupper()
            and not _LINE_STARTS_PARAGRAPH.match(line)
        )
        # lines of a labelled list ("To Rear Admiral: A, B" / "To Major General: C") are one
        # paragraph each, as the earlier lines of such a list
        list_lines = bool(_LABEL_LINE.match(line) and _LABEL_LINE.match(text, after, end))
        if ends_sentence or before_mark or list_lines or (first_line and not _sentence_like(line)):
            pieces.append((pos, newline_start))
            pos = after
    pieces.append((pos, end))
    return pieces


def _sentence_like(line: str) -> bool:
    """Running text rather than a headline: several lower-case function words."""
    function_words = re.findall(r"\b(?:the|of|and|to|in|a|was|were|is|by|for|with|that)\b", line)
    # headlines are in title case; a lower-case past-tense verb ("accompanied") is running text
    return len(function_words) >= 4 or bool(re.search(r"\b(?:was|were) [a-z]{3,}ed\b", line))


def boilerplate_rule(block: str, after_end_mark: bool) -> str | None:
    """Name of the rule that makes a block boilerplate, or None for content."""
    folded = " ".join(block.split())
    if _END_MARK.match(folded):
        return "end-mark"
    if _FOOTER.match(folded):
        return "agency-footer"
    if _CHROME.match(folded):
        return "web-chrome"
    if after_end_mark:
        return "after-end-mark"
    return None


def is_name_context(text: str, index: int) -> bool:
    """True when the words just before ``index`` start a Korean personal name.

    "Kim II Sung", "Ri II Hwan": right after a family name. "Pak Kon II", "Kim Jong II": after a
    family name and one capitalized given-name syllable.
    """
    words = text[max(0, index - 40) : index].split()
    if not text[:index].endswith(" ") or not words:
        return False
    if words[-1] in FAMILY_NAMES:
        return True
    return len(words) >= 2 and words[-2] in FAMILY_NAMES and bool(_SYLLABLE.match(words[-1]))


def _ocr_edits(text: str, offset: int) -> Iterable[Edit]:
    if "II" not in text:
        return
    for match in _OCR_II.finditer(text):
        if is_name_context(text, match.start()):
            yield Edit(
                offset + match.start(), offset + match.end(), "II", "Il", "ocr", "ocr-ii-in-name"
            )


Spans = Callable[[str], Iterable[tuple[int, int]]]


def _matches(pattern: re.Pattern[str]) -> Spans:
    """The spans of a pattern's matches in a text."""
    return lambda text: (match.span() for match in pattern.finditer(text))


def _line_breaks(text: str) -> list[tuple[int, int]]:
    """The line breaks of a text with the spaces around them: the breaks :func:`_split_lines`
    cuts at, found the same way."""
    return _breaks(_SINGLE_NEWLINE, _SINGLE_NEWLINE_SPACES, text, 0, len(text))


# The inline repairs, in order: (spans, replacement, kind, rule, hints). Each span holds one of
# the rule's hints, so a block with none of them (most blocks) is not scanned for the rule.
_INLINE_RULES: tuple[tuple[Spans, str, str, str, tuple[str, ...]], ...] = (
    (_line_breaks, " ", "line_break", "line-break", ("\n", "\r")),
    (
        _matches(_SPACE_BEFORE_PUNCT),
        "",
        "spacing",
        "space-before-punct",
        (" ,", " .", " ;", " :", " !", " ?"),
    ),
    (_matches(_REPEATED_SPACE), " ", "spacing", "repeated-space", ("  ",)),
    (_matches(_BACKTICK), "'", "punctuation", "backtick-apostrophe", ("`",)),
)


def _inline_edits(verbatim: str, start: int, end: int) -> list[Edit]:
    block = verbatim[start:end]
    candidates: list[Edit] = []
    for spans, corrected, kind, rule, hints in _INLINE_RULES:
        for hint in hints:
            if hint in block:
                candidates.extend(
                    Edit(start + left, start + right, block[left:right], corrected, kind, rule)
                    for left, right in spans(block)
                )
                break
    candidates.extend(_ocr_edits(block, start))
    return _non_overlapping(candidates)


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -e.end, e.rule)):
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    return kept


def normalize(verbatim: str) -> NormalizedText:
    """Split, join, repair and classify the paragraphs of one verbatim text."""
    blocks = split_blocks(verbatim)
    rules: list[str | None] = []
    after_end = False
    for start, end in blocks:
        rule = boilerplate_rule(verbatim[start:end], after_end)
        after_end = after_end or rule == "end-mark"
        rules.append(rule)

    # Group content blocks that a page break split mid-sentence.
    groups: list[list[int]] = []
    for index, (start, end) in enumerate(blocks):
        previous = groups[-1][-1] if groups else None
        if (
            previous is not None
            and rules[index] is None
            and rules[previous] is None
            and previous == index - 1
            and not _COMPLETE_END.search(verbatim[blocks[previous][0] : blocks[previous][1]])
            and _LOWER_START.match(verbatim[start:end])
        ):
            groups[-1].append(index)
        else:
            groups.append([index])

    paragraphs: list[Paragraph] = []
    all_edits: list[Edit] = []
    for number, group in enumerate(groups, start=1):
        start, end = blocks[group[0]][0], blocks[group[-1]][1]
        edits: list[Edit] = []
        for index in group:
            block_start, block_end = blocks[index]
            if index != group[0]:
                gap_start = blocks[index - 1][1]
                edits.append(
                    Edit(
                        gap_start,
                        block_start,
                        verbatim[gap_start:block_start],
                        " ",
                        "page_break",
                        "page-break",
                    )
                )
            edits.extend(_inline_edits(verbatim, block_start, block_end))
        rule = rules[group[0]]
        if rule is not None:
            all_edits.append(Edit(start, end, verbatim[start:end], "", "boilerplate", rule))
        mapped = apply_edits(verbatim, start, end, edits)
        paragraphs.append(Paragraph(number, start, end, mapped, rule is not None, rule))
        all_edits.extend(edits)
    return NormalizedText(
        tuple(paragraphs), tuple(sorted(all_edits, key=lambda e: (e.start, e.end)))
    )
