"""Benchmark results, the targets they are held to, and BENCHMARKS.md rendered from them.

Pure functions over plain data, so the arithmetic and the table can be tested without running
anything (tests/test_bench_tools.py).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from dprk_records_tools.bench.linearity import ProbeResult
from dprk_records_tools.bench.measure import Sample

# The targets of the benchmark (issue "Benchmarks at scale"), on the 2-core reference machine.
TARGET_BUILD_AND_VALIDATE_S = 60.0  # at the largest N (10 000 documents)
TARGET_VALIDATE_RATIO = 1.2  # our full validation / bare `frictionless validate`
TARGET_MS_PER_DOCUMENT = 10.0  # the default build (every core), each size
TARGET_SECOND_CORE = 1.8  # one-worker build / default build on 2 cores
TARGET_BUILD_MB_S = 4.0  # the default build's MB/s (the issue states it for extraction alone)
TARGET_PEAK_RSS_MB = 1024.0  # the default build's largest process, at TARGET_SIZE
TARGET_IMPORT_MS = 50.0  # `import dprk_records`
TARGET_LOAD_RATIO = 1.2  # warm DataFrame load / pandas.read_csv of the same CSV
TARGET_LINEAR_GROWTH = 1.15  # per-document build time may not grow more than this from N to 10N
TARGET_ADD_ONE_SHARE = 0.05  # build after adding one document / cold full build, at TARGET_SIZE
TARGET_PROBE_GROWTH = 1.5  # extraction time a character, a long sentence at 8x its names
TARGET_SIZE = 10_000  # the size the build + validate target is stated for
PROJECTED_DOCUMENTS = 200_000  # the archive's size, for the peak-memory projection


def median(values: Sequence[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(values) if values else math.nan


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, NaN when either is unknown or the denominator is 0."""
    if denominator == 0 or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator


def seconds(samples: Sequence[Sample]) -> float:
    """Median wall time of the runs."""
    return median([s.seconds for s in samples])


@dataclass
class SizeResult:
    """Every measurement at one corpus size."""

    documents: int
    corpus_bytes: int
    workers: int  # what `build` chose by default for this N
    build: list[Sample] = field(default_factory=list)
    build_serial: list[Sample] = field(default_factory=list)  # --workers 1
    validate: list[Sample] = field(default_factory=list)
    validate_serial: list[Sample] = field(default_factory=list)  # --workers 1
    frictionless: list[Sample] = field(default_factory=list)
    regex: list[Sample] = field(default_factory=list)  # one `re` pass over the texts
    build_parquet: list[Sample] = field(default_factory=list)  # cold, --format csv,parquet
    cache_fill: list[Sample] = field(default_factory=list)  # the build that fills the cache
    warm_rebuild: list[Sample] = field(default_factory=list)  # with the cache, nothing changed
    add_one: list[Sample] = field(default_factory=list)  # with the cache, one document added
    # documents each cached build analysed, counted as the cache entries it wrote
    warm_analysed: list[int] = field(default_factory=list)
    add_one_analysed: list[int] = field(default_factory=list)
    table: str = ""
    table_rows: int = 0
    table_bytes: int = 0
    # medians: to_pandas, read, read_csv; to_pandas_parquet when the Parquet copy was read
    load_ms: dict[str, float] = field(default_factory=dict)

    @property
    def build_s(self) -> float:
        return seconds(self.build)

    @property
    def validate_s(self) -> float:
        return seconds(self.validate)

    @property
    def frictionless_s(self) -> float:
        return seconds(self.frictionless)

    @property
    def build_ms_per_document(self) -> float:
        return ratio(1000 * self.build_s, self.documents)

    @property
    def serial_ms_per_document(self) -> float:
        """Per-document time of the one-process build: the algorithm's growth, whatever share
        of the second core other work on the machine leaves to the workers."""
        return ratio(1000 * seconds(self.build_serial), self.documents)

    @property
    def corpus_mb(self) -> float:
        return self.corpus_bytes / 1e6

    @property
    def build_mb_s(self) -> float:
        return ratio(self.corpus_mb, self.build_s)

    @property
    def serial_mb_s(self) -> float:
        return ratio(self.corpus_mb, seconds(self.build_serial))

    @property
    def regex_s(self) -> float:
        return seconds(self.regex)

    @property
    def regex_mb_s(self) -> float:
        """Throughput of the regex floor (one compiled pattern over every text, start-up
        included like every other command)."""
        return ratio(self.corpus_mb, self.regex_s)

    @property
    def build_regex_ratio(self) -> float:
        """How many regex-floor passes the default build costs."""
        return ratio(self.build_s, self.regex_s)

    @property
    def serial_regex_ratio(self) -> float:
        return ratio(seconds(self.build_serial), self.regex_s)

    @property
    def validate_ratio(self) -> float:
        return ratio(self.validate_s, self.frictionless_s)

    @property
    def load_ratio(self) -> float:
        return ratio(
            self.load_ms.get("to_pandas", math.nan), self.load_ms.get("read_csv", math.nan)
        )

    @property
    def parquet_build_ratio(self) -> float:
        """What writing the Parquet copies costs: CSV + Parquet build / CSV-only build."""
        return ratio(seconds(self.build_parquet), self.build_s)

    @property
    def warm_share(self) -> float:
        """A rebuild with the cache and nothing changed, as a share of the cold build."""
        return ratio(seconds(self.warm_rebuild), self.build_s)

    @property
    def add_one_share(self) -> float:
        """A build with the cache after adding one document, as a share of the cold build."""
        return ratio(seconds(self.add_one), self.build_s)

    @property
    def parquet_load_ratio(self) -> float:
        return ratio(
            self.load_ms.get("to_pandas_parquet", math.nan), self.load_ms.get("read_csv", math.nan)
        )

    @property
    def peak_rss_mb(self) -> float:
        return max((s.max_rss_kb for s in self.build), default=0) / 1024 or math.nan

    @property
    def peak_tree_mb(self) -> float:
        sampled = [s.tree_rss_kb for s in self.build if s.tree_rss_kb is not None]
        return max(sampled) / 1024 if sampled else math.nan

    @property
    def validate_peak_mb(self) -> float:
        """Our full validation's peak RSS, largest process (MB)."""
        return max((s.max_rss_kb for s in self.validate), default=0) / 1024 or math.nan

    @property
    def frictionless_peak_mb(self) -> float:
        return max((s.max_rss_kb for s in self.frictionless), default=0) / 1024 or math.nan


