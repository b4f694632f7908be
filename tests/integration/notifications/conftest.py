"""A real SMTP server on a free local port, and a platform that sends its notices to it.

Each platform writes its events under a topic prefix of its own, so its consumer reads only its events
from a database other tests share.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller

from gateway.bootstrap import Platform
from gateway.bootstrap.notifications import sender_for
from gateway.cli.events import build_runtime
from gateway.settings import KafkaSettings, Settings, SmtpSettings
from services.events.service_layer.consumer import ConsumerRuntime
from services.identity.domain.roles import Role
from services.identity.domain.users import User
from services.identity.service_layer import accounts
from services.notifications.service_layer.sending import SentCount
from services.shared.clock import FixedClock
from services.shared.ids import new_id
from tenants.domain.model import Tenant
from tests.conftest import (
    DatabaseUrls,
    fresh_postgres_database,
    new_tenant_command,
    settings_for,
    sqlite_urls,
    unique_code,
)
from tests.factories.events import publish_pending_events

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SENDER = "registry@notices.example.org"
PUBLIC_URL = "https://registry.example.org"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseUrls]:
    """A database of the test's own: the sender looks over every registry of it."""
    if request.param == "sqlite":
        yield sqlite_urls(tmp_path)
    else:
        yield from fresh_postgres_database(request.getfixturevalue("postgres_server"))


@dataclass
class Mailbox:
    """What the SMTP server was given: each message as parsed, with its envelope's recipients."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for recipients, message in self.messages if address in recipients]

    def recipients(self) -> list[str]:
        return sorted(address for recipients, _ in self.messages for address in recipients)

    def clear(self) -> None:
        self.messages.clear()


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), Mailbox())
    server.start()
    yield server
    server.stop()


def notifying_settings(urls: DatabaseUrls, port: int) -> Settings:
    return settings_for(
        urls,
        public_url=PUBLIC_URL,
        smtp=SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender=SENDER),
        kafka=KafkaSettings(topic_prefix=unique_code("notify")),
    )


@dataclass
class Notifying:
    """A platform on a fixed clock, and what runs its notices: the relay, the consumer, the sender."""

    platform: Platform
    clock: FixedClock
    runtime: ConsumerRuntime | None = None

    def deliver(self) -> SentCount:
        """Publish the outbox, let the consumer queue the e-mails, and send what is due."""
        publish_pending_events(self.platform)
        if self.runtime is None:
            self.runtime = build_runtime(self.platform, "notifications")
        self.runtime.drain()
        return sender_for(self.platform).send_due()

    def registry(self, **settings: object) -> Tenant:
        return self.platform.catalogue.create(new_tenant_command(settings=settings))

    def organization(self, tenant: Tenant) -> UUID:
        organization_id = new_id()
        identity = self.platform.identity
        accounts.ensure_organization(organization_id, f"Org {organization_id}", identity.uow(tenant.id), START)
        return organization_id

    def person(
        self, tenant: Tenant, roles: set[Role], organization_id: UUID | None = None, email: str | None = None
    ) -> User:
        identity = self.platform.identity
        name = f"user-{new_id().hex[-12:]}"
        command = accounts.CreateUser(name, "a long enough password", frozenset(roles), organization_id, name, email)
        return accounts.create_user(command, identity.uow(tenant.id), identity.credentials)


def notifying(settings: Settings) -> Notifying:
    clock = FixedClock(START)
    platform = replace(Platform.from_settings(settings), clock=clock)  # every context built on the fixed clock
    return Notifying(platform, clock)


@pytest.fixture
def notices(database_urls: DatabaseUrls, smtp: SmtpServer) -> Iterator[Notifying]:
    built = notifying(notifying_settings(database_urls, smtp.port))
    yield built
    built.platform.close()
