"""Releases of the data package: diff two packages, classify the version bump, cut a release.

- :mod:`.snapshot`  a package folder or release zip read into memory (descriptor + typed rows)
- :mod:`.diff`      pure: what changed between two snapshots, the bump it needs, release notes
- :mod:`.history`   the releases/ folder: one copy of every released package, newest last
- :mod:`.archive`   a reproducible zip (sorted members, fixed times and permissions)
- :mod:`.datacard`  the README.md shipped in a release, generated from the descriptor
- :mod:`.records`   what a checkout knows of past releases (registry, git history, CHANGELOG)
- :mod:`.cut`       `dprk-records release`: validate, refuse a dirty tree, write dist/, record
"""
