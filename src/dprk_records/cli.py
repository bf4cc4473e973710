"""The dprk-records command line: one thin sub-command per library call.

Heavy modules are imported inside each command, so `dprk-records --help` stays instant and the
loader commands work without the [build] extra.

The contract every command keeps (tests/test_cli_contract.py checks it for every sub-command the
parser has, so a new command inherits it by being added with :func:`_parser`'s ``add``):

- exit codes: the one table :data:`EXIT_CODES` (also printed by `dprk-records --help`);
- `--help` ends with at least one example, a real command line the parser accepts;
- `-V/--version` prints "dprk-records X.Y.Z (data package A.B.C)" and exits 0;
- a command that offers `--json` answers in JSON when it fails too. The failure is one object on
  standard output, and nothing on standard error::

    {"error": {"code": 2, "kind": "UnknownVersionError", "message": "...", "command": "validate"}}

  ``code`` is the exit code; ``kind`` the error's class name, ``"usage"`` for arguments the parser
  refused (argparse's usage text still goes to standard error then), ``"interrupted"`` for
  Ctrl-C and ``"internal"`` for a bug; ``message`` the same text a human gets without `--json`;
  ``command`` the sub-command (null when none was recognised). Optional keys: ``path`` (the file
  an OSError names) and ``suggestions`` (e.g. the persons closest to a name `timeline` did not
  find, as ``{"person_id", "name"}`` objects). A check that ran and found the package invalid
  (exit 1) is not an error: the command's own JSON report says so.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from dprk_records.__about__ import __version__
from dprk_records.errors import DprkRecordsError
from dprk_records.pipeline.manifest import DOCUMENT_KINDS  # standard library only

EXIT_OK, EXIT_INVALID, EXIT_ERROR, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
DEBUG_ENV = "DPRK_RECORDS_DEBUG"
JSON_FLAG = "--json"
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done; the package or build is valid"),
    (EXIT_INVALID, "the package or build was checked and found invalid or stale"),
    (
        EXIT_ERROR,
        "the input or the environment is at fault (a bad file, a missing folder, a refused "
        "write, wrong arguments), with a message naming it",
    ),
    (EXIT_BUG, f"a bug in dprk-records (a short message; {DEBUG_ENV}=1 shows the traceback)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C); nothing half-written is kept"),
)
"""The exit codes, one table for every command (README, "The command line")."""


def cmd_build(args: argparse.Namespace) -> int:
    """Build the data package from a seeds folder, e.g. `dprk-records build --out datapackage`."""
    from dprk_records.add.transaction import pending_journal
    from dprk_records.pipeline.build import build

    journal = pending_journal(Path(args.seeds).absolute().parent)
    if journal is not None:
        raise DprkRecordsError(
            f"{journal}: an interrupted `dprk-records add` left this journal, and the seeds may "
            "still hold its text; run `dprk-records add --recover` first"
        )
    cache: Path | bool = False if args.no_cache else Path(args.cache) if args.cache else True
    from dprk_records.pipeline.formats import check_formats, package_formats

    # a wrong or unusable --format is refused before anything is read or written; --check
    # without it rebuilds in the formats the package at --out has
    default = package_formats(Path(args.out)) if args.check else ("csv",)
    formats = check_formats(args.format.split(",") if args.format else default)
    if args.check:
        from dprk_records.add.reproduce import stale_package_files
        from dprk_records.pipeline.build import open_cache

        open_cache(cache, Path(args.seeds), Path(args.out))  # refuse a cache inside --out here too
        stale = stale_package_files(Path(args.seeds), Path(args.out), cache=cache, formats=formats)
        for name in stale:
            print(f"not reproduced: {args.out}/{name} (run `dprk-records build`)", file=sys.stderr)
        return EXIT_INVALID if stale else EXIT_OK
    from dprk_records.base.progress import terminal_progress

    progress = terminal_progress(quiet=args.quiet)
    result = build(
        Path(args.seeds),
        Path(args.out),
        workers=args.workers,
        progress=progress,
        cache=cache,
        formats=formats,
    )
    if not args.quiet:
        counts = ", ".join(f"{name} {count}" for name, count in result.row_counts.items())
        print(f"built {result.out_dir} from {result.documents} documents: {counts}")
        if cache is not False:
            n = result.documents
            print(
                f"analysis cache: reused {n - result.analysed} of {n} analyses and "
                f"{n - result.resolved} of {n} documents' fact rows"
                + (f" ({result.journaled} from the journal)" if result.journaled else "")
            )
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the full validation gate on a package folder, e.g. `dprk-records validate datapackage`."""
    from dprk_records.validate import validate_package
    from dprk_records.validate.report import render_json, render_text

    previous = Path(args.previous) if args.previous else None
    if args.release:
        from dprk_records.validate.released import validate_release

        if args.package or args.checkout:
            raise DprkRecordsError("give a package folder or --release VERSION, not both")
        report = validate_release(args.release, previous=previous)
    else:
        from dprk_records.base.progress import terminal_progress

        report = validate_package(
            Path(args.package or "datapackage"),
            checkout=Path(args.checkout) if args.checkout else None,
            previous=previous,
            progress=terminal_progress(quiet=args.quiet),
            workers=args.workers,
        )
    if args.json:
        sys.stdout.write(render_json(report))
    elif not (args.quiet and report.valid):
        sys.stdout.write(render_text(report))
    return EXIT_OK if report.valid else EXIT_INVALID


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score a build against gold files, e.g. `dprk-records evaluate --gold tests/corpus/seeds_gold`."""
    from dprk_records.evaluate import evaluate
    from dprk_records.evaluate.report import render_json, render_text
    from dprk_records.evaluate.score import failed_thresholds, parse_threshold

    thresholds = dict(parse_threshold(text) for text in args.min_f1)
    package = Path(args.package) if args.package else None
    evaluation = evaluate(Path(args.gold), Path(args.seeds), package)
    failures = failed_thresholds(evaluation, thresholds)
    if args.json:
        sys.stdout.write(render_json(evaluation, failures))
    else:
        sys.stdout.write(render_text(evaluation, errors=args.errors))
    for failure in failures:
        print(f"dprk-records evaluate: below --min-f1: {failure}", file=sys.stderr)
    return EXIT_INVALID if failures else EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """Print Markdown release notes of the changes between two packages and the version bump
    they require, e.g. `dprk-records diff releases/0.1.0 datapackage`."""
    from dprk_records.release.diff import diff_packages, render_markdown
    from dprk_records.release.snapshot import snapshot_read_when_asked

    with (
        snapshot_read_when_asked(Path(args.old)) as old,
        snapshot_read_when_asked(Path(args.new)) as new,
    ):
        diff = diff_packages(old, new)  # one table of each at a time
    sys.stdout.write(render_markdown(diff))
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    """Add a new text to seeds/, rebuild, validate and print what it adds and the version bump it
    requires, e.g. `dprk-records add new.txt --published 2024-07-03 --changelog`."""
    import datetime as dt

    from dprk_records.add.command import Metadata, add_document, render_result

    if args.recover:
        from dprk_records.add.transaction import exclusive, recover

        checkout = Path(args.checkout)
        with exclusive(checkout):
            done = recover(checkout)
        print(done or f"{checkout}: no interrupted add to recover")
        return EXIT_OK
    if args.seed_file is None:
        raise DprkRecordsError("give the SEED_FILE to add (or --recover)")

    try:
        published = dt.date.fromisoformat(args.published) if args.published else None
    except ValueError:
        raise DprkRecordsError(f"--published {args.published!r} is not a YYYY-MM-DD date") from None
    meta = Metadata(args.title, published, args.url, args.publisher, args.kind)
    result = add_document(Path(args.checkout), Path(args.seed_file), meta, changelog=args.changelog)
    sys.stdout.write(render_result(result))
    return EXIT_OK


def cmd_changelog(args: argparse.Namespace) -> int:
    """Print a CHANGELOG entry skeleton for the changes between two packages (OLD being the last
    release), e.g. `dprk-records changelog releases/0.1.0 datapackage`."""
    from dprk_records.add.changelog import changelog_entry
    from dprk_records.release.snapshot import open_snapshot

    old, new = Path(args.old), Path(args.new)
    checkout = Path(args.checkout) if args.checkout else _changelog_checkout(old, new)
    released, changelog = _release_records(checkout)
    _, entry = changelog_entry(open_snapshot(old), open_snapshot(new), released, changelog)
    sys.stdout.write(entry)
    return EXIT_OK


def _changelog_checkout(old: Path, new: Path) -> Path | None:
    """The repository whose releases/ and CHANGELOG.md say which versions are out: the new
    package's parent folder, or the one holding OLD's releases/ folder, if it has either."""
    from dprk_records.release.history import RELEASES_DIR

    candidates = [new.absolute().parent]
    if old.absolute().parent.name == RELEASES_DIR:
        candidates.append(old.absolute().parent.parent)
    for folder in candidates:
        if (folder / RELEASES_DIR).is_dir() or (folder / "CHANGELOG.md").is_file():
            return folder
    return None


def _release_records(checkout: Path | None) -> tuple[set[str], str]:
    """(versions already released, CHANGELOG.md text): a version is released when the checkout's
    releases/ records it or the loader registry lists it."""
    from dprk_records.loader.registry import load_registry, registered_versions
    from dprk_records.release.history import RELEASES_DIR, released_versions

    released = set(registered_versions(load_registry()))
    changelog = ""
    if checkout is not None:
        released |= set(released_versions(checkout / RELEASES_DIR))
        path = checkout / "CHANGELOG.md"
        if path.is_file():
            changelog = path.read_text(encoding="utf-8", errors="replace")
    return released, changelog


def cmd_release(args: argparse.Namespace) -> int:
    """Cut a release of a valid package from a clean git tree into dist/ and record it in
    releases/ and the loader's registry, e.g. `dprk-records release`."""
    from dprk_records.publish.cut import cut_release

    result = cut_release(
        Path(args.package), Path(args.checkout), Path(args.dist), allow_dirty=args.allow_dirty
    )
    done = "released" if result.created else "already released, identical:"
    print(f"{done} {result.version}: {result.archive} ({result.size} B, sha256 {result.sha256})")
    print(f"release notes {result.notes}; recorded in {result.recorded}")
    return EXIT_OK


