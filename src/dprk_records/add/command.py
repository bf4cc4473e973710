"""`dprk-records add`: put one new text into the dataset, end to end, all or nothing.

Load inputs: the text (refused if empty, binary, not UTF-8, too large, or already in seeds/), the
checkout's seeds/, manifest, datapackage/, CHANGELOG.md, schemas/ and newest release.
Process, in a temporary copy: give the text its id and manifest row (:mod:`.candidate`),
rebuild the package before and after, run the whole validation gate on the new package, and work
out what the document adds and the version the package then needs.
Save outputs: only when all of that succeeded, and every target is writable, write the seed, the
manifest row, the package (and with ``changelog=True`` the CHANGELOG entry and the version) in one
journaled :class:`.Transaction`, so a failure at any step leaves seeds/, the manifest, datapackage/
and CHANGELOG.md exactly as before -- and when even the undo fails, or the process is killed, the
next ``add`` finishes the rollback before it does anything else (:func:`.recover`).

Every failure is a :class:`~dprk_records.errors.DprkRecordsError` naming the file or folder and
the reason, never a traceback: the CLI prints it and exits 2.

The gate's ``version`` check is the one check allowed to fail without ``changelog=True``: its
findings are returned as ``pending`` (the bump and the CHANGELOG heading the maintainer still has
to make). Every other finding refuses the addition.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dprk_records.add.candidate import AddError, Candidate, Metadata, prepare_candidate
from dprk_records.add.changelog import entry_bullets, insert_entry, render_entry
from dprk_records.add.contribution import Contribution, contribution, summary_lines
from dprk_records.add.reproduce import differing_paths, folder_files
from dprk_records.add.transaction import Transaction, check_writable, exclusive, recover
from dprk_records.base.atomic import write_file
from dprk_records.base.fileguard import entry_problem, read_regular
from dprk_records.loader.registry import version_key
from dprk_records.pipeline.build import build
from dprk_records.pipeline.formats import DEFAULT_FORMATS, package_formats
from dprk_records.pipeline.manifest import MANIFEST_NAME, ManifestEntry
from dprk_records.pipeline.read import InvalidSeedsError
from dprk_records.reader.descriptor import descriptor_file, read_descriptor
from dprk_records.release.diff import PackageDiff, diff_packages, minimum_version
from dprk_records.release.history import RELEASES_DIR, newest_release
from dprk_records.release.snapshot import Snapshot, open_snapshot
from dprk_records.render.dictionary import registry_dictionary
from dprk_records.schemas import render_json
from dprk_records.validate import validate_package
from dprk_records.validate.report import Finding

CHANGELOG = "CHANGELOG.md"
PACKAGE_JSON = "schemas/package.json"
_VERSION_LINE = re.compile(r'^(\s*"version"\s*:\s*")([^"]*)(")', re.MULTILINE)


@dataclass(frozen=True)
class AddResult:
    """What ``add`` did, and what the maintainer still has to do."""

    document_id: str
    seed: Path
    entry: ManifestEntry
    diff: PackageDiff  # the build before -> the build after
    found: Contribution
    release: str | None  # the newest released version, if any
    version: str  # the package's version after the addition
    required_version: str  # the least version the gate accepts after it
    changelog_entry: str
    changelog_written: bool = False
    version_written: bool = False
    pending: list[Finding] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # datapackage/ files that were not the build
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Staged:
    """An addition built and checked in the staging folder, ready to be written."""

    writes: dict[str, bytes]  # checkout-relative path -> new bytes
    package: Path  # the new datapackage/, inside the staging folder
    result: AddResult


def with_version(text: str, version: str) -> str:
    """schemas/package.json text with its version replaced, nothing else touched."""
    new, count = _VERSION_LINE.subn(rf"\g<1>{version}\g<3>", text, count=1)
    if count != 1:
        raise AddError(f'{PACKAGE_JSON}: no "version" line to update')
    return new


def required_version(new: Snapshot, released: Snapshot | None) -> str:
    """The least version the gate accepts for ``new``: unchanged when nothing is released."""
    if released is None:
        return new.version
    needed = minimum_version(released.version, diff_packages(released, new).bump)
    return max(needed, new.version, key=version_key)


def _private_copy(source: Path, target: Path) -> None:
    """Copy a file or folder into the staging folder, writable whatever the original's mode.

    The staged seeds, schemas and CHANGELOG are written to; a read-only seeds/ must not make
    its staged copy read-only too (the original's permissions are checked where they matter,
    by :func:`.check_writable`, before the real writes).
    """
    if source.is_dir():
        for entry in sorted(source.rglob("*")):  # a link would stage bytes from elsewhere
            problem = None if entry.is_dir() and not entry.is_symlink() else entry_problem(entry)
            if problem:
                raise AddError(
                    f"{entry}: {problem}; only plain files are staged, nothing was added"
                )
        shutil.copytree(source, target, copy_function=shutil.copyfile)
        for here, _, files in os.walk(target):
            os.chmod(here, os.stat(here).st_mode | stat.S_IRWXU)
            for name in files:
                path = os.path.join(here, name)
                os.chmod(path, os.stat(path).st_mode | stat.S_IRUSR | stat.S_IWUSR)
    else:
        target.write_bytes(read_regular(source))


def _build(
    seeds: Path,
    out: Path,
    environ: Mapping[str, str],
    what: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> Path:
    try:
        return build(seeds, out, environ, formats=formats, journal=False).out_dir
    except InvalidSeedsError as exc:
        problems = "\n".join(f"  - {p.reason}" for p in exc.problems)
        raise AddError(f"{what} cannot be built; nothing was added:\n{problems}") from None


def _set_version(package: Path, version: str) -> None:
    """Rewrite a staged descriptor's version (what a build with that version writes)."""
    path = descriptor_file(package)
    descriptor = read_descriptor(path)
    descriptor["version"] = version
    write_file(path, render_json(descriptor).encode("utf-8"))


