"""Maintainer sessions. `nox -l` lists them; `nox -s lint tests` is the README's test command.

Every session runs on the Python that runs nox (`python3 -m nox` uses python3, `python3.13 -m nox`
uses 3.13), so the README's commands work on whatever Python 3.11 or newer a machine has;
`--force-python 3.13` picks another interpreter for one run. CI runs its sessions on the oldest
and the newest supported Python (.github/workflows/ci.yml).
"""

from __future__ import annotations

import platform
import shutil
import sys
from pathlib import Path

import nox

MINIMUM_PYTHON = (3, 11)  # pyproject.toml: requires-python = ">=3.11"
if sys.version_info < MINIMUM_PYTHON:
    sys.exit(
        f"dprk-records needs Python 3.11 or newer, and nox runs on Python "
        f"{platform.python_version()} ({sys.executable}); run nox with a newer one, "
        "e.g. `python3.13 -m pip install nox && python3.13 -m nox -s build`"
    )

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]
nox.options.error_on_missing_interpreters = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = None  # the interpreter nox runs on (see the module docstring)


def require_supported_python(session: nox.Session) -> None:
    """Stop a session whose interpreter (one given with --force-python) is older than 3.11."""
    check = (
        "import sys; sys.exit(sys.version_info < (3, 11) and 'dprk-records needs Python 3.11 "
        "or newer; this session has ' + sys.version.split()[0])"
    )
    session.run("python", "-c", check, silent=True)


def install_project(session: nox.Session, extras: str = "build", *groups: str) -> None:
    require_supported_python(session)
    session.install("-e", f".[{extras}]")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest options after --)."""
    install_project(session, "build,pandas,sql", "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff, and the architecture's import contracts
    (pyproject.toml [tool.importlinter]); schemas/json/ being in sync is a test, in `tests`."""
    require_supported_python(session)
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tools", "tests", "scripts", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tools", "tests", "scripts", "noxfile.py")
    session.run("lint-imports", "--no-cache", env={"PYTHONPATH": "src"})


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build datapackage/ (options go to `dprk-records build`), validate it, refresh the docs."""
    install_project(session)
    session.run("dprk-records", "schemas")
    session.run("dprk-records", "build", *session.posargs)
    session.run("dprk-records", "validate", "datapackage")
    session.run("dprk-records", "docs")


@nox.session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Run the full validation gate on datapackage/ (or the folder given after --)."""
    install_project(session)
    session.run("dprk-records", "validate", *(session.posargs or ["datapackage"]))


@nox.session(python=PYTHON)
def reproducible(session: nox.Session) -> None:
    """Rebuild datapackage/ from seeds/ and fail if it differs from the committed one."""
    install_project(session)
    session.run("dprk-records", "build", "--quiet")
    session.run("git", "diff", "--exit-code", "--stat", "--", "datapackage", external=True)
    untracked = session.run(
        *("git", "ls-files", "--others", "--exclude-standard", "--", "datapackage"),
        external=True,
        silent=True,
    )
    if untracked and untracked.strip():
        session.error(f"the build wrote files git does not track:\n{untracked}")


@nox.session(python=PYTHON)
def workflows(session: nox.Session) -> None:
    """Check .github/workflows/*.yml against the GitHub workflow schema (check-jsonschema)."""
    test_group = nox.project.dependency_groups(PYPROJECT, "test")
    session.install(*(req for req in test_group if req.startswith("check-jsonschema")))
    files = sorted(str(path) for path in Path(".github/workflows").glob("*.yml"))
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        session.run("check-jsonschema", "--builtin-schema", schema, *files)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Time build, validation and loading at 1 000/10 000 documents into BENCHMARKS.md.

    Opt-in 100 000: `nox -s bench -- --sizes 1000,10000,100000`. The sql extra brings pyarrow,
    for the build with Parquet copies and the load from them.
    """
    install_project(session, "build,pandas,sql")
    session.run("python", "scripts/bench.py", *session.posargs)


@nox.session(python=PYTHON)
def release(session: nox.Session) -> None:
    """Cut dist/dprk-records-data-VERSION.zip from a valid package and a clean tree."""
    install_project(session)
    session.run("dprk-records", "release", *session.posargs)


@nox.session(python=PYTHON)
def schemas(session: nox.Session) -> None:
    """Regenerate the JSON Schemas in schemas/json/ from the Table Schemas."""
    install_project(session)
    session.run("dprk-records", "schemas")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Regenerate docs/data-dictionary.md; write the viewer and Popolo export to docs/_build/."""
    install_project(session)
    session.run("dprk-records", "docs", *session.posargs)
    session.run("dprk-records", "view", "datapackage", "--out", "docs/_build/viewer")
    session.run("dprk-records", "popolo", "datapackage", "--out", "docs/_build/popolo.json")


@nox.session(python=PYTHON)
def wheel(session: nox.Session) -> None:
    """Build the wheel, install it in a fresh venv and load a release over local HTTP."""
    release = session.posargs[0] if session.posargs else "datapackage"
    if not Path(release).exists() or (
        Path(release).is_dir() and not Path(release, "datapackage.json").is_file()
    ):
        session.error(f"{release}: no release zip or built package; run `nox -s build` first")
    session.install("build")
    dist = Path(session.create_tmp()) / "wheel-dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--wheel", "--outdir", str(dist))
    (wheel_file,) = dist.glob("dprk_records-*.whl")
    session.run("python", "scripts/wheel_smoke.py", str(wheel_file), release, *session.posargs[1:])
