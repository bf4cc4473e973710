"""The whole viewer site as files (relative path -> bytes), and writing it to a folder.

`dprk-records view` renders a package folder into ``--out``; `dprk-records release` renders the
released package into ``viewer/`` inside the archive, so it opens from the unzipped release.
"""

from __future__ import annotations

from pathlib import Path

from dprk_records.base.atomic import write_tree
from dprk_records.errors import DprkRecordsError
from dprk_records.render.loaded import Loaded, cell
from dprk_records.render.viewer.pages import document_page, index_page, table_page
from dprk_records.render.viewer.persons import person_page
from dprk_records.render.viewer.rows import Site, file_stem
from dprk_records.render.viewer.templates import GENERATOR

RELEASE_FILES = ("datapackage.json", "README.md", "data-dictionary.md", "popolo.json")


def render_site(
    loaded: Loaded, package_href: str | None = None, package_files: tuple[str, ...] = ()
) -> dict[str, bytes]:
    """Every page of the viewer; ``package_href`` (relative to the site's top) links the
    package's own files (``package_files``) and verbatim texts when given."""
    site = Site.of(loaded, package_href, package_files)
    pages = {"index.html": index_page(loaded, site)}
    for document in loaded.rows("documents"):
        name = f"documents/{file_stem(cell(document.get('document_id')))}.html"
        pages[name] = document_page(loaded, site, document)
    for person in loaded.rows("persons"):
        pages[f"persons/{file_stem(cell(person.get('person_id')))}.html"] = person_page(
            loaded, site, person
        )
    for resource in loaded.table_resources():
        pages[f"tables/{file_stem(cell(resource.get('name')))}.html"] = table_page(
            loaded, site, resource
        )
    return {name: text.encode("utf-8") for name, text in sorted(pages.items())}


def is_viewer_folder(folder: Path) -> bool:
    """Whether ``folder`` holds a site this command wrote (so it may be replaced)."""
    index = folder / "index.html"
    try:
        return f'<meta name="generator" content="{GENERATOR}">' in index.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def write_site(files: dict[str, bytes], out: Path) -> Path:
    """Write the site to ``out`` (replacing an earlier viewer there, never anything else)."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not is_viewer_folder(out))):
        raise DprkRecordsError(
            f"{out}: exists and is not a viewer this command wrote; choose another --out or "
            "remove it"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_tree(out, files)
