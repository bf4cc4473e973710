"""Fault injection: ways to corrupt a valid package, each of which the validation gate must catch.

- :mod:`.tables`  read and rewrite a package's CSVs and descriptor (re-hashing what changed)
- :mod:`.sample`  hand-made extraction rows, so the extraction-table faults run on any build
- :mod:`.cases`   the corruptions, one function each, named after what they break
- :mod:`.runner`  run them in throwaway checkouts and tabulate which check caught each

Used by tests/test_fault_injection.py and scripts/fault_report.py.
"""
