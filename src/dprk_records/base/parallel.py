"""How many cores a process may use, and how to start worker processes safely (stdlib only)."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """fork where it is safe (a POSIX process with one thread: nothing to re-import), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return "fork"
    return "spawn"
