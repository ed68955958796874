"""Jobs started at the same instant on their own threads: the races that row locks must win."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def run_together(jobs: list[Callable[[], Any]], timeout: float = 120.0) -> list[Any]:
    """Run every job on its own thread, all released by one barrier; returns each job's result, or the
    exception it raised (for the test to assert on), in the order of `jobs`."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = jobs[i]()
        except Exception as err:  # collected and asserted by the test
            results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results
