"""The `sources` check: the verbatim texts are the ones the descriptor and the seeds say they are.

Inside the package: every source text resource's bytes and sha256 match its resource entry, the
descriptor's ``sources`` list, ``provenance.inputs`` and the documents table. In a checkout: every
seed matches seeds/manifest.csv, and the package's copy of it byte for byte.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path, PurePosixPath
from typing import Any

from dprk_records.base.fileguard import UnsafeFileError, read_regular
from dprk_records.base.hashing import sha256_hex
from dprk_records.validate.context import PackageContext
from dprk_records.validate.report import Finding

CHECK = "sources"


def _finding(rule: str, message: str, **where: Any) -> Finding:
    return Finding(CHECK, rule, message, **where)


def source_resources(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-table resources whose path is under sources/ (the verbatim texts)."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return []
    return [
        r
        for r in resources
        if isinstance(r, dict)
        and r.get("type") != "table"
        and str(r.get("path", "")).startswith("sources/")
    ]


def _entries(value: Any) -> list[dict[str, Any]]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _check_package_copies(ctx: PackageContext) -> tuple[list[Finding], dict[str, str]]:
    """Resource entries, ``sources`` and ``provenance.inputs`` against the files' bytes."""
    findings: list[Finding] = []
    listed = {str(e.get("path")): e.get("sha256") for e in _entries(ctx.descriptor.get("sources"))}
    provenance = ctx.descriptor.get("provenance")
    provenance = provenance if isinstance(provenance, dict) else {}
    inputs = {
        PurePosixPath(str(e.get("path"))).name: e.get("sha256")
        for e in _entries(provenance.get("inputs"))
    }
    actual: dict[str, str] = {}
    for resource in source_resources(ctx.descriptor):
        path = str(resource["path"])
        try:
            data = ctx.read_bytes(path)
        except UnsafeFileError:
            continue  # the `files` check names it; its bytes are never read
        except OSError as exc:
            findings.append(_finding("missing-file", f"{path}: cannot read ({exc.strerror})"))
            continue
        sha = actual[path] = sha256_hex(data)
        if resource.get("bytes") != len(data):
            findings.append(
                _finding(
                    "resource-bytes",
                    f"{path} has {len(data)} bytes, its resource says {resource.get('bytes')}",
                    field="resources.bytes",
                )
            )
        if str(resource.get("hash", "")).removeprefix("sha256:") != sha:
            findings.append(
                _finding(
                    "resource-hash",
                    f"{path} has sha256 {sha}, its resource says {resource.get('hash')}",
                    field="resources.hash",
                )
            )
        if path not in listed:
            findings.append(_finding("not-in-sources", f"{path} is not listed in `sources`"))
        elif listed[path] != sha:
            findings.append(
                _finding(
                    "sources-sha256",
                    f"{path} has sha256 {sha}, `sources` says {listed[path]}",
                    field="sources.sha256",
                )
            )
        name = PurePosixPath(path).name
        if name not in inputs:
            findings.append(_finding("not-in-inputs", f"{path} has no `provenance.inputs` entry"))
        elif inputs[name] != sha:
            findings.append(
                _finding(
                    "inputs-sha256",
                    f"{path} has sha256 {sha}, `provenance.inputs` says {inputs[name]}",
                    field="provenance.inputs.sha256",
                )
            )
    for path in sorted(set(listed) - set(actual)):
        findings.append(_finding("no-resource", f"`sources` lists {path}, which is no resource"))
    names = {PurePosixPath(path).name for path in actual}
    for name in sorted(set(inputs) - names):
        findings.append(_finding("no-resource", f"`provenance.inputs` lists {name}, not shipped"))
    return findings, actual


