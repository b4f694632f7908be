"""The sender: a refused message waits its backoff and gives back the rest; a failing registry holds up no other."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

import pytest

from services.notifications.domain.notices import Email
from services.notifications.service_layer.ports import MailServerError, QueuedEmail
from services.notifications.service_layer.sending import MailSender
from services.shared.clock import FixedClock

BROKEN, HEALTHY = UUID(int=1), UUID(int=2)


class FakeOutbox:
    def __init__(self, queued: dict[UUID, list[QueuedEmail]]) -> None:
        self.queued = queued
        self.sent_ids: list[UUID] = []
        self.failed_ids: list[UUID] = []
        self.released: list[UUID] = []

    def tenants_with_due(self, tenant_ids: Sequence[UUID], now: datetime) -> set[UUID]:
        return {tenant_id for tenant_id in tenant_ids if self.queued.get(tenant_id)}

    def claim_due(self, tenant_id: UUID, now: datetime, limit: int) -> list[QueuedEmail]:
        if tenant_id == BROKEN:
            raise ConnectionError("the registry's dedicated database is gone")
        return self.queued[tenant_id][:limit]

    def sent(self, message: QueuedEmail, now: datetime) -> None:
        self.sent_ids.append(message.id)

    def failed(self, message: QueuedEmail, error: str, now: datetime) -> None:
        self.failed_ids.append(message.id)

    def release(self, messages: Sequence[QueuedEmail], now: datetime) -> None:
        self.released += [message.id for message in messages]

    def add(self, *_: object) -> int:
        return 0


class Mailer:
    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.sent: list[str] = []

    def send(self, email: Email) -> None:
        if email.recipient in self.refuse:
            raise MailServerError("421 try later")
        self.sent.append(email.recipient)


def queued(tenant_id: UUID, *recipients: str) -> list[QueuedEmail]:
    return [QueuedEmail(tenant_id, UUID(int=100 + n), Email(r, "s", "b"), 0) for n, r in enumerate(recipients)]


def sender(outbox: FakeOutbox, mailer: Mailer | None, tenants: list[UUID]) -> MailSender:
    return MailSender(outbox, mailer, lambda: tenants, FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))


def test_a_failing_registry_holds_up_no_other(caplog: pytest.LogCaptureFixture) -> None:
    outbox = FakeOutbox({BROKEN: queued(BROKEN, "a@x.org"), HEALTHY: queued(HEALTHY, "b@x.org")})
    mailer = Mailer(refuse=set())
    count = sender(outbox, mailer, [BROKEN, HEALTHY]).send_due()
    assert mailer.sent == ["b@x.org"]
    assert count.sent == 1
    assert "not sent this round" in caplog.text


def test_a_refusal_counts_an_attempt_and_gives_back_the_rest_untried() -> None:
    messages = queued(HEALTHY, "a@x.org", "b@x.org", "c@x.org")
    outbox = FakeOutbox({HEALTHY: messages})
    mailer = Mailer(refuse={"b@x.org"})
    count = sender(outbox, mailer, [HEALTHY]).send_due()
    assert (count.sent, count.failed) == (1, 1)
    assert outbox.sent_ids == [messages[0].id]
    assert outbox.failed_ids == [messages[1].id]
    assert outbox.released == [messages[2].id]


def test_without_a_mail_server_nothing_is_claimed() -> None:
    outbox = FakeOutbox({HEALTHY: queued(HEALTHY, "a@x.org")})
    assert sender(outbox, None, [HEALTHY]).send_due().sent == 0
    assert outbox.sent_ids == []
