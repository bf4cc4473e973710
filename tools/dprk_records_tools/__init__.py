"""Maintainers' tooling, kept out of the wheel: benchmarks and fault injection.

- :mod:`.bench`   the benchmark corpus and ``nox -s bench`` (BENCHMARKS.md)
- :mod:`.faults`  corruptions of a valid package, each one the gate must catch

Tests and scripts put ``tools/`` on ``sys.path`` (pytest's ``pythonpath``, the scripts
themselves); nothing under ``src/dprk_records`` imports from here.
"""
