"""A table in columnar form: the Arrow schema, the Parquet metadata and the Parquet file that a
table's Table Schema implies, shared by the build (``build --format csv,parquet``), the gate
(:mod:`dprk_records.validate.parquet`) and the loader's export (``Package.to_parquet``).

It sits below the pipeline and the loader so that both derive their types from one place and
write the same bytes for the same table. pyarrow is an optional extra (``dprk-records[sql]``):
no module here imports it at import time, and every function that needs it raises
:class:`~dprk_records.errors.MissingExtraError` naming the extra.
"""
