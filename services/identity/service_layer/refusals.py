"""Whether an access token is refused (revoked, or its person disabled or removed), remembered per process.

Verifying a token otherwise reads the database on every request. An answer is kept for at most
`REFUSAL_TTL` seconds, so a revocation or a disabled account made by another process takes effect there
within that bound; the process that makes the change forgets every answer at once (`forget_all`, called by
the unit of work's commit). A token's own signature, times and audience are still checked on every request.
"""

from __future__ import annotations

import time
from uuid import UUID

from services.identity.service_layer import grants
from services.identity.service_layer.ports import IdentityUnitOfWork
from services.shared.expiring import ExpiringAnswers, Timer

REFUSAL_TTL = 5.0
REFUSAL_ENTRIES = 10_000

RefusalKey = tuple[UUID | None, str, UUID | None]


class RefusalCache:
    def __init__(self, ttl: float = REFUSAL_TTL, *, timer: Timer = time.monotonic) -> None:
        self._answers: ExpiringAnswers[RefusalKey, bool] = ExpiringAnswers(ttl, REFUSAL_ENTRIES, timer=timer)

    def is_refused(self, jti: str, person_id: UUID | None, uow: IdentityUnitOfWork) -> bool:
        key = (uow.tenant_id, jti, person_id)
        return bool(self._answers.get(key, lambda: grants.is_refused(jti, person_id, uow)))

    def forget_all(self) -> None:
        self._answers.forget_all()
