"""Score a build against hand-made gold files: ``dprk-records evaluate --gold DIR``.

- :mod:`.fold`    string folding for matching (pure; property-tested)
- :mod:`.model`   the facts of one document, the shape gold and predictions share
- :mod:`.gold`    load gold files and validate them (schemas/gold.schema.json + consistency)
- :mod:`.predict` built tables -> per-document facts (how each prediction is derived)
- :mod:`.score`   metrics: precision, recall, F1 per document and micro-averaged
- :mod:`.report`  text and JSON rendering
"""

from __future__ import annotations

from pathlib import Path

from dprk_records.evaluate.score import Evaluation

__all__ = ["evaluate"]


def evaluate(
    gold_dir: Path, seeds_dir: Path | None = None, package_dir: Path | None = None
) -> Evaluation:
    """Score the tables built from ``seeds_dir`` (or read from ``package_dir``) against gold."""
    from dprk_records.evaluate.gold import load_gold_dir
    from dprk_records.evaluate.predict import predict, tables_from_package, tables_from_seeds
    from dprk_records.evaluate.score import score_all

    gold = load_gold_dir(gold_dir)
    if package_dir is not None:
        tables = tables_from_package(package_dir)
        source = {"gold": str(gold_dir), "package": str(package_dir)}
    else:
        seeds = seeds_dir if seeds_dir is not None else Path("seeds")
        tables = tables_from_seeds(seeds)
        source = {"gold": str(gold_dir), "seeds": str(seeds)}
    return score_all(gold, predict(tables), source)
