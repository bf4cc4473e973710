"""The benchmark's own tools: corpus generation, timing a child, arithmetic and rendering (fast)."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import re
import sys
from pathlib import Path

import pytest

from dprk_records.pipeline.manifest import parse_manifest
from dprk_records.pipeline.read import read_seeds, scan_seeds
from dprk_records_tools.bench import forms, linearity
from dprk_records_tools.bench.corpus import (
    LONG_RANGE,
    LONG_SHARE,
    SHORT_MEDIAN,
    Writer,
    add_document,
    generate_corpus,
    make_document,
    make_pools,
    manifest_text,
    remove_document,
    target_length,
    write_corpus,
)
from dprk_records_tools.bench.linearity import ProbeResult
from dprk_records_tools.bench.load import load_times
from dprk_records_tools.bench.measure import Sample, machine_info, run_timed
from dprk_records_tools.bench.regex_floor import scan
from dprk_records_tools.bench.report import (
    BEGIN,
    END,
    BenchReport,
    SizeResult,
    check_targets,
    linear_fit,
    median,
    project_rss,
    ratio,
    render_results,
    replace_results,
)
from dprk_records_tools.bench.run import (
    CACHE_DIR,
    CACHED_OUT,
    PARQUET_OUT,
    _timed,
    analyses,
    cache_files,
    commands,
    compile_package,
    measure_incremental,
    prepare_corpus,
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


@pytest.fixture(scope="module")
def corpus_500() -> list:
    return generate_corpus(500, seed=20240407)


def test_lengths_follow_the_stated_distribution(corpus_500: list) -> None:
    """Most items 1-4 KB, a tail of 20-60 KB speeches and reports (module docstring)."""
    sizes = sorted(len(d.data) for d in corpus_500)

    def share(low: int, high: int) -> float:
        return sum(low <= n < high for n in sizes) / len(sizes)

    assert sizes[0] >= 1_000 and sizes[-1] <= 62_000
    assert 1_800 <= sizes[len(sizes) // 4] <= 2_600  # lower quartile
    assert 2_200 <= sizes[len(sizes) // 2] <= 3_300  # median
    assert share(1_000, 4_000) >= 0.65
    assert share(0, 5_000) >= 0.75
    assert 0.08 <= share(20_000, 62_000) <= 0.18
    assert share(12_500, 20_000) <= 0.02  # the gap between short items and the long tail


def test_target_lengths_have_the_stated_parameters() -> None:
    targets = [target_length(i, seed=1) for i in range(4000)]
    long = [t for t in targets if t >= LONG_RANGE[0]]
    short = sorted(t for t in targets if t < LONG_RANGE[0])
    assert abs(len(long) / len(targets) - LONG_SHARE) < 0.02
    assert min(long) >= LONG_RANGE[0] and max(long) <= LONG_RANGE[1]
    assert abs(short[len(short) // 2] - SHORT_MEDIAN) < 150


def test_long_items_are_speeches_and_reports_of_distinct_paragraphs(corpus_500: list) -> None:
    long = [d for d in corpus_500 if len(d.data) >= 20_000]
    assert {d.kind for d in long} == {"speech", "report"}
    for document in long:
        paragraphs = [p for p in document.text.split("\n\n") if len(p) > 200]
        assert len(paragraphs) >= 20
        assert len(set(paragraphs)) == len(paragraphs), document.document_id


def test_corpus_is_deterministic_and_has_no_duplicates(corpus_500: list) -> None:
    assert len({d.data for d in corpus_500}) == 500
    assert [make_document(i).data for i in (0, 77, 499)] == [
        corpus_500[i].data for i in (0, 77, 499)
    ]


# One marker per catalogued form (/work/shared/forms): a string or regex only that form writes.
_NAME = r"[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+"
FORM_MARKERS = {
    "L01": r"Present there were [^\n]*, and other officials concerned\.",
    "L02": r"(was present at the meeting|appeared on the platform|took the tribune of honor)\. "
    r"Present there were",
    "L03": r"Also (present there|accompanying him) were Vice-Premier ",
    "L04": r"Present at the (talks|ceremony|photo session|wreath-laying ceremony) were",
    "L05": r"(It|The session) was attended by",
    "L06": r"Among the spectators were",
    "L07": r"(was appreciated by|were on hand\.)",
    "L08": r"(commanding officers of the services and corps|guided the meetings of the "
    r"provincial committees respectively)",
    "L09": r"The platform was taken by",
    "L10": r"Seen on the platform were [^\n]*?; Premier",
    "L11": r"The tribune of honor and reviewing stands were taken by",
    "L12": r"presided over the meeting|The meeting was presided over by",
    "L13": r"It was guided by|guided the consultative meeting",
    "L14": rf"He was accompanied by {_NAME}(, {_NAME})* and ({_NAME}\.|other officials of the "
    r"departments)",
    "L15": r"He was accompanied by [^\n]*?; ",
    "L16": r"Accompanying him were KPA Vice Marshal",
    "L17": r"other officials who came to the border station to receive him",
    "L18": r"Seen at the border station to greet the leader were",
    "L19": r"saw the delegation off at the airport",
    "L20": r"Present at the talks from the DPRK side were",
    "L21": r"Present there on invitation were",
    "L22": r"Invited to the banquet were",
    "L23": r"Present there from the \w+ side were",
    "L24": r"Present at the dinner were [^\n]*?;",
    "L25": r"The funeral committee is formed with [^.]* as its members\.",
    "L26": r"Present there were members of the funeral committee",
    "L27": r"alternate members of the Political Bureau of the Party Central Committee to fill "
    r"vacancies",
    "L28": r"Deputies [A-Z][^.]* were elected vice-chairpersons",
    "L29": r"was awarded the Order of Labour; ",
    "L30": r" who are members of the Presidium",
    "L31": r"headed by Chairperson [^.]*widow of the war hero",
    "L32": r"Vice-Premiers [A-Z][^.]* and other members of the Cabinet",
    "L33": r"officials of working people's organizations and youth and students",
    "L34": r"and other senior officials of the Party, state and army",
    "L35": r"Flower baskets were sent by",
    "L36": r"(A report was made at the meeting|A speech was made at the ceremony)\. The speaker",
    "A01": r"and an organizational matter\.",
    "A02": r"recalled and elected to fill vacancies|dismissing, transferring and appointing",
    "A03": r"With the approval of the WPK Central Committee, Deputy [^.]*was by-elected",
    "A04": r"were elected secretaries of the Party Central Committee",
    "A05": r"as its vice-chairpersons",
    "A06": r"proclaimed that the respected Comrade Kim Jong Un",
    "A07": r"as delegates and observers to the congress",
    "A08": r"of all his posts including",
    "A09": r"appointed as new minister, according to the decree",
    "A10": r"was appointed DPRK ambassador to",
    "A11": r"According to the order, the military ranks of",
    "A12": r"The title of Vice Marshal of the KPA was awarded to",
    "A13": r"on the conferment was issued on",
    "A14": r"was conferred on [^.]*, and the (title|Order)[^.]* on ",
    "A15": r"went to [^.]* and that of Merited Doctor to|people including",
    "A16": r"conferred on the contributors",
    "A17": r"Order of DPRK Friendship First Class was awarded to",
    "A18": r"(patrol boat|launch vehicle) No\. \d+",
    "A19": r"was conferred posthumously on",
    "A20": r"made a report to be followed by speeches",
    "A21": r"A presidium of the session was formed",
    "B1 before name": r"Premier [A-Z][a-z]+ stressed|Colonel General of the KPA",
    "B1 who is": r"who is also member of",
    "B1 foreign": r"Foreign Minister of the Russian Federation",
    "B3 semicolons": r"its secretary general; ",
    "B4 C.C., the WPK": r"C\.C\., the WPK",
    "B6 epithets": r"eternal leaders of the Party and revolution",
    "B8 leader 2012-2016": r"first chairman of the National Defence Commission",
    "B8 leader 2021-": r"general secretary of the Workers' Party of Korea and president",
    "C3 headline verbs": r" (Held|Concludes|Takes Place|Convened)\n\n",
    "C3 enlarged": r"An enlarged meeting of the \w+ Plenary Meeting",
    "C4 sitting": r"-day sitting of the",
    "C5 decision": r"decided to convene the",
    "C6 reference": r"had been carried out since the",
}


def test_every_catalogued_form_appears_in_a_small_corpus(corpus_500: list) -> None:
    """Every listing (L01-L36), change (A01-A21), title (B) and event (C) form is written."""
    assert len(forms.LISTINGS) == 36 and len(forms.CHANGES) == 21
    assert {name for name, _ in forms.LISTINGS + forms.CHANGES} <= set(FORM_MARKERS)
    texts = "\n".join(d.text for d in corpus_500[:120])
    missing = [form for form, marker in FORM_MARKERS.items() if not re.search(marker, texts)]
    assert not missing


def test_each_form_writer_writes_its_own_marker() -> None:
    pools = make_pools()
    for name, write in forms.LISTINGS + forms.CHANGES:
        for trial in range(6):
            text = write(Writer(random.Random(f"{name}-{trial}"), pools))
            assert re.search(FORM_MARKERS[name], text), (name, text)


def test_a_person_title_changes_with_the_period_not_within_it() -> None:
    writer = Writer(random.Random(1), make_pools())
    names = make_pools().people[:50]
    writer.published = dt.date(2014, 3, 1)
    early = [writer.career_title(n) for n in names]
    assert early == [writer.career_title(n) for n in names]
    writer.published = dt.date(2023, 3, 1)
    assert (
        sum(a != b for a, b in zip(early, (writer.career_title(n) for n in names), strict=True))
        > 25
    )


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


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_an_added_document_is_the_next_of_the_corpus_and_is_taken_out_exactly(
    tmp_path: Path,
) -> None:
    seeds = tmp_path / "seeds"
    write_corpus(15, seeds, seed=5)
    before = _files(seeds)
    added = add_document(seeds, seed=5)
    assert added.path == seeds / "bench_000015.txt"
    entries = scan_seeds(seeds)  # sha256 against the manifest, ids, duplicates all checked
    assert [e.document_id for e in entries][-1] == "bench_000015" and len(entries) == 16
    assert entries[-1].manifest is not None
    write_corpus(16, tmp_path / "whole", seed=5)  # as if the corpus had 16 documents
    assert _files(seeds) == _files(tmp_path / "whole")
    remove_document(added)
    assert _files(seeds) == before


def test_an_added_document_is_never_one_already_there(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_corpus(3, seeds, seed=5)
    (seeds / "bench_000003.txt").write_text("a stray text")
    with pytest.raises(FileExistsError, match="not a corpus of documents 0 to 2"):
        add_document(seeds, seed=5)


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


def _report(validate_10k: float = 20.0, add_one_10k: float = 0.9) -> BenchReport:
    small = SizeResult(1000, 4_000_000, 2, table="paragraphs", table_rows=9000, table_bytes=10**6)
    small.build = [_sample(2.0, 50_000), _sample(2.2, 50_000), _sample(1.9, 50_000)]
    small.regex = [_sample(0.1)]
    small.build_serial = [_sample(3.0)]
    small.validate, small.frictionless = [_sample(3.0, 50_000)], [_sample(2.5)]
    small.load_ms = {"to_pandas": 5.5, "read_csv": 5.0, "read": 40.0}
    large = SizeResult(
        10000, 40_000_000, 2, table="paragraphs", table_rows=90000, table_bytes=10**7
    )
    large.build = [_sample(20.0), _sample(21.0), _sample(19.0)]
    large.build_serial = [_sample(30.0)]
    large.regex = [_sample(0.6), _sample(0.5), _sample(0.4)]
    large.validate, large.frictionless = [_sample(validate_10k)], [_sample(16.0)]
    large.load_ms = {"to_pandas": 40.0, "read_csv": 36.0, "read": 380.0, "to_pandas_parquet": 9.0}
    large.build_parquet = [_sample(25.0), _sample(24.0), _sample(26.0)]
    large.cache_fill = [_sample(22.0)]
    large.warm_rebuild = [_sample(4.0), _sample(5.0), _sample(4.4)]
    large.add_one = [_sample(add_one_10k), _sample(add_one_10k + 0.2)]
    large.warm_analysed, large.add_one_analysed = [0, 0, 0], [1, 1]
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
    assert not targets["our validation / frictionless, 10,000 documents"].met  # 20 / 16 = 1.25
    per_doc = targets["build ms per document (default workers), 10,000 documents"]
    assert (per_doc.measured, per_doc.met) == ("2.00", True)  # median 20 s / 10 000
    speed = targets["build MB/s (default workers), 10,000 documents"]
    assert (speed.measured, speed.met) == ("2.00", False)  # 40 MB in 20 s, under 4
    second = targets["speed-up from the second core, 10,000 documents"]
    assert (second.measured, second.met) == ("x1.50", False)  # 30 s / 20 s
    assert targets["speed-up from the second core, 1,000 documents"].measured == "x1.50"
    assert targets["peak RSS of the build (largest process), 10,000 documents"].met
    assert targets["import dprk_records"].met
    assert targets["warm to_pandas / pandas.read_csv, 1,000 documents"].met  # 5.5 / 5.0
    slow = {t.name: t for t in check_targets(_report(validate_10k=30.0))}
    assert not slow["our validation / frictionless, 10,000 documents"].met  # 1.88
    added = targets["add one document to 10,000 documents / full build"]
    assert (added.measured, added.limit, added.met) == ("5.0 %", "<= 5 %", True)  # 1.0 / 20
    slow = {t.name: t for t in check_targets(_report(add_one_10k=1.5))}
    assert not slow["add one document to 10,000 documents / full build"].met  # 8 %
    assert not [t for t in check_targets(_report()) if "1,000 documents / full" in t.name]


def test_results_render_the_incremental_and_parquet_measurements() -> None:
    results = render_results(_report())
    assert "### Incremental build (analysis cache; % of the cold build with default workers)" in (
        results
    )
    assert "| 10,000 | 20.00 | 22.00 | 4.40 | 22.0 % | 0 | 1.00 | 5.0 % | 1 |" in results
    assert "| 1,000 | 2.00 | n/a | n/a | n/a | n/a | n/a | n/a | n/a |" in results
    assert "### Parquet (`--format csv,parquet`: a typed Parquet copy beside each CSV)" in results
    assert "| 10,000 | 20.00 | 25.00 | 1.25 |" in results
    assert "| 10,000 | paragraphs | 9.0 | 36.0 | 0.25 | 40.0 |" in results
    assert "| 1,000 | paragraphs | n/a | 5.0 | n/a | 5.5 |" in results
    # the sections that were there before come first, unchanged
    assert (
        results.index("### Load")
        < results.index("### Incremental")
        < results.index("### Parquet")
        < results.index("## Targets")
    )


def test_results_render_every_size_in_order_and_replace_only_their_block() -> None:
    results = render_results(_report())
    assert results.index("| 1,000 |") < results.index("| 10,000 |")
    row = (
        "| 10,000 | 40.0 MB | 1 | 2 | 20.00 | 2.000 | 2.00 | 30.00 | 1.333 | 3.00 | x1.50 "
        "| 98 MB | 195 MB |"
    )
    assert row in results
    assert "| 10,000 | 40.0 MB | 0.50 | 80.0 | x40.0 | x60.0 |" in results  # the regex floor
    assert "| 1,000 | 4.0 MB | 0.10 | 40.0 | x20.0 | x30.0 |" in results
    assert (
        "Projected peak RSS of the default build at 200,000 documents: 1.1 GB largest process, "
        "2.2 GB all processes (a straight line through the peaks at 1,000, 10,000 documents: a "
        "projection, not a measurement)."
    ) in results
    assert "| 10,000 | 20.00 | 2.00 | 16.00 | 1.25 | n/a | n/a | 40.00 | 98 MB | 98 MB |" in results
    assert (
        "Projected peak RSS of our full validation at 200,000 documents: 1.1 GB largest process "
        "(a straight line through the peaks at 1,000, 10,000 documents" in results
    )
    document = "# Benchmarks\n\nanalysis before\n"
    once = replace_results(document, results)
    assert once.count(BEGIN) == once.count(END) == 1 and "analysis before" in once
    twice = replace_results(once + "\nanalysis after\n", "new results\n")
    assert "new results" in twice and results not in twice and "analysis after" in twice


def test_linear_fit_and_the_memory_projection() -> None:
    assert linear_fit([(1, 1.0), (2, 3.0), (3, 5.0)]) == pytest.approx((-1.0, 2.0))
    assert linear_fit([(1000, 5.0)]) is None  # one size: no slope
    assert linear_fit([(1, 1.0), (2, math.nan)]) is None
    report = _report()
    largest, tree = project_rss(report.sizes, 200_000)
    assert largest == pytest.approx(48.83 + 48.83 / 9000 * 199_000, rel=1e-3)
    assert tree == pytest.approx(2 * largest)
    one = project_rss(report.sizes[:1])
    assert math.isnan(one[0]) and math.isnan(one[1])
    assert "needs two or more sizes" in render_results(
        BenchReport({}, {}, [], {}, [1.0], report.sizes[:1])
    )


def test_regex_floor_reads_every_text_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kim Chol Min met Ri Song Hui in Pyongyang.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("nothing here", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("Not Read At All", encoding="utf-8")
    assert scan(tmp_path) == {"texts": 2, "characters": 54, "matches": 2}


_HOLD_30_MB = "import time; x = bytearray(30_000_000); time.sleep(0.3)"


def test_run_timed_measures_a_child_process() -> None:
    sample = run_timed([sys.executable, "-c", _HOLD_30_MB])
    assert sample.returncode == 0
    assert sample.seconds > 0
    assert sample.max_rss_kb > 25_000  # the child's own peak
    failed = run_timed([sys.executable, "-c", "raise SystemExit(3)"])
    assert failed.returncode == 3


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_child_is_not_charged_with_the_memory_of_the_process_that_runs_it() -> None:
    """The kernel's peak for a child (wait4) keeps the peak of the process that launched it: the
    benchmark holds pandas frames, and a build of 80 MB read as 111 MB. The peak is the
    command's own."""
    held = bytearray(200_000_000)
    held[::4096] = b"x" * len(held[::4096])  # resident, not only reserved
    small = run_timed([sys.executable, "-c", "import time; time.sleep(0.3)"])
    large = run_timed([sys.executable, "-c", _HOLD_30_MB])
    assert small.max_rss_kb < 100_000 < len(held) // 1024
    assert 25_000 < large.max_rss_kb < 100_000


