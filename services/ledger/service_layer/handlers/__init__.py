"""One handler per command; each is one transaction: `with uow: load; domain call; uow.commit()`."""

from collections.abc import Callable
from typing import Any

from services.ledger.domain import commands
from services.ledger.service_layer.handlers import accounts, international, lifecycle, reference, units
from services.shared.messages import Command

Handler = Callable[..., Any]

HANDLERS: dict[type[Command], Handler] = {
    commands.RecordCooperativeApproach: reference.record_cooperative_approach,
    commands.RecordProject: reference.record_project,
    commands.RecordIssuance: reference.record_issuance,
    commands.RecordAuthorizedEntity: reference.record_authorized_entity,
    commands.RecordAuthorization: reference.record_authorization,
    commands.OpenAccount: accounts.open_account,
    commands.ChangeAccountStatus: accounts.change_account_status,
    commands.IssueUnits: units.issue_units,
    commands.AuthorizeUnits: units.authorize_units,
    commands.TransferUnits: units.transfer_units,
    commands.RequestInternationalTransfer: units.request_international_transfer,
    commands.UseUnitsTowardsNdc: units.use_units_towards_ndc,
    commands.UseUnitsForOimp: units.use_units_for_oimp,
    commands.CancelUnits: units.cancel_units,
    commands.RetireUnits: units.retire_units,
    commands.CompleteInternationalTransfer: international.complete_international_transfer,
    commands.ReverseInternationalTransfer: international.reverse_international_transfer,
    commands.RecordAcquisition: international.record_acquisition,
    commands.ApproveTransaction: lifecycle.approve_transaction,
    commands.RejectTransaction: lifecycle.reject_transaction,
    commands.CancelTransaction: lifecycle.cancel_transaction,
    commands.ExecuteDueTransactions: lifecycle.execute_due_transactions,
}
