"""Timing one command in a child process: wall time, exit status and peak memory.

Peak memory is measured two ways, both sampled from /proc every few milliseconds over the
command's whole process tree (Linux). ``max_rss_kb`` is the largest peak resident set (``VmHWM``)
of any single process of the command; ``tree_rss_kb`` the largest sum of the resident sets of
all of them at once (the command and its workers), None without /proc.

``max_rss_kb`` is not the kernel's figure for the child (``os.wait4``): on Linux a child starts as
a copy of the process that launched it, and the kernel's peak for it keeps that process's peak --
the benchmark's own, which holds the pandas frames of the loads -- so a build of 80 MB read as
111 MB. ``VmHWM`` is counted from the command's own start. The sampling misses a peak in the
last few milliseconds of a process's life; where there is no /proc, the wait4 figure is used.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_SAMPLE_EVERY = 0.02  # seconds between /proc samples of the process tree


@dataclass(frozen=True)
class Sample:
    """One run of a command."""

    seconds: float
    returncode: int
    max_rss_kb: int
    tree_rss_kb: int | None


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(x) for x in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return found


def tree_memory_kb(pid: int) -> tuple[int, int] | None:
    """The summed VmRSS of ``pid`` and all its descendants, and the largest VmHWM (peak resident
    set) among them (None without /proc)."""
    if not Path("/proc/self/status").exists():
        return None
    total, largest, stack = 0, 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    largest = max(largest, int(line.split()[1]))
                elif line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
        stack.extend(_children(current))
    return total, largest


def run_timed(
    command: Sequence[str],
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    quiet: bool = True,
) -> Sample:
    """Run ``command`` to completion and measure it (stdout and stderr dropped when ``quiet``)."""
    output = subprocess.DEVNULL if quiet else None
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), cwd=cwd, env=None if env is None else dict(env), stdout=output, stderr=output
    )
    peak_tree: int | None = None
    peak_process: int | None = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        sampled = tree_memory_kb(process.pid)
        if sampled is not None:
            peak_tree = max(peak_tree or 0, sampled[0])
            peak_process = max(peak_process or 0, sampled[1])
        time.sleep(_SAMPLE_EVERY)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    max_rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    if peak_process:  # (see the module docstring: wait4's figure holds the launcher's peak)
        max_rss = peak_process
    return Sample(seconds, process.returncode, max_rss, peak_tree)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def machine_info() -> dict[str, str]:
    """Cores, memory, CPU model, OS and Python of this machine, as text."""
    from dprk_records.base.parallel import available_cores

    memory = _memory_gib()
    return {
        "cores": f"{available_cores()} available ({os.cpu_count()} in the machine)",
        "memory": f"{memory:.1f} GiB" if memory is not None else "unknown",
        "cpu": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }
