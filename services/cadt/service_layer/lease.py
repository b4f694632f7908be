"""One publisher per registry at a time, within one process: the lease where the database cannot hold one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ProcessLease:
    def __init__(self, lock: threading.Lock) -> None:
        self.lock = lock

    @contextmanager
    def hold(self, wait: bool) -> Iterator[bool]:
        held = self.lock.acquire(blocking=wait)
        try:
            yield held
        finally:
            if held:
                self.lock.release()
