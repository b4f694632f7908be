from collections.abc import Iterable
from uuid import UUID

from services.ledger.domain import catalogue
from services.ledger.domain.accounts import Account, AccountType
from services.ledger.domain.blocks import UnitBlock
from services.ledger.domain.errors import failed
from services.ledger.domain.registry import RegistrySettings


def require_account(account: Account | None, account_id: UUID, field: str) -> Account:
    if account is None:
        raise failed(catalogue.ACCOUNT_EXISTS, f"There is no account {account_id}.", field)
    return account


def check_source_open(account: Account) -> None:
    if not account.is_open:
        raise failed(
            catalogue.SOURCE_ACCOUNT_OPEN, f"Account {account.number} is {account.status}.", "source_account_id"
        )


def check_destination_open(account: Account) -> None:
    if not account.is_open:
        raise failed(
            catalogue.DESTINATION_ACCOUNT_OPEN,
            f"Account {account.number} is {account.status}.",
            "destination_account_id",
        )


def check_account_type(account: Account, allowed: Iterable[AccountType], field: str) -> None:
    allowed = sorted(allowed)
    if account.type not in allowed:
        raise failed(
            catalogue.ACCOUNT_TYPE_ALLOWED,
            f"Account {account.number} is of type {_words(account.type)}; "
            f"this action needs an account of type {' or '.join(_words(t) for t in allowed)}.",
            field,
        )


def _words(account_type: AccountType) -> str:
    return account_type.value.replace("_", " ")


def check_accounts_differ(source: Account, destination: Account) -> None:
    if source.id == destination.id:
        raise failed(catalogue.ACCOUNTS_DIFFER, f"Both accounts are {source.number}.", "destination_account_id")


def check_metric(account: Account, block: UnitBlock, field: str) -> None:
    if account.metric != block.attributes.metric:
        raise failed(
            catalogue.ACCOUNT_METRIC_MATCHES,
            f"Account {account.number} holds {account.metric}; units {block.first_itmo_id} are "
            f"in {block.attributes.metric}.",
            field,
        )


def check_counterparty(account: Account, registry: RegistrySettings) -> None:
    if account.type is AccountType.EXTERNAL and account.external_party == registry.party:
        raise failed(
            catalogue.COUNTERPARTY_KNOWN, f"{account.external_party} is this registry's own Party.", "external_party"
        )


def check_empty_before_closing(account: Account, blocks: Iterable[UnitBlock]) -> None:
    live = sum(block.quantity for block in blocks if not block.is_terminal)
    if live:
        raise failed(catalogue.ACCOUNT_EMPTY_BEFORE_CLOSING, f"Account {account.number} holds {live} units.", "status")
