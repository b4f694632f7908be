"""One handler per command: it loads, calls the domain and returns its result. The bus runs each in one unit
of work, with the command's idempotency key; the seven movements of held units share one handler."""

from collections.abc import Callable
from typing import Any

from services.ledger.domain import commands
from services.ledger.service_layer.handlers import accounts, international, lifecycle, protection, reference, units
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
    **dict.fromkeys(units.MOVEMENTS, units.move_units),
    commands.CompleteInternationalTransfer: international.complete_international_transfer,
    commands.ReverseInternationalTransfer: international.reverse_international_transfer,
    commands.RecordAcquisition: international.record_acquisition,
    commands.ApproveTransaction: lifecycle.approve_transaction,
    commands.RejectTransaction: lifecycle.reject_transaction,
    commands.CancelTransaction: lifecycle.cancel_transaction,
    commands.ExecuteDueTransactions: lifecycle.execute_due_transactions,
    commands.ReleaseTransaction: protection.release_transaction,
    commands.ProposeTrustedAccount: protection.propose_trusted_account,
    commands.ApproveTrustedAccount: protection.approve_trusted_account,
    commands.RemoveTrustedAccount: protection.remove_trusted_account,
    commands.SetAccountLimits: protection.set_account_limits,
    commands.FreezeAccount: protection.freeze_account,
    commands.UnfreezeAccount: protection.unfreeze_account,
    commands.FreezeOrganization: protection.freeze_organization,
    commands.UnfreezeOrganization: protection.unfreeze_organization,
}

# A batch runs whatever is due each time it is sent: it has no result to replay.
UNKEYED: frozenset[type[Command]] = frozenset({commands.ExecuteDueTransactions})
