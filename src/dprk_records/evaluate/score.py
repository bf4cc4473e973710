"""Metrics: gold facts vs predicted facts, per document and micro-averaged (pure; no I/O).

Each set metric turns a document's facts into a set of keys (strings folded by ``fold.py``) and
compares the gold set G with the predicted set P: true positives ``|G & P|``,
precision ``|G & P| / |P|``, recall ``|G & P| / |G|``, F1 ``2|G & P| / (|G| + |P|)``.
When G and P are both empty all three are 1.0; when only one is empty, the undefined ratio is 0.0
(so F1 is 0.0). Totals are micro-averaged (the counts of all documents are summed first) and,
beside them, macro-averaged (each document's P, R and F1, then their mean): a document of 70
listed names weighs 70 times a document of one in the micro average, once in the macro one.

Set metrics (key of one item):

- ``persons``: fold_name(name)
- ``titles``: (fold_name(name), fold_title(title)) for every title of every person
- ``events``: fold_event(name) of each reported event
- ``roles``: (fold_name(name), role_in_event) of every person ("mentioned" included)
- ``list_order``: (fold_name(name), list_order) of every person whose list_order is not null
- ``organizations``: (fold_org(name), fold_org(parent) or None)
- ``referenced_events``: fold_event(name)
- ``event_details``: (fold_event(name), ordinal, fold_text(date_text), fold_text(place)) of each
  reported event (None for a missing value)

- ``changes``: (fold_name(person), change, fold_title(post)) of each personnel change
- ``change_order``: (fold_name(person), change, fold_title(post), list_order) of each change whose
  list_order is not null

The two change metrics score only the documents whose gold file annotates changes (the optional
``changes`` key); the others count for neither the micro nor the macro average.

Accuracy metrics (one value per document; total = correct documents / documents):
``document_kind`` (exact), ``year`` (exact; null == null).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dprk_records.errors import DprkRecordsError
from dprk_records.evaluate.fold import fold_event, fold_name, fold_org, fold_text, fold_title
from dprk_records.evaluate.model import DocumentFacts


class EvaluationError(DprkRecordsError):
    """Gold and predictions cannot be compared (a missing document, a bad threshold...)."""


@dataclass(frozen=True)
class Counts:
    """True positives and set sizes of one set metric; add them to micro-average."""

    true_positives: int = 0
    gold: int = 0
    predicted: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.true_positives + other.true_positives,
            self.gold + other.gold,
            self.predicted + other.predicted,
        )

    @property
    def precision(self) -> float:
        """|G & P| / |P|; with nothing predicted, 1.0 when there was nothing to find, else 0.0
        (never a division by zero)."""
        if self.predicted == 0:
            return 1.0 if self.gold == 0 else 0.0
        return self.true_positives / self.predicted

    @property
    def recall(self) -> float:
        """|G & P| / |G|; with an empty gold, 1.0 when nothing was predicted either, else 0.0."""
        if self.gold == 0:
            return 1.0 if self.predicted == 0 else 0.0
        return self.true_positives / self.gold

    @property
    def f1(self) -> float:
        """2|G & P| / (|G| + |P|): the harmonic mean of precision and recall without dividing by
        their sum, so it is defined when both are 0.0; 1.0 when both sets are empty."""
        if self.gold == 0 and self.predicted == 0:
            return 1.0
        return 2 * self.true_positives / (self.gold + self.predicted)


def prf(gold: Collection[Hashable], predicted: Collection[Hashable]) -> Counts:
    """The counts of two sets of keys."""
    gold_set, predicted_set = set(gold), set(predicted)
    return Counts(len(gold_set & predicted_set), len(gold_set), len(predicted_set))


Items = dict[Hashable, str]
"""Folded key -> a readable label of the first item with that key."""


def _items(pairs: Iterable[tuple[Hashable, str]]) -> Items:
    items: Items = {}
    for key, label in pairs:
        items.setdefault(key, label)
    return items


def _optional(fold: Callable[[str], str], value: str | None) -> str | None:
    return (fold(value) or None) if value else None


def _persons(facts: DocumentFacts) -> Items:
    return _items((fold_name(p.name), p.name) for p in facts.persons)


def _titles(facts: DocumentFacts) -> Items:
    return _items(
        ((fold_name(p.name), fold_title(t)), f"{p.name}: {t}")
        for p in facts.persons
        for t in p.titles
    )


def _events(facts: DocumentFacts) -> Items:
    return _items((fold_event(e.name), e.name) for e in facts.events)


def _roles(facts: DocumentFacts) -> Items:
    return _items(
        ((fold_name(p.name), p.role_in_event), f"{p.name}: {p.role_in_event}")
        for p in facts.persons
    )


def _list_order(facts: DocumentFacts) -> Items:
    return _items(
        ((fold_name(p.name), p.list_order), f"{p.name}: {p.list_order}")
        for p in facts.persons
        if p.list_order is not None
    )


def _organizations(facts: DocumentFacts) -> Items:
    return _items(
        ((fold_org(o.name), _optional(fold_org, o.parent)), f"{o.name} (parent: {o.parent})")
        for o in facts.organizations
    )


def _referenced(facts: DocumentFacts) -> Items:
    return _items((fold_event(name), name) for name in facts.referenced_events)


def _event_details(facts: DocumentFacts) -> Items:
    return _items(
        (
            (
                fold_event(e.name),
                e.ordinal,
                _optional(fold_text, e.date_text),
                _optional(fold_text, e.place),
            ),
            f"{e.name} | ordinal {e.ordinal} | date {e.date_text} | place {e.place}",
        )
        for e in facts.events
    )


def _changes(facts: DocumentFacts) -> Items | None:
    if facts.changes is None:
        return None
    return _items(
        ((fold_name(c.person), c.change, fold_title(c.post)), f"{c.person}: {c.change} {c.post}")
        for c in facts.changes
    )


def _change_order(facts: DocumentFacts) -> Items | None:
    if facts.changes is None:
        return None
    return _items(
        (
            (fold_name(c.person), c.change, fold_title(c.post), c.list_order),
            f"{c.person}: {c.change} {c.post} #{c.list_order}",
        )
        for c in facts.changes
        if c.list_order is not None
    )


SET_METRICS: dict[str, tuple[str, Callable[[DocumentFacts], Items | None]]] = {
    "persons": ("persons (name)", _persons),
    "titles": ("person-title pairs", _titles),
    "events": ("reported events (name)", _events),
    "roles": ("person-role pairs", _roles),
    "list_order": ("person-list order pairs", _list_order),
    "organizations": ("organization-parent pairs", _organizations),
    "referenced_events": ("referenced events (name)", _referenced),
    "event_details": ("event name, ordinal, date, place", _event_details),
    "changes": ("personnel changes (person, change, post)", _changes),
    "change_order": ("change list orders", _change_order),
}
"""Set metrics in report order: the five headline metrics, then the extra ones."""

HEADLINE_METRICS = ("persons", "titles", "events", "roles", "list_order")

ACCURACY_METRICS: dict[str, tuple[str, Callable[[DocumentFacts], Any]]] = {
    "document_kind": ("document kind", lambda facts: facts.document_kind),
    "year": ("year the text gives", lambda facts: facts.year),
}

ALL_METRICS = (*SET_METRICS, *ACCURACY_METRICS)


@dataclass(frozen=True)
class MetricScore:
    """One set metric on one document: the counts and the items that differ."""

    counts: Counts
    missed: tuple[str, ...] = ()
    spurious: tuple[str, ...] = ()
    scored: bool = True  # False: the gold does not annotate what this metric compares


@dataclass(frozen=True)
class AccuracyScore:
    """One single-valued metric on one document."""

    expected: Any
    predicted: Any

    @property
    def correct(self) -> bool:
        """Exact equality, so two nulls agree (a year neither the gold nor the prediction gives
        is a correct answer)."""
        return bool(self.expected == self.predicted)


@dataclass(frozen=True)
class DocumentScore:
    """Every metric on one document."""

    document_id: str
    metrics: dict[str, MetricScore]
    accuracies: dict[str, AccuracyScore]


@dataclass(frozen=True)
class Accuracy:
    """Correct documents out of scored documents (1.0 when there are none)."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        """Share of documents correct; 1.0 when none were scored, as a set metric with nothing to
        find scores 1.0."""
        return self.correct / self.total if self.total else 1.0


@dataclass(frozen=True)
class Evaluation:
    """Per-document scores and their micro-averaged totals."""

    documents: tuple[DocumentScore, ...]
    unscored: tuple[str, ...] = ()
    source: dict[str, str] = field(default_factory=dict)

    def total(self, metric: str) -> Counts:
        """A set metric's counts summed over the documents (micro-average)."""
        return sum((d.metrics[metric].counts for d in self.documents), Counts())

    def macro(self, metric: str) -> tuple[float, float, float]:
        """A set metric's precision, recall and F1 averaged over the documents (each document
        counts once, so one long list cannot hide many short failures); 1.0 with no documents."""
        counts = [d.metrics[metric].counts for d in self.documents if d.metrics[metric].scored]
        if not counts:
            return 1.0, 1.0, 1.0
        n = len(counts)
        return (
            sum(c.precision for c in counts) / n,
            sum(c.recall for c in counts) / n,
            sum(c.f1 for c in counts) / n,
        )

    def accuracy(self, metric: str) -> Accuracy:
        """An accuracy metric over the documents."""
        marks = [d.accuracies[metric].correct for d in self.documents]
        return Accuracy(sum(marks), len(marks))

    def headline(self, metric: str) -> float:
        """The total F1 of a set metric, or the accuracy of an accuracy metric."""
        if metric in SET_METRICS:
            return self.total(metric).f1
        if metric in ACCURACY_METRICS:
            return self.accuracy(metric).value
        raise EvaluationError(f"unknown metric {metric!r}; metrics: {', '.join(ALL_METRICS)}")


