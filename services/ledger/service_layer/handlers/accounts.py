"""Handlers that open accounts and change their status."""

from services.ledger.domain.accounts import Account, AccountStatus, AccountType
from services.ledger.domain.checks.accounts import check_counterparty, check_empty_before_closing, require_account
from services.ledger.domain.checks.authorizations import check_ndc_year
from services.ledger.domain.commands import ChangeAccountStatus, OpenAccount
from services.ledger.domain.counters import ACCOUNT_NUMBERS
from services.ledger.domain.identifiers import AccountNumber
from services.ledger.domain.registry import RegistrySettings
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork
from services.ledger.service_layer.results import RecordResult
from services.shared.clock import Clock
from services.shared.ids import new_id


def open_account(
    cmd: OpenAccount, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    number = AccountNumber(registry.party, cmd.account_type.code, uow.counters.get(ACCOUNT_NUMBERS).take())
    account = Account(
        id=new_id(),
        number=number,
        type=cmd.account_type,
        metric=cmd.metric,
        name=cmd.name,
        opened_at=clock.now(),
        holder_id=cmd.holder_id,
        ndc_year=cmd.ndc_year,
        oimp_purpose=cmd.oimp_purpose,
        oimp_action=cmd.oimp_action,
        external_party=cmd.external_party,
        external_registry_id=cmd.external_registry_id,
    )
    check_counterparty(account, registry)
    if account.type is AccountType.NDC_USE and account.ndc_year is not None:
        check_ndc_year(account.ndc_year, registry)
    uow.accounts.add(account.opened())
    return RecordResult("account", str(account.id), str(account.number))


def change_account_status(
    cmd: ChangeAccountStatus, uow: AbstractLedgerUnitOfWork, registry: RegistrySettings, clock: Clock
) -> RecordResult:
    account = require_account(uow.accounts.get(cmd.account_id), cmd.account_id, "account_id")
    if cmd.status is AccountStatus.CLOSED:
        check_empty_before_closing(account, uow.blocks.held_by(account.id))
    account.change_status(cmd.status, clock.now())
    return RecordResult("account", str(account.id), str(account.number))