def _check_documents(ctx: PackageContext, actual: dict[str, str]) -> list[Finding]:
    """Every documents row names a shipped text and carries its sha256."""
    findings = []
    documents = ctx.iter_rows("documents", ["path", "sha256"])
    for number, row in enumerate(documents, start=1):
        path = str(row.get("path"))
        if path not in actual:
            findings.append(
                _finding(
                    "document-text-missing",
                    f"{path} is not a readable source resource of the package",
                    table="documents",
                    row=number,
                    field="path",
                )
            )
        elif row.get("sha256") != actual[path]:
            findings.append(
                _finding(
                    "document-sha256",
                    f"{path} has sha256 {actual[path]}, the row says {row.get('sha256')}",
                    table="documents",
                    row=number,
                    field="sha256",
                )
            )
    return findings


def _manifest_hashes(text: str) -> dict[str, str]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return {str(row.get("document_id")): str(row.get("sha256")) for row in reader}


def _package_bytes(ctx: PackageContext, relative: str) -> bytes | None:
    """A file of the package, or None when it is missing, unreadable or may not be opened."""
    try:
        return ctx.read_bytes(relative)
    except (OSError, UnsafeFileError):
        return None


def _seed_bytes(path: Path, findings: list[Finding]) -> bytes | None:
    """A file of the checkout's seeds/, or None with a finding when it is no plain file."""
    try:
        return read_regular(path)
    except UnsafeFileError as exc:
        findings.append(_finding("seed-unsafe", str(exc)))
    except OSError as exc:
        findings.append(_finding("seed-unreadable", f"{path}: cannot be read ({exc.strerror})"))
    return None


def _check_seeds(ctx: PackageContext, seeds: Path) -> list[Finding]:
    """Seeds against their manifest, and the package's copies against the seeds."""
    findings = []
    manifest_path = seeds / "manifest.csv"
    manifest: dict[str, str] | None = None
    data = _seed_bytes(manifest_path, findings) if manifest_path.exists() else None
    if data is not None:
        provenance = ctx.descriptor.get("provenance")
        recorded = provenance.get("manifest_sha256") if isinstance(provenance, dict) else None
        if recorded is not None and recorded != sha256_hex(data):
            findings.append(
                _finding(
                    "manifest-sha256",
                    f"{manifest_path} has sha256 {sha256_hex(data)}, the descriptor says {recorded}; "
                    "rebuild the package",
                    field="provenance.manifest_sha256",
                )
            )
        try:
            manifest = _manifest_hashes(data.decode("utf-8"))
        except (UnicodeDecodeError, csv.Error) as exc:
            findings.append(_finding("manifest-unreadable", f"{manifest_path}: {exc}"))
    shipped = {PurePosixPath(str(r["path"])).name for r in source_resources(ctx.descriptor)}
    seed_files = sorted(seeds.glob("*.txt"))
    for seed in seed_files:
        data = _seed_bytes(seed, findings)
        if data is None:
            continue
        if manifest is not None and manifest.get(seed.stem) != sha256_hex(data):
            findings.append(
                _finding(
                    "seed-sha256",
                    f"{seed} has sha256 {sha256_hex(data)}, the manifest says "
                    f"{manifest.get(seed.stem)}; seeds are never edited",
                )
            )
        copy = _package_bytes(ctx, f"sources/{seed.name}") if seed.name in shipped else None
        if copy is None:
            findings.append(
                _finding("seed-not-shipped", f"{seed} has no copy in sources/; rebuild the package")
            )
        elif copy != data:
            findings.append(
                _finding(
                    "copy-differs",
                    f"sources/{seed.name} differs from {seed}; rebuild the package",
                )
            )
    for name in sorted(shipped - {seed.name for seed in seed_files}):
        findings.append(_finding("not-a-seed", f"sources/{name} has no seed in {seeds}"))
    return findings


def check_sources(ctx: PackageContext) -> list[Finding]:
    """The verbatim texts match the descriptor, the documents table and (in a checkout) the seeds."""
    findings, actual = _check_package_copies(ctx)
    findings.extend(_check_documents(ctx, actual))
    seeds = ctx.checkout / "seeds" if ctx.checkout is not None else None
    if seeds is not None and seeds.is_dir():
        findings.extend(_check_seeds(ctx, seeds))
    else:
        ctx.note(CHECK, "not in a checkout (no seeds/ beside the package): seeds not compared")
    return findings
