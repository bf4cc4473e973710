"""The build's worker processes: a function mapped over documents on every core, in order.

Both per-document parts of a build run here: analysis (:mod:`~dprk_records.pipeline.analyse`)
and the rows of resolve's pass two (:mod:`~dprk_records.pipeline.passtwo`). Results come back
in input order, a bounded window of small chunks ahead of the one the build is taking in, so
no more than a handful of documents wait in memory however large the corpus, and a long
document at the head of the queue does not leave the other cores idle. Each result is a pure
function of its input, so a build with any number of workers is byte-identical to the
single-process one.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from dprk_records.base.parallel import available_cores, start_method

if TYPE_CHECKING:  # only named in annotations: the pool itself needs neither
    from dprk_records.pipeline.cache import AnalysisCache
    from dprk_records.pipeline.read import SeedEntry

PARALLEL_MIN_DOCUMENTS = 200
"""Below this many documents, starting worker processes costs more than it saves."""

BUILD_GC_THRESHOLDS = (100_000, 50, 100)
"""A build allocates millions of small long-lived objects (rows, facts) and makes few reference
cycles; with Python's default thresholds (700, 10, 10) the collector re-scans them over and over,
some 15-20% of a large build. These make it collect a hundred times less often."""

CHUNK_DOCUMENTS = 4
"""Documents sent to a worker at a time: few, because their lengths vary twentyfold (a 60 KB
speech among 2 KB items) and the build takes results in order, so a long chunk at the head holds
up the others."""

IN_FLIGHT_PER_WORKER = 16
"""Chunks handed to each worker ahead of the one the build is taking in: enough that the other
workers keep busy while the head chunk is a long one, few enough that the results not yet taken
in stay a bounded handful (some 64 documents a worker), however large the corpus."""

ORPHAN_CHECK_SECONDS = 1.0
"""How often a worker looks whether the build that started it is still there."""

Item = TypeVar("Item")
Result = TypeVar("Result")


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with :data:`BUILD_GC_THRESHOLDS`, then restore the caller's thresholds."""
    previous = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def default_workers(documents: int) -> int:
    """Every available core when the corpus is large enough to pay for worker start-up, else 1."""
    return available_cores() if documents >= PARALLEL_MIN_DOCUMENTS else 1


def ordered_map(
    work: Callable[[Item], Result],
    items: Iterable[Item],
    count: int,
    workers: int,
    setup: Callable[..., None] | None = None,
    setup_args: tuple[Any, ...] = (),
) -> Iterator[Result]:
    """``work`` of each of the ``count`` items, in order, on ``workers`` processes (in this one
    when 1). The items are drawn only as the window moves on, so they may come from a file.

    ``work`` and ``setup`` are module-level functions; ``setup(*setup_args)`` runs once in each
    worker before any work (a forked worker inherits its arguments, a spawned one gets them
    pickled), and in this process when there are no workers."""
    if workers <= 1 or count < 2:
        if setup is not None:
            setup(*setup_args)
        yield from map(work, items)
        return
    workers = min(workers, count)
    size = max(1, min(CHUNK_DOCUMENTS, count // (workers * 8)))
    source = iter(items)
    chunks = iter(lambda: list(itertools.islice(source, size)), [])
    context = multiprocessing.get_context(start_method())
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), setup, setup_args),
    ) as pool:
        pending: deque[Future[list[Result]]] = deque()
        waiting: Iterator[list[Item]] = chunks
        for chunk in itertools.islice(waiting, workers * IN_FLIGHT_PER_WORKER):
            pending.append(pool.submit(_work_chunk, work, chunk))
        while pending:
            done = pending.popleft().result()
            for chunk in itertools.islice(waiting, 1):
                pending.append(pool.submit(_work_chunk, work, chunk))
            yield from done


def cached_map(
    work: Callable[[Item], Result],
    entries: Sequence[SeedEntry],
    item_of: Callable[[int], Item],
    cache: AnalysisCache | None,
    restore: Callable[[int, object], Result | None],
    workers: int | None,
    *,
    storable: Callable[[Result], bool] = lambda result: True,
    setup: Callable[..., None] | None = None,
    setup_args: tuple[Any, ...] = (),
) -> Iterator[Result]:
    """``work`` of the item of each of ``entries`` (``item_of(index)``), in order, taken from
    ``cache`` where it can be: the entries the cache holds are read from it as their turn
    comes, ``restore(index, value)`` giving the result or None for a value that no longer
    serves (damaged, stale), which is made again here; the others are made on ``workers``
    processes (None: :func:`default_workers` of how many they are) and stored when
    ``storable``. Sets the cache's ``hits`` and ``misses`` once every result is out. Both
    per-document parts of a build (analysis, resolve's pass two) run through here."""
    # (entries may be read back from disk one by one: not gone through when there is no cache)
    if cache is None:
        cached = [False] * len(entries)
    else:
        cached = [cache.contains(entry) for entry in entries]
    misses = [index for index, hit in enumerate(cached) if not hit]
    if workers is None:
        workers = default_workers(len(misses))
    items = (item_of(index) for index in misses)
    fresh = ordered_map(work, items, len(misses), workers, setup, setup_args)
    if cache is None:
        yield from fresh
        return
    hits = 0
    for index, entry in enumerate(entries):
        if cached[index]:
            result = restore(index, cache.get(entry))
            if result is not None:
                hits += 1
                yield result
                continue
            result = work(item_of(index))  # a damaged or stale entry: a miss after all
        else:
            result = next(fresh)
        if storable(result):
            cache.put(entry, result)
        yield result
    cache.hits, cache.misses = hits, len(entries) - hits


def _work_chunk(work: Callable[[Item], Result], chunk: Sequence[Item]) -> list[Result]:
    return [work(item) for item in chunk]


def _start_worker(
    parent: int, setup: Callable[..., None] | None, setup_args: tuple[Any, ...]
) -> None:
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    if setup is not None:
        setup(*setup_args)


def _exit_with_parent(parent: int) -> None:
    """End this worker once the build that started it is gone. A build killed by a signal
    (SIGTERM, SIGKILL) runs no clean-up, and a forked worker, holding its own end of the task
    queue, would otherwise wait for work for ever."""
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)