@dataclass
class BenchReport:
    """One run of the benchmark on one machine."""

    machine: dict[str, str]
    versions: dict[str, str]
    commands: list[str]
    reps: dict[int, int]  # N -> repetitions of each timed command
    import_ms: list[float]
    sizes: list[SizeResult]
    notes: list[str] = field(default_factory=list)
    linearity: list[ProbeResult] = field(default_factory=list)  # long sentences (linearity.py)


def linear_fit(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """(intercept, slope) of the least-squares line through the points; None for fewer than
    two distinct x (one size gives no slope) or any unknown y."""
    if any(math.isnan(y) for _, y in points) or len({x for x, _ in points}) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum(
        (x - mean_x) ** 2 for x, _ in points
    )
    return mean_y - slope * mean_x, slope


def project_rss(
    sizes: Sequence[SizeResult], documents: int = PROJECTED_DOCUMENTS
) -> tuple[float, float]:
    """Projected peak RSS (MB) of the default build at ``documents``: (largest process, all
    processes), by a straight line through the measured sizes; NaN where it cannot be fitted."""
    return project(sizes, "peak_rss_mb", documents), project(sizes, "peak_tree_mb", documents)


def project(sizes: Sequence[SizeResult], measure: str, documents: int) -> float:
    """The value of the SizeResult property ``measure`` at ``documents``, by a straight line
    through the measured sizes; NaN where it cannot be fitted."""
    fit = linear_fit([(s.documents, getattr(s, measure)) for s in sizes])
    return math.nan if fit is None else fit[0] + fit[1] * documents


def _projected(peaks: Sequence[tuple[float, str]], sizes: Sequence[SizeResult]) -> str:
    """Projected peaks in words: each in GB with what it is of ("largest process"), and the
    sizes they were fitted through."""
    if all(math.isnan(value) for value, _ in peaks):
        return "needs two or more sizes in one run"
    fitted = ", ".join(f"{s.documents:,}" for s in sizes)
    values = ", ".join(f"{_f(value / 1024, 1)} GB {what}" for value, what in peaks)
    return (
        f"{values} (a straight line through the peaks at {fitted} documents: a projection, "
        "not a measurement)"
    )


@dataclass(frozen=True)
class Target:
    """One target, the value measured and whether it is met."""

    name: str
    measured: str
    limit: str
    met: bool


def check_targets(report: BenchReport) -> list[Target]:
    """Each target of the benchmark against the measurements."""
    targets = []
    sizes = sorted(report.sizes, key=lambda s: s.documents)
    if sizes:
        stated = [s for s in sizes if s.documents == TARGET_SIZE]
        largest = stated[0] if stated else sizes[-1]
        total = largest.build_s + largest.validate_s
        targets.append(
            Target(
                f"build + full validation of {largest.documents:,} documents",
                f"{total:.1f} s",
                f"<= {TARGET_BUILD_AND_VALIDATE_S:.0f} s",
                total <= TARGET_BUILD_AND_VALIDATE_S,
            )
        )
    for smaller, larger in itertools.pairwise(sizes):
        growth = ratio(larger.serial_ms_per_document, smaller.serial_ms_per_document)
        targets.append(
            Target(
                f"build time per document (1 worker), {smaller.documents:,} -> "
                f"{larger.documents:,}",
                f"x{growth:.2f}",
                f"<= x{TARGET_LINEAR_GROWTH:.2f}",
                growth <= TARGET_LINEAR_GROWTH,
            )
        )
    for size in sizes:
        targets.append(
            Target(
                f"build ms per document (default workers), {size.documents:,} documents",
                f"{size.build_ms_per_document:.2f}",
                f"<= {TARGET_MS_PER_DOCUMENT:.0f}",
                size.build_ms_per_document <= TARGET_MS_PER_DOCUMENT,
            )
        )
        targets.append(
            Target(
                f"build MB/s (default workers), {size.documents:,} documents",
                f"{size.build_mb_s:.2f}",
                f">= {TARGET_BUILD_MB_S:.0f}",
                size.build_mb_s >= TARGET_BUILD_MB_S,
            )
        )
        if size.workers >= 2:
            gain = ratio(size.serial_ms_per_document, size.build_ms_per_document)
            targets.append(
                Target(
                    f"speed-up from the second core, {size.documents:,} documents",
                    f"x{gain:.2f}",
                    f">= x{TARGET_SECOND_CORE:.1f}",
                    gain >= TARGET_SECOND_CORE,
                )
            )
    memory = [s for s in sizes if s.documents == TARGET_SIZE]
    if memory:
        peak = memory[0].peak_rss_mb
        targets.append(
            Target(
                f"peak RSS of the build (largest process), {TARGET_SIZE:,} documents",
                f"{peak:,.0f} MB",
                f"<= {TARGET_PEAK_RSS_MB:,.0f} MB",
                peak <= TARGET_PEAK_RSS_MB,
            )
        )
    for size in sizes:
        targets.append(
            Target(
                f"our validation / frictionless, {size.documents:,} documents",
                f"{size.validate_ratio:.2f}",
                f"<= {TARGET_VALIDATE_RATIO}",
                size.validate_ratio <= TARGET_VALIDATE_RATIO,
            )
        )
    added = [s for s in sizes if s.add_one]
    if added:
        stated = [s for s in added if s.documents == TARGET_SIZE]
        largest = stated[0] if stated else added[-1]
        share = largest.add_one_share
        targets.append(
            Target(
                f"add one document to {largest.documents:,} documents / full build",
                _percent(share),
                f"<= {100 * TARGET_ADD_ONE_SHARE:.0f} %",
                share <= TARGET_ADD_ONE_SHARE,
            )
        )
    for probe in report.linearity:
        targets.append(
            Target(
                f"extraction time a character, {probe.probe}, {probe.small_names} -> "
                f"{probe.large_names} names",
                f"x{probe.growth:.2f}",
                f"<= x{TARGET_PROBE_GROWTH:.1f}",
                probe.growth <= TARGET_PROBE_GROWTH,
            )
        )
    imported = median(report.import_ms)
    targets.append(
        Target(
            "import dprk_records",
            f"{imported:.1f} ms",
            f"< {TARGET_IMPORT_MS:.0f} ms",
            imported < TARGET_IMPORT_MS,
        )
    )
    for size in sizes:
        targets.append(
            Target(
                f"warm to_pandas / pandas.read_csv, {size.documents:,} documents",
                f"{size.load_ratio:.2f}",
                f"<= {TARGET_LOAD_RATIO}",
                size.load_ratio <= TARGET_LOAD_RATIO,
            )
        )
    return targets


def _f(value: float, digits: int = 2) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.{digits}f}"