def _record_version(
    checkout: Path, version: str, current: str, bullets: list[str]
) -> dict[str, bytes]:
    """The edits of ``--changelog``: the entry under VERSION, and the version when it rises."""
    path = checkout / CHANGELOG
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    writes = {CHANGELOG: insert_entry(old, version, bullets).encode("utf-8")}
    if version != current:
        meta = checkout / PACKAGE_JSON
        if not meta.is_file():
            raise AddError(f"{meta} not found: --changelog raises the version there")
        writes[PACKAGE_JSON] = with_version(meta.read_text(encoding="utf-8"), version).encode()
    return writes


def _gate(package: Path, stage: Path, release: Path | None, strict: bool) -> list[Finding]:
    """Run the whole gate on the staged package; return the version findings left to do.

    Any other finding refuses the addition, and so does a version finding when ``strict``.
    """
    report = validate_package(package, checkout=stage, previous=release)
    pending = [f for f in report.findings if f.check == "version"]
    blocking = [f for f in report.findings if f.check != "version"] + (pending if strict else [])
    if blocking:
        lines = "\n".join(f"  - {f.check}: {f.where()}: {f.message}" for f in blocking[:10])
        raise AddError(f"the new package fails the validation gate; nothing was added:\n{lines}")
    return pending


def _notes(new: Snapshot, doc_id: str) -> list[str]:
    documents = {str(r.get("document_id")): r for r in new.tables.get("documents", [])}
    if documents.get(doc_id, {}).get("published"):
        return []
    return [
        "the text gives no year, so the document has no publication date: fill in the "
        f"published and date_basis cells of {doc_id} in the manifest and rebuild"
    ]


DATA_DICTIONARY = "docs/data-dictionary.md"


def stage_addition(
    checkout: Path,
    candidate: Candidate,
    stage: Path,
    *,
    changelog: bool,
    environ: Mapping[str, str],
) -> Staged:
    """Build the package before and after the addition in ``stage`` and run the gate on it."""
    seeds = checkout / "seeds"
    formats = package_formats(checkout / "datapackage")  # a Parquet copy stays one
    before = _build(seeds, stage / "before", environ, f"the seeds in {seeds}", formats)
    writes = {
        f"seeds/{candidate.file_name}": candidate.data,
        f"seeds/{MANIFEST_NAME}": candidate.manifest,
    }
    _private_copy(seeds, stage / "seeds")
    for relative, data in writes.items():
        (stage / relative).write_bytes(data)
    after = _build(
        stage / "seeds",
        stage / "datapackage",
        environ,
        f"the new text as {candidate.document_id}",
        formats,
    )
    old, new = open_snapshot(before), open_snapshot(after)
    diff, found = diff_packages(old, new), contribution(old, new)
    release = newest_release(checkout / RELEASES_DIR)
    released = open_snapshot(release) if release is not None else None
    required = required_version(new, released)
    bullets = entry_bullets(diff, found)
    if changelog:
        writes |= _record_version(checkout, required, new.version, bullets)
    # the checkout the gate sees: the staged seeds, and schemas/ and CHANGELOG.md as they will be
    if (checkout / "schemas").is_dir():
        _private_copy(checkout / "schemas", stage / "schemas")
    if (checkout / CHANGELOG).is_file():
        _private_copy(checkout / CHANGELOG, stage / CHANGELOG)
    for relative in (CHANGELOG, PACKAGE_JSON):
        if relative in writes:
            (stage / relative).write_bytes(writes[relative])
    if PACKAGE_JSON in writes:
        _set_version(after, required)
    pending = _gate(after, stage, release, strict=changelog)
    if (checkout / DATA_DICTIONARY).is_file():  # the dictionary counts rows: keep it in step
        writes[DATA_DICTIONARY] = registry_dictionary(after).encode("utf-8")
    result = AddResult(
        document_id=candidate.document_id,
        seed=seeds / candidate.file_name,
        entry=candidate.entry,
        diff=diff,
        found=found,
        release=released.version if released is not None else None,
        version=required if PACKAGE_JSON in writes else new.version,
        required_version=required,
        changelog_entry=render_entry(required, bullets),
        changelog_written=changelog,
        version_written=PACKAGE_JSON in writes,
        pending=pending,
        stale=differing_paths(folder_files(before), folder_files(checkout / "datapackage")),
        notes=_notes(new, candidate.document_id),
    )
    return Staged(writes, after, result)


