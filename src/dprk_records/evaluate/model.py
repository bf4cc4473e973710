"""The facts of one document, in the shape of a gold file: what gold files and predictions share.

A gold file (``gold.py``) and the built tables (``predict.py``) are both turned into a
:class:`DocumentFacts`, so ``score.py`` compares like with like.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERSON_ROLES = (
    "guided",
    "presided",
    "report",
    "opening_address",
    "closing_address",
    "speech",
    "platform",
    "accompanied",
    "attended",
    "observer",
    "member",
    "other",
    "mentioned",
)
"""Every ``role_in_event`` of a gold person, most prominent first (the two addresses tie)."""


@dataclass(frozen=True)
class EventFact:
    """An event a document reports: name, number in its series, date and place as written."""

    name: str
    ordinal: int | None = None
    date_text: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class PersonFact:
    """A person of a document, with every title it gives them and their part in its event."""

    name: str
    surface: str
    titles: tuple[str, ...] = ()
    role_in_event: str = "mentioned"
    list_order: int | None = None


@dataclass(frozen=True)
class OrganizationFact:
    """A named body of a document and the next unit up its chain (None at the top)."""

    name: str
    parent: str | None = None


@dataclass(frozen=True)
class ChangeFact:
    """A personnel change: who, what kind, to or from which post, and the order in its sentence."""

    person: str
    change: str
    post: str
    list_order: int | None = None


@dataclass(frozen=True)
class DocumentFacts:
    """Everything the scorer compares for one document (gold or predicted)."""

    document_id: str
    year: int | None = None
    document_kind: str | None = None
    events: tuple[EventFact, ...] = ()
    persons: tuple[PersonFact, ...] = ()
    organizations: tuple[OrganizationFact, ...] = ()
    referenced_events: tuple[str, ...] = ()
    changes: tuple[ChangeFact, ...] | None = None  # None: the gold file does not annotate them
    notes: tuple[str, ...] = field(default=(), compare=False)
