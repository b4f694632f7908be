"""Answers a process keeps for a bounded time, shared by its threads: what another process changes is seen
here at most `ttl` seconds later; what this process changes it forgets at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import TTLCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Timer = Callable[[], float]


class ExpiringAnswers(Generic[K, V]):
    def __init__(self, ttl: float, maxsize: int, *, timer: Timer = time.monotonic) -> None:
        self.ttl = ttl
        self._answers: TTLCache[K, V] = TTLCache(maxsize=maxsize, ttl=ttl, timer=timer)
        self._lock = threading.Lock()
        self._generation = 0  # moves on at every forget, so an answer read before it is not kept

    def get(self, key: K, load: Callable[[], V | None]) -> V | None:
        """The kept answer, else `load()`'s, kept unless it is None (a miss is asked again next time)."""
        with self._lock:
            known = self._answers.get(key)
            generation = self._generation
        if known is not None:
            return known
        answer = load()
        if answer is not None:
            with self._lock:
                if generation == self._generation:
                    self._answers[key] = answer
        return answer

    def forget(self, key: K) -> None:
        with self._lock:
            self._answers.pop(key, None)
            self._generation += 1

    def forget_all(self) -> None:
        with self._lock:
            self._answers.clear()
            self._generation += 1
