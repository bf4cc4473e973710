"""frictionless on a large package a slice at a time, with the findings of one run over it all.

frictionless holds the whole package as objects while it validates it: some 12 KB for each
resource before a row is read, so the check of a package of 100 000 source texts took 2.4 GB,
most of it for the texts, which no other resource needs (1.2 GB in slices, in the same time). The tables and whatever they refer to
stay together in the first run, with the package's own properties; the resources nothing refers
to that have no schema (the verbatim texts) go :data:`SLICE` at a time into runs of their own,
each a package of just those resources and the two properties that govern how a resource is
read (``$schema``, ``profile``). Memory then grows with the tables' rows (frictionless's key
checks), not with the number of files.

The findings are those of one run over the whole package: a resource's checks read only the
resource, its files and, through its foreign keys, the resources that stay in the first run.
What one run would judge of the package as a whole is its metadata, and a run that finds any
(or any problem at the package's level) makes the caller run frictionless on the whole package
instead, as does a package the plan cannot split safely (resources not a list of named objects,
a name twice, a schema given by reference). Within the runs, the tasks are put back in the
package's order. tests/test_frictionless_slices.py holds the two ways to the same findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SLICE = 1000
"""Resources with no schema and no reference to them per run after the first: at 1 000, a run
adds some 40 MB to frictionless's process and costs a fraction of a second besides its files."""

GOVERNING = ("$schema", "profile")
"""The package properties a resource is read under (the standard's version, the profile); every
run carries them. The first run carries every property."""


def sliced_runs(
    descriptor: Mapping[str, Any], resources: list[Any], size: int = SLICE
) -> list[dict[str, Any]] | None:
    """The package descriptors to validate in turn, or None for one run over the whole package.

    ``resources`` are the ones frictionless is to validate (the descriptor's, less any it skips);
    the first run holds every property of ``descriptor``, the resources that have a schema or
    are referred to, and the first ``size`` of the others; every further run ``size`` more of
    those. None when there are no more than ``size`` of them, or when the package cannot be
    split safely."""
    if not _named_once(resources):
        return None
    referred = _referred(resources)
    if referred is None:
        return None
    kept: list[dict[str, Any]] = []
    alone: list[dict[str, Any]] = []
    for resource in resources:
        if "schema" in resource or resource["name"] in referred:
            kept.append(resource)
        else:
            alone.append(resource)
    if len(alone) <= size:
        return None
    first = dict(descriptor)
    first["resources"] = kept + alone[:size]
    governing = {key: descriptor[key] for key in GOVERNING if key in descriptor}
    runs = [first]
    for start in range(size, len(alone), size):
        runs.append({**governing, "resources": alone[start : start + size]})
    return runs


def _named_once(resources: list[Any]) -> bool:
    """Whether each resource is an object with a name no other one has."""
    names: set[str] = set()
    for resource in resources:
        if not isinstance(resource, dict):
            return False
        name = resource.get("name")
        if not isinstance(name, str) or name in names:
            return False
        names.add(name)
    return True


def _referred(resources: list[Any]) -> set[str] | None:
    """The names the resources' foreign keys refer to (a key with no resource or an empty one
    refers to its own), or None when a schema is not an object written in the descriptor."""
    referred: set[str] = set()
    for resource in resources:
        if "schema" not in resource:
            continue
        schema = resource["schema"]
        if not isinstance(schema, dict):
            return None  # (a schema in a file of its own: its keys are not read here)
        keys = schema.get("foreignKeys", [])
        if not isinstance(keys, list):
            return None
        for key in keys:
            reference = key.get("reference") if isinstance(key, dict) else None
            if not isinstance(reference, dict):
                return None
            target = reference.get("resource", "")
            if not isinstance(target, str):
                return None
            referred.add(target or resource["name"])
    return referred
