"""Sending the outbox: each tenant's due e-mails, one at a time, outside any transaction.

A message the server takes is marked sent; one it does not (down, slow, refusing) waits with backoff
and is tried again (services/notifications/domain/delivery.py). A crash between the server taking a
message and the mark may send it twice; nothing makes it send none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from services.notifications.service_layer.ports import Mailer, MailOutbox, MailServerError
from services.shared.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)


@dataclass
class SentCount:
    sent: int = 0
    failed: int = 0


@dataclass
class MailSender:
    outbox: MailOutbox
    mailer: Mailer | None  # None: no mail server configured; messages wait in the outbox
    tenants: Callable[[], Iterable[UUID]]
    clock: Clock = field(default=SYSTEM_CLOCK)
    batch: int = 50

    def send_due(self) -> SentCount:
        count = SentCount()
        if self.mailer is None:
            return count
        for tenant_id in sorted(self.outbox.tenants_with_due(list(self.tenants()), self.clock.now())):
            try:
                self._send_tenant(self.mailer, tenant_id, count)
            except Exception:  # one registry's database failing must not hold up the other registries' notices
                log.exception("notifications of registry %s not sent this round", tenant_id)
        return count

    def _send_tenant(self, mailer: Mailer, tenant_id: UUID, count: SentCount) -> None:
        claimed = self.outbox.claim_due(tenant_id, self.clock.now(), self.batch)
        for index, message in enumerate(claimed):
            try:
                mailer.send(message.email)
            except MailServerError as error:
                log.warning("e-mail %s not sent (attempt %d): %s", message.id, message.attempts + 1, error)
                self.outbox.failed(message, str(error)[:500], self.clock.now())
                self.outbox.release(claimed[index + 1 :], self.clock.now())  # the rest waits for the next round
                count.failed += 1
                return
            self.outbox.sent(message, self.clock.now())
            count.sent += 1
