"""The unit actions offered as console forms: the API's schemas, and the API's translation into commands."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields

from gateway.ledger.action_commands import COMMANDS
from gateway.ledger.schemas import actions as s
from gateway.ledger.schemas.common import Strict
from gateway.web.console.common import ADMIN, OFFICER, REPRESENTATIVE
from gateway.web.console.forms import Action, Field
from services.ledger.domain.values import MitigationType, UnitType

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
        COMMANDS["issuance"],
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
        COMMANDS["authorization"],
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
        COMMANDS["domestic-transfer"],
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
        COMMANDS["international-transfer"],
        mfa="external_transfers",
    ),
    Action(
        "acceptance",
        _l("Record an acceptance"),
        _l("The acquiring registry accepted a transfer abroad: its units leave."),
        (ADMIN,),
        AcceptanceForm,
        (Field("transaction_id", _l("Transfer awaiting acceptance"), "transaction"),),
        COMMANDS["acceptance"],
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
        COMMANDS["refusal"],
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
        COMMANDS["acquisition"],
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
        COMMANDS["ndc-use"],
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
        COMMANDS["oimp-use"],
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
        COMMANDS["cancellation"],
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
        COMMANDS["retirement"],
    ),
)