def cmd_schemas(args: argparse.Namespace) -> int:
    """Regenerate schemas/json/ and pipeline/rows.py from schemas/tables/, or with --check only
    report stale files."""
    from dprk_records.schemas import stale_generated_files, write_generated_files

    if args.check:
        stale = stale_generated_files()
        for name in stale:
            print(f"stale: {name} (run `dprk-records schemas`)", file=sys.stderr)
        return EXIT_INVALID if stale else EXIT_OK
    for path in write_generated_files():
        print(f"wrote {path}")
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    """Regenerate docs/data-dictionary.md from schemas/ and the package's rows, or with --check
    only report it stale, e.g. `dprk-records docs --check`."""
    from dprk_records.render.dictionary import registry_dictionary

    out = Path(args.out)
    text = registry_dictionary(Path(args.package))
    current = out.read_text(encoding="utf-8") if out.is_file() else None
    if args.check:
        if current != text:
            print(f"stale: {out} (run `dprk-records docs`)", file=sys.stderr)
            return EXIT_INVALID
        return EXIT_OK
    if current != text:
        from dprk_records.base.atomic import write_file

        out.parent.mkdir(parents=True, exist_ok=True)
        write_file(out, text.encode("utf-8"))
    print(f"wrote {out}")
    return EXIT_OK


