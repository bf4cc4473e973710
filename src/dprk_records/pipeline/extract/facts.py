"""What the extractor finds in one document, before ids are given (resolve does that)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dprk_records.pipeline.extract.text import Span


@dataclass(frozen=True)
class PersonMention:
    """A person's name as written at ``span`` (``surface``) and the name it stands for
    (``name``, normalized: "II" read as "Il"); resolve gives one person id per ``name``."""

    span: Span
    surface: str
    name: str
    method: str


@dataclass(frozen=True)
class UnitFact:
    """An organization as named in this document; ``parent`` is the next unit of its chain."""

    name: str
    org_kind: str
    span: Span
    parent: str | None
    place: str | None
    method: str


@dataclass(frozen=True)
class TitleFact:
    """A title the text gives ``person`` at ``span``: the post in words, its role and the
    innermost unit it names; ``status`` says whether it was held on the document's date."""

    person: str
    span: Span
    title: str
    position_role: str
    unit: str | None  # innermost unit the title names
    method: str
    status: str = "held"  # held / referential / posthumous (extract/status.py)


@dataclass(frozen=True)
class CommitteeFact:
    """A committee or commission formed in the text; its members follow as one listing."""

    name: str
    span: Span
    has_chair: bool


@dataclass(frozen=True)
class EventFact:
    """An event the document names; ``is_reported`` marks those it reports (the rest are only
    mentioned). ``date_text`` and ``place`` are as written: resolve dates the event from them
    and the document's publication date."""

    span: Span
    name: str
    ordinal: int | None
    series: str | None
    event_kind: str
    is_reported: bool
    date_text: str | None
    place: str | None
    method: str
    parent: str = ""  # event_key of the event this one is a sitting of ("" for a whole event)


@dataclass(frozen=True)
class PartFact:
    """A person's part in the document's principal reported event."""

    person: str
    span: Span
    role: str
    listing: int | None  # verbatim offset of the listing's trigger words
    list_order: int | None
    method: str


@dataclass(frozen=True)
class ChangeFact:
    """One person's change of post, rank or honour, as one sentence states it.

    The span runs from the person's name to the post (or from the post to the name), so it says
    both; ``listing`` is the verbatim offset of the sentence, and ``list_order`` the person's
    place among those the sentence names for the same kind of change (None for a lone one)."""

    person: str
    span: Span
    change: str
    post: str
    unit: str | None  # innermost unit the post names (the body it belongs to)
    rank: str | None
    listing: int
    list_order: int | None
    method: str
    event: str = ""  # event_key of the reported event that made it ("": the principal one)


@dataclass(frozen=True)
class SpeechFact:
    """A speech, address or report ``speaker`` made at the event. ``is_full_text``: the document
    is the speech itself (its headline says so); resolve links it as the full text and keeps a
    report's span when another document reports the speech."""

    span: Span
    speaker: str
    speech_kind: str
    title: str | None
    is_full_text: bool
    method: str


@dataclass(frozen=True)
class QuoteFact:
    """Quoted words (``span`` inside the marks, so it says the words alone), what they are
    (``quote_kind``) and, for the title of a report, who made the report."""

    span: Span
    text: str
    quote_kind: str
    speaker: str | None
    method: str


@dataclass(frozen=True)
class FigureFact:
    """A number the text states, its unit and what it measures (quantities.MEASURE_RULES);
    ``qualifier`` keeps the hedge ("more than") so the value is not read as exact."""

    span: Span
    value: float
    unit: str
    measure: str
    qualifier: str | None
    method: str


@dataclass(frozen=True)
class OpenChangeList:
    """A list of changes that goes on in the sentences after the one that opens it ("The
    following were appointed:", "... promoted as follows:")."""

    change: str
    listing: int  # verbatim offset of the opening's verb
    count: int  # people listed so far
    form: str  # "titles": "Minister of X A" lines; "colon": "To General: A, B" lines
    post: str | None = None  # the post the opening names for every line ("elected members of X:")
    post_start: int | None = None  # its verbatim offset


@dataclass
class DocumentFacts:
    """Everything found in one document, in verbatim coordinates."""

    document_id: str
    persons: list[PersonMention] = field(default_factory=list)
    units: list[UnitFact] = field(default_factory=list)
    titles: list[TitleFact] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)
    parts: list[PartFact] = field(default_factory=list)
    speeches: list[SpeechFact] = field(default_factory=list)
    quotes: list[QuoteFact] = field(default_factory=list)
    figures: list[FigureFact] = field(default_factory=list)
    committees: list[CommitteeFact] = field(default_factory=list)
    changes: list[ChangeFact] = field(default_factory=list)
    open_list: bool = False  # a title-only list ended its sentence with ":" and goes on
    open_change: OpenChangeList | None = None
    deceased: str | None = None  # the person an obituary says died (a funeral is theirs)
    principal_event: str | None = None  # event_key of the event the document reports first
