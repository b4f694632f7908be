"""A machine client's scopes, set by its registry administrator: which unit actions, from which accounts.

A client with an action list takes only those actions; with an account list it acts only from those
accounts (the source of a transfer, use, cancellation or retirement; the account of an issuance,
authorization or acquisition). Other ledger writes, such as reference data, stay with its roles, and a
transaction's cancellation follows the transaction's source account.
"""

from __future__ import annotations

from uuid import UUID

from gateway.auth.principal import Principal
from gateway.errors import Problem
from gateway.ledger import context
from services.ledger.domain import commands
from services.shared.messages import Command

ACTION_OF: dict[type[Command], str] = {
    commands.IssueUnits: "issuances",
    commands.AuthorizeUnits: "authorizations",
    commands.TransferUnits: "domestic-transfers",
    commands.RequestInternationalTransfer: "international-transfers",
    commands.CompleteInternationalTransfer: "international-transfers",
    commands.ReverseInternationalTransfer: "international-transfers",
    commands.RecordAcquisition: "acquisitions",
    commands.UseUnitsTowardsNdc: "ndc-uses",
    commands.UseUnitsForOimp: "oimp-uses",
    commands.CancelUnits: "cancellations",
    commands.RetireUnits: "retirements",
}


def check(principal: Principal | None, command: Command) -> None:
    """403 client.out_of_scope when the client's administrator did not allow this action or account."""
    if principal is None:
        return
    action = ACTION_OF.get(type(command))
    allowed_actions = principal.allowed_actions
    if action is not None and allowed_actions is not None and action not in allowed_actions:
        raise _out_of_scope(f"this client may not take the action {action}: it may take {_listed(allowed_actions)}")
    account = _acting_account(command)
    allowed_accounts = principal.allowed_accounts
    if account is not None and allowed_accounts is not None and account not in allowed_accounts:
        raise _out_of_scope(
            f"this client may not act from account {account}: it may act from {_listed(allowed_accounts)}"
        )


def _acting_account(command: Command) -> UUID | None:
    for name in ("source_account_id", "account_id"):
        account = getattr(command, name, None)
        if isinstance(account, UUID):
            return account
    transaction_id = getattr(command, "transaction_id", None)
    if isinstance(transaction_id, UUID):
        found = context.views().transaction(transaction_id)
        return found.source_account_id if found is not None else None
    return None


def _listed(values: frozenset[str] | frozenset[UUID]) -> str:
    return ", ".join(sorted(str(v) for v in values)) or "none"


def _out_of_scope(detail: str) -> Problem:
    return Problem(403, "client.out_of_scope", detail + ": ask the registry administrator to change its scopes")
