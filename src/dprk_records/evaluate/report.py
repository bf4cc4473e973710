"""Render an :class:`~.score.Evaluation` as a readable table or as JSON."""

from __future__ import annotations

import json
from typing import Any

from dprk_records.evaluate.score import (
    ACCURACY_METRICS,
    HEADLINE_METRICS,
    SET_METRICS,
    Counts,
    DocumentScore,
    Evaluation,
)

_HEADER = f"  {'metric':<19}{'gold':>6}{'pred':>6}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}"


def _row(name: str, counts: Counts) -> str:
    return (
        f"  {name:<19}{counts.gold:>6}{counts.predicted:>6}{counts.true_positives:>6}"
        f"{counts.precision:>8.3f}{counts.recall:>8.3f}{counts.f1:>8.3f}"
    )


def _show(value: Any) -> str:
    return "null" if value is None else str(value)


def _document_lines(document: DocumentScore, errors: bool, max_items: int) -> list[str]:
    lines = [document.document_id, _HEADER]
    for name in SET_METRICS:
        if not document.metrics[name].scored:
            lines.append(f"  {name:<19}not annotated in the gold file")
            continue
        lines.append(_row(name, document.metrics[name].counts))
        if name == HEADLINE_METRICS[-1]:
            lines.append(f"  {'-' * 61}")
    for name, score in document.accuracies.items():
        mark = "correct" if score.correct else "WRONG"
        lines.append(
            f"  {name:<19}gold {_show(score.expected)}, predicted {_show(score.predicted)}: {mark}"
        )
    if errors:
        for name, score in document.metrics.items():
            for label, items in (("missed", score.missed), ("spurious", score.spurious)):
                if not items:
                    continue
                lines.append(f"  {name} {label} ({len(items)}):")
                lines.extend(f"    - {item}" for item in items[:max_items])
                if len(items) > max_items:
                    lines.append(f"    ... and {len(items) - max_items} more (use --json)")
    return lines


def render_text(evaluation: Evaluation, errors: bool = False, max_items: int = 50) -> str:
    """Per-document tables, then the totals (micro and macro); with ``errors`` the differing
    items."""
    count = len(evaluation.documents)
    lines = [f"Evaluating {count} document{'s' if count != 1 else ''}"]
    lines.extend(f"  {key}: {value}" for key, value in evaluation.source.items())
    for document in evaluation.documents:
        lines.append("")
        lines.extend(_document_lines(document, errors, max_items))
    lines.append("")
    lines.append(
        f"TOTAL (micro-averaged over {count} documents); mP, mR, mF1: macro-averaged, the mean "
        "of the documents' P, R and F1"
    )
    lines.append(f"{_HEADER}{'mP':>8}{'mR':>8}{'mF1':>8}")
    for name in SET_METRICS:
        macro = "".join(f"{value:>8.3f}" for value in evaluation.macro(name))
        scored = sum(d.metrics[name].scored for d in evaluation.documents)
        note = f"  ({scored} annotated)" if scored < count else ""
        lines.append(_row(name, evaluation.total(name)) + macro + note)
        if name == HEADLINE_METRICS[-1]:
            lines.append(f"  {'-' * 85}")
    for name in ACCURACY_METRICS:
        accuracy = evaluation.accuracy(name)
        lines.append(
            f"  {name:<19}accuracy {accuracy.value:.3f} ({accuracy.correct}/{accuracy.total})"
        )
    if evaluation.unscored:
        lines.append("")
        lines.append(f"not scored (no gold file): {', '.join(evaluation.unscored)}")
    return "\n".join(lines) + "\n"


def _counts_json(counts: Counts) -> dict[str, Any]:
    return {
        "gold": counts.gold,
        "predicted": counts.predicted,
        "true_positives": counts.true_positives,
        "precision": round(counts.precision, 6),
        "recall": round(counts.recall, 6),
        "f1": round(counts.f1, 6),
    }


def as_json(evaluation: Evaluation, failures: list[str] | None = None) -> dict[str, Any]:
    """The evaluation as plain JSON values (what ``--json`` prints)."""
    documents = {}
    for document in evaluation.documents:
        metrics: dict[str, Any] = {}
        for name, score in document.metrics.items():
            if not score.scored:
                metrics[name] = {"scored": False}
                continue
            metrics[name] = {
                **_counts_json(score.counts),
                "missed": list(score.missed),
                "spurious": list(score.spurious),
            }
        for name, accuracy in document.accuracies.items():
            metrics[name] = {
                "gold": accuracy.expected,
                "predicted": accuracy.predicted,
                "correct": accuracy.correct,
            }
        documents[document.document_id] = metrics
    total: dict[str, Any] = {}
    for name in SET_METRICS:
        precision, recall, f1 = evaluation.macro(name)
        total[name] = {
            **_counts_json(evaluation.total(name)),
            "macro_precision": round(precision, 6),
            "macro_recall": round(recall, 6),
            "macro_f1": round(f1, 6),
        }
    for name in ACCURACY_METRICS:
        accuracy = evaluation.accuracy(name)
        total[name] = {
            "correct": accuracy.correct,
            "documents": accuracy.total,
            "accuracy": round(accuracy.value, 6),
        }
    return {
        "source": evaluation.source,
        "documents": documents,
        "total": total,
        "unscored": list(evaluation.unscored),
        "failed_thresholds": list(failures or []),
    }


def render_json(evaluation: Evaluation, failures: list[str] | None = None) -> str:
    """The evaluation as indented JSON text."""
    return json.dumps(as_json(evaluation, failures), indent=2, ensure_ascii=False) + "\n"