def cmd_view(args: argparse.Namespace) -> int:
    """Write the evidence viewer (a static HTML site of a package; opens from file://), e.g.
    `dprk-records view datapackage --out viewer`."""
    import os

    from dprk_records.render.loaded import load_package
    from dprk_records.render.viewer.site import render_site, write_site

    package, out = Path(args.package), Path(args.out)
    loaded = load_package(package)
    href = Path(os.path.relpath(package.resolve(), out.resolve())).as_posix()
    listed = ("datapackage.json", "README.md", "data-dictionary.md", "popolo.json")
    files = tuple(name for name in listed if (package / name).is_file())
    write_site(render_site(loaded, href, files), out)
    print(f"wrote {out / 'index.html'} ({len(loaded.rows('documents'))} documents)")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write the package as a DuckDB or SQLite database or a folder of Parquet files, typed and
    keyed by its Table Schemas, e.g. `dprk-records export --format duckdb --out dprk.duckdb`."""
    import dprk_records
    from dprk_records.loader.export import export_package

    if args.version and args.package:
        raise DprkRecordsError("give --package DIR or --version VERSION, not both")
    if args.version:
        package = dprk_records.open(version=args.version)
    else:
        package = dprk_records.open(path=args.package or "datapackage")
    written = export_package(package, args.format, Path(args.out))
    if not args.quiet:
        print(f"wrote {written} ({args.format})", file=sys.stderr)
    return EXIT_OK


def cmd_versions(args: argparse.Namespace) -> int:
    """List the released data versions (newest first), their dates, and which are cached,
    without the network, e.g. `dprk-records versions`."""
    from dprk_records.loader.api import format_versions, list_versions

    print(format_versions(list_versions(args.cache_dir)))
    return EXIT_OK


def cmd_popolo(args: argparse.Namespace) -> int:
    """Export persons, organizations, memberships and events as Popolo JSON, e.g.
    `dprk-records popolo datapackage --out popolo.json`."""
    from dprk_records.render.popolo import write_popolo

    if args.out in (None, "-"):
        write_popolo(Path(args.package), sys.stdout.write)
        return EXIT_OK
    from dprk_records.base.atomic import PendingFile

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    pending = PendingFile(Path(args.out))
    try:
        write_popolo(Path(args.package), lambda piece: pending.write(piece.encode("utf-8")))
    except BaseException:
        pending.abandon()
        raise
    pending.commit()
    print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download, verify and cache a released version, e.g. `dprk-records fetch 0.1.0`."""
    from dprk_records.loader.fetch import fetch

    print(fetch(args.version, quiet=args.quiet))
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    """Describe a released version or a local package: tables, row counts, sources, licence."""
    from dprk_records.loader.api import format_info, info

    path = Path(args.path) if args.path else None
    details = info(version=args.version, path=path, quiet=args.quiet)
    print(format_info(details))
    return EXIT_OK