class AddReadError(AddError):
    """A file the addition reads (or stages) could not be read; nothing was changed."""


def add_document(
    checkout: Path,
    seed_file: Path,
    meta: Metadata | None = None,
    *,
    changelog: bool = False,
    environ: Mapping[str, str] | None = None,
) -> AddResult:
    """Add ``seed_file`` to the checkout's seeds and package; see the module docstring."""
    if not checkout.is_dir():
        raise AddError(f"{checkout}: no such folder (--checkout is the repository's root)")
    environ = os.environ if environ is None else environ
    # one add at a time: a second one would take the same id, and roll back the first one's steps
    with exclusive(checkout):
        # an add that was killed or could not undo everything is rolled back before anything else,
        # so that its orphan seed is neither built nor taken for a duplicate of this text
        recovered = recover(checkout)
        with tempfile.TemporaryDirectory(
            prefix="dprk-records-add-", ignore_cleanup_errors=True
        ) as tmp:
            try:
                # Load inputs: the text, refused unless it is a new, usable text; its id and row
                candidate = prepare_candidate(checkout / "seeds", seed_file, meta or Metadata())
                # Process: build before and after, diff, gate -- all in the staging folder
                staged = stage_addition(
                    checkout, candidate, Path(tmp), changelog=changelog, environ=environ
                )
            except OSError as exc:
                where = os.fsdecode(exc.filename) if exc.filename else str(checkout)
                raise AddReadError(
                    f"{where}: cannot be read or staged ({exc.strerror or exc}); nothing was added"
                ) from None
            # Save outputs: all or nothing, refused up front when a target is read-only
            package = checkout / "datapackage"
            targets = [checkout / relative for relative in staged.writes]
            check_writable(checkout, files=targets, folders=[package])
            with Transaction(checkout, about=f"the addition of {candidate.document_id}") as tx:
                for relative, data in staged.writes.items():
                    tx.write(checkout / relative, data)
                tx.replace_folder(package, staged.package)
    notes = [recovered] if recovered else []
    notes += staged.result.notes + tx.leftovers
    return dataclasses.replace(staged.result, notes=notes)


def _bump_line(diff: PackageDiff) -> str:
    reasons = "; ".join(c.what for c in diff.changes if c.level == diff.bump)
    return f"Required version bump: {diff.bump.upper()}" + (f" ({reasons})" if reasons else "")


def render_result(result: AddResult) -> str:
    """What ``dprk-records add`` prints: the document, what it adds, the bump, what is left."""
    entry = result.entry
    published = entry.published.isoformat() if entry.published else "from the text"
    lines = [
        f"added {result.document_id}: {result.seed} (sha256 {entry.sha256})",
        f"  title: {entry.title or '(none)'}",
        f"  publisher: {entry.publisher or '(none)'}; kind: {entry.kind}; published: {published}",
        "",
        "What it adds (against the build of the seeds before it):",
        *summary_lines(result.found),
        "",
        _bump_line(result.diff),
    ]
    if result.release is None:
        lines.append(f"Version: nothing is released yet; {result.version} (unreleased) covers it.")
    else:
        lines.append(
            f"Version: the newest release is {result.release}; the package needs at least "
            f"{result.required_version} and is {result.version}."
        )
    lines += [f"Note: {note}" for note in result.notes]
    if result.stale:
        lines.append(
            f"Note: datapackage/ was not the build of seeds/ before this ({len(result.stale)} "
            "file(s) differed); the new package carries those changes too."
        )
    lines += ["", "CHANGELOG entry (edit it before committing):", "", result.changelog_entry]
    if result.changelog_written:
        lines.append(f"Inserted under '## {result.required_version}' in {CHANGELOG}.")
    if result.version_written:
        lines.append(f"Set the version in {PACKAGE_JSON} to {result.required_version}.")
    if result.pending:
        lines += ["", "Still to do (until then the gate's version check fails):"]
        lines += [f"  - {f.message}" for f in result.pending]
        lines.append(
            f'  (set "version" in {PACKAGE_JSON}, paste the entry above into {CHANGELOG}, '
            "then `dprk-records build`)"
        )
    return "\n".join(lines) + "\n"
