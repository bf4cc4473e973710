"""Growing the dataset one text at a time (`dprk-records add`, `changelog`, `build --check`).

One module per idea: :mod:`.ids` (ids of new seeds), :mod:`.candidate` (a text checked and given
its id and manifest row), :mod:`.contribution` (what a change adds, in facts), :mod:`.changelog`
(the entry skeleton and where it goes), :mod:`.reproduce` (is a package the build of its seeds?),
:mod:`.transaction` (writes that are all or nothing) and :mod:`.command` (the whole step).
"""
