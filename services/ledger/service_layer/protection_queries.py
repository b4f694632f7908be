"""Read-only questions about the account-protection controls: an account's trusted list, limits and freeze."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.ledger.domain.protection import Freeze, Limits, TrustedAccount
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork


@dataclass(frozen=True)
class TrustedEntry:
    """A trusted-list entry as the holder sees it: `status` is proposed, approved (waiting for `active_from`)
    or active."""

    entry: TrustedAccount
    status: str


@dataclass(frozen=True)
class AccountProtection:
    account_id: UUID
    trusted: tuple[TrustedEntry, ...]
    limits: Limits
    freeze: Freeze | None
    organization_freeze: Freeze | None


def _status(entry: TrustedAccount, now: datetime) -> str:
    if entry.approved_by is None:
        return "proposed"
    return "active" if entry.is_active(now) else "approved"


def account_protection(
    uow: AbstractLedgerUnitOfWork, account_id: UUID, holder_id: UUID | None, now: datetime
) -> AccountProtection:
    """The controls of the account and of its holder, as of `now`."""
    with uow:
        own = uow.controls.get(account_id)
        organization = uow.controls.get(holder_id) if holder_id else None
    trusted = tuple(TrustedEntry(e, _status(e, now)) for e in (own.trusted if own else []))
    return AccountProtection(
        account_id,
        trusted,
        own.limits if own else Limits(),
        own.freeze if own else None,
        organization.freeze if organization else None,
    )


def organization_freeze(uow: AbstractLedgerUnitOfWork, organization_id: UUID) -> Freeze | None:
    with uow:
        found = uow.controls.get(organization_id)
    return found.freeze if found else None
