"""Concurrent workers for the benchmarks: threads in this process, or processes as the gateway runs them.

The gateway serves requests in gunicorn worker processes (`REGISTRY_WORKERS`, each with a few threads), so
"8 workers" of a benchmark are 8 processes; threads in one process measure the interpreter lock as much
as the code under test. A process worker is a module-level function `work(n, *args)`; it builds what it
needs (a platform, a connection) itself, and only its own loop is timed.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from typing import Any

Work = Callable[..., None]


def in_threads(work: Callable[[int], None], workers: int) -> float:
    """Run work(n) for n in range(workers) in threads started together; the wall time of all of them."""
    barrier, errors = threading.Barrier(workers + 1), []

    def run(number: int) -> None:
        barrier.wait()
        try:
            work(number)
        except Exception as error:  # noqa: BLE001 - handed to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def in_processes(prepare: Callable[..., Work], args: tuple[Any, ...], workers: int) -> float:
    """Run `prepare(n, *args)` in `workers` fresh processes, then the work it returns, all started together
    once every process is ready; the wall time from that start to the last one finishing."""
    context = multiprocessing.get_context("spawn")
    ready, finished = context.Barrier(workers + 1), context.Queue()
    processes = [
        context.Process(target=_process, args=(prepare, n, args, ready, finished), daemon=True) for n in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        raise RuntimeError(f"a worker process could not start: {finished.get()}") from None
    start = time.monotonic()
    outcomes = [finished.get() for _ in processes]
    for process in processes:
        process.join()
    failures = [outcome for outcome in outcomes if isinstance(outcome, str)]
    if failures:
        raise RuntimeError(f"a worker process failed: {failures[0]}")
    return float(max(outcomes)) - start


def _process(prepare: Callable[..., Work], number: int, args: tuple[Any, ...], ready: Any, finished: Any) -> None:
    try:
        work = prepare(number, *args)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        ready.abort()
        finished.put(f"{type(error).__name__}: {error}")
        return
    ready.wait()
    try:
        work()
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        finished.put(f"{type(error).__name__}: {error}")
    else:
        finished.put(time.monotonic())  # CLOCK_MONOTONIC: one clock for every process of the machine
