"""Progress bars for long builds, validations and downloads, drawn by tqdm on stderr.

A bar is drawn only when its stream is a terminal and the user did not ask for quiet: in a pipe,
a log file or CI output nothing at all is written, so stdout and stderr of scripted runs stay
byte-for-byte the same. A bar that is not enabled does nothing, so library code can always report
progress and let the caller decide::

    bars = terminal_progress(quiet=args.quiet)        # a ProgressFactory
    with bars("documents", len(sources)) as bar:
        for source in sources:
            ...
            bar.advance()

tqdm is imported only when a bar is really drawn, so neither ``import dprk_records`` nor a quiet
or piped build pays for it. Its monitor thread is switched off: a build decides whether worker
processes may be forked by counting threads (:mod:`dprk_records.base.parallel`), and a drawing aid
must not change that decision.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TextIO

ProgressFactory = Callable[[str, int], "ProgressBar"]
"""Makes the bar of one stage from its label and total number of steps."""

LABEL_WIDTH = 11


def is_terminal(stream: Any) -> bool:
    """Whether *stream* is an open terminal; a closed, replaced or missing stream is not one."""
    isatty = getattr(stream, "isatty", None)
    if not callable(isatty):
        return False
    try:
        return bool(isatty())
    except (OSError, ValueError):  # ValueError: I/O operation on closed file
        return False


def progress_enabled(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """Whether bars should be drawn on *stream* (default: stderr): a terminal, and not quiet."""
    return not quiet and is_terminal(stream if stream is not None else sys.stderr)


@functools.cache
def _tqdm_class() -> Any:
    """tqdm without its monitor thread (see the module docstring), imported on first use."""
    from tqdm import tqdm

    class _Bar(tqdm):  # type: ignore[type-arg]  # tqdm is generic in its stubs, not at runtime
        monitor_interval = 0

    return _Bar


class ProgressBar:
    """A progress bar over ``total`` steps (None: unknown), drawn by tqdm when ``enabled``.

    ``done`` and ``note`` are kept even when nothing is drawn, so callers and tests can read how
    far a stage went. ``unit="B"`` makes a download bar (sizes and speed in KiB, MiB...).
    """

    def __init__(
        self,
        label: str,
        total: int | None,
        stream: TextIO | None = None,
        enabled: bool = True,
        *,
        unit: str = "it",
        leave: bool = True,
    ) -> None:
        self.label, self.total, self.done, self.note = label, total, 0, ""
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self._bar: Any = None  # a tqdm bar while drawing
        if enabled:
            in_bytes = unit == "B"
            self._bar = _tqdm_class()(
                total=total,
                desc=f"{label:<{LABEL_WIDTH}}",
                file=self.stream,
                unit=unit,
                unit_scale=in_bytes,
                unit_divisor=1024 if in_bytes else 1000,
                leave=leave,
                dynamic_ncols=True,
                mininterval=0.1,
            )

    def advance(self, count: int = 1, note: str | None = None) -> None:
        """Count ``count`` more steps done (and optionally say what is being done now)."""
        self.done += count
        if note is not None:
            self.note = note
        if self._bar is None:
            return
        if note is not None:
            self._bar.set_postfix_str(note, refresh=count == 0)
        if count:
            self._bar.update(count)

    def describe(self, note: str) -> None:
        """Say what the current step is, without counting a step."""
        self.advance(0, note)

    def close(self) -> None:
        """Draw the final state and end the line (nothing when the bar is not enabled)."""
        if self._bar is not None:
            self.note = ""
            self._bar.set_postfix_str("", refresh=False)
            self._bar.close()
            self._bar = None
        self.enabled = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def no_progress(label: str, total: int) -> ProgressBar:
    """A bar that draws nothing (the default of library calls)."""
    return ProgressBar(label, total, enabled=False)


def terminal_progress(quiet: bool = False, stream: TextIO | None = None) -> ProgressFactory:
    """Bars on ``stream`` (default stderr) when it is a terminal and ``quiet`` is not set."""
    target = stream if stream is not None else sys.stderr
    enabled = progress_enabled(quiet, target)

    def factory(label: str, total: int) -> ProgressBar:
        return ProgressBar(label, total, target, enabled=enabled)

    return factory
