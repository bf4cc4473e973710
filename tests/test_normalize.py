"""Normalization of the real seeds (hand-checked facts) and properties of the rules."""

from __future__ import annotations

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from dprk_records.pipeline import normalize as normalize_module
from dprk_records.pipeline.normalize import normalize, split_blocks
from dprk_records.pipeline.textmap import Edit, apply_edits

from .conftest import REPORT_ID, SEEDS, SPEECH_ID


def _text(doc_id: str) -> str:
    return (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_report_paragraphs() -> None:
    text = _text(REPORT_ID)
    result = normalize(text)
    # 57 non-empty lines (`grep -c . seeds/000_*.txt`), two of them page-break halves.
    assert len(split_blocks(text)) == 57
    assert len(result.paragraphs) == 55
    assert not any(p.is_boilerplate for p in result.paragraphs)
    joined = [p for p in result.paragraphs if "tasks and practical ways" in p.text]
    assert len(joined) == 1
    assert "into pillars who will shoulder the future" in result.paragraphs[-5].text
    assert result.paragraphs[-1].text == "The conference continues......"


def test_report_corrections_exactly() -> None:
    edits = [
        (e.start, e.end, e.original, e.corrected, e.kind) for e in normalize(_text(REPORT_ID)).edits
    ]
    # Offsets checked with `grep -b -o II` and by locating "tasks and" / "into pillars".
    assert edits == [
        (2171, 2173, "\n\n", " ", "page_break"),  # "...the tasks and" / "practical ways..."
        (3552, 3554, "II", "Il", "ocr"),  # Ri II Hwan
        (3707, 3709, "II", "Il", "ocr"),  # O II Jong
        (8961, 8963, "II", "Il", "ocr"),  # President Kim II Sung
        (8991, 8993, "II", "Il", "ocr"),  # Chairman Kim Jong II
        (17143, 17145, "II", "Il", "ocr"),  # Pak Kon II
        (20513, 20515, "\n\n", " ", "page_break"),  # "...into pillars" / "who will shoulder..."
    ]


def test_speech_boilerplate_and_curly_quotes_kept() -> None:
    text = _text(SPEECH_ID)
    result = normalize(text)
    assert len(result.paragraphs) == 28
    last = result.paragraphs[-1]
    assert (last.is_boilerplate, last.boilerplate_rule, last.text) == (
        True,
        "web-chrome",
        "Back to top button",
    )
    assert [(e.start, e.end, e.kind) for e in result.edits] == [(7384, 7402, "boilerplate")]
    assert "Workers’ Party" in result.paragraphs[2].text  # typography is not a defect


def test_every_paragraph_maps_back_to_its_verbatim_span() -> None:
    for doc_id in (REPORT_ID, SPEECH_ID):
        text = _text(doc_id)
        for p in normalize(text).paragraphs:
            assert p.mapped.to_verbatim(0, len(p.text)) == (p.start, p.end)
            first_word = p.text.split()[0]
            start, end = p.mapped.to_verbatim(0, len(first_word))
            assert text[start:end] == first_word


def test_ocr_fix_only_inside_names() -> None:
    text = "Kim II Sung met O II Jong. World War II ended; Type II and Phase II stay. Pak Kon II spoke."
    fixed = [
        (text[max(0, e.start - 8) : e.start].split()[-1], e.corrected)
        for e in normalize(text).edits
    ]
    assert fixed == [("Kim", "Il"), ("O", "Il"), ("Kon", "Il")]


def test_noise_repairs_are_recorded() -> None:
    text = (
        "Kim Jong Un , general secretary of the Workers` Party of Korea, spoke\nat the  meeting ."
    )
    result = normalize(text)
    assert result.paragraphs[0].text == (
        "Kim Jong Un, general secretary of the Workers' Party of Korea, spoke at the meeting."
    )
    assert sorted({(e.kind, e.rule) for e in result.edits}) == [
        ("line_break", "line-break"),
        ("punctuation", "backtick-apostrophe"),
        ("spacing", "repeated-space"),
        ("spacing", "space-before-punct"),
    ]


def test_end_mark_footer_and_chrome_are_boilerplate() -> None:
    text = "Pyongyang, May 2 (KCNA) -- A text.\n\n-0-\n\nwww.kcna.kp (Juche113.5.2.)\n\nLeave a Reply\n"
    rules = [p.boilerplate_rule for p in normalize(text).paragraphs]
    assert rules == [None, "end-mark", "agency-footer", "web-chrome"]


_words = st.lists(
    st.sampled_from(["Kim", "Ri", "O", "the", "War", "II", "Il", "Sung", "and", ",", "Type"]),
    min_size=1,
    max_size=30,
)


@given(_words, st.sampled_from([" ", "\n", "\n\n", "  ", " ,"]))
def test_edits_reproduce_the_verbatim_text(words: list[str], sep: str) -> None:
    text = sep.join(words)
    result = normalize(text)
    for paragraph in result.paragraphs:
        inside = [
            e
            for e in result.edits
            if paragraph.start <= e.start and e.end <= paragraph.end and e.kind != "boilerplate"
        ]
        # Applying the recorded edits to the verbatim span gives the paragraph text, and every
        # edit's original is what the verbatim text has at its offsets.
        assert apply_edits(text, paragraph.start, paragraph.end, inside).text == paragraph.text
        assert all(text[e.start : e.end] == e.original for e in inside)


@given(st.text(alphabet=string.ascii_letters + " .,\n", max_size=200))
def test_normalize_never_fails_and_spans_stay_inside(text: str) -> None:
    for paragraph in normalize(text).paragraphs:
        assert 0 <= paragraph.start < paragraph.end <= len(text)
        assert paragraph.text.strip() == paragraph.text


# a break as one pattern: the spaces before the line break, then the rest
_BREAK_PATTERNS = [
    (normalize_module._PARAGRAPH_BREAK, normalize_module._PARAGRAPH_BREAK_SPACES),
    (normalize_module._SINGLE_NEWLINE, normalize_module._SINGLE_NEWLINE_SPACES),
]


@given(
    st.text(alphabet=[" ", "\t", "\ufeff", "\r", "\n", "a", "."], max_size=40),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_breaks_are_the_matches_of_the_spaces_and_the_line_break(
    text: str, one: int, other: int
) -> None:
    # found from the line break and widened back, a break is what the whole pattern matches
    start, end = sorted((min(one, len(text)), min(other, len(text))))
    for pattern, spaces in _BREAK_PATTERNS:
        whole = re.compile(f"[{re.escape(spaces)}]*(?:{pattern.pattern})")
        expected = [m.span() for m in whole.finditer(text, start, end)]
        assert normalize_module._breaks(pattern, spaces, text, start, end) == expected


def test_one_line_per_paragraph_and_hard_wraps() -> None:
    text = (
        "Kim Jong Un Inspects Factory\n"
        "Pyongyang, May 2 (KCNA) -- Kim Jong Un inspected the factory.\n"
        "He was accompanied by officials of the\n"
        "Party Central Committee.\n"
        "-0-\n"
    )
    paragraphs = [p.text for p in normalize(text).paragraphs]
    assert paragraphs == [
        "Kim Jong Un Inspects Factory",
        "Pyongyang, May 2 (KCNA) -- Kim Jong Un inspected the factory.",
        "He was accompanied by officials of the Party Central Committee.",
        "-0-",
    ]


def test_a_hard_wrap_right_after_the_dateline_is_no_paragraph_break() -> None:
    # the first line of a block looks like a headline (short, capitalized), but it opens with
    # the dateline: the wrap inside a list of names joins, "Kim" and "Il Chol" are one name
    text = (
        "Elections\n\nPyongyang, March 3 (KCNA) -- Ri Chol Ho, Kim\nIl Chol and Pak Nam Su were "
        "elected members of the Political Bureau.\n"
    )
    blocks = [text[start:end] for start, end in split_blocks(text)]
    assert blocks == ["Elections", text[text.index("Pyongyang") :].rstrip("\n")]


def _per_character_origins(
    verbatim: str, start: int, end: int, edits: list[Edit]
) -> tuple[str, list[int], list[int]]:
    """The offset map spelled out a character at a time: what apply_edits's pieces stand for."""
    text, starts, ends = "", [], []
    pos = start
    for edit in edits:
        text += verbatim[pos : edit.start] + edit.corrected
        starts += range(pos, edit.start)
        ends += range(pos + 1, edit.start + 1)
        if len(edit.corrected) == edit.end - edit.start:
            starts += range(edit.start, edit.end)
            ends += range(edit.start + 1, edit.end + 1)
        else:
            starts += [edit.start] * len(edit.corrected)
            ends += [edit.end] * len(edit.corrected)
        pos = edit.end
    text += verbatim[pos:end]
    starts += range(pos, end)
    ends += range(pos + 1, end + 1)
    return text, starts, ends


@st.composite
def _edited(draw: st.DrawFn) -> tuple[str, int, int, list[Edit]]:
    verbatim = draw(st.text(alphabet="ab -\n", min_size=1, max_size=40))
    start = draw(st.integers(0, len(verbatim) - 1))
    end = draw(st.integers(start + 1, len(verbatim)))
    cuts = sorted(draw(st.lists(st.integers(start, end), max_size=8)))
    edits = []
    for left, right in zip(cuts[::2], cuts[1::2], strict=False):
        corrected = draw(st.sampled_from(["", "x", "xy", "xyz", "-" * (right - left)]))
        edits.append(Edit(left, right, verbatim[left:right], corrected, "test", "test"))
    return verbatim, start, end, edits


@given(_edited())
def test_offset_map_pieces_answer_as_per_character_origins(
    edited: tuple[str, int, int, list[Edit]],
) -> None:
    # insertions (empty originals), deletions (empty corrections), same-length and other-length
    # replacements, pieces of every length: each span maps as the per-character map says
    verbatim, start, end, edits = edited
    mapped = apply_edits(verbatim, start, end, edits)
    text, starts, ends = _per_character_origins(verbatim, start, end, edits)
    assert mapped.text == text
    for left in range(len(text)):
        for right in range(left + 1, len(text) + 1):
            assert mapped.to_verbatim(left, right) == (starts[left], ends[right - 1])