def score_metric(gold: Items, predicted: Items) -> MetricScore:
    """Compare two keyed item sets."""
    return MetricScore(
        counts=prf(gold.keys(), predicted.keys()),
        missed=tuple(label for key, label in gold.items() if key not in predicted),
        spurious=tuple(label for key, label in predicted.items() if key not in gold),
    )


def score_document(gold: DocumentFacts, predicted: DocumentFacts) -> DocumentScore:
    """Every metric of one document."""
    metrics = {}
    for name, (_, items) in SET_METRICS.items():
        gold_items, predicted_items = items(gold), items(predicted)
        if gold_items is None:  # not annotated in this gold file
            metrics[name] = MetricScore(Counts(), scored=False)
        else:
            metrics[name] = score_metric(gold_items, predicted_items or {})
    accuracies = {
        name: AccuracyScore(value(gold), value(predicted))
        for name, (_, value) in ACCURACY_METRICS.items()
    }
    return DocumentScore(gold.document_id, metrics, accuracies)


def score_all(
    gold: Mapping[str, DocumentFacts],
    predicted: Mapping[str, DocumentFacts],
    source: Mapping[str, str] | None = None,
) -> Evaluation:
    """Score every gold document; each needs a prediction (documents without gold are listed)."""
    missing = sorted(set(gold) - set(predicted))
    if missing:
        raise EvaluationError(
            "no built document for gold file(s) "
            + ", ".join(f"{m}.json" for m in missing)
            + "; the gold file's stem must be a seed's stem (is --seeds the right folder?)"
        )
    documents = tuple(score_document(gold[d], predicted[d]) for d in sorted(gold))
    unscored = tuple(sorted(set(predicted) - set(gold)))
    return Evaluation(documents, unscored, dict(source or {}))


def parse_threshold(text: str) -> tuple[str, float]:
    """``"persons=0.9"`` -> ("persons", 0.9); an unknown metric or a bad value is an error."""
    metric, sep, value = text.partition("=")
    metric = metric.strip()
    if not sep or metric not in ALL_METRICS:
        raise EvaluationError(
            f"--min-f1 {text!r}: expected METRIC=VALUE with METRIC one of {', '.join(ALL_METRICS)}"
        )
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0.0 <= number <= 1.0:
        raise EvaluationError(f"--min-f1 {text!r}: VALUE must be a number from 0 to 1")
    return metric, number


def failed_thresholds(evaluation: Evaluation, thresholds: Mapping[str, float]) -> list[str]:
    """One line per metric whose total is below its threshold (empty when all pass)."""
    failures = []
    for metric, minimum in thresholds.items():
        value = evaluation.headline(metric)
        if value < minimum:
            what = "accuracy" if metric in ACCURACY_METRICS else "F1"
            failures.append(f"{metric}: total {what} {value:.3f} is below {minimum:g}")
    return failures
