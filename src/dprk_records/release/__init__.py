"""What a checkout knows of its releases, and how two packages differ.

- :mod:`.snapshot`  a package folder or release zip read into memory (descriptor + rows)
- :mod:`.diff`      pure: what changed between two snapshots, the bump it needs, release notes
- :mod:`.history`   the releases/ folder: one copy of every released package, newest last
- :mod:`.archive`   a reproducible zip (sorted members, fixed times and permissions)
- :mod:`.records`   what a checkout knows of past releases (registry, git history, CHANGELOG)

The gate reads these (is the version bumped as the diff requires? are the records intact?), so
nothing here runs the gate: cutting a release, which does, is :mod:`dprk_records.publish`.
"""
