"""Outputs for people rather than programs, each a pure function over a package's loaded rows.

- :mod:`.loaded`      a package read for them: descriptor, typed rows, verbatim texts
- :mod:`.dictionary`  the data dictionary (Markdown) from the Table Schemas and the rows
- :mod:`.popolo`      persons, organizations, memberships and events as one Popolo JSON file
- :mod:`.viewer`      the evidence viewer: a static HTML site showing every fact in its source

`dprk-records docs`, `view` and `popolo` write them; `dprk-records release` ships all three.
"""
