"""Maintainer sessions. `nox -l` lists them; `nox -s lint tests` is what CI runs."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]
nox.options.error_on_missing_interpreters = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = "3.11"


def install_project(session: nox.Session, extras: str = "build", *groups: str) -> None:
    session.install("-e", f".[{extras}]")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest options after --)."""
    install_project(session, "build,pandas", "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff, and that schemas/json/ is in sync."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tests", "scripts", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "scripts", "noxfile.py")


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build datapackage/ from seeds/ and validate it (options go to `dprk-records build`)."""
    install_project(session)
    session.run("dprk-records", "schemas")
    session.run("dprk-records", "build", *session.posargs)
    session.run("dprk-records", "validate", "datapackage")


@nox.session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Run the full validation gate on datapackage/ (or the folder given after --)."""
    install_project(session)
    session.run("dprk-records", "validate", *(session.posargs or ["datapackage"]))


@nox.session(python=PYTHON)
def schemas(session: nox.Session) -> None:
    """Regenerate the JSON Schemas in schemas/json/ from the Table Schemas."""
    install_project(session)
    session.run("dprk-records", "schemas")
