"""`dprk-records release`: cut a release from a valid, committed package.

- :mod:`.cut`       run the gate, refuse a dirty tree, write dist/ (zip, notes, SHA256SUMS),
                    record the release under releases/ and in the loader's registry
- :mod:`.datacard`  the README.md shipped in a release, generated from its descriptor

It sits above :mod:`dprk_records.validate` (it runs the gate) and :mod:`dprk_records.release`
(it records what it cut), which is why it is a package of its own.
"""
