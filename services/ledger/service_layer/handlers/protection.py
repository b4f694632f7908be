"""Handlers of the account-protection controls: trusted lists, limits, freezes, and release of held movements."""

from uuid import UUID

from services.ledger.domain import catalogue, commands
from services.ledger.domain.accounts import HOLDING_TYPES, Account, AccountType
from services.ledger.domain.checks.accounts import check_account_type, require_account
from services.ledger.domain.errors import failed
from services.ledger.domain.protection import (
    Controls,
    Counterparty,
    HeldAccount,
    Limits,
    controls_of_account,
    controls_of_organization,
)
from services.ledger.domain.registry import RegistrySettings
from services.ledger.service_layer.handlers.actions import resume
from services.ledger.service_layer.handlers.common import require_transaction
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import RecordResult, TransactionResult
from services.shared.clock import Clock


def _holding_account(uow: AbstractLedgerUnitOfWork, account_id: UUID) -> Account:
    account = require_account(uow.accounts.get_many([account_id]).get(account_id), account_id, "account_id")
    check_account_type(account, HOLDING_TYPES, "account_id")
    return account


def account_controls(uow: AbstractLedgerUnitOfWork, account: Account, for_update: bool = True) -> Controls:
    """The account's controls, locked; created empty (and saved at commit) when it has none yet."""
    found = uow.controls.get(account.id, for_update)
    if found is None:
        found = controls_of_account(HeldAccount(account.id, str(account.number)))
        uow.controls.add(found)
    return found


def _check_counterparty(uow: AbstractLedgerUnitOfWork, counterparty: Counterparty) -> None:
    """A domestic entry names a holding account here; one abroad the external account of its registry."""
    found = uow.accounts.by_number(counterparty.account_number)
    abroad = counterparty.registry_id is not None
    fits = found is not None and (
        found.type is AccountType.EXTERNAL and found.external_registry_id == counterparty.registry_id
        if abroad
        else found.type in HOLDING_TYPES
    )
    if not fits:
        where = f"an external account of registry {counterparty.registry_id}" if abroad else "a holding account"
        raise failed(
            catalogue.TRUSTED_ACCOUNT_VALID,
            f"{counterparty.account_number} is not {where} of this registry.",
            "account_number",
        )


def propose_trusted_account(
    cmd: commands.ProposeTrustedAccount, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    account = _holding_account(uow, cmd.account_id)
    counterparty = Counterparty(cmd.account_number.strip(), cmd.registry_id)
    _check_counterparty(uow, counterparty)
    entry = account_controls(uow, account).propose_trusted(counterparty, cmd.actor_id, clock.now())
    return RecordResult("trusted_account", str(entry.id))


def approve_trusted_account(
    cmd: commands.ApproveTrustedAccount, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    controls = account_controls(uow, _holding_account(uow, cmd.account_id))
    delay = registry.protection.trusted_account_delay
    entry = controls.approve_trusted(cmd.trusted_account_id, cmd.actor_id, clock.now(), delay)
    return RecordResult("trusted_account", str(entry.id))


def remove_trusted_account(
    cmd: commands.RemoveTrustedAccount, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    controls = account_controls(uow, _holding_account(uow, cmd.account_id))
    controls.remove_trusted(cmd.trusted_account_id, cmd.actor_id, clock.now())
    return RecordResult("trusted_account", str(cmd.trusted_account_id))


def set_account_limits(
    cmd: commands.SetAccountLimits, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    controls = account_controls(uow, _holding_account(uow, cmd.account_id))
    controls.set_limits(Limits(cmd.per_transfer, cmd.per_24_hours, cmd.transfers_per_24_hours))
    return RecordResult("limits", str(cmd.account_id))


def freeze_account(
    cmd: commands.FreezeAccount, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    controls = account_controls(uow, _holding_account(uow, cmd.account_id))
    controls.freeze_for(cmd.reason, cmd.actor_id, clock.now(), [controls.account])
    return RecordResult("frozen", str(cmd.account_id))


def unfreeze_account(
    cmd: commands.UnfreezeAccount, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    controls = account_controls(uow, _holding_account(uow, cmd.account_id))
    lifted = controls.unfreeze_by(cmd.actor_id, clock.now(), [controls.account])
    return RecordResult("unfrozen" if lifted else "unfreeze_asked", str(cmd.account_id))


def _organization_controls(uow: AbstractLedgerUnitOfWork, organization_id: UUID) -> Controls:
    found = uow.controls.get(organization_id, for_update=True)
    if found is None:
        found = controls_of_organization(organization_id)
        uow.controls.add(found)
    return found


def freeze_organization(
    cmd: commands.FreezeOrganization, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    accounts = uow.controls.accounts_of(cmd.organization_id)
    _organization_controls(uow, cmd.organization_id).freeze_for(cmd.reason, cmd.actor_id, clock.now(), accounts)
    return RecordResult("frozen", str(cmd.organization_id))


def unfreeze_organization(
    cmd: commands.UnfreezeOrganization, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    accounts = uow.controls.accounts_of(cmd.organization_id)
    lifted = _organization_controls(uow, cmd.organization_id).unfreeze_by(cmd.actor_id, clock.now(), accounts)
    return RecordResult("unfrozen" if lifted else "unfreeze_asked", str(cmd.organization_id))


def release_transaction(
    cmd: commands.ReleaseTransaction, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> TransactionResult:
    now = clock.now()
    transaction = require_transaction(uow, cmd.transaction_id)
    transaction.release(cmd.actor_id, now)
    return resume(uow, transaction, registry, now)
