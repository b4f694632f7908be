"""Reference data and accounts as console forms: cooperative approaches, projects, issuances (verifications),
authorized entities and new accounts, with the API's schemas and commands."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields

from gateway.inputs.fields import Count, Year
from gateway.ledger.accounts_api import _check_holder
from gateway.ledger.context import actor_id
from gateway.ledger.schemas import accounts as a
from gateway.ledger.schemas import reference as r
from gateway.web.console.action_specs import _choices
from gateway.web.console.common import ADMIN, OFFICER, root
from gateway.web.console.forms import Action, Field
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType, OimpAction
from services.ledger.domain.reference import ApproachStatus, ProjectStatus
from services.ledger.domain.values import Metric, VintageQuantity


class VerificationForm(r.IssuanceCreateSchema):
    """The API's issuance body with one vintage: the form has one vintage and quantity."""

    quantities = fields.List(fields.Nested(r.VintageQuantitySchema), load_default=list)
    vintage = Year(required=True)
    quantity = Count(required=True, strict=True)


def _approach(body: dict[str, Any]) -> commands.RecordCooperativeApproach:
    return commands.RecordCooperativeApproach(
        actor_id=actor_id(),
        cooperative_approach_id=body["cooperative_approach_id"],
        name=body["name"],
        participating_parties=frozenset(body["participating_parties"]),
        status=ApproachStatus(body["status"]),
    )


def _project(body: dict[str, Any]) -> commands.RecordProject:
    details = {**body, "status": ProjectStatus(body["status"]), "locations": (), "links": (), "crediting_periods": ()}
    return commands.RecordProject(actor_id=actor_id(), **details)


def _verification(body: dict[str, Any]) -> commands.RecordIssuance:
    quantities = (VintageQuantity(body.pop("vintage"), body.pop("quantity")),)
    return commands.RecordIssuance(actor_id=actor_id(), **{**body, "quantities": quantities})


def _open_account(body: dict[str, Any]) -> commands.OpenAccount:
    _check_holder(body.get("holder_id"))
    metric_name = body.pop("non_ghg_metric", None)
    oimp_action = body.pop("oimp_action", None)
    return commands.OpenAccount(
        actor_id=actor_id(),
        **{**body, "account_type": AccountType(body["account_type"])},
        metric=Metric.ghg() if metric_name is None else Metric.non_ghg(metric_name),
        oimp_action=None if oimp_action is None else OimpAction(oimp_action),
    )


def _to_account(result: Any) -> str:
    return f"{root()}/accounts/{result.record_id}"


RECORD_ACTIONS = (
    Action(
        "open-account",
        _l("Open an account"),
        _l("Holding, issuance, NDC use, OIMP, cancellation, retirement or external account."),
        (ADMIN,),
        a.AccountCreateSchema,
        (
            Field("account_type", _l("Account type"), "select", choices=_choices(AccountType)),
            Field("name", _l("Name")),
            Field("holder_id", _l("Holder organization id"), required=False, hint=_l("For entity holding accounts.")),
            Field("ndc_year", _l("Year of use"), "number", required=False, hint=_l("For NDC use accounts.")),
            Field("oimp_purpose", _l("OIMP purpose"), required=False, hint=_l("For example CORSIA.")),
            Field("oimp_action", _l("OIMP action"), "select", required=False, choices=_choices(OimpAction)),
            Field(
                "external_party",
                _l("Other Party"),
                required=False,
                hint=_l("ISO 3166-1 alpha-3, for external accounts."),
            ),
            Field("external_registry_id", _l("Other registry id"), required=False, hint=_l("For example CHE01.")),
            Field("non_ghg_metric", _l("Non-GHG metric"), required=False, hint=_l("Leave empty for t CO2 eq.")),
        ),
        _open_account,
        records=True,
        group="records",
        outcome=_to_account,
    ),
    Action(
        "cooperative-approach",
        _l("Record a cooperative approach"),
        _l("A cooperative approach, or its new name, Parties or status."),
        (ADMIN,),
        r.ApproachCreateSchema,
        (
            Field("cooperative_approach_id", _l("CARP id"), hint=_l("CANNNN, for example CA0001.")),
            Field("name", _l("Name")),
            Field(
                "participating_parties",
                _l("Participating Parties"),
                "list",
                hint=_l("ISO codes separated by commas, for example GHA, CHE."),
            ),
            Field("status", _l("Status"), "select", required=False, choices=_choices(ApproachStatus)),
        ),
        _approach,
        records=True,
        group="records",
    ),
    Action(
        "project",
        _l("Record a project"),
        _l("A mitigation activity with its CAD Trust fields."),
        (ADMIN,),
        r.ProjectCreateSchema,
        (
            Field("name", _l("Name")),
            Field("developer", _l("Developer")),
            Field("sector", _l("Sector")),
            Field("project_type", _l("Project type")),
            Field("methodology", _l("Methodology")),
            Field("status", _l("Status"), "select", choices=_choices(ProjectStatus)),
            Field("country", _l("Country"), hint=_l("ISO 3166-1 alpha-3.")),
            Field("cooperative_approach_id", _l("Cooperative approach"), required=False),
        ),
        _project,
        records=True,
        group="records",
    ),
    Action(
        "verification",
        _l("Record an issuance"),
        _l("A verification: the quantity of a vintage that units may be issued against."),
        (ADMIN,),
        VerificationForm,
        (
            Field("project_id", _l("Project id")),
            Field("monitoring_start", _l("Monitoring start"), "date"),
            Field("monitoring_end", _l("Monitoring end"), "date"),
            Field("verifier", _l("Verifier")),
            Field("verified_on", _l("Verified on"), "date"),
            Field("issued_on", _l("Issued on"), "date"),
            Field("vintage", _l("Vintage"), "number"),
            Field("quantity", _l("Verified quantity"), "number"),
        ),
        _verification,
        records=True,
        group="records",
    ),
    Action(
        "authorized-entity",
        _l("Record an authorized entity"),
        _l("An entity authorized under a cooperative approach."),
        (ADMIN, OFFICER),
        r.EntityCreateSchema,
        (
            Field("cooperative_approach_id", _l("Cooperative approach")),
            Field("name", _l("Name")),
            Field("country_of_incorporation", _l("Country of incorporation"), hint=_l("ISO 3166-1 alpha-3.")),
            Field("identification_number", _l("Identification number")),
            Field("authorized_on", _l("Authorized on"), "date"),
            Field("organization_id", _l("Organization id"), required=False),
            Field("conditions", _l("Conditions"), "textarea", required=False),
        ),
        lambda body: commands.RecordAuthorizedEntity(actor_id=actor_id(), **body),
        records=True,
        group="records",
    ),
)