def _percent(share: float) -> str:
    return "n/a" if math.isnan(share) else f"{100 * share:,.1f} %"


def render_tables(report: BenchReport) -> str:
    """The result tables (build, regex floor and memory, validate, load, incremental build,
    Parquet, linearity) as Markdown."""
    sizes = sorted(report.sizes, key=lambda s: s.documents)
    lines = [
        "### Build",
        "",
        "| documents | corpus | reps | workers | build s | MB/s | ms/doc | 1 worker s "
        "| 1 worker MB/s | 1 worker ms/doc | speed-up | peak RSS, largest process "
        "| peak RSS, all processes |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for s in sizes:
        serial = seconds(s.build_serial)
        lines.append(
            f"| {s.documents:,} | {s.corpus_mb:.1f} MB | {report.reps.get(s.documents, 0)} "
            f"| {s.workers} | {_f(s.build_s)} | {_f(s.build_mb_s, 3)} "
            f"| {_f(s.build_ms_per_document)} | {_f(serial)} | {_f(s.serial_mb_s, 3)} "
            f"| {_f(s.serial_ms_per_document)} | x{_f(ratio(serial, s.build_s))} "
            f"| {_f(s.peak_rss_mb, 0)} MB | {_f(s.peak_tree_mb, 0)} MB |"
        )
    largest, tree = project_rss(sizes)
    projection = _projected([(largest, "largest process"), (tree, "all processes")], sizes)
    lines += [
        "",
        f"Projected peak RSS of the default build at {PROJECTED_DOCUMENTS:,} documents: "
        f"{projection}.",
        "",
        "### Extraction floor (one `re` pass over the same texts)",
        "",
        "| documents | corpus | `re` pass s | `re` MB/s | build / `re` | 1 worker build / `re` |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        lines.append(
            f"| {s.documents:,} | {s.corpus_mb:.1f} MB | {_f(s.regex_s)} | {_f(s.regex_mb_s, 1)} "
            f"| x{_f(s.build_regex_ratio, 1)} | x{_f(s.serial_regex_ratio, 1)} |"
        )
    lines += [
        "",
        "### Validate",
        "",
        "| documents | our full validation s | ms/doc | bare frictionless s "
        "| ours / frictionless | 1 process s | 1 process / frictionless | build + validate s "
        "| peak RSS, ours | peak RSS, frictionless |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        serial = seconds(s.validate_serial)
        lines.append(
            f"| {s.documents:,} | {_f(s.validate_s)} | {_f(ratio(1000 * s.validate_s, s.documents))} "
            f"| {_f(s.frictionless_s)} | {_f(s.validate_ratio)} | {_f(serial)} "
            f"| {_f(ratio(serial, s.frictionless_s))} | {_f(s.build_s + s.validate_s)} "
            f"| {_f(s.validate_peak_mb, 0)} MB | {_f(s.frictionless_peak_mb, 0)} MB |"
        )
    validation_peak = project(sizes, "validate_peak_mb", PROJECTED_DOCUMENTS)
    validation_projection = _projected([(validation_peak, "largest process")], sizes)
    lines += [
        "",
        "Peak RSS: each command's largest process (our validation runs frictionless in a "
        "second process when it has two cores). Projected peak RSS of our full validation at "
        f"{PROJECTED_DOCUMENTS:,} documents: "
        f"{validation_projection}.",
        "",
        "### Load (warm: second and later loads in one process; largest table by bytes)",
        "",
        f"`import dprk_records`: {_f(median(report.import_ms), 1)} ms "
        f"(median of {len(report.import_ms)} fresh interpreters).",
        "",
        "| documents | table | rows | CSV | `to_pandas` ms | `pandas.read_csv` ms "
        "| to_pandas / read_csv | `read` (rows) ms | read / read_csv |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        frame, csv_ms, rows = (
            s.load_ms.get(k, math.nan) for k in ("to_pandas", "read_csv", "read")
        )
        lines.append(
            f"| {s.documents:,} | {s.table} | {s.table_rows:,} | {s.table_bytes / 1e6:.1f} MB "
            f"| {_f(frame, 1)} | {_f(csv_ms, 1)} | {_f(s.load_ratio)} | {_f(rows, 1)} "
            f"| {_f(ratio(rows, csv_ms))} |"
        )
    tail = _incremental_lines(sizes) + _parquet_lines(sizes) + _linearity_lines(report.linearity)
    return "\n".join(lines + tail) + "\n"


def _counts(values: Sequence[int]) -> str:
    """Documents analysed in each repetition: one number when they agree."""
    if not values:
        return "n/a"
    distinct = sorted(set(values))
    return f"{distinct[0]:,}" if len(distinct) == 1 else ", ".join(f"{v:,}" for v in values)


def _incremental_lines(sizes: Sequence[SizeResult]) -> list[str]:
    """The builds with the analysis cache, against the cold build of the same corpus."""
    lines = [
        "",
        "### Incremental build (analysis cache; % of the cold build with default workers)",
        "",
        "| documents | cold build s | cache fill s | warm rebuild, no change s | % of full build "
        "| analysed | add one document s | % of full build | analysed |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        lines.append(
            f"| {s.documents:,} | {_f(s.build_s)} | {_f(seconds(s.cache_fill))} "
            f"| {_f(seconds(s.warm_rebuild))} | {_percent(s.warm_share)} "
            f"| {_counts(s.warm_analysed)} | {_f(seconds(s.add_one))} "
            f"| {_percent(s.add_one_share)} | {_counts(s.add_one_analysed)} |"
        )
    lines += [
        "",
        '"analysed": the documents a build analysed rather than took from the cache, counted '
        "as the analysis entries it wrote (the cache also keeps each document's fact rows, in "
        "rows/, reused while the ids they name stay the same). The entries of the added "
        "document are deleted after each repetition, so every repetition analyses it afresh.",
    ]
    return lines


def _parquet_lines(sizes: Sequence[SizeResult]) -> list[str]:
    """The cold build with Parquet copies, and the warm load of the largest table from one."""
    lines = [
        "",
        "### Parquet (`--format csv,parquet`: a typed Parquet copy beside each CSV)",
        "",
        "| documents | CSV-only build s | CSV + Parquet build s | CSV + Parquet / CSV-only |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        lines.append(
            f"| {s.documents:,} | {_f(s.build_s)} | {_f(seconds(s.build_parquet))} "
            f"| {_f(s.parquet_build_ratio)} |"
        )
    lines += [
        "",
        "Warm load of the largest table (as under Load) from the package with Parquet copies:",
        "",
        "| documents | table | `to_pandas` from Parquet ms | `pandas.read_csv` ms "
        "| Parquet to_pandas / read_csv | `to_pandas` from CSV ms |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for s in sizes:
        parquet, csv_ms, frame = (
            s.load_ms.get(k, math.nan) for k in ("to_pandas_parquet", "read_csv", "to_pandas")
        )
        lines.append(
            f"| {s.documents:,} | {s.table} | {_f(parquet, 1)} | {_f(csv_ms, 1)} "
            f"| {_f(s.parquet_load_ratio)} | {_f(frame, 1)} |"
        )
    return lines


def _linearity_lines(probes: Sequence[ProbeResult]) -> list[str]:
    if not probes:
        return []
    lines = [
        "",
        "### Linearity (one long sentence a document: normalize + extract, best CPU time)",
        "",
        "| probe | names | KB | ms | us/char | names | KB | ms | us/char | growth a char |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in probes:
        lines.append(
            f"| {p.probe} | {p.small_names} | {_f(p.small_chars / 1000, 1)} "
            f"| {_f(p.small_ms, 1)} | {_f(p.small_us_per_char)} | {p.large_names} "
            f"| {_f(p.large_chars / 1000, 1)} | {_f(p.large_ms, 1)} "
            f"| {_f(p.large_us_per_char)} | x{_f(p.growth)} |"
        )
    return lines


def render_targets(targets: Sequence[Target]) -> str:
    """The targets as a Markdown table."""
    lines = ["| target | measured | limit | met |", "| --- | ---: | ---: | :---: |"]
    for t in targets:
        lines.append(f"| {t.name} | {t.measured} | {t.limit} | {'yes' if t.met else '**no**'} |")
    return "\n".join(lines) + "\n"


def render_results(report: BenchReport) -> str:
    """The generated part of BENCHMARKS.md: machine, commands, tables, targets."""
    machine = "\n".join(f"- {key}: {value}" for key, value in report.machine.items())
    versions = ", ".join(f"{key} {value}" for key, value in report.versions.items())
    reps = ", ".join(f"{n:,} documents: {r}" for n, r in sorted(report.reps.items()))
    commands = "\n".join(f"    {command}" for command in report.commands)
    notes = "".join(f"\n{note}\n" for note in report.notes)
    return (
        f"## Machine\n\n{machine}\n- software: {versions}\n\n"
        f"## Commands (each timed as a child process; the median of the repetitions)\n\n"
        f"Repetitions: {reps}.\n\n{commands}\n{notes}\n"
        f"## Results\n\n{render_tables(report)}\n"
        f"## Targets\n\n{render_targets(check_targets(report))}"
    )


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def replace_results(document: str, results: str) -> str:
    """BENCHMARKS.md with the text between the bench markers replaced (appended if absent)."""
    block = f"{BEGIN}\n{results.rstrip()}\n{END}"
    if BEGIN in document and END in document:
        head, _, rest = document.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return head + block + tail
    return document.rstrip() + "\n\n" + block + "\n"
