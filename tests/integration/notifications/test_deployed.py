"""The deployed process type on Apache Kafka: `registry relay` and `registry consume notifications` as real
processes, configured from the environment, take a proposed movement to its holders' mailboxes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gateway.bootstrap import Platform
from services.shared.clock import FixedClock
from tests.integration.events.conftest import Processes, fault_urls, kafka_platform, wait_until
from tests.integration.notifications.conftest import PUBLIC_URL, SENDER, START, Notifying, SmtpServer
from tests.integration.notifications.test_movements import holders, propose

__all__ = ["fault_urls", "kafka_platform"]  # the fixtures this module takes from the bus tests

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


@dataclass
class NotifyingProcesses(Processes):
    smtp_port: int = 0

    def env(self) -> dict[str, str]:
        mail = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.smtp_port), "SMTP_STARTTLS": "false"}
        return {**super().env(), **mail, "SMTP_SENDER": SENDER, "REGISTRY_PUBLIC_URL": PUBLIC_URL}


@pytest.fixture
def processes(kafka_platform: Platform, smtp: SmtpServer, tmp_path: Path) -> Iterator[NotifyingProcesses]:
    running = NotifyingProcesses(kafka_platform, tmp_path, [], smtp.port)
    yield running
    running.stop_all()


def test_a_proposed_transfer_reaches_its_holders_through_the_deployed_processes(
    kafka_platform: Platform, processes: NotifyingProcesses, smtp: SmtpServer
) -> None:
    h = holders(Notifying(kafka_platform, FixedClock(START)))
    processes.registry("relay")
    processes.registry("consume", "notifications")
    transaction_id = propose(h, 11)

    wait_until(lambda: len(smtp.mailbox.messages) == 2, 60, "the two representatives' e-mails")
    assert smtp.mailbox.recipients() == sorted(h.told)
    [_, message] = smtp.mailbox.messages[0]
    assert f"/console/transactions/{transaction_id}" in message.get_content()