def cmd_timeline(args: argparse.Namespace) -> int:
    """Print a person's career from a package: titles, personnel changes and parts in events, in
    date order, each with its document, e.g. `dprk-records timeline "Kim Jong Un"`."""
    import json

    from dprk_records.loader.errors import UnknownPersonError
    from dprk_records.loader.package import Package
    from dprk_records.loader.timeline import describe

    package = Package(Path(args.package))
    try:
        person = package.find_person(args.name)
    except UnknownPersonError as exc:
        exc.suggestions = _close_persons(args.name, package.read("persons"))  # type: ignore[attr-defined]
        raise
    person_id = str(person["person_id"])
    entries = package.timeline(person_id)
    if args.json:
        document = {
            "person_id": person_id,
            "name": person.get("name"),
            "entries": [entry.to_dict() for entry in entries],
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    print(f"{person.get('name')} ({person_id})")
    if not entries:
        print("  no title, personnel change or part in an event stated")
    for entry in entries:
        date = entry.date.isoformat() if entry.date else "undated"
        print(f"  {date:<10}  {describe(entry)}  [{entry.document_id}]")
    return EXIT_OK


def _close_persons(query: str, persons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The persons closest to a name no person has, for the JSON error's ``suggestions``: the
    same folding and cut-off as the loader's "close matches" in the message."""
    import difflib

    from dprk_records.loader.timeline import CLOSE_MATCHES, fold_name

    folded: dict[str, list[dict[str, Any]]] = {}
    for person in persons:
        for text in (person.get("name"), person.get("person_id")):
            if text:
                folded.setdefault(fold_name(str(text)), []).append(person)
    close = difflib.get_close_matches(fold_name(query), list(folded), n=CLOSE_MATCHES, cutoff=0.6)
    found = {str(p.get("person_id")): p.get("name") for key in close for p in folded[key]}
    return [{"person_id": person_id, "name": name} for person_id, name in found.items()]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


class _UsageError(SystemExit):
    """Arguments the parser refused. A SystemExit, as argparse's own, so callers that catch that
    keep working; it carries argparse's message so `main` can repeat it as a JSON error."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(EXIT_ERROR)
        self.prog = prog
        self.message = message


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors say the same on standard error and keep the message."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise _UsageError(self.prog, message)


def version_text() -> str:
    """What -V prints: the code version and the data package version its schemas describe (the
    two differ; a bug report needs both). Read only when asked, so other commands pay nothing;
    unreadable schemas leave just the code version rather than failing."""
    try:
        from dprk_records.schemas import package_meta

        return f"dprk-records {__version__} (data package {package_meta().version})"
    except (DprkRecordsError, OSError, ValueError, TypeError):
        return f"dprk-records {__version__}"


class _VersionAction(argparse.Action):
    """-V/--version: print :func:`version_text` and exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="print the version"
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(version_text())
        parser.exit(EXIT_OK)


def _epilog(examples: Sequence[str]) -> str:
    """The end of a command's --help: its examples, which tests parse with the parser itself."""
    head = "example:" if len(examples) == 1 else "examples:"
    return "\n".join([head, *(f"  {example}" for example in examples)])


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each sub-command's name and parser, so tests can hold every command to the contract."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _parser() -> argparse.ArgumentParser:
    codes = "\n".join(
        textwrap.fill(meaning, 79, initial_indent=f"  {code:<3}  ", subsequent_indent=" " * 7)
        for code, meaning in EXIT_CODES
    )
    parser = _Parser(
        prog="dprk-records",
        description="Build, validate and load the dprk-records data package.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"exit codes:\n{codes}\n\n{_epilog(['dprk-records validate datapackage --json'])}",
    )
    parser.add_argument("-V", "--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, func: Callable[[argparse.Namespace], int], examples: Sequence[str]
    ) -> argparse.ArgumentParser:
        """A sub-command; ``examples`` is required so that no command is added without one."""
        if not examples:
            raise ValueError(f"sub-command {name} needs at least one example")
        doc = " ".join((func.__doc__ or "").split())  # raw help text: wrap it here, once
        command = sub.add_parser(
            name,
            help=doc.split(", e.g.")[0],
            description=textwrap.fill(doc, width=79),
            epilog=_epilog(examples),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.set_defaults(func=func)
        return command

    build = add(
        "build",
        cmd_build,
        [
            "dprk-records build",
            "dprk-records build --seeds seeds --out datapackage --check",
            "dprk-records build --format csv,parquet --out /tmp/dprk-package",
        ],
    )
    build.add_argument("--seeds", default="seeds", help="folder of seed texts (default: seeds)")
    build.add_argument("--out", default="datapackage", help="package folder (default: datapackage)")
    build.add_argument(
        "--quiet", action="store_true", help="print nothing on success, show no progress bar"
    )
    build.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="processes for normalize and extract (default: every core for 200+ documents, "
        "else 1); the package does not depend on it",
    )
    build.add_argument(
        "--format",
        metavar="LIST",
        help="table formats, comma separated: csv (always) and parquet, a typed Parquet copy "
        "of each table beside its CSV (needs the sql extra); default: csv, or with --check the "
        "formats the package at --out has",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if --out differs from a fresh build of --seeds",
    )
    cache = build.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache",
        metavar="DIR",
        help="folder of per-document analyses reused by later builds (default: "
        "$DPRK_RECORDS_BUILD_CACHE, else 'analysis' in the user cache folder); never inside "
        "--out or --seeds; the package does not depend on it",
    )
    cache.add_argument(
        "--no-cache", action="store_true", help="analyse every document; read and write no cache"
    )

    validate = add(
        "validate",
        cmd_validate,
        ["dprk-records validate datapackage --json", "dprk-records validate --release 0.1.0"],
    )
    validate.add_argument("package", nargs="?", help="package folder (default: datapackage)")
    validate.add_argument("--json", action="store_true", help="print the report as JSON")
    validate.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar; print the report only when the package is invalid",
    )
    validate.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="2 runs frictionless in a second process beside the other checks (default: 2 for "
        "200+ source texts on a machine with 2+ cores, else 1); the report does not depend on it",
    )
    validate.add_argument(
        "--checkout", help="repository with seeds/, releases/, CHANGELOG.md (default: detected)"
    )
    validate.add_argument(
        "--previous", help="last released package folder or zip (default: newest in releases/)"
    )
    validate.add_argument(
        "--release",
        metavar="VERSION",
        help="download a released version through the loader (sha256-verified) and validate it",
    )

    diff = add("diff", cmd_diff, ["dprk-records diff releases/0.1.0 datapackage"])
    diff.add_argument("old", help="the older package: a folder or a release zip")
    diff.add_argument("new", help="the newer package: a folder or a release zip")

    add_doc = add(
        "add",
        cmd_add,
        [
            "dprk-records add new.txt --published 2024-07-03 --changelog",
            "dprk-records add --recover",
        ],
    )
    add_doc.add_argument("seed_file", metavar="SEED_FILE", nargs="?", help="the new text (UTF-8)")
    add_doc.add_argument(
        "--recover",
        action="store_true",
        help="only finish rolling back an add that was interrupted (see its journal), add nothing",
    )
    add_doc.add_argument("--title", help="headline (default: the text's own)")
    add_doc.add_argument("--published", metavar="YYYY-MM-DD", help="publication date")
    add_doc.add_argument("--url", help="where the text was obtained")
    add_doc.add_argument("--publisher", help="default: the dateline's agency, e.g. KCNA")
    add_doc.add_argument("--kind", choices=DOCUMENT_KINDS, help="default: guessed from the text")
    add_doc.add_argument("--checkout", default=".", help="repository root (default: .)")
    add_doc.add_argument(
        "--changelog",
        action="store_true",
        help="insert the CHANGELOG entry and raise the version in schemas/package.json as required",
    )

    changelog = add(
        "changelog", cmd_changelog, ["dprk-records changelog releases/0.1.0 datapackage"]
    )
    changelog.add_argument("old", help="the last release: a folder or a release zip")
    changelog.add_argument("new", help="the new package: a folder or a release zip")
    changelog.add_argument(
        "--checkout",
        help="repository whose releases/ and CHANGELOG.md tell a released version (and its date) "
        "from an unreleased one (default: NEW's parent folder, or the one holding OLD's releases/)",
    )

    release = add("release", cmd_release, ["dprk-records release datapackage --dist dist"])
    release.add_argument("package", nargs="?", default="datapackage", help="package folder")
    release.add_argument("--checkout", default=".", help="repository root (default: .)")
    release.add_argument("--dist", default="dist", help="output folder (default: dist)")
    release.add_argument(
        "--allow-dirty", action="store_true", help="skip the clean-tree check (tests only)"
    )

    evaluate = add(
        "evaluate",
        cmd_evaluate,
        ["dprk-records evaluate --gold tests/corpus/seeds_gold --min-f1 persons=0.9 --json"],
    )
    evaluate.add_argument("--gold", required=True, help="folder of gold *.json files")
    source = evaluate.add_mutually_exclusive_group()
    source.add_argument("--seeds", default="seeds", help="seeds folder (default: seeds)")
    source.add_argument("--package", help="score this built package folder instead of building")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.add_argument("--errors", action="store_true", help="list missed and spurious items")
    evaluate.add_argument(
        "--min-f1",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 1 if METRIC's total F1 (accuracy for document_kind, year) is below VALUE",
    )

    schemas = add("schemas", cmd_schemas, ["dprk-records schemas --check"])
    schemas.add_argument(
        "--check", action="store_true", help="fail if schemas/json/ or pipeline/rows.py is stale"
    )

    docs = add("docs", cmd_docs, ["dprk-records docs --check"])
    docs.add_argument("--check", action="store_true", help="fail if the dictionary is stale")
    docs.add_argument("--package", default="datapackage", help="package folder for row counts")
    docs.add_argument("--out", default="docs/data-dictionary.md", help="the Markdown file")

    view = add("view", cmd_view, ["dprk-records view datapackage --out viewer"])
    view.add_argument("package", nargs="?", default="datapackage", help="package folder")
    view.add_argument("--out", default="viewer", help="output folder (default: viewer)")

    popolo = add("popolo", cmd_popolo, ["dprk-records popolo datapackage --out popolo.json"])
    popolo.add_argument("package", nargs="?", default="datapackage", help="package folder")
    popolo.add_argument("--out", metavar="FILE", help="write here (default: standard output)")

    export = add(
        "export",
        cmd_export,
        [
            "dprk-records export --format duckdb --out dprk.duckdb",
            "dprk-records export --format parquet --out dprk-parquet --version 0.1.0",
        ],
    )
    export.add_argument(
        "--format", required=True, choices=("duckdb", "sqlite", "parquet"), help="what to write"
    )
    export.add_argument(
        "--out", required=True, metavar="PATH", help="the database file, or the Parquet folder"
    )
    export.add_argument("--package", metavar="DIR", help="a package folder (default: datapackage)")
    export.add_argument("--version", metavar="VERSION", help="a released version instead")
    export.add_argument("--quiet", action="store_true", help="print nothing when it succeeds")

    timeline = add("timeline", cmd_timeline, ["dprk-records timeline 'Kim Jong Un' --json"])
    timeline.add_argument("name", metavar="NAME", help="a person id or name, e.g. 'Kim Jong Un'")
    timeline.add_argument(
        "--package", default="datapackage", help="package folder (default: datapackage)"
    )
    timeline.add_argument("--json", action="store_true", help="print the entries as JSON")

    versions = add("versions", cmd_versions, ["dprk-records versions"])
    versions.add_argument("--cache-dir", metavar="DIR", help="another cache folder")

    fetch = add("fetch", cmd_fetch, ["dprk-records fetch 0.1.0"])
    fetch.add_argument("version", help="a released version, e.g. 0.1.0")
    fetch.add_argument("--quiet", action="store_true", help="no download progress line")

    info = add(
        "info", cmd_info, ["dprk-records info 0.1.0", "dprk-records info --path datapackage"]
    )
    info.add_argument(
        "version",
        nargs="?",
        help="a released version (default: the clone's own package inside a clone, else the newest)",
    )
    info.add_argument("--path", help="describe a local package folder instead")
    info.add_argument("--quiet", action="store_true", help="no download progress line")
    return parser


