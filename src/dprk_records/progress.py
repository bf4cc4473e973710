"""A tiny progress bar for long builds and validations, drawn on stderr only when it is a terminal.

Standard library only (the loader imports nothing from here). A bar that is not enabled does
nothing at all, so library code can always report progress and let the caller decide::

    bars = terminal_progress(quiet=args.quiet)        # a ProgressFactory
    with bars("documents", len(sources)) as bar:
        for source in sources:
            ...
            bar.advance()
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

ProgressFactory = Callable[[str, int], "ProgressBar"]
"""Makes the bar of one stage from its label and total number of steps."""


def format_elapsed(seconds: float) -> str:
    """1.2s, 59.0s, 2m05s, 1h02m."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def render_bar(
    label: str, done: int, total: int, elapsed: float, note: str = "", width: int = 28
) -> str:
    """One line of a bar: ``documents |#######.......| 2500/10000  25% 3.1s note``."""
    fraction = min(1.0, done / total) if total > 0 else 1.0
    filled = round(fraction * width)
    bar = "#" * filled + "." * (width - filled)
    line = f"{label:<11} |{bar}| {done}/{total} {int(fraction * 100):3d}% {format_elapsed(elapsed)}"
    return f"{line} {note}".rstrip()


class ProgressBar:
    """A progress bar over ``total`` steps; redrawn at most every ``interval`` seconds."""

    def __init__(
        self,
        label: str,
        total: int,
        stream: TextIO | None = None,
        enabled: bool = True,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label, self.total, self.done, self.note = label, total, 0, ""
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.interval, self.clock = interval, clock
        self.started = clock()
        self._drawn_at: float | None = None

    def advance(self, count: int = 1, note: str | None = None) -> None:
        """Count ``count`` more steps done (and optionally say what is being done now)."""
        self.done += count
        if note is not None:
            self.note = note
        if self.enabled:
            now = self.clock()
            if self._drawn_at is None or now - self._drawn_at >= self.interval:
                self._draw(now)

    def describe(self, note: str) -> None:
        """Say what the current step is, without counting a step."""
        self.advance(0, note)

    def _draw(self, now: float) -> None:
        line = render_bar(self.label, self.done, self.total, now - self.started, self.note)
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self._drawn_at = now

    def close(self) -> None:
        """Draw the final state and end the line (nothing when the bar is not enabled)."""
        if self.enabled:
            self.note = ""
            self._draw(self.clock())
            self.stream.write("\n")
            self.stream.flush()
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
    isatty = getattr(target, "isatty", None)
    enabled = not quiet and callable(isatty) and bool(isatty())

    def factory(label: str, total: int) -> ProgressBar:
        return ProgressBar(label, total, target, enabled=enabled)

    return factory
