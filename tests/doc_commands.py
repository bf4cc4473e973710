"""Commands quoted in docs and config files, checked against the code they name.

A documented ``dprk-records`` command must parse with the real CLI parser (so its sub-command and
every option exist), and a documented ``nox -s X`` must name sessions defined in noxfile.py.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shlex
from pathlib import Path

from dprk_records.cli import _parser

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SEPARATORS = {"&&", ";", "||"}


def code_blocks(markdown: str) -> list[str]:
    """The contents of every fenced code block, in document order."""
    return _FENCE.findall(markdown)


def commands(block: str) -> list[list[str]]:
    """Each command of a shell block as argv ("a && b" is two commands); comments dropped."""
    found = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        current: list[str] = []
        for word in words:
            if word in SEPARATORS:
                if current:
                    found.append(current)
                current = []
            else:
                current.append(word)
        if current:
            found.append(current)
    return found


def nox_sessions(noxfile: Path) -> set[str]:
    """Names of the functions decorated with ``@nox.session`` (or their ``name=``)."""
    names = set()
    for node in ast.walk(ast.parse(noxfile.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) in ("nox.session", "session"):
                named = [k.value for k in (call.keywords if call else []) if k.arg == "name"]
                names.add(
                    named[0].value if named and isinstance(named[0], ast.Constant) else node.name
                )
    return names


def cli_problem(args: list[str]) -> str | None:
    """Why ``dprk-records ARGS`` would not parse (argparse's message), or None."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            _parser().parse_args(args)
    except SystemExit as exc:
        if exc.code not in (0, None):
            return stderr.getvalue().strip() or f"exit {exc.code}"
    return None


def nox_session_args(argv: list[str]) -> list[str] | None:
    """The sessions of ``nox -s A B`` / ``python -m nox -s A B``, or None if not a nox call."""
    if argv[:1] == ["nox"]:
        rest = argv[1:]
    elif len(argv) >= 3 and argv[0] in ("python", "python3") and argv[1:3] == ["-m", "nox"]:
        rest = argv[3:]
    else:
        return None
    sessions: list[str] = []
    if "-s" in rest or "--session" in rest:
        flag = "-s" if "-s" in rest else "--session"
        for word in rest[rest.index(flag) + 1 :]:
            if word.startswith("-"):
                break
            sessions.append(word)
    return sessions


def command_problem(argv: list[str], sessions: set[str]) -> str | None:
    """What is wrong with a documented command, as far as the code can tell, or None."""
    if argv[0] == "dprk-records":
        return cli_problem(argv[1:])
    named = nox_session_args(argv)
    if named is not None:
        missing = sorted(set(named) - sessions)
        return f"no nox session {missing} in noxfile.py" if missing else None
    return None
