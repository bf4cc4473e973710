"""Benchmark tools: a synthetic KCNA-style corpus, timing helpers and the BENCHMARKS.md table.

Only ``scripts/make_bench_corpus.py`` and ``scripts/bench.py`` (``nox -s bench``) use these; the
corpus is generated on demand for timing and is never data of the package.
"""
