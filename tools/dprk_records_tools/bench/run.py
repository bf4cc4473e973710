"""Running the benchmark: corpora of N documents, each command timed in a child process.

For each N: write the corpus (a seeds folder with its manifest, and a CHANGELOG.md so that the
folder is a checkout and the whole gate runs), then, repetition by repetition and interleaved so
that drifting machine load falls on every command alike: the build (default workers), the build
on one worker, our full validation (default workers, then one process), bare
``frictionless validate``, the regex floor (one ``re`` pass over the same texts,
``regex_floor.py``) and the build with Parquet copies (``--format csv,parquet``, into
``datapackage-parquet``; when pyarrow is installed); then the incremental builds; last, the warm
load times of the largest table in one child process, from the CSV package and from the Parquet
one. Builds are cold: when ``dprk-records build`` has a per-document analysis cache, every timed
build runs with ``--no-cache``, or the repetitions after the first would time the cache.
``import dprk_records`` is timed in fresh interpreters, once for all N, and so are, in a child
process, the long-sentence probes (:mod:`~dprk_records_tools.bench.linearity`), whose time a
character says whether extraction stays linear in a sentence's length.

The incremental builds use the analysis cache in ``.analysis-cache`` (inside the corpus folder,
outside seeds/ and every package) and write their own package, ``datapackage-cached``, so the
package the other commands read never holds N + 1 documents. In the first repetition one build
fills the cache; in each, one rebuild with nothing changed, then one after adding the corpus's
next document (``corpus.add_document``: its text and manifest row). The document, its manifest
row and its cache entry are taken out again after, so every repetition adds a document the cache
has not seen and the corpus is N documents for everything else.

Before anything is timed the package's modules are compiled to bytecode (:func:`compile_package`),
as installing it from a wheel does: from an editable install, in an environment that sets
``PYTHONDONTWRITEBYTECODE`` (this project's CI machines do), every command would otherwise
compile each module again as it starts, some 0.15 s an installed copy never pays.
"""

from __future__ import annotations

import compileall
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from dprk_records_tools.bench.corpus import (
    DEFAULT_SEED,
    add_document,
    remove_document,
    write_corpus,
)
from dprk_records_tools.bench.linearity import LARGE_NAMES, SMALL_NAMES, ProbeResult
from dprk_records_tools.bench.measure import Sample, machine_info, run_timed
from dprk_records_tools.bench.report import BenchReport, SizeResult

PYTHON = [sys.executable, "-m", "dprk_records.cli"]
IMPORT_SNIPPET = (
    "import time; t = time.perf_counter(); import dprk_records; "
    "print(1000 * (time.perf_counter() - t))"
)


def frictionless_command() -> list[str]:
    """The `frictionless` script of this environment (beside this Python, else on PATH)."""
    beside = Path(sys.executable).with_name("frictionless")
    found = str(beside) if beside.exists() else shutil.which("frictionless")
    if found is None:
        raise FileNotFoundError("no `frictionless` command: install the [build] extra")
    return [found]


TOOLS = Path(__file__).resolve().parents[2]  # the tools/ folder, for child processes
CACHE_DIR = ".analysis-cache"  # the build refuses a cache inside seeds/ or its --out
CACHED_OUT = "datapackage-cached"
PARQUET_OUT = "datapackage-parquet"
REGEX_FLOOR = [sys.executable, str(Path(__file__).with_name("regex_floor.py")), "seeds"]


@cache
def cold_build_flags() -> tuple[str, ...]:
    """``--no-cache`` when this build has an analysis cache (so every timed build is cold)."""
    shown_help = subprocess.run(
        [*PYTHON, "build", "--help"], capture_output=True, text=True, check=True
    ).stdout
    return ("--no-cache",) if "--no-cache" in shown_help else ()


def commands() -> dict[str, list[str]]:
    """The timed commands, run inside the folder of each corpus."""
    build = [*PYTHON, "build", "--seeds", "seeds", "--out", "datapackage", "--quiet"]
    build += cold_build_flags()
    parquet = [*PYTHON, "build", "--seeds", "seeds", "--out", PARQUET_OUT, "--quiet"]
    cached = [*PYTHON, "build", "--seeds", "seeds", "--out", CACHED_OUT, "--quiet"]
    return {
        "build": build,
        "build_serial": [*build, "--workers", "1"],
        "validate": [*PYTHON, "validate", "datapackage", "--quiet"],
        "validate_serial": [*PYTHON, "validate", "datapackage", "--quiet", "--workers", "1"],
        "frictionless": [*frictionless_command(), "validate", "datapackage/datapackage.json"],
        "regex": REGEX_FLOOR,
        "build_parquet": [*parquet, *cold_build_flags(), "--format", "csv,parquet"],
        "build_cached": [*cached, "--cache", CACHE_DIR],
    }


def parquet_available() -> bool:
    """Whether builds here can write Parquet copies (pyarrow, from the ``sql`` extra)."""
    return importlib.util.find_spec("pyarrow") is not None


