"""The one reader of a data package folder: every part of dprk-records reads a package here.

- :mod:`.descriptor`  ``datapackage.json`` parsed, or a PackageError naming the file and why
- :mod:`.members`     the files a descriptor names: found inside the package, sizes and hashes
                      checked against what the descriptor records
- :mod:`.cells`       CSV cells to values by their Table Schema field: typed Python values (the
                      loader) or JSON-ready values that keep a bad cell as text (the gate)
- :mod:`.tables`      a table resource's CSV parsed: strictly (a ragged row or a bad cell is a
                      PackageError) or leniently (never raises on data: the gate reports it)

Three readings are built on it, one per kind of consumer:

- the gate's :class:`~dprk_records.validate.context.PackageContext`: lenient rows, every link
  refused, every problem kept for a finding;
- :class:`~dprk_records.release.snapshot.Snapshot` for diffs and release history: the same
  lenient rows, from a folder or a release zip;
- the loader's :class:`~dprk_records.loader.package.Package`: typed rows, hashes verified, a
  shape error raised at once.

Standard library only: the loader imports it, and ``import dprk_records`` must stay light.
"""