def test_machine_info_names_what_the_report_needs() -> None:
    assert set(machine_info()) == {"cores", "memory", "cpu", "os", "python"}


def test_incremental_and_parquet_measurements_on_a_tiny_corpus(tmp_path: Path) -> None:
    """The commands as the benchmark runs them, on 12 documents (a few seconds)."""
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    timed = commands()
    assert timed["build_cached"][-2:] == ["--cache", CACHE_DIR]
    assert timed["build_parquet"][-3:] == ["--no-cache", "--format", "csv,parquet"]
    folder = tmp_path / "n12"
    prepare_corpus(folder, 12)
    seeds = _files(folder / "seeds")
    for what in ("build", "build_parquet"):
        _timed(timed[what], folder, what)
    result = SizeResult(12, 0, 1)
    for rep in (1, 2):
        measure_incremental(folder, result, rep, 2, log=lambda line: None)
    assert (len(result.cache_fill), len(result.warm_rebuild), len(result.add_one)) == (1, 2, 2)
    assert result.warm_analysed == [0, 0]
    assert result.add_one_analysed == [1, 1]  # its entry deleted: each repetition analyses it
    assert _files(folder / "seeds") == seeds
    kept = cache_files(folder / CACHE_DIR)  # an analysis and the fact rows of each document
    assert (len(kept), analyses(folder / CACHE_DIR, kept)) == (24, 12)
    assert (folder / CACHED_OUT / "datapackage.json").exists()
    documents = (folder / CACHED_OUT / "data" / "documents.csv").read_bytes().count(b"\n")
    assert documents == 12 + 1  # (the header): built again without the added document
    loads = load_times(folder / "datapackage", "paragraphs", 2, folder / PARQUET_OUT)
    assert set(loads) == {"to_pandas", "read_csv", "read", "to_pandas_parquet"}
    no_copy = load_times(folder / "datapackage", "paragraphs", 1, folder / "datapackage")
    assert set(no_copy) == {"to_pandas", "read_csv", "read"}  # a CSV read is not passed off


