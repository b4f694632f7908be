"""Every Article 6.2 action as a transaction: one route per action, each answering the transaction result.

A representative acts only from accounts its organization holds; the registry administrator acts for
the Party. Transfers abroad need the second factor the registry's policy asks for external transfers.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.errors import Problem
from gateway.ledger.accounts_api import check_may_act_from
from gateway.ledger.context import IDEMPOTENCY_PARAMETER, actor_id, handle_transaction, platform
from gateway.ledger.schemas import actions as s
from gateway.ledger.transactions_api import visible_transaction
from services.ledger.domain import commands
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.values import Metric, MitigationType, UnitType
from services.ledger.service_layer.incoming import acquisition_from_request
from services.ledger.service_layer.results import TransactionResult

blp = Blueprint(
    "ledger_actions",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/transactions",
    description="Unit actions: issuance, authorization, transfers, acquisition, use, cancellation, retirement",
)
ADMIN, OFFICER, REPRESENTATIVE = Role.REGISTRY_ADMIN, Role.AUTHORIZING_OFFICER, Role.ACCOUNT_REPRESENTATIVE
KEYED = {"parameters": [IDEMPOTENCY_PARAMETER]}


def _filter(body: dict[str, Any]) -> UnitFilter:
    return UnitFilter(**body.get("units", {}))


def _from_own(body: dict[str, Any]) -> dict[str, Any]:
    """The action's fields, after checking the caller may act from the source account."""
    check_may_act_from(body["source_account_id"])
    return {k: v for k, v in body.items() if k != "units"} | {"unit_filter": _filter(body)}


@blp.route("/issuances")
class Issuances(MethodView):
    @blp.arguments(s.IssueSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Issue units against a recorded issuance into the issuance account; serials are never reused"""
        metric_name = body.pop("non_ghg_metric", None)
        return handle_transaction(
            commands.IssueUnits(
                actor_id=actor_id(),
                **body
                | {
                    "unit_type": UnitType(body["unit_type"]),
                    "mitigation_type": MitigationType(body["mitigation_type"]),
                    "metric": Metric.ghg() if metric_name is None else Metric.non_ghg(metric_name),
                },
            )
        )


@blp.route("/authorizations")
class UnitAuthorizations(MethodView):
    @blp.arguments(s.AuthorizeSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(OFFICER)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Authorize units of an account under an authorization (their first transfer, if it says so)"""
        fields = {k: v for k, v in body.items() if k != "units"}
        return handle_transaction(commands.AuthorizeUnits(actor_id=actor_id(), **fields, unit_filter=_filter(body)))


@blp.route("/domestic-transfers")
class DomesticTransfers(MethodView):
    @blp.arguments(s.TransferSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Transfer units between two holding accounts of this registry"""
        return handle_transaction(commands.TransferUnits(actor_id=actor_id(), **_from_own(body)))


@blp.route("/international-transfers")
class InternationalTransfers(MethodView):
    @blp.arguments(s.InternationalTransferSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE, mfa="external_transfers")
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Request a transfer to another Party's registry; it waits for that registry's answer.

        The transaction is a first transfer when it first transfers any of its units (NDC authorizations).
        A machine client's transfer abroad always waits in the approvals inbox for a person to approve it."""
        machine = not current_principal().is_user
        return handle_transaction(
            commands.RequestInternationalTransfer(actor_id=actor_id(), needs_person=machine, **_from_own(body))
        )


@blp.route("/<uuid:transaction_id>/acceptance")
class Acceptance(MethodView):
    @blp.response(200, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, mfa="external_transfers")
    def post(self, transaction_id: UUID) -> TransactionResult:
        """The acquiring registry accepted the transfer abroad: the units leave"""
        visible_transaction(transaction_id)
        return handle_transaction(
            commands.CompleteInternationalTransfer(actor_id=actor_id(), transaction_id=transaction_id)
        )


@blp.route("/<uuid:transaction_id>/refusal")
class Refusal(MethodView):
    @blp.arguments(s.ReasonSchema)
    @blp.response(200, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, mfa="external_transfers")
    def post(self, body: dict[str, Any], transaction_id: UUID) -> TransactionResult:
        """The acquiring registry refused the transfer abroad: the units come back"""
        visible_transaction(transaction_id)
        return handle_transaction(
            commands.ReverseInternationalTransfer(
                actor_id=actor_id(), transaction_id=transaction_id, reason=body["reason"]
            )
        )


@blp.route("/acquisitions")
class Acquisitions(MethodView):
    @blp.arguments(s.AcquisitionSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Record units another Party's registry transferred here, once per transfer"""
        try:
            command = acquisition_from_request(
                body["transfer"],
                actor_id=actor_id(),
                account_id=body["account_id"],
                accepted_at=platform().ledger.clock.now(),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise Problem(
                422,
                "request.invalid",
                f"transfer is not the data of a ledger.transfer.international_requested.v1 event ({error!r}): "
                "send the event's data as the transferring registry published it",
                field="transfer",
            ) from None
        return handle_transaction(command)  # keyed by the transfer id unless the client sends its own key


@blp.route("/ndc-uses")
class NdcUses(MethodView):
    @blp.arguments(s.NdcUseSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Use ITMOs towards this Party's NDC for a calendar year of use"""
        return handle_transaction(commands.UseUnitsTowardsNdc(actor_id=actor_id(), **_from_own(body)))


@blp.route("/oimp-uses")
class OimpUses(MethodView):
    @blp.arguments(s.OimpUseSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Use or cancel units for other international mitigation purposes, as the OIMP account says"""
        return handle_transaction(commands.UseUnitsForOimp(actor_id=actor_id(), **_from_own(body)))


@blp.route("/cancellations")
class Cancellations(MethodView):
    @blp.arguments(s.CancellationSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Cancel units voluntarily or for OMGE, as the cancellation account's type says"""
        return handle_transaction(commands.CancelUnits(actor_id=actor_id(), **_from_own(body)))


@blp.route("/retirements")
class Retirements(MethodView):
    @blp.arguments(s.RetirementSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Retire units on behalf of a beneficiary"""
        return handle_transaction(commands.RetireUnits(actor_id=actor_id(), **_from_own(body)))
