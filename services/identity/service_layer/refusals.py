"""Whether an access token is refused (revoked, or its person disabled or removed), remembered per process.

Verifying a token otherwise reads the database on every request. An answer is kept for at most
`REFUSAL_TTL` seconds, so a revocation or a disabled account made by another process takes effect there
within that bound; the process that makes the change forgets every answer at once (`forget_all`, called by
the unit of work's commit). A token's own signature, times and audience are still checked on every request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from uuid import UUID

from cachetools import TTLCache

from services.identity.service_layer import grants
from services.identity.service_layer.ports import IdentityUnitOfWork

REFUSAL_TTL = 5.0
REFUSAL_ENTRIES = 10_000

Timer = Callable[[], float]
RefusalKey = tuple[UUID | None, str, UUID | None]


class RefusalCache:
    def __init__(self, ttl: float = REFUSAL_TTL, *, timer: Timer = time.monotonic) -> None:
        self._answers: TTLCache[RefusalKey, bool] = TTLCache(maxsize=REFUSAL_ENTRIES, ttl=ttl, timer=timer)
        self._lock = threading.Lock()
        self._generation = 0  # moves on at every forget_all, so an answer read before it is not kept

    def is_refused(self, jti: str, person_id: UUID | None, uow: IdentityUnitOfWork) -> bool:
        key = (uow.tenant_id, jti, person_id)
        with self._lock:
            known = self._answers.get(key)
            generation = self._generation
        if known is not None:
            return known
        refused = grants.is_refused(jti, person_id, uow)
        with self._lock:
            if generation == self._generation:
                self._answers[key] = refused
        return refused

    def forget_all(self) -> None:
        with self._lock:
            self._answers.clear()
            self._generation += 1
