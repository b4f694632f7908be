"""Every Article 6.2 action as a transaction: one route per action, each answering the transaction result.

A representative acts only from accounts its organization holds; the registry administrator acts for
the Party. Transfers abroad need the second factor the registry's policy asks for external transfers.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.errors import Problem
from gateway.ledger.action_commands import COMMANDS, InvalidTransfer, guards_for
from gateway.ledger.context import IDEMPOTENCY_PARAMETER, handle_transaction
from gateway.ledger.schemas import actions as s
from services.ledger.service_layer.results import TransactionResult

blp = Blueprint(
    "ledger_actions",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/transactions",
    description="Unit actions: issuance, authorization, transfers, acquisition, use, cancellation, retirement",
)
ADMIN, OFFICER, REPRESENTATIVE = Role.REGISTRY_ADMIN, Role.AUTHORIZING_OFFICER, Role.ACCOUNT_REPRESENTATIVE
KEYED = {"parameters": [IDEMPOTENCY_PARAMETER]}


def _run(action: str, body: dict[str, Any]) -> TransactionResult:
    try:
        command = COMMANDS[action](body)
    except InvalidTransfer as error:
        raise Problem(
            422,
            "request.invalid",
            f"transfer is not the data of a ledger.transfer.international_requested.v1 event ({error}): "
            "send the event's data as the transferring registry published it",
            field="transfer",
        ) from None
    return handle_transaction(command, guards_for(body))


@blp.route("/issuances")
class Issuances(MethodView):
    @blp.arguments(s.IssueSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Issue units against a recorded issuance into the issuance account; serials are never reused"""
        return _run("issuance", body)


@blp.route("/authorizations")
class UnitAuthorizations(MethodView):
    @blp.arguments(s.AuthorizeSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(OFFICER)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Authorize units of an account under an authorization (their first transfer, if it says so)"""
        return _run("authorization", body)


@blp.route("/domestic-transfers")
class DomesticTransfers(MethodView):
    @blp.arguments(s.TransferSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Transfer units between two holding accounts of this registry"""
        return _run("domestic-transfer", body)


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
        return _run("international-transfer", body)


@blp.route("/<uuid:transaction_id>/acceptance")
class Acceptance(MethodView):
    @blp.response(200, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, mfa="external_transfers")
    def post(self, transaction_id: UUID) -> TransactionResult:
        """The acquiring registry accepted the transfer abroad: the units leave"""
        return _run("acceptance", {"transaction_id": transaction_id})


@blp.route("/<uuid:transaction_id>/refusal")
class Refusal(MethodView):
    @blp.arguments(s.ReasonSchema)
    @blp.response(200, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, mfa="external_transfers")
    def post(self, body: dict[str, Any], transaction_id: UUID) -> TransactionResult:
        """The acquiring registry refused the transfer abroad: the units come back"""
        return _run("refusal", body | {"transaction_id": transaction_id})


@blp.route("/acquisitions")
class Acquisitions(MethodView):
    @blp.arguments(s.AcquisitionSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Record units another Party's registry transferred here, once per transfer"""
        return _run("acquisition", body)  # keyed by the transfer id unless the client sends its own key


@blp.route("/ndc-uses")
class NdcUses(MethodView):
    @blp.arguments(s.NdcUseSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Use ITMOs towards this Party's NDC for a calendar year of use"""
        return _run("ndc-use", body)


@blp.route("/oimp-uses")
class OimpUses(MethodView):
    @blp.arguments(s.OimpUseSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Use or cancel units for other international mitigation purposes, as the OIMP account says"""
        return _run("oimp-use", body)


@blp.route("/cancellations")
class Cancellations(MethodView):
    @blp.arguments(s.CancellationSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Cancel units voluntarily or for OMGE, as the cancellation account's type says"""
        return _run("cancellation", body)


@blp.route("/retirements")
class Retirements(MethodView):
    @blp.arguments(s.RetirementSchema)
    @blp.response(201, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any]) -> TransactionResult:
        """Retire units on behalf of a beneficiary"""
        return _run("retirement", body)
