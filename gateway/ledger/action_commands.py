"""One translation of the unit actions' request data (as the API's schemas load it) into ledger commands,
for the API's routes and the console's forms alike, keyed by the action's name in the console."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from gateway.auth.access import current_principal
from gateway.ledger.accounts_api import acting_from
from gateway.ledger.context import actor_id, platform
from gateway.ledger.transactions_api import visible_transaction
from services.ledger.domain import commands
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.values import Metric, MitigationType, UnitType
from services.ledger.service_layer.incoming import acquisition_from_request
from services.ledger.service_layer.ports import Guard
from services.shared.messages import Command

Translation = Callable[[dict[str, Any]], Command]


class InvalidTransfer(ValueError):
    """The transfer sent for an acquisition is not the data of an international_requested event."""


def _filter(body: dict[str, Any]) -> UnitFilter:
    return UnitFilter(**body.get("units", {}))


def issue(body: dict[str, Any]) -> commands.IssueUnits:
    fields = dict(body)
    metric_name = fields.pop("non_ghg_metric", None)
    return commands.IssueUnits(
        actor_id=actor_id(),
        **fields
        | {
            "unit_type": UnitType(fields["unit_type"]),
            "mitigation_type": MitigationType(fields["mitigation_type"]),
            "metric": Metric.ghg() if metric_name is None else Metric.non_ghg(metric_name),
        },
    )


def authorize(body: dict[str, Any]) -> commands.AuthorizeUnits:
    fields = {k: v for k, v in body.items() if k != "units"}
    return commands.AuthorizeUnits(actor_id=actor_id(), **fields, unit_filter=_filter(body))


def accept(body: dict[str, Any]) -> commands.CompleteInternationalTransfer:
    visible_transaction(body["transaction_id"])
    return commands.CompleteInternationalTransfer(actor_id=actor_id(), transaction_id=body["transaction_id"])


def refuse(body: dict[str, Any]) -> commands.ReverseInternationalTransfer:
    visible_transaction(body["transaction_id"])
    return commands.ReverseInternationalTransfer(
        actor_id=actor_id(), transaction_id=body["transaction_id"], reason=body["reason"]
    )


def acquire(body: dict[str, Any]) -> commands.RecordAcquisition:
    try:
        return acquisition_from_request(
            body["transfer"],
            actor_id=actor_id(),
            account_id=body["account_id"],
            accepted_at=platform().ledger.clock.now(),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidTransfer(repr(error)) from None


def move(build: Callable[..., Command], body: dict[str, Any]) -> Command:
    """An action that moves units from `source_account_id`, selected by the body's `units`."""
    fields = {k: v for k, v in body.items() if k != "units"}
    return build(actor_id=actor_id(), **fields, unit_filter=_filter(body))


def request_abroad(body: dict[str, Any]) -> Command:
    """A transfer abroad; a machine client's always waits for a person to approve it."""
    machine = not current_principal().is_user
    return move(partial(commands.RequestInternationalTransfer, needs_person=machine), body)


COMMANDS: dict[str, Translation] = {
    "issuance": issue,
    "authorization": authorize,
    "domestic-transfer": partial(move, commands.TransferUnits),
    "international-transfer": request_abroad,
    "acceptance": accept,
    "refusal": refuse,
    "acquisition": acquire,
    "ndc-use": partial(move, commands.UseUnitsTowardsNdc),
    "oimp-use": partial(move, commands.UseUnitsForOimp),
    "cancellation": partial(move, commands.CancelUnits),
    "retirement": partial(move, commands.RetireUnits),
}


def guards_for(body: dict[str, Any]) -> tuple[Guard, ...]:
    """The checks of who may act that run inside the command's transaction: a representative moves units
    only from its organization's accounts."""
    return acting_from(body["source_account_id"]) if "source_account_id" in body else ()