def cache_files(cache: Path) -> set[Path]:
    """Every entry of the analysis cache: one per analysed document, and in rows/ one per
    document whose fact rows were made (resolve's pass two); not the lists of known hashes
    in known/ nor the journals in journal/, which a build rewrites."""
    if not cache.exists():
        return set()
    return {path for path in cache.rglob("*.pickle") if path.is_file()}


def analyses(cache: Path, written: set[Path]) -> int:
    """How many of the ``written`` cache files are analyses (not pass-two rows)."""
    return sum(1 for path in written if path.parent.parent == cache)


def timed_cached_build(folder: Path, what: str) -> tuple[Sample, set[Path]]:
    """One build with the analysis cache, and the cache entries it wrote (one per document it
    analysed rather than took from the cache, and one per document whose rows it made for the
    first time)."""
    before = cache_files(folder / CACHE_DIR)
    sample = _timed(commands()["build_cached"], folder, what)
    return sample, cache_files(folder / CACHE_DIR) - before


def measure_incremental(
    folder: Path, result: SizeResult, rep: int, reps: int, log: Callable[[str], None] = print
) -> None:
    """The builds with the analysis cache of one repetition (the first fills the cache first):
    nothing changed, then one document added -- taken out again with its cache entry after, and
    the package built again (not timed), so the corpus, the cache, the package and its journal
    are as before and the next repetition's warm rebuild changes nothing."""
    documents = result.documents
    if not result.cache_fill:
        shutil.rmtree(folder / CACHE_DIR, ignore_errors=True)  # a fill from an empty cache
        sample, written = timed_cached_build(folder, "cache fill")
        result.cache_fill.append(sample)
        fill = analyses(folder / CACHE_DIR, written)
        log(f"  {documents:>6} docs  cache fill ({fill} analyses) {sample.seconds:7.2f} s")
    sample, written = timed_cached_build(folder, "warm rebuild")
    result.warm_rebuild.append(sample)
    result.warm_analysed.append(analyses(folder / CACHE_DIR, written))
    log(f"  {documents:>6} docs  rep {rep}/{reps}  {'warm_rebuild':<13} {sample.seconds:7.2f} s")
    added = add_document(folder / "seeds")
    try:
        sample, written = timed_cached_build(folder, "add one document")
    finally:
        remove_document(added)
    for entry in written:
        entry.unlink()
    _timed(commands()["build_cached"], folder, "the package without the document again")
    result.add_one.append(sample)
    result.add_one_analysed.append(analyses(folder / CACHE_DIR, written))
    log(f"  {documents:>6} docs  rep {rep}/{reps}  {'add_one':<13} {sample.seconds:7.2f} s")


def shown(command: Sequence[str]) -> str:
    """A command as a person types it (``python -m ...`` for this interpreter)."""
    words = ["python" if word == sys.executable else word for word in command]
    words = [
        "tools/dprk_records_tools/bench/regex_floor.py" if w == REGEX_FLOOR[1] else w for w in words
    ]
    if words and words[0].endswith("/frictionless"):
        words[0] = "frictionless"
    return " ".join(words)


def prepare_corpus(folder: Path, documents: int, seed: int = DEFAULT_SEED) -> int:
    """Write the corpus and a CHANGELOG.md into ``folder`` (emptied first); its size in bytes."""
    from dprk_records.schemas import package_meta

    if folder.exists():
        shutil.rmtree(folder)
    paths = write_corpus(documents, folder / "seeds", seed)
    (folder / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## {package_meta().version}\n\n- Benchmark corpus.\n", encoding="utf-8"
    )
    return sum(path.stat().st_size for path in paths)


def _timed(command: list[str], folder: Path, what: str) -> Sample:
    sample = run_timed(command, cwd=folder)
    if sample.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {sample.returncode}) in {folder}: {command}")
    return sample


