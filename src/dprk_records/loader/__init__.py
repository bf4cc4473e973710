"""The loader: what ``pip install dprk-records`` users run, with the standard library + pooch.

One module per job, so each can be read and tested alone:

- :mod:`.registry`  the released versions and their SHA-256 (``registry.json`` beside it)
- :mod:`.download`  URLs and the verified download (pooch, an injectable HTTP downloader)
- :mod:`.archive`   checks of a release zip (members, version, size limits), all-or-nothing
  extraction
- :mod:`.fetch`     the cache: verify every file on every open without writing, then (locked)
  refetch once or re-extract
- :mod:`.files`     opening only regular files: no link out of a folder, no FIFO, no device
- :mod:`.convert`   CSV cell -> Python value, by Table Schema field type
- :mod:`.package`   :class:`~.package.Package`, a data package folder on disk
- :mod:`.timeline`  a person's career (titles, changes, parts in events) from a package's rows
- :mod:`.dataframe` typed columns -> pandas (optional extra)
- :mod:`.api`       ``open``, ``load``, ``timeline``, ``versions``, ``fetch``, ``info``,
  ``format_info``
- :mod:`.errors`    the exceptions above raise

Nothing is imported here, so ``import dprk_records`` stays cheap; see ``dprk_records.__init__``.
"""
