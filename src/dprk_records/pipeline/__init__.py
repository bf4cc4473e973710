"""The build pipeline: read -> normalize -> extract -> resolve -> tables -> write.

Each stage is a pure function over documents; only read (seeds in) and write (package out) touch
files. Importing this package needs the ``[build]`` extra.
"""
