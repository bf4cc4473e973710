"""Progress bars are tqdm's, on terminals only: nothing in pipes, with --quiet, or by default."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading

import pytest

from dprk_records.base.progress import (
    ProgressBar,
    is_terminal,
    no_progress,
    progress_enabled,
    terminal_progress,
)


class Terminal(io.StringIO):
    """A stream that says it is a terminal, so what a user would see can be read back."""

    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal_is_drawn_by_tqdm_and_ends_its_line() -> None:
    stream = Terminal()
    with terminal_progress(stream=stream)("documents", 3) as bar:
        assert bar.enabled
        for note in ("read", "resolve", "write"):
            bar.advance(1, note)
    drawn = stream.getvalue()
    assert drawn.startswith("\r") and drawn.endswith("\n")  # redrawn in place, then one line
    assert drawn.count("\n") == 1
    last = drawn.rstrip("\n").rsplit("\r", 1)[-1]
    assert last.startswith("documents") and "100%" in last and "3/3" in last
    assert bar.done == 3 and not bar.enabled  # closed: later calls draw nothing


def test_describe_shows_the_current_step_without_counting_it() -> None:
    stream = Terminal()
    with ProgressBar("checks", 2, stream) as bar:
        bar.describe("schemas")
        assert "schemas" in stream.getvalue() and "0/2" in stream.getvalue()
        bar.advance()
    assert bar.done == 1


@pytest.mark.parametrize(
    ("stream", "quiet"),
    [(io.StringIO(), False), (Terminal(), True), (io.StringIO(), True)],
    ids=["pipe", "terminal-quiet", "pipe-quiet"],
)
def test_nothing_is_written_to_a_pipe_or_when_quiet(stream: io.StringIO, quiet: bool) -> None:
    with terminal_progress(quiet=quiet, stream=stream)("documents", 3) as bar:
        bar.advance(2, "resolve")
        bar.describe("write")
    assert stream.getvalue() == ""
    assert not bar.enabled and bar.done == 2  # still counted, for callers that read it


def test_no_progress_is_a_silent_counter(capfd: pytest.CaptureFixture[str]) -> None:
    with no_progress("package", 5) as bar:
        bar.advance(4, "written")
    assert (bar.done, bar.note, bar.enabled) == (4, "written", False)
    assert capfd.readouterr() == ("", "")


def test_a_closed_or_odd_stream_is_no_terminal() -> None:
    with open(os.devnull, "w") as closed:
        pass
    assert not is_terminal(closed)  # isatty() on a closed file raises ValueError
    assert not is_terminal(object())
    assert not is_terminal(None)
    assert progress_enabled(stream=Terminal()) and not progress_enabled(True, Terminal())


def test_stderr_decides_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = Terminal()
    monkeypatch.setattr(sys, "stderr", fake)
    with terminal_progress()("validate", 1) as bar:
        bar.advance()
    assert "validate" in fake.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not terminal_progress()("validate", 1).enabled


def test_a_drawn_bar_starts_no_thread() -> None:
    """A build forks its workers only while the process has one thread (dprk_records.base.parallel):
    tqdm's monitor thread must not change that."""
    before = threading.active_count()
    with ProgressBar("documents", 10, Terminal()) as bar:
        bar.advance(10)
        assert threading.active_count() == before


def test_byte_bars_scale_their_unit() -> None:
    stream = Terminal()
    with ProgressBar("x.zip", 3 * 1024 * 1024, stream, unit="B") as bar:
        bar.advance(3 * 1024 * 1024)
    assert "3.00M" in stream.getvalue()  # 3 MiB shown as 3.00M, not 3145728


def test_importing_and_disabled_bars_do_not_import_tqdm() -> None:
    code = (
        "import sys\n"
        "import dprk_records\n"
        "from dprk_records.base.progress import no_progress, terminal_progress\n"
        "with terminal_progress(quiet=True)('x', 2) as bar: bar.advance()\n"
        "with no_progress('y', 1) as bar: bar.advance()\n"
        "assert 'tqdm' not in sys.modules, 'tqdm imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
