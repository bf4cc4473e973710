"""The dprk-records command line: one thin sub-command per library call.

Heavy modules are imported inside each command, so `dprk-records --help` stays instant and the
loader commands work without the [build] extra.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from dprk_records.__about__ import __version__
from dprk_records.errors import DprkRecordsError

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


def cmd_build(args: argparse.Namespace) -> int:
    """Build the data package from a seeds folder, e.g. `dprk-records build --out datapackage`."""
    from dprk_records.pipeline.build import build

    result = build(Path(args.seeds), Path(args.out))
    if not args.quiet:
        counts = ", ".join(f"{name} {count}" for name, count in result.row_counts.items())
        print(f"built {result.out_dir} from {result.documents} documents: {counts}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the full validation gate on a package folder, e.g. `dprk-records validate datapackage`."""
    from dprk_records.validate import validate_package
    from dprk_records.validate.report import render_json, render_text

    report = validate_package(Path(args.package))
    sys.stdout.write(render_json(report) if args.json else render_text(report))
    return EXIT_OK if report.valid else EXIT_INVALID


def cmd_schemas(args: argparse.Namespace) -> int:
    """Regenerate schemas/json/ from schemas/tables/, or with --check only report stale files."""
    from dprk_records.schemas import stale_json_schemas, write_json_schemas

    if args.check:
        stale = stale_json_schemas()
        for name in stale:
            print(f"stale: schemas/json/{name} (run `dprk-records schemas`)", file=sys.stderr)
        return EXIT_INVALID if stale else EXIT_OK
    for path in write_json_schemas():
        print(f"wrote {path}")
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download, verify and cache a released version, e.g. `dprk-records fetch 1.0.0`."""
    from dprk_records.loader.fetch import fetch

    print(fetch(args.version))
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    """Describe a released version or a local package: tables, row counts, sources, licence."""
    from dprk_records.loader.api import format_info, info

    details = info(version=args.version, path=Path(args.path) if args.path else None)
    print(format_info(details))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dprk-records",
        description="Build, validate and load the dprk-records data package.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        doc = (func.__doc__ or "").strip()
        command = sub.add_parser(name, help=doc.split(", e.g.")[0], description=doc)
        command.set_defaults(func=func)
        return command

    build = add("build", cmd_build)
    build.add_argument("--seeds", default="seeds", help="folder of seed texts (default: seeds)")
    build.add_argument("--out", default="datapackage", help="package folder (default: datapackage)")
    build.add_argument("--quiet", action="store_true", help="print nothing on success")

    validate = add("validate", cmd_validate)
    validate.add_argument("package", nargs="?", default="datapackage", help="package folder")
    validate.add_argument("--json", action="store_true", help="print the report as JSON")

    schemas = add("schemas", cmd_schemas)
    schemas.add_argument("--check", action="store_true", help="fail if schemas/json/ is stale")

    fetch = add("fetch", cmd_fetch)
    fetch.add_argument("version", help="a released version, e.g. 1.0.0")

    info = add("info", cmd_info)
    info.add_argument("version", nargs="?", help="a released version (default: the newest)")
    info.add_argument("--path", help="describe a local package folder instead")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dprk-records` script; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DprkRecordsError as exc:
        print(f"dprk-records {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
