"""From an event to the e-mails it causes: who is told, and what.

A movement's source account comes from the event (`account_id`) or, for events written before the ledger
carried it, from the transaction through the ledger's query port. Movements with no source account (an
issuance) tell no one; nor do accounts without a holding organization.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from services.notifications.domain.notices import Email, Happening, Notice, Recipient, happening_of
from services.notifications.domain.wording import email_for
from services.notifications.service_layer.ports import HeldAccount, LedgerFacts, People, Registries, Registry

Data = Mapping[str, Any]


@dataclass(frozen=True)
class Sources:
    ledger: LedgerFacts
    people: People
    registries: Registries
    console_url: str  # the platform's public base URL: cancel links point at its console


def emails_for(sources: Sources, event_name: str, data: Data, tenant_id: UUID, at: datetime) -> list[Email]:
    happening = happening_of(event_name)
    registry = sources.registries.registry(tenant_id) if happening else None
    if happening is None or registry is None:
        return []
    if happening is Happening.NEW_DEVICE:
        return _to_person(sources, registry, tenant_id, data, at)
    notice_of = _movement_notice if happening.is_movement else _account_notice
    found = notice_of(sources, registry, tenant_id, happening, data, at)
    if found is None:
        return []
    notice, holder_id = found
    return [
        email_for(notice, person, registry.language) for person in sources.people.representatives(tenant_id, holder_id)
    ]


def _to_person(sources: Sources, registry: Registry, tenant_id: UUID, data: Data, at: datetime) -> list[Email]:
    person = sources.people.person(tenant_id, UUID(data["user_id"]))
    if person is None:
        return []
    notice = Notice(Happening.NEW_DEVICE, registry.name, at, device=data.get("device") or None)
    return [email_for(notice, person, registry.language)]


def _movement_notice(
    sources: Sources, registry: Registry, tenant_id: UUID, happening: Happening, data: Data, at: datetime
) -> tuple[Notice, UUID] | None:
    transaction_id = UUID(data["transaction_id"])
    movement = None if _told_whole(happening, data) else sources.ledger.movement(tenant_id, transaction_id)
    source_id = data.get("account_id") or (movement.source_account_id if movement else None)
    account = _holding(sources, tenant_id, source_id)
    if account is None or account.holder_id is None:
        return None
    executes_at = data.get("execute_after") or (movement.execute_after if movement else None)
    notice = Notice(
        happening,
        registry.name,
        at,
        account_number=account.number,
        transaction_number=data.get("transaction_number") or (movement.number if movement else None),
        transaction_type=data.get("transaction_type"),
        quantity=data.get("quantity") if movement is None else movement.quantity,
        executes_at=_moment(executes_at) if happening.is_pending else None,
        reason=data.get("reason") or None,
        cancel_link=_transaction_page(sources, registry, transaction_id) if happening.is_pending else None,
    )
    return notice, account.holder_id


def _account_notice(
    sources: Sources, registry: Registry, tenant_id: UUID, happening: Happening, data: Data, at: datetime
) -> tuple[Notice, UUID] | None:
    account = _holding(sources, tenant_id, data.get("account_id"))
    if account is None or account.holder_id is None:
        return None
    counterpart = data.get("trusted_account_number")
    if counterpart and data.get("trusted_registry_id"):
        counterpart = f"{counterpart} ({data['trusted_registry_id']})"
    notice = Notice(
        happening,
        registry.name,
        at,
        account_number=data.get("account_number") or account.number,
        active_from=_moment(data.get("active_from")),
        counterpart=counterpart or None,
        reason=data.get("reason") or None,
    )
    return notice, account.holder_id


def _told_whole(happening: Happening, data: Data) -> bool:
    """The event carries every fact of a final movement's notice, so the transaction need not be read."""
    known = data.get("account_id") and data.get("transaction_number") and data.get("quantity") is not None
    return bool(known) and not happening.is_pending


def _holding(sources: Sources, tenant_id: UUID, account_id: object) -> HeldAccount | None:
    if account_id is None:
        return None
    return sources.ledger.account(tenant_id, account_id if isinstance(account_id, UUID) else UUID(str(account_id)))


def _moment(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _transaction_page(sources: Sources, registry: Registry, transaction_id: UUID) -> str:
    return f"{sources.console_url.rstrip('/')}/registries/{registry.code}/console/transactions/{transaction_id}"


class RememberedPeople:
    """People as read once per batch: the events of one poll that tell the same organization read it once."""

    def __init__(self, people: People) -> None:
        self.people = people
        self._representatives: dict[tuple[UUID, UUID], list[Recipient]] = {}

    def representatives(self, tenant_id: UUID, organization_id: UUID) -> list[Recipient]:
        key = (tenant_id, organization_id)
        if key not in self._representatives:
            self._representatives[key] = self.people.representatives(tenant_id, organization_id)
        return self._representatives[key]

    def person(self, tenant_id: UUID, user_id: UUID) -> Recipient | None:
        return self.people.person(tenant_id, user_id)
