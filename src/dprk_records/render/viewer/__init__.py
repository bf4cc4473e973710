"""The evidence viewer: a static HTML site showing every fact of a package in its source text.

- :mod:`.spans`      spans as highlight marks; the verbatim text rendered with them nested
- :mod:`.rows`       file names, links, row tables and one-line summaries of rows
- :mod:`.pages`      the index, one page per document, one page per table
- :mod:`.persons`    one page per person: titles, events, listed order, with their sentences
- :mod:`.templates`  the page skeleton, inline CSS and JS (nothing is loaded from the network)
- :mod:`.site`       all pages as files (pure), and writing them to a folder
"""
