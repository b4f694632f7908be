"""The unit actions offered as console forms: the API's schemas and the API's commands, field by field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields

from gateway.ledger.context import actor_id
from gateway.ledger.schemas import actions as s
from gateway.ledger.schemas.common import Strict
from gateway.ledger.transactions_api import visible_transaction
from gateway.web.console.common import ADMIN, OFFICER, REPRESENTATIVE
from gateway.web.console.forms import Action, Field
from services.ledger.domain import commands
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.values import Metric, MitigationType, UnitType
from services.ledger.service_layer.incoming import acquisition_from_request

HOLDING = ("party_holding", "entity_holding")
QUANTITY = Field("quantity", _l("Quantity"), "number", hint=_l("A whole number of units, 1 or more."))
UNIT_FIELDS = (
    Field("units.vintage", _l("Only units of vintage"), "number", required=False),
    Field("units.cooperative_approach_id", _l("Only units of cooperative approach"), required=False),
    Field("units.project_id", _l("Only units of project (id)"), required=False),
    Field(
        "units.authorized",
        _l("Authorization"),
        "select",
        required=False,
        choices=(("true", _l("only authorized units")), ("false", _l("only units without authorization"))),
    ),
)
SOURCE = Field("source_account_id", _l("From account"), "account", account_types=("issuance", *HOLDING), own=True)


class AcceptanceForm(Strict):
    transaction_id = fields.UUID(required=True)


class RefusalForm(s.ReasonSchema):
    transaction_id = fields.UUID(required=True)


def _filter(body: dict[str, Any]) -> UnitFilter:
    return UnitFilter(**body.get("units", {}))


def _from_own(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "units"} | {"unit_filter": _filter(body)}


def _issue(body: dict[str, Any]) -> commands.IssueUnits:
    metric_name = body.pop("non_ghg_metric", None)
    return commands.IssueUnits(
        actor_id=actor_id(),
        **body
        | {
            "unit_type": UnitType(body["unit_type"]),
            "mitigation_type": MitigationType(body["mitigation_type"]),
            "metric": Metric.ghg() if metric_name is None else Metric.non_ghg(metric_name),
        },
    )


def _authorize(body: dict[str, Any]) -> commands.AuthorizeUnits:
    fields_ = {k: v for k, v in body.items() if k != "units"}
    return commands.AuthorizeUnits(actor_id=actor_id(), **fields_, unit_filter=_filter(body))


def _accept(body: dict[str, Any]) -> commands.CompleteInternationalTransfer:
    visible_transaction(body["transaction_id"])
    return commands.CompleteInternationalTransfer(actor_id=actor_id(), transaction_id=body["transaction_id"])


def _refuse(body: dict[str, Any]) -> commands.ReverseInternationalTransfer:
    visible_transaction(body["transaction_id"])
    return commands.ReverseInternationalTransfer(
        actor_id=actor_id(), transaction_id=body["transaction_id"], reason=body["reason"]
    )


def _acquire(body: dict[str, Any]) -> Any:
    from gateway.ledger.context import platform

    try:
        return acquisition_from_request(
            body["transfer"],
            actor_id=actor_id(),
            account_id=body["account_id"],
            accepted_at=platform().ledger.clock.now(),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidTransfer(repr(error)) from None


class InvalidTransfer(ValueError):
    """The pasted transfer is not the data of an international_requested event."""


def _choices(enum: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((member.value, member.value.replace("_", " ")) for member in enum)


UNIT_ACTIONS = (
    Action(
        "issuance",
        _l("Issue units"),
        _l("Issue units against a recorded issuance into the issuance account."),
        (ADMIN,),
        s.IssueSchema,
        (
            Field("issuance_id", _l("Issuance (verification) id")),
            Field("account_id", _l("Issuance account"), "account", account_types=("issuance",)),
            Field("cooperative_approach_id", _l("Cooperative approach"), hint=_l("Its CARP id, CANNNN.")),
            Field("vintage", _l("Vintage"), "number", hint=_l("The year the mitigation occurred.")),
            QUANTITY,
            Field("unit_type", _l("Unit type"), "select", required=False, choices=_choices(UnitType)),
            Field("mitigation_type", _l("Mitigation type"), "select", required=False, choices=_choices(MitigationType)),
            Field("authorization_id", _l("Authorization id"), required=False),
            Field("non_ghg_metric", _l("Non-GHG metric"), required=False, hint=_l("Leave empty for t CO2 eq.")),
        ),
        _issue,
    ),
    Action(
        "authorization",
        _l("Authorize units"),
        _l("Authorize units of an account under an authorization."),
        (OFFICER,),
        s.AuthorizeSchema,
        (
            Field("account_id", _l("Account"), "account", account_types=HOLDING),
            Field("authorization_id", _l("Authorization id")),
            QUANTITY,
            *UNIT_FIELDS,
        ),
        _authorize,
    ),
    Action(
        "domestic-transfer",
        _l("Transfer units"),
        _l("Transfer units between two holding accounts of this registry."),
        (ADMIN, REPRESENTATIVE),
        s.TransferSchema,
        (
            SOURCE,
            Field(
                "destination_account_id",
                _l("To account"),
                "account",
                account_types=HOLDING,
                typed_by_representatives=True,
                hint=_l("Ask the receiving holder for their account id."),
            ),
            QUANTITY,
            *UNIT_FIELDS,
        ),
        lambda body: commands.TransferUnits(actor_id=actor_id(), **_from_own(body)),
    ),
    Action(
        "international-transfer",
        _l("Transfer units abroad"),
        _l("Request a transfer to another Party's registry; it waits for that registry's answer."),
        (ADMIN, REPRESENTATIVE),
        s.InternationalTransferSchema,
        (
            SOURCE,
            Field("external_account_id", _l("External account"), "account", account_types=("external",)),
            QUANTITY,
            *UNIT_FIELDS,
        ),
        lambda body: commands.RequestInternationalTransfer(actor_id=actor_id(), **_from_own(body)),
        mfa="external_transfers",
    ),
    Action(
        "acceptance",
        _l("Record an acceptance"),
        _l("The acquiring registry accepted a transfer abroad: its units leave."),
        (ADMIN,),
        AcceptanceForm,
        (Field("transaction_id", _l("Transfer awaiting acceptance"), "transaction"),),
        _accept,
        mfa="external_transfers",
    ),
    Action(
        "refusal",
        _l("Record a refusal"),
        _l("The acquiring registry refused a transfer abroad: its units come back."),
        (ADMIN,),
        RefusalForm,
        (
            Field("transaction_id", _l("Transfer awaiting acceptance"), "transaction"),
            Field("reason", _l("Reason"), "textarea"),
        ),
        _refuse,
        mfa="external_transfers",
    ),
    Action(
        "acquisition",
        _l("Record an acquisition"),
        _l("Record units another Party's registry transferred here, once per transfer."),
        (ADMIN,),
        s.AcquisitionSchema,
        (
            Field("account_id", _l("Receiving account"), "account", account_types=HOLDING),
            Field(
                "transfer",
                _l("Transfer (event data, JSON)"),
                "json",
                hint=_l("Paste the data of the other registry's ledger.transfer.international_requested.v1 event."),
            ),
        ),
        _acquire,
    ),
    Action(
        "ndc-use",
        _l("Use towards the NDC"),
        _l("Use ITMOs towards this Party's NDC for a calendar year of use."),
        (ADMIN, REPRESENTATIVE),
        s.NdcUseSchema,
        (
            SOURCE,
            Field("ndc_account_id", _l("NDC use account"), "account", account_types=("ndc_use",)),
            Field("ndc_year", _l("Year of use"), "number"),
            QUANTITY,
            *UNIT_FIELDS,
        ),
        lambda body: commands.UseUnitsTowardsNdc(actor_id=actor_id(), **_from_own(body)),
    ),
    Action(
        "oimp-use",
        _l("Use for other international mitigation purposes"),
        _l("Use or cancel units for OIMP, as the OIMP account says."),
        (ADMIN, REPRESENTATIVE),
        s.OimpUseSchema,
        (
            SOURCE,
            Field("oimp_account_id", _l("OIMP account"), "account", account_types=("oimp",)),
            QUANTITY,
            *UNIT_FIELDS,
        ),
        lambda body: commands.UseUnitsForOimp(actor_id=actor_id(), **_from_own(body)),
    ),
    Action(
        "cancellation",
        _l("Cancel units"),
        _l("Cancel units voluntarily or for OMGE, as the cancellation account's type says."),
        (ADMIN, REPRESENTATIVE),
        s.CancellationSchema,
        (
            SOURCE,
            Field(
                "cancellation_account_id",
                _l("Cancellation account"),
                "account",
                account_types=("voluntary_cancellation", "omge_cancellation"),
            ),
            QUANTITY,
            *UNIT_FIELDS,
        ),
        lambda body: commands.CancelUnits(actor_id=actor_id(), **_from_own(body)),
    ),
    Action(
        "retirement",
        _l("Retire units"),
        _l("Retire units on behalf of a beneficiary."),
        (ADMIN, REPRESENTATIVE),
        s.RetirementSchema,
        (
            SOURCE,
            Field("retirement_account_id", _l("Retirement account"), "account", account_types=("retirement",)),
            QUANTITY,
            Field("beneficiary", _l("Beneficiary")),
            Field("reason", _l("Purpose"), "textarea", required=False),
            *UNIT_FIELDS,
        ),
        lambda body: commands.RetireUnits(actor_id=actor_id(), **_from_own(body)),
    ),
)
