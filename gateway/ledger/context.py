"""What every ledger view needs: the tenant's ledger, the actor, the idempotency key, and error mapping."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from flask import request

from gateway.auth.access import current_principal, optional_principal
from gateway.auth.principal import Principal, Role
from gateway.bootstrap import Platform, current_platform
from gateway.errors import Problem, not_found
from gateway.ledger import client_scopes
from gateway.tenancy import current_tenant
from services.ledger.api import LedgerViews
from services.ledger.bootstrap import LedgerTenant
from services.ledger.domain.errors import CheckFailed
from services.ledger.service_layer.messagebus import LedgerBus
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork, Guard
from services.ledger.service_layer.results import BatchResult, RecordResult, TransactionResult
from services.shared.messages import Command

C = TypeVar("C", bound=Command)

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
# Machine clients and federated users have subjects that are not UUIDs: they map to a stable name-based UUID.
_SUBJECT_NAMESPACE = uuid.UUID("5b1b3f5e-5c1e-4d0a-9a57-6c6564676572")

IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
    "description": "Send the same key to repeat a request safely: the first answer comes back, nothing happens "
    "twice. The same key with another body is refused (LDG-073).",
}


def platform() -> Platform:
    found: Platform = current_platform()
    return found


def ledger_tenant() -> LedgerTenant:
    return Platform.ledger_tenant(current_tenant())


def bus(guards: Sequence[Guard] = ()) -> LedgerBus:
    return platform().ledger.bus(ledger_tenant(), guards)


def views() -> LedgerViews:
    """The ledger's answers to plain reads of the request's registry."""
    return platform().ledger.views(ledger_tenant())


def uow() -> AbstractLedgerUnitOfWork:
    return platform().ledger.uow(ledger_tenant())


def actor_id(principal: Principal | None = None) -> UUID:
    """The principal's subject as the ledger's actor id: users are UUIDs already, others map by name."""
    subject = (principal or current_principal()).subject
    try:
        return UUID(subject)
    except ValueError:
        return uuid.uuid5(_SUBJECT_NAMESPACE, subject)


def idempotency_key() -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isascii():
        raise Problem(
            400,
            "request.idempotency_key_invalid",
            f"send an {IDEMPOTENCY_HEADER} of 1 to {MAX_KEY_LENGTH} ASCII characters",
        )
    return key.strip()


def with_key(command: C) -> C:
    key = idempotency_key()
    return dataclasses.replace(command, idempotency_key=key) if key is not None else command


def handle(command: Command, guards: Sequence[Guard] = ()) -> TransactionResult | RecordResult | BatchResult:
    """Run one command with the request's idempotency key; a failed check leaves as problem+json."""
    client_scopes.check(optional_principal(), command)
    return bus(guards).handle(with_key(command))


def handle_transaction(command: Command, guards: Sequence[Guard] = ()) -> TransactionResult:
    result = handle(command, guards)
    if not isinstance(result, TransactionResult):
        raise TypeError(f"{type(command).__name__} answers a transaction")
    return result


def handle_record(command: Command) -> RecordResult:
    result = handle(command)
    if not isinstance(result, RecordResult):
        raise TypeError(f"{type(command).__name__} answers a record")
    return result


def check_status(error: CheckFailed) -> int:
    """409 for a check that failed on the ledger's state (its catalogue entry says so), 422 otherwise."""
    return 409 if error.conflict else 422


def check_failed(error: CheckFailed) -> Problem:
    return Problem(check_status(error), error.code, error.message, title="Check failed", field=error.field)


def is_administrator(principal: Principal) -> bool:
    """Roles that see and act on every account of the registry (the representative sees its own)."""
    return principal.has_any(Role.REGISTRY_ADMIN, Role.AUDITOR, Role.APPROVER, Role.AUTHORIZING_OFFICER)


def representative_scope(principal: Principal | None = None) -> UUID | None:
    """The organization whose accounts the caller is limited to, or None when it sees every account."""
    principal = principal or current_principal()
    if is_administrator(principal):
        return None
    if principal.organization_id is None:
        raise not_found("account")
    return principal.organization_id


def unknown(what: str) -> Problem:
    return not_found(what)
