"""The benchmark's own tools: corpus generation, timing a child, arithmetic and rendering (fast)."""

from __future__ import annotations

import hashlib
import math
import sys
from pathlib import Path

import pytest

from dprk_records.pipeline.manifest import parse_manifest
from dprk_records.pipeline.read import read_seeds
from dprk_records_tools.bench.corpus import (
    generate_corpus,
    make_document,
    manifest_text,
    write_corpus,
)
from dprk_records_tools.bench.measure import Sample, machine_info, run_timed
from dprk_records_tools.bench.report import (
    BEGIN,
    END,
    BenchReport,
    SizeResult,
    check_targets,
    median,
    ratio,
    render_results,
    replace_results,
)


def _digest(documents: list) -> str:
    return hashlib.sha256(b"".join(d.data for d in documents)).hexdigest()


def test_same_size_and_seed_give_the_same_bytes() -> None:
    assert _digest(generate_corpus(30, seed=7)) == _digest(generate_corpus(30, seed=7))
    assert _digest(generate_corpus(30, seed=7)) != _digest(generate_corpus(30, seed=8))


def test_a_document_does_not_depend_on_the_corpus_size() -> None:
    assert [d.text for d in generate_corpus(5, seed=3)] == [
        d.text for d in generate_corpus(12, seed=3)[:5]
    ]
    assert make_document(4, seed=3) == generate_corpus(5, seed=3)[4]


def test_documents_vary_and_use_the_forms_of_the_genre() -> None:
    documents = generate_corpus(60, seed=11)
    assert len({d.data for d in documents}) == 60
    texts = "\n".join(d.text for d in documents)
    for form in ("(KCNA) --", "Taking the platform were", "made a report \"", "under the ",
                 "inspected the", "percent", "-0-", "Dear comrades", "Kim II Sung"):  # fmt: skip
        assert form in texts, form
    assert {d.kind for d in documents} == {"report", "speech"}


def test_written_corpus_is_valid_seeds_with_a_manifest(tmp_path: Path) -> None:
    paths = write_corpus(15, tmp_path / "seeds", seed=5)
    assert len(paths) == 15
    manifest = parse_manifest((tmp_path / "seeds" / "manifest.csv").read_text(encoding="utf-8"))
    assert sorted(manifest) == sorted(p.stem for p in paths)
    sources = read_seeds(tmp_path / "seeds")  # sha256, dates and duplicates all checked
    assert [s.document_id for s in sources] == sorted(manifest)
    assert (
        manifest_text(generate_corpus(15, seed=5)) == (tmp_path / "seeds/manifest.csv").read_text()
    )


def test_corpus_is_never_mixed_into_a_folder_of_other_texts(tmp_path: Path) -> None:
    (tmp_path / "000_real_seed.txt").write_text("a real seed")
    with pytest.raises(FileExistsError, match="empty folder"):
        write_corpus(3, tmp_path)


def test_median_and_ratio() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert math.isnan(median([]))
    assert ratio(3.0, 2.0) == 1.5
    assert math.isnan(ratio(1.0, 0.0))
    assert math.isnan(ratio(math.nan, 1.0))


def _sample(seconds: float, rss: int = 100_000) -> Sample:
    return Sample(seconds, 0, rss, rss * 2)


def _report(validate_10k: float = 20.0) -> BenchReport:
    small = SizeResult(1000, 4_000_000, 2, table="paragraphs", table_rows=9000, table_bytes=10**6)
    small.build = [_sample(2.0), _sample(2.2), _sample(1.9)]
    small.build_serial = [_sample(3.0)]
    small.validate, small.frictionless = [_sample(3.0)], [_sample(2.5)]
    small.load_ms = {"to_pandas": 5.5, "read_csv": 5.0, "read": 40.0}
    large = SizeResult(
        10000, 40_000_000, 2, table="paragraphs", table_rows=90000, table_bytes=10**7
    )
    large.build = [_sample(20.0), _sample(21.0), _sample(19.0)]
    large.build_serial = [_sample(30.0)]
    large.validate, large.frictionless = [_sample(validate_10k)], [_sample(16.0)]
    large.load_ms = {"to_pandas": 40.0, "read_csv": 36.0, "read": 380.0}
    return BenchReport(
        {"cores": "2"},
        {"pandas": "3"},
        ["dprk-records build"],
        {1000: 3, 10000: 1},
        [1.0],
        [large, small],
    )


def test_targets_are_judged_from_medians() -> None:
    targets = {t.name: t for t in check_targets(_report())}
    total = targets["build + full validation of 10,000 documents"]
    assert (total.measured, total.met) == ("40.0 s", True)
    assert targets["build time per document (1 worker), 1,000 -> 10,000"].measured == "x1.00"
    assert targets["our validation / frictionless, 10,000 documents"].met  # 20 / 16 = 1.25
    assert targets["import dprk_records"].met
    assert targets["warm to_pandas / pandas.read_csv, 1,000 documents"].met  # 5.5 / 5.0
    slow = {t.name: t for t in check_targets(_report(validate_10k=30.0))}
    assert not slow["our validation / frictionless, 10,000 documents"].met  # 1.88


def test_results_render_every_size_in_order_and_replace_only_their_block() -> None:
    results = render_results(_report())
    assert results.index("| 1,000 |") < results.index("| 10,000 |")
    row = "| 10,000 | 40.0 MB | 1 | 2 | 20.00 | 2.00 | 30.00 | 3.00 | x1.50 | 98 MB | 195 MB |"
    assert row in results
    assert "| 10,000 | 20.00 | 2.00 | 16.00 | 1.25 | n/a | n/a | 40.00 |" in results
    document = "# Benchmarks\n\nanalysis before\n"
    once = replace_results(document, results)
    assert once.count(BEGIN) == once.count(END) == 1 and "analysis before" in once
    twice = replace_results(once + "\nanalysis after\n", "new results\n")
    assert "new results" in twice and results not in twice and "analysis after" in twice


def test_run_timed_measures_a_child_process() -> None:
    sample = run_timed([sys.executable, "-c", "x = bytearray(30_000_000)"])
    assert sample.returncode == 0
    assert sample.seconds > 0
    assert sample.max_rss_kb > 25_000  # the child's own peak, from wait4
    failed = run_timed([sys.executable, "-c", "raise SystemExit(3)"])
    assert failed.returncode == 3


def test_machine_info_names_what_the_report_needs() -> None:
    assert set(machine_info()) == {"cores", "memory", "cpu", "os", "python"}