def test_long_sentence_probes_render_and_are_held_to_their_target() -> None:
    report = _report()
    report.linearity = [
        ProbeResult("elected members", 50, 400, 1000, 8000, 10.0, 80.0),  # x1.00
        ProbeResult("present there were", 50, 400, 1000, 8000, 10.0, 240.0),  # x3.00
    ]
    results = render_results(report)
    assert "### Linearity (one long sentence a document" in results
    assert "| elected members | 50 | 1.0 | 10.0 | 10.00 | 400 | 8.0 | 80.0 | 10.00 | x1.00 |" in (
        results
    )
    targets = {t.name: t for t in check_targets(report)}
    linear = targets["extraction time a character, elected members, 50 -> 400 names"]
    assert (linear.measured, linear.met) == ("x1.00", True)
    quadratic = targets["extraction time a character, present there were, 50 -> 400 names"]
    assert (quadratic.measured, quadratic.met) == ("x3.00", False)
    assert "### Linearity" not in render_results(_report())  # a report without the probes


def test_each_long_sentence_probe_lists_its_names_and_the_extractor_finds_them() -> None:
    from dprk_records.pipeline.extract.extractor import extract
    from dprk_records.pipeline.prepare import prepare
    from dprk_records.pipeline.read import SourceDocument

    names = linearity._names(12, linearity.DEFAULT_SEED)
    for probe, paragraph in linearity.PROBES.items():
        text = linearity._HEAD + paragraph(names) + "\n"
        source = SourceDocument("probe_0000000000000000", "probe.txt", text, "0" * 64, None)
        found = {p.name for p in extract(prepare(source)).persons}
        assert set(names) <= found, probe
    results = linearity.run_probes(small=3, large=6)
    assert [r.probe for r in results] == list(linearity.PROBES)
    assert all(r.small_chars < r.large_chars and r.small_ms > 0 for r in results)


def test_the_bench_compiles_the_package_before_timing_it() -> None:
    """The timed commands read bytecode, as from an installed wheel, even where
    PYTHONDONTWRITEBYTECODE keeps Python from writing it as it goes."""
    import importlib.util

    import dprk_records.pipeline.build as build_module

    compiled = Path(importlib.util.cache_from_source(build_module.__file__))
    assert compile_package()
    assert compiled.is_file()
    assert compiled.stat().st_mtime_ns >= Path(build_module.__file__).stat().st_mtime_ns
