"""What the notifications context needs from outside: the ledger's and identity's facts, filled in by the
composition root from those contexts' public ports, the outbox of e-mails and the mail server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from services.notifications.domain.notices import Email, Recipient


@dataclass(frozen=True)
class HeldAccount:
    account_id: UUID
    number: str
    holder_id: UUID | None  # the organization whose representatives act for it


@dataclass(frozen=True)
class Movement:
    transaction_id: UUID
    number: str
    type: str
    quantity: int
    source_account_id: UUID | None
    execute_after: datetime | None


@dataclass(frozen=True)
class Registry:
    code: str
    name: str
    language: str  # its default language


class LedgerFacts(Protocol):
    def account(self, tenant_id: UUID, account_id: UUID) -> HeldAccount | None: ...

    def movement(self, tenant_id: UUID, transaction_id: UUID) -> Movement | None: ...


class People(Protocol):
    def representatives(self, tenant_id: UUID, organization_id: UUID) -> list[Recipient]:
        """The organization's account representatives who can sign in and have an e-mail address."""

    def person(self, tenant_id: UUID, user_id: UUID) -> Recipient | None:
        """The person, if they can sign in and have an e-mail address."""


class Registries(Protocol):
    def registry(self, tenant_id: UUID) -> Registry | None: ...


@dataclass(frozen=True)
class QueuedEmail:
    tenant_id: UUID
    id: UUID
    email: Email
    attempts: int


class MailOutbox(Protocol):
    def add(self, session: Any, tenant_id: UUID, event_id: UUID, emails: Sequence[Email], now: datetime) -> int:
        """Queue the e-mails of one event in the caller's transaction; the ones queued already are left out."""

    def tenants_with_due(self, tenant_ids: Sequence[UUID], now: datetime) -> set[UUID]: ...

    def claim_due(self, tenant_id: UUID, now: datetime, limit: int) -> list[QueuedEmail]: ...

    def sent(self, message: QueuedEmail, now: datetime) -> None: ...

    def failed(self, message: QueuedEmail, error: str, now: datetime) -> None: ...

    def release(self, messages: Sequence[QueuedEmail], now: datetime) -> None:
        """Give back claimed messages that were not tried: due again at once, no attempt counted."""


class MailServerError(Exception):
    """The mail server could not be reached or did not take the message; it is tried again later."""


class Mailer(Protocol):
    def send(self, email: Email) -> None:
        """Hand the message to the mail server; raise MailServerError when it was not taken."""
