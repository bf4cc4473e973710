"""The people-facing files of a release: the data dictionary, the Popolo export and the viewer.

All three are made from the released package itself (its descriptor, rows and verbatim texts),
so they describe exactly what ships beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dprk_records.render.dictionary import release_dictionary
from dprk_records.render.loaded import Loaded, Rows, texts_from_files
from dprk_records.render.popolo import popolo_bytes
from dprk_records.render.viewer.site import RELEASE_FILES, render_site

DICTIONARY_FILE = "data-dictionary.md"
POPOLO_FILE = "popolo.json"
VIEWER_DIR = "viewer"


def release_files(
    descriptor: dict[str, Any], tables: Mapping[str, Rows], files: Mapping[str, bytes]
) -> dict[str, bytes]:
    """data-dictionary.md, popolo.json and viewer/* of the package made of ``files``."""
    texts = texts_from_files(list(tables.get("documents", [])), files)
    loaded = Loaded(descriptor, tables, texts)
    out = {
        DICTIONARY_FILE: release_dictionary(descriptor, tables).encode("utf-8"),
        POPOLO_FILE: popolo_bytes(loaded),
    }
    site = render_site(loaded, "..", RELEASE_FILES)
    out.update({f"{VIEWER_DIR}/{name}": data for name, data in site.items()})
    return out