def _failure(exc: BaseException) -> tuple[int, str, str, dict[str, Any]]:
    """(exit code, kind, message, extra keys) of an error a command raised; the message is the
    same with or without --json. Re-raises a bug when DPRK_RECORDS_DEBUG asks for the traceback."""
    extra: dict[str, Any] = {}
    suggestions = getattr(exc, "suggestions", None)
    if isinstance(suggestions, list):
        extra["suggestions"] = suggestions
    if isinstance(exc, DprkRecordsError):
        return EXIT_ERROR, type(exc).__name__, str(exc), extra
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "interrupted", "interrupted; nothing half-written was kept", extra
    if isinstance(exc, OSError):  # the file system refused something no check foresaw: name it
        where = f"{exc.filename}: " if exc.filename else ""
        if exc.filename:
            extra["path"] = str(exc.filename)
        return EXIT_ERROR, type(exc).__name__, f"{where}{exc.strerror or exc}", extra
    import os

    if os.environ.get(DEBUG_ENV):
        raise exc
    message = (
        f"internal error ({type(exc).__name__}: {exc}); this is a bug in dprk-records -- please "
        f"report it with the command that caused it ({DEBUG_ENV}=1 prints the traceback)"
    )
    return EXIT_BUG, "internal", message, extra


def _json_error(code: int, kind: str, message: str, command: str | None, **extra: Any) -> None:
    """Print the one JSON error object (shape in the module docstring) on standard output."""
    error = {"code": code, "kind": kind, "message": message, "command": command, **extra}
    sys.stdout.write(json.dumps({"error": error}, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dprk-records` script; returns the exit code.

    Every failure is turned into an exit code of :data:`EXIT_CODES` here, in one place, and into
    the JSON error object when the command was asked for --json, so no command can forget it.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    try:
        args = parser.parse_args(words)
    except _UsageError as exc:
        if JSON_FLAG in words:
            named = subcommands(parser)
            command = next((word for word in words if word in named), None)
            _json_error(
                exc.code if isinstance(exc.code, int) else EXIT_ERROR, "usage", exc.message, command
            )
        raise
    prefix = f"dprk-records {args.command}"
    try:
        return int(args.func(args))
    except BrokenPipeError:  # the reader went away (`| head`): not an error of ours
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's exit flush stays quiet
        return EXIT_OK
    except (Exception, KeyboardInterrupt) as exc:
        code, kind, message, extra = _failure(exc)
    if getattr(args, "json", False):
        _json_error(code, kind, message, args.command, **extra)
    elif kind in ("interrupted", "internal"):
        print(f"{prefix}: {message}", file=sys.stderr)
    else:
        print(f"{prefix}: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