def largest_table(package: Path) -> tuple[str, int, int]:
    """(name, rows, bytes) of the table with the largest CSV file."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r for r in descriptor["resources"] if r.get("type") == "table"]
    biggest = max(tables, key=lambda r: (r["bytes"], r["name"]))
    path = package / biggest["path"]
    rows = path.read_bytes().count(b"\n") - 1  # an upper bound when texts hold line breaks
    return biggest["name"], rows, biggest["bytes"]


def measure_size(
    folder: Path, documents: int, reps: int, log: Callable[[str], None] = print
) -> SizeResult:
    """Every measurement at one size (the corpus must already be in ``folder``)."""
    from dprk_records.pipeline.pool import default_workers

    corpus = sum(p.stat().st_size for p in (folder / "seeds").glob("*.txt"))
    result = SizeResult(documents, corpus, default_workers(documents))
    timed = commands()
    cold = ["build_serial", "build", "validate_serial", "validate", "frictionless", "regex"]
    if parquet_available():
        cold.append("build_parquet")
    else:
        log("  no pyarrow (the sql extra): the build with Parquet copies is not measured")
    for rep in range(1, reps + 1):
        for what in cold:
            sample = _timed(timed[what], folder, what)
            getattr(result, what).append(sample)
            log(f"  {documents:>6} docs  rep {rep}/{reps}  {what:<13} {sample.seconds:7.2f} s")
        measure_incremental(folder, result, rep, reps, log)
    result.table, result.table_rows, result.table_bytes = largest_table(folder / "datapackage")
    load_reps = "7" if documents >= 10_000 else "31"  # small tables: more runs, steadier medians
    load = subprocess.run(
        [
            sys.executable,
            "-m",
            "dprk_records_tools.bench.load",
            "datapackage",
            result.table,
            load_reps,
            *([PARQUET_OUT] if result.build_parquet else []),
        ],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
        env=_tools_env(),
    )
    result.load_ms = json.loads(load.stdout)
    log(f"  {documents:>6} docs  load {result.table}: {result.load_ms}")
    if load.stderr.strip():
        log(f"  {documents:>6} docs  load: {load.stderr.strip()}")
    return result


def _tools_env() -> dict[str, str]:
    """This environment with tools/ on PYTHONPATH, for a child that imports the bench tools."""
    path = os.pathsep.join(filter(None, [str(TOOLS), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


LINEARITY = [sys.executable, "-m", "dprk_records_tools.bench.linearity"]


def measure_linearity(small: int = SMALL_NAMES, large: int = LARGE_NAMES) -> list[ProbeResult]:
    """The long-sentence probes (:mod:`~dprk_records_tools.bench.linearity`), in a fresh child
    process so that nothing the benchmark holds shares its memory or its caches."""
    out = subprocess.run(
        [*LINEARITY, str(small), str(large)],
        check=True,
        capture_output=True,
        text=True,
        env=_tools_env(),
    )
    return [ProbeResult(**item) for item in json.loads(out.stdout)]


def measure_import(reps: int = 15) -> list[float]:
    """Milliseconds of ``import dprk_records`` in ``reps`` fresh interpreters."""
    times = []
    for _ in range(reps):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT_SNIPPET], check=True, capture_output=True, text=True
        )
        times.append(float(out.stdout))
    return times


def software_versions() -> dict[str, str]:
    from importlib.metadata import version

    from dprk_records import __version__

    found = {"dprk-records": __version__}
    for name in ("frictionless", "pandas", "jsonschema"):
        try:
            found[name] = version(name)
        except Exception:  # not installed: leave it out
            continue
    return found


def compile_package() -> bool:
    """Write the bytecode of every module of the package the timed commands run (beside its
    sources, where Python looks for it first); whether all of them compiled."""
    import dprk_records

    return bool(compileall.compile_dir(Path(dprk_records.__file__).parent, quiet=1))


def run_bench(
    sizes: Sequence[int],
    reps: dict[int, int],
    work: Path,
    seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = print,
) -> BenchReport:
    """Generate each corpus under ``work`` and measure it; the full report."""
    if not compile_package():
        raise RuntimeError("the package's modules do not all compile")
    results = []
    for documents in sizes:
        folder = work / f"n{documents}"
        log(f"corpus of {documents:,} documents in {folder}")
        prepare_corpus(folder, documents, seed)
        results.append(measure_size(folder, documents, reps[documents], log))
    log("import time")
    imports = measure_import()
    log(f"linearity: long sentences of {SMALL_NAMES} and {LARGE_NAMES} names")
    linearity = measure_linearity()
    timed = commands()
    listed = [
        f"python scripts/make_bench_corpus.py N n$N/seeds --seed {seed}   # then, in n$N/:",
        *(shown(timed[w]) for w in ("build", "build_serial", "validate", "validate_serial")),
        shown(timed["frictionless"]),
        shown(timed["regex"]) + "   # the regex floor",
        shown(timed["build_parquet"]) + "   # with Parquet copies",
        f"rm -rf {CACHE_DIR}; {shown(timed['build_cached'])}   # fills the cache (first rep)",
        shown(timed["build_cached"]) + "   # warm rebuild, no change",
        'python -c "from pathlib import Path; from dprk_records_tools.bench.corpus import '
        "add_document; add_document(Path('seeds'))\"   # document N+1 and its manifest row",
        shown(timed["build_cached"])
        + "   # add one document; then its text, manifest row and cache entry are taken out",
        f"python -m dprk_records_tools.bench.load datapackage TABLE REPS {PARQUET_OUT}"
        "   # warm loads, interleaved",
        f'python -c "{IMPORT_SNIPPET}"',
        f"PYTHONPATH=tools python -m dprk_records_tools.bench.linearity {SMALL_NAMES} "
        f"{LARGE_NAMES}   # long sentences, once",
    ]
    return BenchReport(
        machine_info(),
        software_versions(),
        listed,
        dict(reps),
        imports,
        results,
        linearity=linearity,
    )
