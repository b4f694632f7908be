"""The transaction lifecycle (approve, reject, cancel) and the queries: transactions, a unit's history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.errors import Problem
from gateway.ledger.context import (
    IDEMPOTENCY_PARAMETER,
    actor_id,
    handle_transaction,
    representative_scope,
    unknown,
    uow,
    views,
)
from gateway.ledger.schemas import actions as s
from gateway.ledger.schemas.common import page_body
from services.ledger.api import Page, TransactionFilter
from services.ledger.domain import commands
from services.ledger.domain.transactions import Transaction
from services.ledger.service_layer import queries
from services.ledger.service_layer.results import TransactionResult
from services.shared.messages import to_json_safe

blp = Blueprint(
    "ledger_transactions",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>",
    description="Transactions: approval, rejection, cancellation, queries and unit history",
)
ADMIN, APPROVER, REPRESENTATIVE = Role.REGISTRY_ADMIN, Role.APPROVER, Role.ACCOUNT_REPRESENTATIVE
READERS = (Role.REGISTRY_ADMIN, Role.AUDITOR, Role.AUTHORIZING_OFFICER, Role.APPROVER, Role.ACCOUNT_REPRESENTATIVE)
KEYED = {"parameters": [IDEMPOTENCY_PARAMETER]}


def visible_transaction(transaction_id: UUID) -> Transaction:
    """The transaction, if the caller may see it: a representative sees those of its organization's accounts."""
    found = views().transaction(transaction_id)
    scope = representative_scope()
    if found is not None and scope is not None:
        own = views().accounts_of_holder(scope)
        if not {found.source_account_id, found.destination_account_id} & own:
            found = None
    if found is None:
        raise unknown("transaction")
    return found


def transaction_view(transaction: Transaction) -> dict[str, Any]:
    changes = [
        {
            **change.__dict__,
            "first_itmo_id": change.first_itmo_id,
            "last_itmo_id": change.last_itmo_id,
            "quantity": change.quantity,
        }
        for change in transaction.changes
    ]
    return {**transaction.__dict__, "details": to_json_safe(transaction.details), "changes": changes}


@blp.route("/transactions")
class Transactions(MethodView):
    @blp.arguments(s.TransactionQuery, location="query")
    @blp.response(200, s.TransactionPage)
    @requires(*READERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Transactions, newest first, with filters; a representative sees its organization's accounts' only"""
        scope = representative_scope()
        filters = {k: v for k, v in query.items() if k not in ("page", "page_size")}
        holder_accounts = None if scope is None else frozenset(views().accounts_of_holder(scope))
        page = views().transactions(
            TransactionFilter(**filters, holder_accounts=holder_accounts), query["page"], query["page_size"]
        )
        return page_body(Page([transaction_view(t) for t in page.items], page.page, page.page_size, page.total))


@blp.route("/transactions/<uuid:transaction_id>")
class TransactionById(MethodView):
    @blp.response(200, s.TransactionSchema)
    @requires(*READERS)
    def get(self, transaction_id: UUID) -> Any:
        """One transaction: who initiated and approved it, its status history and the units it moved"""
        return transaction_view(visible_transaction(transaction_id))


@blp.route("/transactions/<uuid:transaction_id>/approval")
class Approval(MethodView):
    @blp.response(200, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(APPROVER, mfa="approvals")
    def post(self, transaction_id: UUID) -> TransactionResult:
        """Approve a transaction awaiting approval; its initiator never approves it (LDG-072)"""
        visible_transaction(transaction_id)
        return handle_transaction(commands.ApproveTransaction(actor_id=actor_id(), transaction_id=transaction_id))


@blp.route("/transactions/<uuid:transaction_id>/rejection")
class Rejection(MethodView):
    @blp.arguments(s.ReasonSchema)
    @blp.response(200, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(APPROVER, mfa="approvals")
    def post(self, body: dict[str, Any], transaction_id: UUID) -> TransactionResult:
        """Reject a transaction awaiting approval; its units are released"""
        visible_transaction(transaction_id)
        return handle_transaction(
            commands.RejectTransaction(actor_id=actor_id(), transaction_id=transaction_id, reason=body["reason"])
        )


@blp.route("/transactions/<uuid:transaction_id>/cancellation")
class Cancellation(MethodView):
    @blp.arguments(s.ReasonSchema)
    @blp.response(200, s.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, REPRESENTATIVE)
    def post(self, body: dict[str, Any], transaction_id: UUID) -> TransactionResult:
        """Cancel a transaction that awaits approval or its delay; its units are released"""
        visible_transaction(transaction_id)
        return handle_transaction(
            commands.CancelTransaction(actor_id=actor_id(), transaction_id=transaction_id, reason=body["reason"])
        )


@blp.route("/unit-history")
class UnitHistory(MethodView):
    @blp.arguments(s.UnitHistoryQuery, location="query")
    @blp.response(200, s.UnitHistorySchema)
    @requires(ADMIN, Role.AUDITOR, Role.AUTHORIZING_OFFICER, APPROVER)
    def get(self, query: dict[str, Any]) -> Any:
        """Every completed action on one unit, by ITMO id or by serial in its serial space"""
        history = queries.unit_history(uow(), _itmo_id(query))
        if history.current is None and not history.entries:
            raise unknown("unit")
        return history


def _itmo_id(query: dict[str, Any]) -> str:
    if "itmo_id" in query:
        return str(query["itmo_id"])
    space = ("cooperative_approach_id", "registry_id", "serial")
    if not all(name in query for name in space):
        raise Problem(
            422,
            "request.invalid",
            "give itmo_id, or cooperative_approach_id, registry_id and serial",
            field="itmo_id",
        )
    with uow() as unit_of_work:
        block = unit_of_work.blocks.containing(query["cooperative_approach_id"], query["registry_id"], query["serial"])
    if block is None:
        raise unknown("unit")
    return str(block.itmo_id(query["serial"]))
